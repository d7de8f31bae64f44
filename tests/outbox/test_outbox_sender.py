"""The outbox sender, against a real SMTP server."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes, policy

import pytest

from lokalatih.models import OutboxMessage, OutboxStatus, utcnow
from lokalatih.outbox.attachments import Attachment
from lokalatih.outbox.errors import MessageNotDeadError
from lokalatih.outbox.services import outbox_stats, queue_email, retry_dead_message
from lokalatih.outbox.tasks import backoff_delay, send_due_messages

LATER = timedelta(hours=2)  # past the longest backoff


def text_body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


@pytest.fixture
def queue_notice(db):
    """Factory: `queue_notice("x@contoh.id", subject="...", attachments=[...])`, committed."""

    def queue(to: str = "penerima@contoh.id", **overrides) -> OutboxMessage:
        attachments = overrides.pop("attachments", None)
        context = {
            "subject": "Pemberitahuan loka latih",
            "heading": "Halo, peserta",
            "paragraphs": ["Jadwal loka latih sudah terbit.", "Sampai jumpa di sesi pertama."],
            "action_url": None,
        } | overrides
        message = queue_email("notice", to, attachments=attachments, **context)
        db.session.commit()
        return message

    return queue


@pytest.fixture
def reload(db):
    """The message's row as it is now in the database."""

    def do(message: OutboxMessage) -> OutboxMessage:
        db.session.expire_all()
        return db.session.get(OutboxMessage, message.id)

    return do


def test_queued_message_arrives_with_text_html_and_attachment(app, smtp_server, queue_notice):
    invitation = Attachment("undangan.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR")
    queue_notice(
        "siti@contoh.id",
        subject="Pendaftaran Anda dikonfirmasi",
        action_url="http://localhost/loka-latih/ham-dasar",
        action_label="Lihat loka latih",
        attachments=[invitation],
    )

    report = send_due_messages()

    assert (report.sent, report.retried, report.dead) == (1, 0, 0)
    [received] = smtp_server.messages
    assert received["To"] == "siti@contoh.id"
    assert received["Subject"] == "Pendaftaran Anda dikonfirmasi"
    assert "noreply@lokalatih.id" in received["From"]
    assert "Jadwal loka latih sudah terbit." in text_body(received)
    assert "http://localhost/loka-latih/ham-dasar" in text_body(received)
    html = received.get_body(preferencelist=("html",)).get_content()
    assert "<h1" in html and "Halo, peserta" in html
    [attachment] = list(received.iter_attachments())
    assert attachment.get_filename() == "undangan.ics"
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_payload(decode=True) == invitation.data


LONG_SUBJECTS = [
    # Both were altered on the way before: a space lost between two words, a word cut in two.
    "Pengingat: loka latih HAM “Kota Ramah HAM” — penyandang disabilitas — Aksesibilitas "
    "— terbit disabilitas Ramah HAM Anda WITA sertifikat WITA Jumat WITA “Kota latih",
    "terbit Pengingat é Ramah “Kota HAM — Pengingat Pengingat Pengingat WITA Pengingat Anda "
    "disabilitas terbit Pengingat 09.00 “Kota é Jumat WITA “Kota sertifikat “Kota “Kota",
    "Reminder: the human rights workshop for local government officials on accessibility and "
    "the rights of persons with disabilities starts tomorrow at 09:00 WITA in Makassar",
    "Sertifikat Anda sudah terbit",
]


@pytest.mark.parametrize("subject", LONG_SUBJECTS)
def test_subject_decodes_to_exactly_the_stored_text_in_a_strict_parser(
    app, smtp_server, queue_notice, subject
):
    stored = queue_notice("siti@contoh.id", subject=subject).subject

    send_due_messages()

    [raw] = smtp_server.inbox.raw
    received = message_from_bytes(raw, policy=policy.strict)
    assert str(received["Subject"]) == stored == subject
    headers = raw.replace(b"\r\n", b"\n").split(b"\n\n", 1)[0]
    assert all(len(line) <= 78 for line in headers.splitlines())


