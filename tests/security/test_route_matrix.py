"""Every route × every role: the expected outcome comes from an explicit table.

The table (EXPECTED in tests/security/route_table.py) is keyed by endpoint. A route that is not in
the table fails the test, so a new route cannot be added without deciding who may use it.

Outcomes:
- OK: not refused for permission: a 2xx, a 3xx that is not a redirect to the login page, or a
  400, 409, 410 or 422: the request was let in and then found wanting (the test posts an empty
  form, and a made-up token is invalid). 404 never counts as OK: the world below has every object
  a URL names, so a 404 means "hidden from this role".
- LOGIN: a 302 to the login page (`/masuk`).
- FORBIDDEN: 403.
- HIDDEN: 404 (the object exists, but this user must not even learn that).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from .fixtures import ROLES, World, signed_in_client
from .route_table import (
    EXPECTED,
    FORBIDDEN,
    HIDDEN,
    LOGIN,
    OK,
    POST_NO_DATA_OK,
    ROUTES,
    build_url,
)


def post_data(world: World, endpoint: str) -> dict[str, object]:
    """Form fields some POST routes read before deciding (the row to act on), else nothing."""
    if endpoint in {"attendance.mark", "attendance.unmark"}:
        return {"registration_id": world.participant.registration.id}
    return {}


def expected_for(endpoint: str, role: str) -> str:
    if endpoint not in EXPECTED:
        pytest.fail(f"{endpoint} has no entry in EXPECTED: decide who may use it and add one")
    return EXPECTED[endpoint][ROLES.index(role)]


def outcome(response) -> str:
    """The response as one of OK, LOGIN, FORBIDDEN, HIDDEN, or the bare status if none fits."""
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        location = urlsplit(response.headers.get("Location", "")).path
        return LOGIN if location == "/masuk" else OK
    if 200 <= status < 300 or status in POST_NO_DATA_OK:
        return OK
    return {403: FORBIDDEN, 404: HIDDEN}.get(status, str(status))


def test_every_route_has_an_entry():
    missing = sorted({endpoint for endpoint, _, _ in ROUTES} - EXPECTED.keys())

    assert missing == [], f"routes without an entry in EXPECTED: {missing}"


def test_no_entry_for_a_route_that_no_longer_exists():
    stale = sorted(EXPECTED.keys() - {endpoint for endpoint, _, _ in ROUTES})

    assert stale == []


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("endpoint", "method", "rule"), ROUTES, ids=[f"{e}-{m}" for e, m, _ in ROUTES]
)
def test_route_answers_each_role_as_the_table_says(app, world, endpoint, method, rule, role):
    expected = expected_for(endpoint, role)
    client = signed_in_client(app, world.user_for(role))
    url = build_url(app, world, endpoint, rule)

    response = client.open(url, method=method, data=post_data(world, endpoint))

    assert outcome(response) == expected, (
        f"{method} {url} as {role}: {response.status_code} "
        f"{response.headers.get('Location', '')}, expected {expected}"
    )
