"""Two real `flask scheduler` processes on one PostgreSQL database while emails keep coming: one
holds the lease and sends, the other waits; killing the holder hands everything to the other,
and every email arrives exactly once."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa

from lokalatih.extensions import db
from lokalatih.models import OutboxMessage, OutboxStatus, SchedulerLease
from lokalatih.outbox.services import queue_email

from .fixtures import wait_until

pytestmark = pytest.mark.real_clock

LEASE_SECONDS = 4  # renewed every 4/3 s: the environment the fixture gives both processes


def _queue(numbers: range, pause: float, holders: list[str | None]) -> None:
    for number in numbers:
        queue_email(
            "notice", f"peserta{number}@contoh.id", subject=f"Uji {number}", heading="Halo",
            paragraphs=["Uji dua penjadwal."],
        )  # fmt: skip
        db.session.commit()
        holders.append(_holder())
        time.sleep(pause)


def _holder() -> str | None:
    holder = db.session.scalar(sa.select(SchedulerLease.holder))
    db.session.rollback()
    return holder


def _unsent() -> int:
    count = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.status != OutboxStatus.SENT)
    )
    db.session.rollback()
    return count


def test_two_schedulers_one_lease_every_email_once(
    procs_app, procs_database_url, mail_server, start_scheduler
):
    mail_server.start()
    processes = [start_scheduler(procs_database_url, mail_server.port) for _ in range(2)]
    wait_until(_holder, 30, "neither scheduler took the lease")
    [first] = [process for process in processes if process.holder == _holder()]
    [second] = [process for process in processes if process is not first]
    first.wait_for("scheduler: lease acquired")
    second.wait_for(f"waiting; the lease is held by {first.holder}")

    # Emails keep coming while the first process sends them and the second waits.
    holders_before: list[str | None] = []
    _queue(range(40), 0.05, holders_before)
    wait_until(lambda: _unsent() == 0, 20, "the holder did not send the first 40 emails")
    assert set(holders_before) == {first.holder}
    assert first.times_of("job outbox: sent=")
    assert second.times_of("job ") == []  # the waiting process never ran a job

    # The holder dies without a word (between batches: nothing is in flight); emails keep coming.
    killed_at = first.kill()
    holders_after: list[str | None] = []
    _queue(range(40, 70), 0.05, holders_after)
    took_over_at = second.wait_for("scheduler: lease acquired", timeout=15)
    wait_until(lambda: _unsent() == 0, 20, "the second process did not finish the rest")

    # It waited for the lease to expire (the first renewed at most a second before dying) ...
    assert took_over_at - killed_at > LEASE_SECONDS * 2 / 3 - 0.3
    # ... nobody else ever held it, and it ran jobs only once it held the lease.
    assert set(holders_after) <= {first.holder, second.holder}
    assert _holder() == second.holder
    assert min(second.times_of("job ")) >= took_over_at
    counts = mail_server.counts()
    assert sorted(counts) == sorted(f"Uji {number}" for number in range(70))
    assert set(counts.values()) == {1}

    # A clean stop gives the lease back at once.
    assert second.terminate() == 0
    assert _holder() is None
    assert "lease lost" not in first.log + second.log
