"""A participant answers the reaction survey in a real Chromium; the organizer closes it and reads
the results. Each page fits a phone and a laptop and passes axe."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from lokalatih.models import Role, utcnow
from lokalatih.workshops.timefmt import to_wall_clock
from tests.browser.fixtures import VIEWPORTS
from tests.evaluations.fixtures import (  # noqa: F401 (fixtures)
    ev_answered,
    ev_enroll,
    ev_organizer,
    ev_workshop,
)

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots_survey")  # noqa: S108 (screenshots for a person to look at)


def _shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_participant_answers_and_organizer_reads_the_results(
    signed_in_context,
    check_page,
    make_user,
    db,
    ev_workshop,  # noqa: F811
    ev_enroll,  # noqa: F811
    ev_answered,  # noqa: F811
    ev_organizer,  # noqa: F811
    size,
):
    now = utcnow()
    workshop = ev_workshop(now - timedelta(hours=1), post_closes=now + timedelta(days=2))
    first_session = min(workshop.sessions, key=lambda session: session.starts_at)
    narasumber = f"session-{first_session.id}"
    ev_answered(workshop, 4, now, **{narasumber: "4"})  # four colleagues answered already
    registration = ev_enroll(workshop)
    viewport = VIEWPORTS[size]

    page = signed_in_context(registration.user, viewport=viewport, bypass_csp=True).new_page()
    page.goto("/workshop-saya")
    page.get_by_role("link", name="Isi evaluasi loka latih").click()
    check_page(page)
    for key, point in (
        ("relevance", 5),
        ("clarity", 4),
        ("materials", 4),
        ("organisation", 3),
        ("confidence", 4),
        ("recommend", 5),
        (narasumber, 5),
    ):
        page.locator(f"#{key}-{point}").check()
    page.locator("#most_useful").fill("Contoh anggaran daerah yang responsif gender.")
    _shot(page, f"{size}-answer")
    page.get_by_role("button", name="Kirim evaluasi").click()
    expect(
        page.get_by_text("Terima kasih, evaluasi Anda sudah tersimpan tanpa nama.")
    ).to_be_visible()
    expect(page.get_by_text("Evaluasi: sudah diisi, terima kasih.")).to_be_visible()
    check_page(page)

    staff = signed_in_context(ev_organizer, viewport=viewport, bypass_csp=True).new_page()
    staff.goto(f"/kelola/{workshop.slug}/evaluasi")
    check_page(staff)
    closes = to_wall_clock(utcnow() - timedelta(minutes=2), workshop.timezone)
    staff.locator("#closes_at").fill(closes.strftime("%Y-%m-%dT%H:%M"))
    staff.get_by_role("button", name="Simpan waktu").click()
    expect(staff.get_by_text("Waktu evaluasi disimpan.")).to_be_visible()
    _shot(staff, f"{size}-manage")
    staff.get_by_role("link", name="Lihat hasil").click()
    expect(staff.get_by_text("5 jawaban masuk.")).to_be_visible()
    expect(staff.get_by_text("Contoh anggaran daerah yang responsif gender.")).to_be_visible()
    expect(staff.locator("svg").first).to_be_visible()
    expect(staff.get_by_role("row", name="Dr. Hana Pratiwi 1 5 4,2")).to_be_visible()
    check_page(staff)
    _shot(staff, f"{size}-results")

    reviewer = signed_in_context(make_user(role=Role.REVIEWER), viewport=viewport, bypass_csp=True)
    dashboard = reviewer.new_page()
    dashboard.goto("/laporan")
    expect(dashboard.get_by_text("Pernyataan baku dari 1 loka latih")).to_be_visible()
    check_page(dashboard)
    dashboard.locator("#evaluasi-heading").scroll_into_view_if_needed()
    _shot(dashboard, f"{size}-dashboard")
