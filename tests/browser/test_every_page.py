"""Every page the route table lets a role GET, in Chromium as that role at a phone's and a
laptop's size: nothing scrolls sideways and axe-core finds no serious or critical violation.

Which pages: every GET endpoint tests/security/route_table.py marks OK for the role, asked once
through the Flask test client first; what answers with HTML (not a redirect, a download, JSON or
an image) is then loaded in the browser. One browser context per role and size, reused.

The world's names are long unbroken words (as an email address, a compound place name or a
mistyped title can be), so a page that cannot wrap them shows up here.
"""

from __future__ import annotations

import pytest

from lokalatih.models import REQUIRED_PURPOSES, ConsentRecord
from lokalatih.quizzes import attempt_closing
from tests.browser.fixtures import VIEWPORTS
from tests.security import fixtures as security_fixtures
from tests.security.fixtures import ROLES, World, signed_in_client
from tests.security.route_table import EXPECTED, OK, POST_NO_DATA_OK, ROUTES, build_url

pytestmark = pytest.mark.browser

world = security_fixtures.world

# GETs that change what the next page sees, so the sweep leaves them out.
NOT_VISITED = {
    "auth.logout",  # ends the login session the context carries
}


def _prepared(db, world: World, consent_version) -> World:
    """Everyone in the world has given the required consents, so pages show themselves rather
    than sending to the consent page; titles, the venue and names are long unbroken words."""
    world.workshop.title = "Loka Latih Aparatur " + "Pemerintahdaerahkabupatenkepulauan" * 2
    world.workshop.venue = "Aula " + "Kantorwilayahkementerianhukumdanhakasasimanusia" * 2
    world.session.title = "Sesi " + "Duhamdanpemerintahdaerah" * 3
    for owned in (world.participant, world.other_participant):
        owned.user.profile.full_name = "Siti " + "Rahmawatiningsihpuspitasari" * 2
    users = [world.participant.user, world.other_participant.user]
    users += [world.admin, world.reviewer, world.organizer, world.other_organizer]
    db.session.add_all(
        ConsentRecord(user_id=user.id, version_id=consent_version.id, purpose=purpose)
        for user in users
        for purpose in REQUIRED_PURPOSES
    )
    db.session.commit()
    return world


def _html_pages(app, world: World, role: str) -> tuple[list[str], list[str]]:
    """The URLs of the GET routes `role` may use that answer with an HTML page, and the endpoints
    left out because they answer otherwise (a redirect, a file, JSON, an image)."""
    client = signed_in_client(app, world.user_for(role))
    urls, left_out = [], []
    for endpoint, method, rule in ROUTES:
        if method != "GET" or endpoint in NOT_VISITED:
            continue
        if EXPECTED[endpoint][ROLES.index(role)] != OK:
            continue
        url = build_url(app, world, endpoint, rule)
        response = client.get(url)
        shown = response.status_code == 200 or response.status_code in POST_NO_DATA_OK
        if shown and response.mimetype == "text/html":
            urls.append(url)
        else:
            left_out.append(f"{endpoint} ({response.status_code} {response.mimetype})")
    return urls, left_out


def _context(browser, live_server, signed_in_context, user, size: str):
    options = {"viewport": VIEWPORTS[size], "bypass_csp": True}
    if user is None:
        return browser.new_context(base_url=live_server.url, **options)
    return signed_in_context(user, **options)


@pytest.mark.parametrize("size", ["phone", "laptop"])
@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_may_see_fits_the_screen_and_passes_axe(
    app, db, world, consent_version, browser, live_server, signed_in_context, check_page, role, size
):
    _prepared(db, world, consent_version)
    urls, left_out = _html_pages(app, world, role)
    context = _context(browser, live_server, signed_in_context, world.user_for(role), size)
    failures = []
    try:
        page = context.new_page()
        for url in urls:
            response = page.goto(live_server.url + url)
            if response is None or response.status >= 500:
                failures.append(f"{url}: {response and response.status}")
                continue
            try:
                check_page(page)
            except AssertionError as failure:
                failures.append(str(failure))
    finally:
        if world.user_for(role) is None:
            context.close()  # signed_in_context closes its own
    print(f"{role} at {size}: {len(urls)} pages checked; not pages: {', '.join(left_out)}")

    assert urls, f"no page found for {role}"
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_the_result_page_after_a_submitted_test_fits_and_passes_axe(
    db, world, consent_version, signed_in_context, check_page, size
):
    """The sweep finds the participant's attempt still open (the result page redirects to it):
    once submitted, the result page is a page of its own."""
    _prepared(db, world, consent_version)
    attempt_closing.submit_attempt(world.participant.attempt)
    db.session.commit()
    context = signed_in_context(world.participant.user, viewport=VIEWPORTS[size], bypass_csp=True)
    page = context.new_page()

    response = page.goto(f"/percobaan/{world.participant.attempt.id}/hasil")

    assert response is not None and response.status == 200
    assert page.url.endswith("/hasil")
    check_page(page)
