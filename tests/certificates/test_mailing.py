"""Certificates by email: everyone in one action, exactly once, the PDF made at send time and
delivered through a real SMTP server; resending to one person; the organizer's progress."""

from __future__ import annotations

import shutil
import subprocess
from email import message_from_bytes, policy

import sqlalchemy as sa

from lokalatih.certificates import mailing, services
from lokalatih.models import Certificate, OutboxMessage, OutboxStatus, Role
from lokalatih.outbox.tasks import send_due_messages


def certificate_rows(db) -> list[OutboxMessage]:
    return list(
        db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.template == mailing.TEMPLATE)
            .order_by(OutboxMessage.id)
        )
    )


def strict(raw: bytes):
    return message_from_bytes(raw, policy=policy.strict)


def pdf_text(tmp_path, data: bytes) -> str:
    path = tmp_path / "lampiran.pdf"
    path.write_bytes(data)
    executable = shutil.which("pdftotext")
    assert executable, "pdftotext is missing: run `make pdf-deps`"
    done = subprocess.run(
        [executable, str(path), "-"], check=True, capture_output=True, text=True, timeout=60
    )
    return done.stdout


def test_everyone_gets_the_pdf_attached_once_through_smtp(
    db, tmp_path, cert_workshop, cert_participant, cert_organizer, smtp_server
):
    workshop = cert_workshop(title="Loka Latih Kota Makassar Peduli HAM")
    siti = cert_participant(workshop, full_name="Siti Rahmawati")
    dawud = cert_participant(workshop, full_name="Dāwūd Ñúñez Šimić", locale="en")
    cert_participant(workshop, attended=1)  # not eligible: no certificate, no email

    first = mailing.send_all(workshop, cert_organizer)
    db.session.commit()
    again = mailing.send_all(workshop, cert_organizer)
    db.session.commit()

    assert (first.issued, first.queued) == (2, 2)
    assert (again.issued, again.queued) == (0, 0)
    rows = certificate_rows(db)
    # Queued without a PDF: the row only names the certificate.
    assert all("data" not in item for row in rows for item in row.attachments)

    report = send_due_messages()

    assert report.sent == 2
    assert len(smtp_server.messages) == 2
    by_recipient = {}
    for raw in smtp_server.inbox.raw:
        message = strict(raw)
        by_recipient[message["To"]] = message
    stored = {row.recipient: row for row in rows}
    for registration in (siti, dawud):
        message = by_recipient[registration.user.email]
        assert message["Subject"] == stored[registration.user.email].subject
        assert "Loka Latih Kota Makassar Peduli HAM" in message["Subject"]
        [attachment] = list(message.iter_attachments())
        assert attachment.get_content_type() == "application/pdf"
        assert attachment.get_filename().endswith(".pdf")
        text = pdf_text(tmp_path, attachment.get_content())
        assert registration.user.profile.full_name in " ".join(text.split())
    assert (
        "attached to this email"
        in by_recipient[dawud.user.email].get_body(preferencelist=("plain",)).get_content()
    )
    assert mailing.progress(workshop).counts == {"sent": 2}


def test_a_pdf_above_the_limit_goes_as_a_link(
    app, db, cert_workshop, cert_participant, cert_organizer, smtp_server
):
    app.config["CERTIFICATE_ATTACH_MAX_BYTES"] = 1000  # any certificate is larger
    workshop = cert_workshop()
    cert_participant(workshop)
    mailing.send_all(workshop, cert_organizer)
    db.session.commit()

    send_due_messages()

    [raw] = smtp_server.inbox.raw
    message = strict(raw)
    certificate = db.session.scalar(sa.select(Certificate))
    assert list(message.iter_attachments()) == []
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "terlalu besar untuk dilampirkan" in body
    assert f"http://localhost/sertifikat/{certificate.id}.pdf" in body


def test_a_certificate_revoked_before_sending_fails_with_the_reason(
    db, cert_workshop, cert_participant, cert_organizer, smtp_server
):
    workshop = cert_workshop()
    registration = cert_participant(workshop)
    mailing.send_all(workshop, cert_organizer)
    certificate = services.find_valid_certificate(registration)
    services.revoke_certificate(certificate, "Data kehadiran keliru", cert_organizer)
    db.session.commit()

    send_due_messages()

    assert smtp_server.messages == []
    [row] = certificate_rows(db)
    assert row.status == OutboxStatus.DEAD  # at once: retrying cannot help
    state = mailing.progress(workshop).by_registration[registration.id]
    assert state.status == "failed"
    assert "dicabut" in state.error


