"""A lease in the database that lets exactly one process run the scheduled jobs.

Every statement runs in its own short transaction on the engine, never in `db.session`, so taking
or renewing the lease commits at once and never mixes with a job's unit of work.

Expiry is judged by the database's clock, so the hosts' clocks do not have to agree. The holder
judges its own validity by its monotonic clock, started before it asks the database: it stops
trusting the lease no later than the moment another process may take it over.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .extensions import db
from .models import SchedulerLease, UTCDateTime, utcnow

logger = logging.getLogger(__name__)

SCHEDULER = "scheduler"


def new_holder() -> str:
    """This process's identity: host and pid for people reading the table, random for uniqueness."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def database_now(connection: Connection) -> datetime:
    """The database server's time in UTC (aware)."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        return connection.scalar(sa.select(sa.func.now())).astimezone(UTC)
    if dialect == "sqlite":
        text = connection.scalar(sa.select(sa.func.strftime("%Y-%m-%d %H:%M:%f", "now")))
        return datetime.fromisoformat(text).replace(tzinfo=UTC)
    return utcnow()


def try_acquire(
    holder: str, seconds: float, *, name: str = SCHEDULER, now: datetime | None = None
) -> bool:
    """Take the lease, or renew it if `holder` has it; True when `holder` holds it afterwards.

    One conditional UPDATE decides: it matches only if the row is ours or has expired, and on
    PostgreSQL a concurrent taker waits for the row lock and then re-checks the condition, so
    two processes never both see a row counted. Without a row, the primary key decides an
    insert race: the loser gets an IntegrityError and does not hold the lease.
    """
    with db.engine.begin() as connection:
        now = now or database_now(connection)
        expires = now + timedelta(seconds=seconds)
        table = SchedulerLease.__table__
        ours = table.c.holder == holder
        taken = connection.execute(
            table.update()
            .where(table.c.name == name, sa.or_(ours, table.c.expires_at < now))
            .values(
                holder=holder,
                acquired_at=sa.case((ours, table.c.acquired_at), else_=_utc(now)),
                renewed_at=now,
                expires_at=expires,
            )
        ).rowcount
        if taken:
            return True
        exists = connection.scalar(sa.select(table.c.name).where(table.c.name == name))
    if exists is not None:
        return False  # held by another process and not expired
    try:
        with db.engine.begin() as connection:
            connection.execute(
                table.insert().values(
                    name=name, holder=holder, acquired_at=now, renewed_at=now, expires_at=expires
                )
            )
    except sa.exc.IntegrityError:
        return False
    return True


def release(holder: str, *, name: str = SCHEDULER) -> bool:
    """Give the lease up (a clean shutdown), so a waiting process need not wait for the expiry."""
    table = SchedulerLease.__table__
    with db.engine.begin() as connection:
        result = connection.execute(
            table.delete().where(table.c.name == name, table.c.holder == holder)
        )
    return result.rowcount == 1


@dataclass(frozen=True)
class Heartbeat:
    """What the health endpoint shows: never the holder (host names are nobody's business)."""

    status: str  # ok: renewed and valid; stale: the holder stopped renewing; absent: no holder
    last_heartbeat: datetime | None
    age_seconds: float | None

    def as_json(self) -> dict:
        return {
            "status": self.status,
            "last_heartbeat": (
                self.last_heartbeat.isoformat(timespec="seconds").replace("+00:00", "Z")
                if self.last_heartbeat
                else None
            ),
            "age_seconds": None if self.age_seconds is None else round(self.age_seconds, 1),
        }


def heartbeat(*, stale_after: float | None = None, name: str = SCHEDULER) -> Heartbeat:
    """The lease's state as the database sees it now; raises SQLAlchemyError when it is down.

    A holder renews every third of the lease, so a heartbeat older than `stale_after` (a renewal
    period and a margin) means the scheduler stopped, long before the lease itself runs out."""
    connection = db.session.connection()
    now = database_now(connection)
    row = connection.execute(
        sa.select(SchedulerLease.renewed_at, SchedulerLease.expires_at).where(
            SchedulerLease.name == name
        )
    ).one_or_none()
    if row is None:
        return Heartbeat("absent", None, None)
    age = max((now - row.renewed_at).total_seconds(), 0.0)
    fresh = row.expires_at > now and (stale_after is None or age <= stale_after)
    return Heartbeat("ok" if fresh else "stale", row.renewed_at, age)


def current_holder(*, name: str = SCHEDULER) -> tuple[str, datetime] | None:
    """Who holds the lease and until when (for the log of a process that waits)."""
    table = SchedulerLease.__table__
    with db.engine.connect() as connection:
        row = connection.execute(
            sa.select(table.c.holder, table.c.expires_at).where(table.c.name == name)
        ).one_or_none()
    return (row.holder, row.expires_at) if row else None


class LeaseKeeper:
    """This process's side of one lease: takes and renews it, knows whether it still holds it."""

    def __init__(self, seconds: float, *, name: str = SCHEDULER, holder: str | None = None):
        self.name = name
        self.seconds = seconds
        self.holder = holder or new_holder()
        self._valid_until = 0.0  # time.monotonic() after which this process must not rely on it
        self._lock = threading.Lock()

    def renew(self) -> bool:
        """Take or renew the lease; raises SQLAlchemyError when the database cannot be reached
        (the lease then stays valid only until the last successful renewal runs out)."""
        started = time.monotonic()
        held = try_acquire(self.holder, self.seconds, name=self.name)
        with self._lock:
            self._valid_until = started + self.seconds if held else 0.0
        return held

    def held(self) -> bool:
        with self._lock:
            return time.monotonic() < self._valid_until

    def release(self) -> None:
        with self._lock:
            self._valid_until = 0.0
        try:
            release(self.holder, name=self.name)
        except sa.exc.SQLAlchemyError as error:  # it expires by itself
            logger.warning("lease %s: not released (%s)", self.name, type(error).__name__)


def _utc(value: datetime) -> sa.BindParameter:
    # Typed, so the CASE stores naive UTC like every other UTCDateTime value.
    return sa.literal(value, UTCDateTime())
