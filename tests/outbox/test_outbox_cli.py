"""`flask outbox send | status | retry`."""

from __future__ import annotations

import pytest

from lokalatih.models import OutboxStatus
from lokalatih.outbox.services import queue_email


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def queued(db):
    message = queue_email(
        "notice", "siti@contoh.id", subject="Uji CLI", heading="Halo", paragraphs=["Isi."]
    )
    db.session.commit()
    return message


def test_send_delivers_due_messages_and_reports_counts(runner, smtp_server, queued):
    result = runner.invoke(args=["outbox", "send"])

    assert result.exit_code == 0, result.output
    assert "sent: 1, retried later: 0, dead: 0" in result.output
    assert [m["Subject"] for m in smtp_server.messages] == ["Uji CLI"]


def test_send_reports_a_retry_when_smtp_is_down(runner, smtp_server, queued):
    smtp_server.stop()

    result = runner.invoke(args=["outbox", "send"])

    assert result.exit_code == 0, result.output
    assert "sent: 0, retried later: 1, dead: 0" in result.output


def test_status_counts_messages_per_state(runner, queued):
    result = runner.invoke(args=["outbox", "status"])

    assert result.exit_code == 0, result.output
    assert "pending: 1" in result.output
    assert "dead: 0" in result.output


def test_retry_requeues_a_dead_message(runner, db, queued):
    queued.status = OutboxStatus.DEAD
    queued.attempts = 8
    db.session.commit()

    result = runner.invoke(args=["outbox", "retry", str(queued.id)])

    assert result.exit_code == 0, result.output
    db.session.refresh(queued)
    assert (queued.status, queued.attempts) == (OutboxStatus.PENDING, 0)


def test_retry_refuses_an_unknown_message_without_a_traceback(runner):
    result = runner.invoke(args=["outbox", "retry", "999999"])

    assert result.exit_code == 1
    assert "Email tidak ditemukan." in result.output
    assert "Traceback" not in result.output
