"""The registrant back office in a real Chromium on a phone: tick two rows, approve them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from lokalatih.registrations import services
from tests.browser.fixtures import VIEWPORTS
from tests.registrations.fixtures import make_participants, make_workshop  # noqa: F401

pytestmark = pytest.mark.browser


def test_organizer_ticks_two_rows_and_approves_them_on_a_phone(
    signed_in_context,
    live_server,
    db,
    check_page,
    make_workshop,  # noqa: F811
    make_participants,  # noqa: F811
):
    workshop = make_workshop(capacity=5, requires_approval=True)
    first, second, third = make_participants(3)
    registrations = [services.register_participant(workshop, u) for u in (first, second, third)]
    db.session.commit()
    page = signed_in_context(
        workshop.organizers[0], viewport=VIEWPORTS["phone"], bypass_csp=True
    ).new_page()

    page.goto(live_server + f"/kelola/{workshop.slug}/pendaftar")
    check_page(page)
    # Each registrant is a card on a phone: nothing of the list hides off to the right.
    assert page.locator(".table-wrap").evaluate("box => box.scrollWidth - box.clientWidth") <= 0
    status = page.locator(f"#pendaftar-{registrations[0].id} .badge").first.bounding_box()
    assert status["x"] + status["width"] <= VIEWPORTS["phone"]["width"]
    page.locator(f"#pendaftar-{registrations[0].id} input.row-pick").check()
    page.locator(f"#pendaftar-{registrations[1].id} input.row-pick").check()
    page.get_by_label("Tindakan untuk yang dipilih").select_option("approve")
    page.get_by_role("button", name="Terapkan").click()

    expect(page.get_by_text("2 disetujui.")).to_be_visible()
    check_page(page)
    page.screenshot(path="/tmp/reg-approved-phone.png", full_page=True)  # noqa: S108
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    expect(page.locator(f"#pendaftar-{registrations[2].id}")).to_contain_text(
        "Menunggu persetujuan"
    )
