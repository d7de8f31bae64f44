"""A workshop's seats: the seat lock and the count of seats taken.

Every seat-changing action calls `lock_seats(workshop)` first. The lock is an UPDATE of the
workshop row: a row lock on PostgreSQL, and on SQLite the database write lock (pysqlite begins the
transaction at its first write, so the write lock is taken at once and the busy timeout applies).
Counts are read only after it, so two transactions never both see the last free seat.

It lives with the workshops because it guards the workshop row: editing the capacity, the agenda
and the quotas takes it here, and registrations (a higher feature) take it before giving seats.
"""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from ..models import Registration, RegistrationStatus, Workshop


def lock_seats(workshop: Workshop) -> None:
    """Take the workshop's seat lock for the rest of the transaction, then reload its state."""
    db.session.flush()
    db.session.execute(
        sa.update(Workshop)
        .where(Workshop.id == workshop.id)
        .values(seat_lock_version=Workshop.seat_lock_version + 1)
        .execution_options(synchronize_session=False)
    )
    # Rows read before the lock may be stale: read them again from the database.
    db.session.expire_all()


def count_confirmed(workshop: Workshop) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Registration)
        .where(
            Registration.workshop_id == workshop.id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
    )


def seats_left(workshop: Workshop) -> int:
    """Free seats: capacity minus confirmed registrations, never negative."""
    return max(0, workshop.capacity - count_confirmed(workshop))
