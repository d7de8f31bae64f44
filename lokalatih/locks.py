"""A row lock held until the transaction ends, the same way on PostgreSQL and SQLite.

An UPDATE that changes nothing is the lock: a row lock on PostgreSQL, the database's write lock on
SQLite (which serialises writers; a reader that has not written yet waits at this statement, and
afterwards sees what the transaction before it committed). Take it before reading what the
decision depends on.
"""

from __future__ import annotations

import sqlalchemy as sa

from .extensions import db


def hold_row_lock(model, row_id: int) -> None:
    db.session.execute(
        sa.update(model)
        .where(model.id == row_id)
        .values(id=model.id)
        .execution_options(synchronize_session=False)
    )
