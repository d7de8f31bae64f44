"""The deadline job: attempts left open past their deadline are scored with what was saved.

Run it every minute. Each batch is claimed under row locks (SKIP LOCKED on PostgreSQL, so two
schedulers never score one attempt) and committed with its scores, so the job can be killed at
any point and run again without a double effect.
"""

from __future__ import annotations

from datetime import datetime

from ..extensions import db
from ..models import utcnow
from .attempt_closing import close_overdue
from .attempts import JOB_BATCH


def close_overdue_attempts(now: datetime | None = None) -> int:
    """Close every attempt whose deadline and grace have passed; returns how many were closed."""
    now = now or utcnow()
    closed = 0
    while True:
        count = close_overdue(now, JOB_BATCH)
        db.session.commit()
        closed += count
        if count < JOB_BATCH:
            return closed
