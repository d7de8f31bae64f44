"""A scheduler killed with SIGKILL half-way through a batch, then a new one: what is guaranteed.

The sender commits its claim before SMTP, commits the hand-over of each message just before the
server sees it, and marks it sent right after the server's 250, so a kill leaves at most one
message in doubt, the one on the wire. The new scheduler reclaims the killed one's claims after
OUTBOX_LEASE_SECONDS; the message in doubt waits OUTBOX_UNCERTAIN_RETRY_SECONDS (an hour in
production, two seconds here) before its one more attempt:
- killed before the server has the message: every message arrives exactly once;
- killed after the server stored it but before its 250 reached the sender: that one message is
  delivered twice (SMTP has no way to ask the server whether it got it), every other message
  once, none lost. Both copies carry the outbox row's one Message-ID, so a mailbox that keeps one
  message per Message-ID (Gmail does) shows every message exactly once.
Runs on the suite's database: SQLite in the first CI pass, PostgreSQL in the second.
"""

from __future__ import annotations

from collections import Counter

import pytest
import sqlalchemy as sa

from lokalatih.models import OutboxMessage, OutboxStatus, SchedulerLease
from lokalatih.outbox.services import queue_email

from .fixtures import wait_until

pytestmark = pytest.mark.real_clock

MESSAGES = 8
KILLED_AT = 4  # the fourth message of the batch


def _statuses(db) -> Counter:
    rows = db.session.scalars(sa.select(OutboxMessage.status)).all()
    db.session.rollback()
    return Counter(rows)


def _holder(db) -> str | None:
    holder = db.session.scalar(sa.select(SchedulerLease.holder))
    db.session.rollback()
    return holder


@pytest.mark.parametrize(
    ("stage", "twice"),
    [("RCPT", set()), ("DATA", {f"Batch {KILLED_AT - 1}"})],
    ids=["before-the-server-has-it", "after-the-server-stored-it"],
)
def test_a_scheduler_killed_mid_batch_loses_nothing(
    app, db, database_url, mail_server, start_scheduler, stage, twice
):
    for number in range(MESSAGES):
        queue_email(
            "notice", f"peserta{number}@contoh.id", subject=f"Batch {number}", heading="Halo",
            paragraphs=["Uji SIGKILL."],
        )  # fmt: skip
    db.session.commit()
    mail_server.stall_at = (KILLED_AT, stage)
    mail_server.start()
    settings = {
        "OUTBOX_BATCH_SIZE": MESSAGES,
        "OUTBOX_LEASE_SECONDS": 4,
        "OUTBOX_UNCERTAIN_RETRY_SECONDS": 2,
    }

    first = start_scheduler(database_url, mail_server.port, **settings)
    first.wait_for("scheduler: lease acquired", timeout=30)
    second = start_scheduler(database_url, mail_server.port, **settings)  # a standby
    assert mail_server.stalled.wait(timeout=40), first.log
    killed_at = first.kill()

    # Three marked sent, the rest still claimed by the dead process; its lease not released.
    assert _statuses(db) == {OutboxStatus.SENT: KILLED_AT - 1, OutboxStatus.SENDING: 5}
    assert _holder(db) == first.holder

    assert second.wait_for("scheduler: lease acquired", timeout=30) > killed_at
    wait_until(
        lambda: _statuses(db) == {OutboxStatus.SENT: MESSAGES},
        30,
        f"not every message sent:\n{second.log}",
    )

    assert _holder(db) == second.holder
    counts = mail_server.counts()
    assert sorted(counts) == sorted(f"Batch {number}" for number in range(MESSAGES))
    assert {subject for subject, seen in counts.items() if seen > 1} == twice
    assert max(counts.values()) <= 2
    assert mail_server.mailbox() == Counter(f"Batch {number}" for number in range(MESSAGES))
