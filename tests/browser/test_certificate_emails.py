"""The organizer's certificate emails in Chromium at a phone's and a laptop's size: the progress
(queued, sent, failed with the reason) fits the screen and passes axe-core, "send to all" asks
first and says how many, and a resend is queued from the person's row."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from lokalatih.certificates import mailing, services
from lokalatih.models import OutboxStatus
from lokalatih.outbox.tasks import send_due_messages
from tests.browser.fixtures import VIEWPORTS
from tests.certificates import conftest as certificate_fixtures
from tests.certificates.test_mailing import certificate_rows

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("LOKALATIH_SHOTS", Path(tempfile.gettempdir()) / "shots_bulk"))

# The certificate tests' factories, here too.
cert_organizer = certificate_fixtures.cert_organizer
cert_workshop = certificate_fixtures.cert_workshop
cert_participant = certificate_fixtures.cert_participant


@pytest.fixture
def emailed_workshop(db, cert_workshop, cert_participant, cert_organizer):
    """Three sent, one refused by the server, one eligible participant not yet emailed."""
    workshop = cert_workshop(title="Loka Latih Kabupaten/Kota Peduli HAM Sulawesi Tengah")
    names = ["Siti Rahmawati", "Yohanes Wenda", "Ni Luh Putu Ayu", "Dāwūd Ñúñez Šimić"]
    registrations = [cert_participant(workshop, full_name=name) for name in names]
    mailing.send_all(workshop, cert_organizer)
    db.session.commit()
    send_due_messages()  # MAIL_SUPPRESS_SEND: marked sent without a server
    [refused] = [r for r in certificate_rows(db) if r.recipient == registrations[1].user.email]
    refused.status = OutboxStatus.DEAD
    refused.last_error = (
        "SMTPRecipientsRefused: 550 5.1.1 <peserta@contoh.id>: Recipient address rejected: "
        "User unknown in virtual mailbox table"
    )
    late = cert_participant(workshop, full_name="Made Sitompul")
    db.session.commit()
    return workshop, registrations, late


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_the_sending_progress_fits_and_send_to_all_asks_first(
    db, signed_in_context, emailed_workshop, cert_organizer, check_page, size
):
    workshop, registrations, late = emailed_workshop
    page = signed_in_context(cert_organizer, viewport=VIEWPORTS[size], bypass_csp=True).new_page()
    page.goto(f"/kelola/{workshop.slug}/sertifikat")
    SHOTS.mkdir(parents=True, exist_ok=True)

    expect(page.get_by_text("Terkirim: 3")).to_be_visible()
    expect(page.get_by_text("Gagal: 1")).to_be_visible()
    expect(page.get_by_text("Recipient address rejected").first).to_be_attached()
    check_page(page)
    page.screenshot(path=str(SHOTS / f"manage-{size}.png"), full_page=True)

    page.get_by_text("Kirim sertifikat ke semua…").click()
    expect(page.get_by_text("Kirim email sertifikat ke 1 peserta yang belum")).to_be_visible()
    check_page(page)
    page.screenshot(path=str(SHOTS / f"confirm-{size}.png"), full_page=True)
    page.get_by_role("button", name="Ya, kirim ke 1 peserta").click()

    expect(page.get_by_text("1 email sertifikat masuk antrean")).to_be_visible()
    expect(page.get_by_text("Antre: 1")).to_be_visible()
    check_page(page)
    assert services.find_valid_certificate(late) is not None

    page.locator(f"#peserta-{registrations[1].id}").get_by_role(
        "button", name="Kirim ulang"
    ).click()
    expect(page.get_by_text("masuk antrean.")).to_be_visible()
    expect(page.get_by_text("Antre: 2")).to_be_visible()
    page.screenshot(path=str(SHOTS / f"resent-{size}.png"), full_page=True)
