"""A login session ends when idle, and also a fixed time after sign-in however active it is:
12 hours for participants, 8 for staff (SESSION_MAX_HOURS, STAFF_SESSION_MAX_HOURS)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lokalatih.models import Role


def _signed_in(client) -> bool:
    return client.get("/workshop-saya").status_code == 200


def _stay_active(client, clock, hours: float) -> None:
    """A request every 30 minutes, so the idle timeout never ends the session."""
    for _ in range(int(hours * 2)):
        clock.advance(minutes=30)
        assert _signed_in(client)


def test_a_participant_session_ends_twelve_hours_after_sign_in_however_active(
    client, make_user, login_as, clock
):
    login_as(make_user(role=Role.PARTICIPANT))
    _stay_active(client, clock, hours=11.5)
    clock.advance(minutes=29)
    assert _signed_in(client)

    clock.advance(minutes=2)

    response = client.get("/workshop-saya")
    assert response.status_code == 302 and response.headers["Location"].startswith("/masuk")


@pytest.mark.parametrize("role", [Role.ORGANIZER, Role.REVIEWER, Role.ADMIN])
def test_a_staff_session_ends_eight_hours_after_sign_in_however_active(
    client, make_user, login_as, clock, role
):
    login_as(make_user(role=role))
    _stay_active(client, clock, hours=7.5)
    clock.advance(minutes=29)
    assert _signed_in(client)

    clock.advance(minutes=2)

    assert not _signed_in(client)


def test_an_idle_session_ends_after_the_idle_timeout(app, client, make_user, login_as, clock):
    login_as(make_user())
    clock.advance(app.config["SESSION_IDLE_TIMEOUT"] - timedelta(minutes=1))
    assert _signed_in(client)

    clock.advance(app.config["SESSION_IDLE_TIMEOUT"] + timedelta(minutes=1))

    assert not _signed_in(client)


def test_the_lifetime_is_configurable(app, client, make_user, login_as, clock):
    app.config["SESSION_MAX_AGE"] = timedelta(hours=3)
    login_as(make_user())
    _stay_active(client, clock, hours=2.5)

    clock.advance(minutes=31)

    assert not _signed_in(client)