def test_sent_message_is_marked_sent(app, smtp_server, queue_notice, reload):
    message = queue_notice()

    send_due_messages()

    message = reload(message)
    assert message.status == OutboxStatus.SENT
    assert message.sent_at is not None
    assert message.claimed_at is None


def test_running_the_job_again_sends_nothing_twice(app, smtp_server, queue_notice):
    queue_notice("satu@contoh.id")
    queue_notice("dua@contoh.id")

    first = send_due_messages()
    second = send_due_messages(now=utcnow() + LATER)

    assert (first.sent, second.sent) == (2, 0)
    assert sorted(m["To"] for m in smtp_server.messages) == ["dua@contoh.id", "satu@contoh.id"]


def test_smtp_outage_keeps_the_message_and_delivers_it_once_later(
    app, smtp_server, queue_notice, reload
):
    smtp_server.stop()
    message = queue_notice("siti@contoh.id")
    before = utcnow()

    report = send_due_messages()

    assert (report.sent, report.retried) == (0, 1)
    message = reload(message)
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert "ConnectionRefusedError" in message.last_error
    assert message.next_attempt_at > before + timedelta(seconds=59)

    smtp_server.start()
    too_soon = send_due_messages()
    after_backoff = send_due_messages(now=utcnow() + LATER)
    once_more = send_due_messages(now=utcnow() + 2 * LATER)

    assert (too_soon.sent, after_backoff.sent, once_more.sent) == (0, 1, 0)
    assert len(smtp_server.inbox.to("siti@contoh.id")) == 1
    assert reload(message).status == OutboxStatus.SENT


def test_verification_email_survives_an_smtp_outage_and_arrives_once(app, db, smtp_server):
    from lokalatih.auth.services import sign_up

    smtp_server.stop()
    sign_up("baru@contoh.id", "Pelatihan-HAM-Kupang-26", "id")
    db.session.commit()

    during_outage = send_due_messages()
    smtp_server.start()
    after_outage = send_due_messages(now=utcnow() + LATER)
    send_due_messages(now=utcnow() + 2 * LATER)

    assert (during_outage.retried, after_outage.sent) == (1, 1)
    [received] = smtp_server.inbox.to("baru@contoh.id")
    assert "http://localhost/akun/verifikasi/" in text_body(received)


def test_a_message_that_keeps_failing_goes_dead_and_an_admin_can_retry_it(
    app, db, smtp_server, queue_notice, reload
):
    app.config["OUTBOX_MAX_ATTEMPTS"] = 3
    smtp_server.stop()
    message = queue_notice("siti@contoh.id")
    now = utcnow()

    reports = [send_due_messages(now=now + step * LATER) for step in range(3)]

    assert [(r.retried, r.dead) for r in reports] == [(1, 0), (1, 0), (0, 1)]
    message = reload(message)
    assert message.status == OutboxStatus.DEAD
    assert message.attempts == 3
    assert send_due_messages(now=now + 10 * LATER).sent == 0
    assert outbox_stats()[OutboxStatus.DEAD] == 1

    retry_dead_message(message.id)
    db.session.commit()
    smtp_server.start()
    report = send_due_messages()

    assert report.sent == 1
    assert len(smtp_server.inbox.to("siti@contoh.id")) == 1
    message = reload(message)
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 0


def test_retry_refuses_a_message_that_is_not_dead(app, queue_notice):
    message = queue_notice()

    with pytest.raises(MessageNotDeadError):
        retry_dead_message(message.id)


def test_a_claim_left_by_a_dead_sender_is_taken_again_after_the_lease(
    app, db, smtp_server, queue_notice, reload
):
    lease = timedelta(seconds=app.config["OUTBOX_LEASE_SECONDS"])
    abandoned = queue_notice("lama@contoh.id")
    in_progress = queue_notice("baru@contoh.id")
    now = utcnow()
    abandoned.status = in_progress.status = OutboxStatus.SENDING
    abandoned.claimed_at = now - lease - timedelta(seconds=1)
    in_progress.claimed_at = now - timedelta(seconds=10)
    db.session.commit()

    report = send_due_messages(now=now)

    assert report.sent == 1
    assert [m["To"] for m in smtp_server.messages] == ["lama@contoh.id"]
    assert reload(abandoned).status == OutboxStatus.SENT
    assert reload(in_progress).status == OutboxStatus.SENDING


