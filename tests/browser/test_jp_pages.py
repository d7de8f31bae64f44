"""Lesson hours (JP) pages in Chromium at a phone's and a laptop's size: the participant's
"Riwayat pelatihan", the session form with its JP field, the agenda showing each session's JP,
and the review dashboard's JP tables. Nothing scrolls sideways; axe-core finds no serious or
critical violation. Screenshots go to $JP_SHOTS when it is set."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from lokalatih.models import InstitutionType, Role, WorkshopStatus, WorkshopTimezone
from tests.transcripts.fixtures import jp_participant, jp_workshop  # noqa: F401

pytestmark = pytest.mark.browser

MONDAY = datetime(2026, 3, 2, 9, 0)


def _shot(page, name: str) -> None:
    folder = os.environ.get("JP_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


@pytest.fixture
def jp_world(db, make_user, jp_workshop, jp_participant):  # noqa: F811
    held = jp_workshop(
        [(MONDAY, 120, None), (MONDAY + timedelta(hours=3), 90, 6)],
        timezone=WorkshopTimezone.WITA,
        title="Loka Latih Kabupaten/Kota Peduli HAM Makassar",
    )
    participant = jp_participant(held, [0, 1], full_name="Siti Rahmawati").user
    for number in range(5):
        jp_participant(held, [0], full_name=f"Peserta {number}")
    jp_participant(held, [0, 1], institution_type=InstitutionType.CIVIL_SOCIETY)
    papua = jp_workshop(
        [(datetime(2026, 12, 31, 20, 0), 180, None)],
        timezone=WorkshopTimezone.WIT,
        title="Pelatihan HAM untuk Aparatur Pemerintah Daerah Provinsi Papua dan Papua Barat",
    )
    jp_participant(papua, [0], user=participant)
    draft = jp_workshop(
        [(datetime(2027, 5, 3, 9, 0), 100, None), (datetime(2027, 5, 3, 13, 0), 90, 3)],
        status=WorkshopStatus.DRAFT,
        title="Bimtek RANHAM",
    )
    organizer = draft.organizers[0]
    reviewer = make_user(role=Role.REVIEWER)
    db.session.commit()
    return participant, organizer, reviewer, draft


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_the_jp_pages_fit_the_screen_and_pass_axe(signed_in_context, jp_world, check_page, size):
    from tests.browser.fixtures import VIEWPORTS

    participant, organizer, reviewer, draft = jp_world
    page = signed_in_context(participant, viewport=VIEWPORTS[size], bypass_csp=True).new_page()
    page.goto("/workshop-saya")
    page.get_by_role("link", name="Riwayat pelatihan dan jam pelajaran (JP)").click()
    expect(page.get_by_role("heading", name="Riwayat pelatihan")).to_be_visible()
    expect(page.locator("#jp-per-tahun")).to_contain_text("9,5 dari 20 JP")
    check_page(page)
    _shot(page, f"riwayat-{size}")

    page = signed_in_context(organizer, viewport=VIEWPORTS[size], bypass_csp=True).new_page()
    page.goto(f"/kelola/{draft.slug}")
    expect(page.get_by_text("2 JP (dari lama sesi)")).to_be_visible()
    check_page(page)
    _shot(page, f"kelola-{size}")
    session = draft.sessions[1]
    page.goto(f"/kelola/{draft.slug}/sesi/{session.id}/ubah")
    expect(page.get_by_label("Jam pelajaran (JP)")).to_have_value("1,5")
    check_page(page)
    _shot(page, f"sesi-{size}")

    page = signed_in_context(reviewer, viewport=VIEWPORTS[size], bypass_csp=True).new_page()
    page.goto("/laporan")
    expect(page.locator("#jp-province-table")).to_contain_text("Sulawesi Selatan")
    check_page(page)
    _shot(page, f"laporan-{size}")
