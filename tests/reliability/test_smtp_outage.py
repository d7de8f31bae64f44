"""The SMTP server down while 200 emails wait, then back: 200 delivered, once each; a message the
server keeps refusing ends dead, and an admin sees it at /admin/email and sends it again."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from lokalatih.models import OutboxMessage, OutboxStatus, Role, utcnow
from lokalatih.outbox.services import queue_email
from lokalatih.outbox.tasks import send_due_messages

from .fixtures import point_app_at

QUEUED = 200
REFUSED = "tidak.ada@contoh.id"
STEP = timedelta(hours=2)  # past the longest backoff


def _run_sender(now) -> tuple[int, int, int]:
    """The sender job, run until nothing more is due at `now` (batches of 50)."""
    sent = retried = dead = 0
    while True:
        report = send_due_messages(now=now)
        if not (report.sent or report.retried or report.dead):
            return sent, retried, dead
        sent, retried, dead = sent + report.sent, retried + report.retried, dead + report.dead


def _by_status(db) -> dict:
    rows = db.session.execute(
        sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)
    ).all()
    return dict(rows)


def test_200_emails_survive_an_smtp_outage_and_a_dead_letter_is_retried_by_an_admin(
    app, db, client, mail_server, make_user, login_as
):
    app.config["OUTBOX_MAX_ATTEMPTS"] = 2
    point_app_at(app, mail_server)  # not started: the server is down
    for number in range(QUEUED):
        queue_email(
            "notice", f"peserta{number}@contoh.id", subject=f"Uji {number}", heading="Halo",
            paragraphs=["Uji gangguan SMTP."],
        )  # fmt: skip
    queue_email("notice", REFUSED, subject="Ditolak", heading="Halo", paragraphs=["Isi."])
    db.session.commit()
    start = utcnow()

    during = _run_sender(start)

    assert during == (0, QUEUED + 1, 0)
    assert _by_status(db) == {OutboxStatus.PENDING: QUEUED + 1}

    mail_server.refuse = {REFUSED}
    mail_server.start()
    assert _run_sender(start + timedelta(seconds=30)) == (0, 0, 0)  # still backing off
    after = _run_sender(start + STEP)
    again = _run_sender(start + 10 * STEP)

    assert after == (QUEUED, 0, 1)  # the refused one had its second and last attempt
    assert again == (0, 0, 0)
    counts = mail_server.counts()
    assert sorted(counts) == sorted(f"Uji {number}" for number in range(QUEUED))
    assert set(counts.values()) == {1}
    assert _by_status(db) == {OutboxStatus.SENT: QUEUED, OutboxStatus.DEAD: 1}

    login_as(make_user(role=Role.ADMIN))
    page = client.get("/admin/email").get_data(as_text=True)
    dead = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.recipient == REFUSED))
    assert REFUSED in page and "550" in page
    assert f'action="/admin/email/{dead.id}/ulang"' in page

    assert client.post(f"/admin/email/{dead.id}/ulang").status_code == 302
    mail_server.refuse = set()  # the mailbox exists now
    assert _run_sender(utcnow()) == (1, 0, 0)

    assert mail_server.counts()["Ditolak"] == 1
    assert _by_status(db) == {OutboxStatus.SENT: QUEUED + 1}
