"""An organizer walks every section of one workshop through its management nav in Chromium, at a
phone's and a laptop's size: each page marks its own tab, never scrolls sideways and passes
axe-core."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from lokalatih.models import QuizKind
from tests.quizzes import conftest as quiz_fixtures

pytestmark = pytest.mark.browser

quiz_workshop = quiz_fixtures.quiz_workshop
quiz_question = quiz_fixtures.quiz_question
quiz_make = quiz_fixtures.quiz_make

FIRST = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # 09.00 WITA
LONG_TITLE = "Loka Latih Hak Asasi Manusia bagi Aparatur Pemerintah Kabupaten Kepulauan Sangihe"

# Each tab, the heading of the page it opens, and the sub-tab marked on the test pages.
SECTIONS = [
    ("Ringkasan", LONG_TITLE, None),
    ("Pendaftar", "Pendaftar", None),
    ("Agenda & presensi", "Rekap kehadiran", None),
    ("Tes", "Pra-tes: pengaturan", "Pra-tes"),
    ("Evaluasi", "Evaluasi loka latih", None),
    ("Sertifikat", "Sertifikat", None),
    ("Rencana aksi", "Rencana aksi peserta", None),
    ("Email peserta", "Kirim email ke pendaftar", None),
]
TEST_PAGES = [("Pasca-tes", "Pasca-tes: pengaturan"), ("Hasil tes", "Hasil pra-tes dan pasca-tes")]


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_every_section_is_reached_through_the_nav(
    signed_in_context, db, check_page, size, tmp_path, quiz_workshop, quiz_question, quiz_make
):
    from tests.browser.fixtures import VIEWPORTS

    workshop = quiz_workshop(sessions=[(FIRST, FIRST + timedelta(hours=3))])
    workshop.title = LONG_TITLE
    db.session.commit()
    quiz_make(workshop, [quiz_question() for _ in range(2)])
    quiz_make(workshop, [], kind=QuizKind.POST)
    page = signed_in_context(
        workshop.organizers[0], viewport=VIEWPORTS[size], bypass_csp=True
    ).new_page()
    shots = Path(os.environ.get("LOKALATIH_SHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    nav = page.get_by_role("navigation", name="Kelola loka latih ini")

    page.goto(f"/kelola/{workshop.slug}")
    for tab, heading, sub_tab in SECTIONS:
        nav.locator(".manage-nav-tabs").get_by_role("link", name=tab, exact=True).click()

        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        current = nav.locator(".manage-nav-tabs [aria-current]")
        expect(current).to_have_count(1)
        expect(current).to_have_text(tab)
        if sub_tab:
            expect(nav.locator("[aria-current=page]")).to_have_text(sub_tab)
        else:
            expect(current).to_have_attribute("aria-current", "page")
        expect(nav).to_contain_text(LONG_TITLE)
        check_page(page)
        shot = shots / f"nav-{size}-{tab.split()[0].lower()}.png"
        page.screenshot(path=str(shot), full_page=True)

    nav.locator(".manage-nav-tabs").get_by_role("link", name="Tes", exact=True).click()
    for sub_tab, heading in TEST_PAGES:
        nav.locator(".manage-nav-sub").get_by_role("link", name=sub_tab, exact=True).click()

        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(nav.locator("[aria-current=page]")).to_have_text(sub_tab)
        expect(nav.locator(".manage-nav-tabs [aria-current]")).to_have_text("Tes")
        check_page(page)
        shot = shots / f"nav-{size}-{sub_tab.split()[0].lower()}.png"
        page.screenshot(path=str(shot), full_page=True)

    nav.get_by_role("link", name="Lihat halaman publik").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(LONG_TITLE)
    expect(page).to_have_url(f"{page.url.split('/loka-latih')[0]}/loka-latih/{workshop.slug}")


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_the_other_management_pages_carry_the_nav(
    signed_in_context, db, check_page, size, tmp_path, quiz_workshop
):
    from tests.browser.fixtures import VIEWPORTS

    workshop = quiz_workshop(sessions=[(FIRST, FIRST + timedelta(hours=3))])
    session = workshop.sessions[0]
    page = signed_in_context(
        workshop.organizers[0], viewport=VIEWPORTS[size], bypass_csp=True
    ).new_page()
    shots = Path(os.environ.get("LOKALATIH_SHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    pages = {
        f"/kelola/{workshop.slug}/ubah": "Ringkasan",
        f"/kelola/{workshop.slug}/salin": "Ringkasan",
        f"/kelola/{workshop.slug}/sesi/{session.id}/ubah": "Agenda & presensi",
        f"/kelola/{workshop.slug}/sesi/{session.id}/presensi": "Agenda & presensi",
        f"/kelola/{workshop.slug}/sesi/{session.id}/presensi/pindai": "Agenda & presensi",
        f"/kelola/{workshop.slug}/sesi/{session.id}/presensi/daftar-hadir": "Agenda & presensi",
        f"/kelola/{workshop.slug}/sesi/baru": "Agenda & presensi",
        f"/kelola/{workshop.slug}/sertifikat/pengaturan": "Sertifikat",
        f"/kelola/{workshop.slug}/evaluasi/hasil": "Evaluasi",
    }

    for path, tab in pages.items():
        page.goto(path)

        current = page.locator(".manage-nav-tabs [aria-current=page]")
        expect(current).to_have_text(tab)
        check_page(page)
        name = path.split(workshop.slug)[1].strip("/").replace("/", "-")
        page.screenshot(path=str(shots / f"nav-{size}-other-{name}.png"), full_page=True)
