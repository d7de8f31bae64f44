"""A participant's pages in Chromium at a phone's and a laptop's size: nothing scrolls sideways,
axe-core finds no serious or critical violation, the header folds into a menu on the phone, and
cancelling a registration asks first."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from lokalatih.models import (
    REQUIRED_PURPOSES,
    ConsentRecord,
    Registration,
    RegistrationStatus,
    Role,
    Workshop,
    WorkshopMode,
    WorkshopTimezone,
)
from tests import factories

pytestmark = pytest.mark.browser


def _workshop(organizer, slug: str, title: str, days_ahead: int) -> Workshop:
    start = (datetime.now(UTC) + timedelta(days=days_ahead)).replace(
        hour=1, minute=0, second=0, microsecond=0
    )
    return factories.workshop(
        organizers=[organizer],
        sessions=[(start, start + timedelta(hours=3))],
        session_title="Kota Peduli HAM",
        slug=slug,
        title=title,
        summary="Hak asasi manusia dalam pelayanan publik daerah.",
        mode=WorkshopMode.OFFLINE,
        venue="Aula Balai Kota Palu",
        timezone=WorkshopTimezone.WITA,
        start_date=start.date(),
        end_date=start.date(),
        commit=False,
    )


@pytest.fixture
def participant_world(db, make_user, consent_version):
    """Siti, registered for one workshop; another one open for her to look at."""
    organizer = make_user(role=Role.ORGANIZER)
    participant = make_user(complete_profile=True)
    db.session.add_all(
        ConsentRecord(user_id=participant.id, version_id=consent_version.id, purpose=purpose)
        for purpose in REQUIRED_PURPOSES
    )
    mine = _workshop(organizer, "loka-latih-ham-palu", "Loka Latih HAM Kota Palu", 12)
    other = _workshop(organizer, "loka-latih-ham-donggala", "Loka Latih HAM Donggala", 20)
    registration = Registration(
        workshop=mine, user=participant, status=RegistrationStatus.CONFIRMED
    )
    db.session.add_all([mine, other, registration])
    db.session.commit()
    return participant, registration, mine, other


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_a_participants_pages_fit_the_screen_and_pass_axe(
    signed_in_context, participant_world, check_page, size
):
    from tests.browser.fixtures import VIEWPORTS

    participant, registration, mine, other = participant_world
    page = signed_in_context(participant, viewport=VIEWPORTS[size], bypass_csp=True).new_page()
    for path in (
        "/",
        "/loka-latih",
        f"/loka-latih/{mine.slug}",
        f"/loka-latih/{other.slug}",
        "/workshop-saya",
        f"/workshop-saya/{registration.id}/batal",
        "/profil",
        "/persetujuan",
        "/hadir",
    ):
        page.goto(path)
        check_page(page)


def test_on_a_phone_the_header_folds_into_a_menu(signed_in_context, participant_world):
    from tests.browser.fixtures import VIEWPORTS

    participant = participant_world[0]
    page = signed_in_context(participant, viewport=VIEWPORTS["phone"]).new_page()
    page.goto("/loka-latih")
    menu = page.get_by_role("button", name="Menu")
    mine = page.get_by_role("link", name="Loka latih saya")
    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(mine).to_be_hidden()

    menu.click()

    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(mine).to_be_visible()
    mine.click()
    expect(page).to_have_url(re.compile(r"/workshop-saya$"))


def test_on_a_laptop_the_navigation_shows_without_a_menu_button(
    signed_in_context, participant_world
):
    from tests.browser.fixtures import VIEWPORTS

    page = signed_in_context(participant_world[0], viewport=VIEWPORTS["laptop"]).new_page()
    page.goto("/loka-latih")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("link", name="Loka latih saya")).to_be_visible()


def test_cancelling_a_registration_asks_first(signed_in_context, participant_world, db):
    participant, registration, mine, _ = participant_world
    page = signed_in_context(participant).new_page()
    page.goto("/workshop-saya")

    page.get_by_role("link", name="Batalkan pendaftaran").click()
    expect(page.get_by_role("heading", name="Batalkan pendaftaran?")).to_be_visible()
    page.get_by_role("link", name="Tidak, kembali").click()
    expect(page.get_by_text("Terdaftar")).to_be_visible()
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).status == RegistrationStatus.CONFIRMED

    page.get_by_role("link", name="Batalkan pendaftaran").click()
    page.get_by_role("button", name="Ya, batalkan pendaftaran").click()

    expect(page.get_by_text("Pendaftaran Anda dibatalkan.")).to_be_visible()
    db.session.expire_all()
    assert db.session.get(Registration, registration.id).status == RegistrationStatus.CANCELLED