def test_a_resend_is_a_new_email_and_the_first_stays_once(
    db, cert_workshop, cert_participant, cert_organizer, smtp_server
):
    workshop = cert_workshop()
    registration = cert_participant(workshop)
    other = cert_participant(workshop)
    mailing.send_all(workshop, cert_organizer)
    db.session.commit()
    send_due_messages()

    mailing.resend(registration)
    mailing.resend(registration)
    db.session.commit()
    mailing.send_all(workshop, cert_organizer)  # the first emails are not written again
    db.session.commit()
    send_due_messages()

    assert len(smtp_server.inbox.to(registration.user.email)) == 3
    assert len(smtp_server.inbox.to(other.user.email)) == 1
    progress = mailing.progress(workshop)
    assert progress.by_registration[registration.id].count == 3
    assert progress.counts == {"sent": 2}


def test_a_thousand_queue_without_rendering_a_pdf(
    app, db, cert_workshop, cert_participant, cert_organizer, monkeypatch
):
    workshop = cert_workshop()
    for _ in range(3):
        cert_participant(workshop)

    def no_pdf(certificate):
        raise AssertionError("a PDF was rendered while queuing")

    monkeypatch.setattr(mailing.documents, "certificate_pdf", no_pdf)
    result = mailing.send_all(workshop, cert_organizer)

    assert result.queued == 3


def test_the_organizer_sends_to_all_sees_progress_and_resends(
    db, client, login_as, cert_workshop, cert_participant, cert_organizer, smtp_server
):
    workshop = cert_workshop()
    first = cert_participant(workshop, full_name="Siti Rahmawati")
    second = cert_participant(workshop, full_name="Yohanes Wenda")
    login_as(cert_organizer)
    base = f"/kelola/{workshop.slug}/sertifikat"

    before = client.get(base).get_data(as_text=True)
    sent = client.post(f"{base}/kirim-semua")
    queued_page = client.get(base).get_data(as_text=True)
    send_due_messages()
    # The server refused the second address (as the sender records it after its last attempt).
    [refused] = [row for row in certificate_rows(db) if row.recipient == second.user.email]
    refused.status, refused.last_error = OutboxStatus.DEAD, "SMTPRecipientsRefused: 550 no user"
    db.session.commit()
    after = client.get(base).get_data(as_text=True)
    resent = client.post(f"{base}/{second.id}/kirim-ulang")
    send_due_messages()

    assert "Kirim email sertifikat ke 2 peserta yang belum menerimanya?" in before
    assert sent.status_code == 302
    assert "2 email sertifikat masuk antrean" in queued_page
    assert "Antre: 2" in queued_page
    assert "Terkirim: 1" in after and "Gagal: 1" in after
    assert "SMTPRecipientsRefused" in after
    assert "Kirim sertifikat ke semua" not in after  # nobody left without a first email
    assert resent.status_code == 302
    assert len(smtp_server.inbox.to(second.user.email)) == 2
    assert len(smtp_server.inbox.to(first.user.email)) == 1


def test_sending_pages_are_for_the_workshops_managers_only(
    client, login_as, make_user, cert_workshop, cert_participant
):
    workshop = cert_workshop()
    registration = cert_participant(workshop)
    login_as(make_user(role=Role.PARTICIPANT))

    assert client.post(f"/kelola/{workshop.slug}/sertifikat/kirim-semua").status_code == 403
    resend = client.post(f"/kelola/{workshop.slug}/sertifikat/{registration.id}/kirim-ulang")
    assert resend.status_code == 403


def test_resending_without_a_valid_certificate_is_refused(
    db, client, login_as, cert_workshop, cert_participant, cert_organizer
):
    workshop = cert_workshop()
    registration = cert_participant(workshop)
    login_as(cert_organizer)

    response = client.post(f"/kelola/{workshop.slug}/sertifikat/{registration.id}/kirim-ulang")

    assert response.status_code == 400
    assert "belum memiliki sertifikat yang berlaku" in response.get_data(as_text=True)
    assert certificate_rows(db) == []


def test_each_persons_values_are_filled_in_escaped_only_in_html(
    db, cert_workshop, cert_participant, cert_organizer
):
    workshop = cert_workshop(title="Loka Latih <Kota> Palu")
    cert_participant(workshop, full_name="Siti & <Rahma>")
    cert_participant(workshop, full_name="Yohanes Wenda")

    mailing.send_all(workshop, cert_organizer)
    db.session.commit()

    siti, yohanes = certificate_rows(db)
    assert "Halo Siti & <Rahma>," in siti.body_text
    assert "Halo Siti &amp; &lt;Rahma&gt;," in siti.body_html
    assert "Loka Latih &lt;Kota&gt; Palu" in siti.body_html
    assert "Halo Yohanes Wenda," in yohanes.body_text
    assert "@@" not in siti.body_text + siti.body_html + yohanes.body_text
    link = siti.attachments[0]["fallback"]
    assert "Halo Siti &amp; &lt;Rahma&gt;," in link["body_html"]
    assert "/sertifikat/" in link["body_text"]
