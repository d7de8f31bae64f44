"""An organizer publishes a workshop; a participant finds it, registers, and is emailed the .ics."""

from __future__ import annotations

from datetime import date, timedelta

import icalendar
import pytest
from playwright.sync_api import expect

from lokalatih.models import Role
from lokalatih.outbox.tasks import send_due_messages

pytestmark = pytest.mark.browser

TITLE = "Loka Latih HAM Kota Makassar"


def _add_session(page, title: str, day: date, start: str, end: str) -> None:
    page.get_by_role("link", name="Tambah sesi").click()
    page.fill("#title", title)
    page.fill("#speakers", "Komnas HAM")
    page.fill("#starts_at", f"{day.isoformat()}T{start}")
    page.fill("#ends_at", f"{day.isoformat()}T{end}")
    page.fill("#place", "Aula Balai Kota")
    page.get_by_role("button", name="Tambahkan sesi").click()
    expect(page.get_by_text(title).first).to_be_visible()


def test_organizer_publishes_and_participant_registers_with_ics_email(
    signed_in_context, make_user, consent_version, smtp_server, live_server, db
):
    organizer = make_user(role=Role.ORGANIZER)
    participant = make_user(complete_profile=True)
    db.session.add_all(
        [_consent(participant, consent_version, purpose) for purpose in ("training", "evaluation")]
    )
    db.session.commit()
    first_day = date.today() + timedelta(days=20)

    page = signed_in_context(organizer).new_page()
    page.goto("/kelola/baru")
    page.fill("#title", TITLE)
    page.fill("#summary", "Dua sesi tentang kota ramah HAM.")
    page.select_option("#mode", "offline")
    page.fill("#venue", "Balai Kota Makassar")
    page.select_option("#timezone", "WITA")
    page.fill("#start_date", first_day.isoformat())
    page.fill("#end_date", (first_day + timedelta(days=1)).isoformat())
    page.fill("#capacity", "30")
    page.get_by_role("button", name="Simpan draf").click()
    _add_session(page, "Dasar-dasar HAM", first_day, "09:00", "12:00")
    _add_session(page, "Rencana aksi kota", first_day + timedelta(days=1), "09:00", "12:00")
    page.get_by_role("button", name="Terbitkan dan buka pendaftaran").click()
    expect(page.get_by_text("Status saat ini: Pendaftaran dibuka.")).to_be_visible()

    visitor = signed_in_context(participant).new_page()
    visitor.goto("/loka-latih")
    visitor.get_by_role("link", name=TITLE).click()
    expect(visitor.get_by_text("09.00–12.00 WITA").first).to_be_visible()
    visitor.get_by_role("button", name="Daftar", exact=True).click()
    expect(visitor.get_by_text("Terdaftar").first).to_be_visible()

    assert send_due_messages().sent == 1
    (message,) = smtp_server.inbox.to(participant.email)
    (ics,) = [part for part in message.iter_attachments() if part.get_filename().endswith(".ics")]
    calendar = icalendar.Calendar.from_ical(ics.get_content())
    starts = sorted(event.decoded("dtstart") for event in calendar.walk("VEVENT"))
    assert [(s.date(), s.hour) for s in starts] == [
        (first_day, 1),  # 09.00 WITA is 01.00 UTC
        (first_day + timedelta(days=1), 1),
    ]


def _consent(user, version, purpose):
    from lokalatih.models import ConsentPurpose, ConsentRecord

    return ConsentRecord(user_id=user.id, version_id=version.id, purpose=ConsentPurpose(purpose))
