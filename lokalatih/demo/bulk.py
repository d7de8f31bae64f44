"""Bulk writing for the large demo: ids assigned in Python (so parents and children are written
without reading ids back) and INSERTs of ~5,000 rows, each stage committed and reported."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa

from ..extensions import db
from ..models import WorkshopStatus

BATCH = 5_000


@dataclass
class Ids:
    """Next free primary key per table (read once, then assigned here)."""

    next: dict[str, int] = field(default_factory=dict)
    models: dict[str, type] = field(default_factory=dict)

    def take(self, model, count: int) -> range:
        table = model.__tablename__
        self.models[table] = model
        if table not in self.next:
            current = db.session.scalar(sa.select(sa.func.max(model.id))) or 0
            self.next[table] = current + 1
        start = self.next[table]
        self.next[table] = start + count
        return range(start, start + count)

    def fix_sequences(self) -> None:
        """PostgreSQL sequences do not see explicit ids: move them past the rows written here."""
        if db.engine.dialect.name != "postgresql":
            return
        for table, model in self.models.items():
            highest = sa.select(sa.func.max(model.id)).scalar_subquery()
            db.session.execute(
                sa.select(sa.func.setval(sa.func.pg_get_serial_sequence(table, "id"), highest))
            )
        db.session.commit()


def batches(rows: Iterable[dict]) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def insert(target, rows: Iterable[dict], label: str, progress: Callable[[str], None]) -> int:
    """Write the rows in batches, commit, report; returns how many were written."""
    done = 0
    for batch in batches(rows):
        db.session.execute(sa.insert(target), batch)
        done += len(batch)
        if done % (BATCH * 20) == 0:
            progress(f"  {label}: {done}")
    db.session.commit()
    progress(f"{label}: {done}")
    return done


@dataclass
class PlannedWorkshop:
    """A workshop of the large demo as written: its ids, for the quizzes and answers that follow."""

    id: int
    status: WorkshopStatus
    start: date
    sessions: list[int]
    last_end: datetime  # when its last session ends
    quizzes: dict[str, int] = field(default_factory=dict)  # quiz kind -> quiz id
