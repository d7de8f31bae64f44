"""An email the SMTP server accepted is not sent again at once when recording it fails (the
database connection cut between the server's 250 and the status update)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lokalatih.models import OutboxMessage, OutboxStatus, utcnow
from lokalatih.outbox import tasks
from lokalatih.outbox.services import queue_email


@pytest.fixture
def notice(db) -> OutboxMessage:
    message = queue_email(
        "notice",
        "siti@contoh.id",
        subject="Jadwal loka latih",
        heading="Halo",
        paragraphs=["Jadwal sudah terbit."],
    )
    db.session.commit()
    return message


def _row(db, message) -> OutboxMessage:
    db.session.expire_all()
    return db.session.get(OutboxMessage, message.id)


def test_a_message_accepted_but_not_recorded_waits_and_keeps_its_message_id(
    app, db, smtp_server, notice, monkeypatch
):
    def connection_cut(*args, **kwargs):
        raise sa.exc.OperationalError("UPDATE outbox_messages", {}, Exception("server closed"))

    start = utcnow()
    with monkeypatch.context() as patch:
        patch.setattr(tasks, "_mark_sent", connection_cut)
        with pytest.raises(sa.exc.OperationalError):
            tasks.send_due_messages(now=start)
    db.session.rollback()
    assert len(smtp_server.messages) == 1  # the server has it; the outbox does not know
    assert _row(db, notice).status == OutboxStatus.SENDING

    # The claim's lease runs out: the next run does not resend at once.
    after_lease = start + timedelta(seconds=app.config["OUTBOX_LEASE_SECONDS"] + 1)
    report = tasks.send_due_messages(now=after_lease)

    row = _row(db, notice)
    assert report.sent == 0 and len(smtp_server.messages) == 1
    assert row.status == OutboxStatus.PENDING and row.last_error.startswith("uncertain")
    assert row.next_attempt_at >= after_lease + timedelta(hours=1) - timedelta(seconds=1)

    # Much later it goes once more, as the same message for the receiving server to drop.
    later = after_lease + timedelta(seconds=app.config["OUTBOX_UNCERTAIN_RETRY_SECONDS"] + 1)
    report = tasks.send_due_messages(now=later)

    assert report.sent == 1 and _row(db, notice).status == OutboxStatus.SENT
    first, second = smtp_server.messages
    assert first["Message-ID"] == second["Message-ID"]


def test_a_message_claimed_but_never_handed_over_is_sent_after_the_lease(
    app, db, smtp_server, notice
):
    start = utcnow()
    notice.status, notice.claimed_at = OutboxStatus.SENDING, start  # its sender died at once
    db.session.commit()

    report = tasks.send_due_messages(
        now=start + timedelta(seconds=app.config["OUTBOX_LEASE_SECONDS"] + 1)
    )

    assert report.sent == 1 and len(smtp_server.messages) == 1
    assert _row(db, notice).handed_at is None
