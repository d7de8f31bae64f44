"""The check-in screen on the room's projector: the QR and the code above the fold at 1366x768, a
full-screen button, the latest arrivals, and no stale code beside "0 detik"."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from lokalatih.models import (
    Role,
    WorkshopMode,
    WorkshopStatus,
    WorkshopTimezone,
)
from tests import factories
from tests.browser.fixtures import VIEWPORTS

pytestmark = pytest.mark.browser


@pytest.fixture
def open_session(db, make_user):
    organizer = make_user(role=Role.ORGANIZER)
    now = datetime.now(UTC)
    today = now.astimezone(WorkshopTimezone.WITA.zone).date()
    workshop = factories.workshop(
        organizers=[organizer],
        sessions=[(now - timedelta(minutes=5), now + timedelta(hours=2))],
        session_title="Hak atas pelayanan publik yang setara",
        slug="presensi-layar",
        title="Loka Latih HAM Kabupaten Sigi",
        mode=WorkshopMode.OFFLINE,
        venue="Aula Kantor Bupati Sigi",
        timezone=WorkshopTimezone.WITA,
        start_date=today,
        end_date=today,
        capacity=40,
        status=WorkshopStatus.RUNNING,
        commit=False,
    )
    session = workshop.sessions[0]
    participant = make_user()
    db.session.add(factories.profile(complete=False, user=participant, full_name="Nur Aisyah"))
    factories.registration(workshop, participant)
    return organizer, session


def _screen_path(session) -> str:
    return f"/kelola/{session.workshop.slug}/sesi/{session.id}/presensi"


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_the_screen_fits_and_passes_axe(signed_in_context, open_session, check_page, size):
    organizer, session = open_session
    page = signed_in_context(organizer, viewport=VIEWPORTS[size], bypass_csp=True).new_page()
    page.goto(_screen_path(session))

    check_page(page)
    if size == "laptop":
        # The room reads the QR and the code without anyone scrolling the projector.
        for element in ("#checkin-qr", "#checkin-code"):
            box = page.locator(element).bounding_box()
            assert box is not None and box["y"] + box["height"] <= 768, (element, box)
        expect(page.get_by_role("button", name="Layar penuh")).to_be_visible()
        expect(page.locator("#checkin-recent")).to_contain_text("Belum ada yang hadir.")


def test_a_code_past_its_change_is_never_shown_with_zero_seconds(signed_in_context, open_session):
    organizer, session = open_session
    context = signed_in_context(organizer, viewport=VIEWPORTS["laptop"])
    page = context.new_page()
    page.clock.install()
    page.goto(_screen_path(session))
    expect(page.locator("#checkin-countdown")).to_be_visible()
    # The network goes away: the status cannot be polled, so the shown code grows stale.
    context.route("**/status.json", lambda route: route.abort())

    page.clock.run_for(35_000)

    expect(page.locator("#checkin-countdown")).to_be_hidden()
    expect(page.get_by_text("Memperbarui kode…")).to_be_visible()
    expect(page.locator("#checkin-code")).to_have_class("checkin-code stale")
    assert page.locator("#checkin-seconds").text_content() != "0"
