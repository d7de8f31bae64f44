"""Action plan end to end in Chromium: a participant writes a plan; the clock moves 90 days; the
job queues the follow-up and the outbox sends it through a real SMTP server; the participant
follows the link, signs in, reports progress; the organizer and the reviewer see it. Each page
is checked at a phone's and a laptop's size."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import Page, expect

from lokalatih.action_plans.tasks import send_follow_ups
from lokalatih.models import (
    ActionPlanItem,
    ActionStatus,
    Profile,
    Registration,
    RegistrationStatus,
    Role,
    Theme,
    WorkshopMode,
    WorkshopStatus,
    WorkshopTimezone,
)
from lokalatih.outbox.tasks import send_due_messages
from tests import factories
from tests.browser.fixtures import VIEWPORTS
from tests.support import PASSWORD, text_body

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots_plans")  # noqa: S108 (screenshots for the reviewer to look at)


def _profile(name: str) -> Profile:
    return factories.profile(
        full_name=name,
        institution_name="Dinas Sosial Kota Makassar",
        phone=None,
        province_code="73",
        regency_code="73.71",
    )


@pytest.fixture
def finished_workshop(db, clock, make_user):
    """A workshop whose last session ends now; Siti and four others are confirmed (the four
    already reported, so the reviewer's groups reach 5 people)."""
    organizer = make_user(role=Role.ORGANIZER)
    siti = make_user()
    siti.profile = _profile("Siti Rahmawati")
    now = clock.now()
    workshop = factories.workshop(
        organizers=[organizer],
        sessions=[(now - timedelta(hours=3), now)],
        session_title="Kota Peduli HAM",
        slug="kkpham-makassar",
        title="Loka Latih Kota Peduli HAM Makassar",
        mode=WorkshopMode.OFFLINE,
        venue="Aula Balai Kota Makassar",
        timezone=WorkshopTimezone.WITA,
        start_date=(now - timedelta(hours=3)).date(),
        end_date=(now + timedelta(hours=9)).date(),
        status=WorkshopStatus.COMPLETED,
        commit=False,
    )
    registration = Registration(workshop=workshop, user=siti, status=RegistrationStatus.CONFIRMED)
    db.session.add_all([workshop, registration])
    health = db.session.scalar(sa.select(Theme).where(Theme.code == "kesehatan"))
    for n in range(4):
        other = make_user()
        other.profile = _profile(f"Peserta {n}")
        done = Registration(workshop=workshop, user=other, status=RegistrationStatus.CONFIRMED)
        db.session.add(done)
        db.session.flush()
        db.session.add(
            ActionPlanItem(
                registration_id=done.id,
                position=1,
                action="Pelatihan petugas puskesmas tentang hak pasien",
                due_date=workshop.end_date + timedelta(days=60),
                theme_id=health.id,
                status=ActionStatus.DONE,
            )
        )
    db.session.commit()
    return organizer, siti, registration


def _checked(page: Page, check_page, name: str) -> None:
    for viewport_name, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        check_page(page)
        page.screenshot(path=str(SHOTS / f"{name}-{viewport_name}.png"), full_page=True)


def test_plan_follow_up_email_report_and_review(
    browser,
    live_server,
    signed_in_context,
    smtp_server,
    check_page,
    clock,
    db,
    make_user,
    finished_workshop,
):
    organizer, siti, registration = finished_workshop
    SHOTS.mkdir(exist_ok=True)

    # At the end of the workshop Siti writes her plan.
    page = signed_in_context(siti, bypass_csp=True).new_page()
    page.goto(live_server + "/workshop-saya")
    page.get_by_role("link", name="Tulis rencana aksi").click()
    page.fill("#action_1", "Menyusun SOP layanan pengaduan HAM di Dinas Sosial")
    page.fill("#due_1", "2027-04-30")
    page.select_option("#theme_1", label="Hak atas informasi")
    page.fill("#partners_1", "Bagian Hukum Setda")
    _checked(page, check_page, "plan")
    page.get_by_role("button", name="Simpan rencana aksi").click()
    expect(page.get_by_text("Rencana aksi Anda tersimpan.")).to_be_visible()
    expect(page.get_by_text("Menyusun SOP layanan pengaduan HAM di Dinas Sosial")).to_be_visible()
    _checked(page, check_page, "mine")
    page.context.close()

    # 90 days later the job queues the follow-up and the outbox sends it, once.
    clock.advance(days=90, minutes=5)
    assert send_follow_ups() == 1
    assert send_follow_ups() == 0
    assert send_due_messages().sent == 1
    (message,) = smtp_server.inbox.to(siti.email)
    assert message["Subject"] == (
        "Bagaimana rencana aksi Anda setelah Loka Latih Kota Peduli HAM Makassar?"
    )
    link = re.search(r"http://\S+/tindak-lanjut", text_body(message)).group(0)

    # The link asks her to sign in, then opens the report.
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(link)
    page.fill("#email", siti.email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page.get_by_role("heading", name="Tindak lanjut rencana aksi")).to_be_visible()
    item = db.session.scalar(
        sa.select(ActionPlanItem).where(ActionPlanItem.registration_id == registration.id)
    )
    page.check(f"#status_{item.id}-1")  # "Sedang berjalan"
    page.fill(f"#note_{item.id}", "Draf SOP dibahas bersama PPID")
    page.fill(f"#evidence_{item.id}", "https://jdih.makassarkota.go.id/sop")
    _checked(page, check_page, "report")
    page.get_by_role("button", name="Kirim laporan").click()
    expect(page.get_by_text("Terima kasih, laporan tindak lanjut Anda tersimpan.")).to_be_visible()
    expect(page.get_by_text("Sedang berjalan")).to_be_visible()
    context.close()

    # The organizer sees her report; the reviewer sees the rates.
    page = signed_in_context(organizer, bypass_csp=True).new_page()
    page.goto(live_server + "/kelola/kkpham-makassar/rencana-aksi")
    expect(page.get_by_text("Draf SOP dibahas bersama PPID")).to_be_visible()
    _checked(page, check_page, "organizer")

    page = signed_in_context(make_user(role=Role.REVIEWER), bypass_csp=True).new_page()
    page.goto(live_server + "/laporan")
    section = page.locator("section", has=page.locator("#rencana-aksi"))
    summary = section.locator("table").first.locator("tbody tr").first
    # 5 participants, 5 actions, 5 due, 5 reported, 100 %: 4 done, 1 in progress.
    expect(summary.locator("td")).to_have_text(["5", "5", "5", "5", "100,0", "4", "1", "0", "0"])
    section.scroll_into_view_if_needed()
    _checked(page, check_page, "dashboard")


def test_admin_theme_page(browser, live_server, signed_in_context, check_page, make_user):
    SHOTS.mkdir(exist_ok=True)
    page = signed_in_context(make_user(role=Role.ADMIN), bypass_csp=True).new_page()
    page.goto(live_server + "/admin/tema")
    expect(page.get_by_role("heading", name="Tema KKPHAM")).to_be_visible()
    expect(page.locator("input[value='Hak perempuan dan anak']")).to_be_visible()
    _checked(page, check_page, "themes")
