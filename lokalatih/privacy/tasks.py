"""The retention job: personal data of participants inactive for RETENTION_MONTHS is erased."""

from __future__ import annotations

import calendar
import logging
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from ..extensions import db
from ..models import Profile, Registration, Role, User, Workshop, WorkshopStatus, utcnow
from .erasure import ErasureReason, erase_account

logger = logging.getLogger(__name__)
FINISHED = (WorkshopStatus.COMPLETED, WorkshopStatus.ARCHIVED, WorkshopStatus.CANCELLED)


def months_before(moment: datetime, months: int) -> datetime:
    """The same day and time `months` calendar months earlier (31 March - 1 month: 28/29 Feb)."""
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def retention_cutoff(now: datetime | None = None, months: int | None = None) -> datetime:
    months = current_app.config["RETENTION_MONTHS"] if months is None else months
    return months_before(now or utcnow(), months)


def expired_participants(cutoff: datetime) -> list[User]:
    """Participants, not yet erased, with no activity since `cutoff`: every workshop they
    registered for finished (completed, archived or cancelled) and ended before it, and they
    neither signed up, logged in nor changed their profile after it."""
    cutoff_day = cutoff.date()
    recent_workshop = (
        sa.select(Registration.id)
        .join(Workshop, Workshop.id == Registration.workshop_id)
        .where(
            Registration.user_id == User.id,
            sa.or_(
                Workshop.status.not_in(FINISHED),
                Workshop.end_date >= cutoff_day,
                Registration.created_at >= cutoff,
                Registration.updated_at >= cutoff,
            ),
        )
        .exists()
    )
    recent_profile = (
        sa.select(Profile.user_id)
        .where(Profile.user_id == User.id, Profile.updated_at >= cutoff)
        .exists()
    )
    return list(
        db.session.scalars(
            sa.select(User)
            .where(
                User.role == Role.PARTICIPANT,
                User.erased_at.is_(None),
                User.created_at < cutoff,
                sa.or_(User.last_login_at.is_(None), User.last_login_at < cutoff),
                ~recent_workshop,
                ~recent_profile,
            )
            .order_by(User.id)
        )
    )


def anonymize_expired_participants(now: datetime | None = None) -> int:
    """Erase every participant whose last workshop and activity are older than the retention
    period; returns how many were erased.

    Idempotent: an erased account is never selected again. One transaction per account, so a run
    killed half-way keeps what it finished and the next run does the rest. Staff are never
    selected.
    """
    now = now or utcnow()
    ids = [user.id for user in expired_participants(retention_cutoff(now))]
    erased = 0
    for user_id in ids:
        try:
            user = db.session.get(User, user_id)
            if user is None or user.erased_at is not None:
                continue  # another run got there first
            erase_account(user, ErasureReason.RETENTION, now=now)
            db.session.commit()
            erased += 1
        except Exception:
            db.session.rollback()
            logger.exception("retention: user %s failed, the next run tries again", user_id)
    return erased
