"""Several senders at once never send one message twice (SQLite here, PostgreSQL in CI)."""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa

from lokalatih.extensions import db as database  # each thread's own scoped session
from lokalatih.models import OutboxMessage, OutboxStatus, utcnow
from lokalatih.outbox.services import queue_email
from lokalatih.outbox.tasks import claim_due_messages, send_due_messages
from tests.support import at_once

MESSAGES = 50


def _queue_many(db, count: int) -> None:
    for number in range(count):
        queue_email(
            "notice",
            f"peserta{number}@contoh.id",
            subject=f"Pemberitahuan {number}",
            heading="Halo",
            paragraphs=["Uji pengiriman bersamaan."],
        )
    db.session.commit()


def _in_threads(app, count: int, work) -> list:
    """Run `work()` in `count` threads released together; their results (none may fail)."""
    results = at_once(app, count, lambda _: work())
    assert [value for kind, value in results if kind != "ok"] == []
    return [value for _, value in results]


def test_two_senders_send_every_message_exactly_once(app, db, smtp_server):
    _queue_many(db, MESSAGES)

    def drain() -> int:
        sent = 0
        while (report := send_due_messages(limit=5)).sent:
            sent += report.sent
        return sent

    sent_by_sender = _in_threads(app, 2, drain)

    assert sum(sent_by_sender) == MESSAGES
    received = Counter(message["Subject"] for message in smtp_server.messages)
    assert len(received) == MESSAGES
    assert set(received.values()) == {1}
    unsent = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.status != OutboxStatus.SENT)
    )
    assert unsent == 0


def test_concurrent_claims_take_disjoint_batches(app, db):
    _queue_many(db, 20)
    now = utcnow()

    def claim() -> list[int]:
        ids = claim_due_messages(8, now)
        database.session.commit()
        return ids

    batches = _in_threads(app, 4, claim)

    claimed = [message_id for batch in batches for message_id in batch]
    assert len(claimed) == len(set(claimed)) == 20
