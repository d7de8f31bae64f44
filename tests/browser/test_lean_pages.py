"""Issue 21 in a real Chromium: the registrant list pages by fifty; the public pages arrive gzipped
and kept, and still pass the layout and accessibility checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from lokalatih.registrations import services
from tests.browser.fixtures import VIEWPORTS
from tests.registrations.fixtures import make_participants, make_workshop  # noqa: F401

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots_perf")  # noqa: S108  (screenshots to look at, not a secret)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_organizer_pages_through_a_long_registrant_list(
    signed_in_context,
    live_server,
    db,
    check_page,
    viewport,
    make_workshop,  # noqa: F811
    make_participants,  # noqa: F811
):
    workshop = make_workshop(capacity=50)
    for user in make_participants(55):
        services.register_participant(workshop, user)
    db.session.commit()
    page = signed_in_context(
        workshop.organizers[0], viewport=VIEWPORTS[viewport], bypass_csp=True
    ).new_page()

    page.goto(live_server + f"/kelola/{workshop.slug}/pendaftar")
    expect(page.get_by_text("55 pendaftar.")).to_be_visible()
    expect(page.locator("tr[id^=pendaftar-]")).to_have_count(50)
    check_page(page)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"registrants-{viewport}.png"), full_page=True)

    page.get_by_role("link", name="Berikutnya").click()
    expect(page.locator("tr[id^=pendaftar-]")).to_have_count(5)
    expect(page.get_by_text("Ditampilkan 51–55.")).to_be_visible()
    check_page(page)
    page.screenshot(path=str(SHOTS / f"registrants-page2-{viewport}.png"), full_page=True)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_public_pages_arrive_compressed_and_switch_language(
    browser,
    live_server,
    check_page,
    viewport,
    make_workshop,  # noqa: F811
):
    workshop = make_workshop(title="Loka Latih Hak Atas Pendidikan")
    context = browser.new_context(
        base_url=live_server.url, viewport=VIEWPORTS[viewport], bypass_csp=True
    )
    page = context.new_page()
    for path in ("/loka-latih", f"/loka-latih/{workshop.slug}"):
        response = page.goto(live_server + path)
        assert response.status == 200
        assert response.header_value("content-encoding") == "gzip"
        expect(page.get_by_text("Loka Latih Hak Atas Pendidikan").first).to_be_visible()
        check_page(page)
    page.screenshot(path=str(SHOTS / f"catalogue-{viewport}.png"), full_page=True)

    # The kept page carries this visitor's own CSRF token: the language switch works.
    page.get_by_role("button", name="EN", exact=True).click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    context.close()