def test_console_mode_prints_the_message_instead_of_using_smtp(
    app, smtp_server, queue_notice, reload, capsys
):
    app.config["MAIL_CONSOLE"] = True
    message = queue_notice("siti@contoh.id", subject="Uji konsol")

    report = send_due_messages()

    assert report.sent == 1
    assert smtp_server.messages == []
    printed = capsys.readouterr().out
    assert "Subject: Uji konsol" in printed
    assert "Jadwal loka latih sudah terbit." in printed
    assert reload(message).status == OutboxStatus.SENT


def test_stored_error_never_contains_the_smtp_password(app, smtp_server, queue_notice, reload):
    # The test server offers no AUTH, so logging in fails before any message is sent.
    app.extensions["mail"].username = "relay-user"
    app.extensions["mail"].password = "rahasia-relay-123"
    message = queue_notice()

    send_due_messages()

    message = reload(message)
    assert message.status == OutboxStatus.PENDING
    assert message.last_error
    assert "rahasia-relay-123" not in message.last_error
    assert smtp_server.messages == []


def test_a_message_the_server_cannot_take_fails_alone(app, db, smtp_server, queue_notice, reload):
    injected = queue_notice("siti@contoh.id\nBcc: korban@contoh.id")
    corrupt = queue_notice("budi@contoh.id")
    corrupt.attachments = [{"filename": "a.pdf", "content_type": "application/pdf", "data": "%%"}]
    db.session.commit()
    queue_notice("rina@contoh.id")

    report = send_due_messages()

    assert (report.sent, report.retried) == (1, 2)
    assert [m["To"] for m in smtp_server.messages] == ["rina@contoh.id"]
    assert "BadHeaderError" in reload(injected).last_error
    assert reload(corrupt).status == OutboxStatus.PENDING


def test_batch_limit_leaves_the_rest_for_the_next_run(app, smtp_server, queue_notice):
    for number in range(3):
        queue_notice(f"peserta{number}@contoh.id")

    first = send_due_messages(limit=2)
    second = send_due_messages(limit=2)

    assert (first.sent, second.sent) == (2, 1)
    assert len(smtp_server.messages) == 3


@pytest.mark.parametrize(
    ("attempts", "minimum"),
    [(1, timedelta(minutes=1)), (2, timedelta(minutes=2)), (3, timedelta(minutes=4))],
)
def test_backoff_doubles_after_each_failure(attempts, minimum):
    delay = backoff_delay(attempts)

    assert minimum <= delay <= minimum * 1.1


def test_backoff_never_exceeds_an_hour_and_a_little_jitter():
    assert timedelta(hours=1) <= backoff_delay(20) <= timedelta(hours=1.1)


def test_stats_count_messages_by_status(app, queue_notice):
    queue_notice()

    stats = outbox_stats()

    assert stats[OutboxStatus.PENDING] == 1
    assert stats[OutboxStatus.SENT] == 0
    assert stats.oldest_due_at is not None


def test_every_send_of_one_message_carries_its_one_message_id(app, db, smtp_server, queue_notice):
    # As when a sender died after the server stored the message but before it was marked sent.
    first = queue_notice("siti@contoh.id")
    queue_notice("budi@contoh.id")
    send_due_messages()
    first.status, first.claimed_at = OutboxStatus.PENDING, None
    db.session.commit()
    send_due_messages()

    ids = [(m["To"], m["Message-ID"]) for m in smtp_server.messages]
    assert [to for to, _ in ids] == ["siti@contoh.id", "budi@contoh.id", "siti@contoh.id"]
    assert ids[0][1] == ids[2][1] != ids[1][1]
    assert ids[0][1].endswith("@lokalatih.id>")
