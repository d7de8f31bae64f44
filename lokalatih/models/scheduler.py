"""The scheduler lease: one row per lease name, held by at most one process at a time."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime


class SchedulerLease(db.Model):
    """Who runs the jobs. Written only by `lokalatih.lease`, always in its own short transaction.

    The holder renews `renewed_at` and `expires_at`; another process may take the row over only
    once `expires_at` has passed. A clean shutdown deletes the row, so a row that has expired
    means a holder that died or hung (the health endpoint reports it as stale).
    """

    __tablename__ = "scheduler_leases"

    name: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    holder: Mapped[str] = mapped_column(sa.String(255))  # "hostname:pid:random"
    acquired_at: Mapped[datetime] = mapped_column(UTCDateTime())
    renewed_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
