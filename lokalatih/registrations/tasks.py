"""Scheduled job: session reminders, the day before and one hour before, each queued once.

Run every 5 minutes. The dedupe key of each reminder makes a second run (or two schedulers) queue
nothing new, so the job can run any number of times or be killed half-way.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    OutboxMessage,
    Registration,
    RegistrationStatus,
    User,
    Workshop,
    WorkshopSession,
    WorkshopStatus,
    utcnow,
)
from .notifications import queue_reminder, reminder_key

logger = logging.getLogger(__name__)

DAY_BEFORE = timedelta(hours=24)
HOUR_BEFORE = timedelta(hours=1)
# Cancelled, draft, completed and archived workshops get no reminders.
REMINDED_STATUSES = (
    WorkshopStatus.PUBLISHED,
    WorkshopStatus.REGISTRATION_CLOSED,
    WorkshopStatus.RUNNING,
)


def reminder_kind(session: WorkshopSession, now: datetime) -> str:
    """'hour' when the session starts within the hour, else 'day' (within the next 24 hours)."""
    return "hour" if session.starts_at - now <= HOUR_BEFORE else "day"


def _due_sessions(now: datetime) -> list[WorkshopSession]:
    return list(
        db.session.scalars(
            sa.select(WorkshopSession)
            .join(Workshop, WorkshopSession.workshop_id == Workshop.id)
            .options(selectinload(WorkshopSession.workshop))
            .where(
                WorkshopSession.starts_at > now,
                WorkshopSession.starts_at <= now + DAY_BEFORE,
                Workshop.status.in_(REMINDED_STATUSES),
            )
            .order_by(WorkshopSession.starts_at, WorkshopSession.id)
        )
    )


def _confirmed_by_workshop(workshop_ids: set[int]) -> dict[int, list[Registration]]:
    registrations = db.session.scalars(
        sa.select(Registration)
        .options(selectinload(Registration.user).selectinload(User.profile))
        .where(
            Registration.workshop_id.in_(workshop_ids),
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .order_by(Registration.id)
    )
    grouped: dict[int, list[Registration]] = defaultdict(list)
    for registration in registrations:
        grouped[registration.workshop_id].append(registration)
    return grouped


def _already_queued(keys: list[str]) -> set[str]:
    # Rendering an email costs more than this query: skip the reminders queued by earlier runs.
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        found.update(
            db.session.scalars(
                sa.select(OutboxMessage.dedupe_key).where(
                    OutboxMessage.dedupe_key.in_(keys[start : start + 500])
                )
            )
        )
    return found


def send_session_reminders(now: datetime | None = None) -> int:
    """Queue the reminders due now for every confirmed participant; returns how many were new."""
    now = now or utcnow()
    sessions = _due_sessions(now)
    if not sessions:
        return 0
    confirmed = _confirmed_by_workshop({session.workshop_id for session in sessions})
    due = [
        (registration, session, reminder_kind(session, now))
        for session in sessions
        for registration in confirmed.get(session.workshop_id, [])
    ]
    done = _already_queued([reminder_key(s, r, kind) for r, s, kind in due])
    queued = 0
    for registration, session, kind in due:
        if reminder_key(session, registration, kind) not in done:
            queued += queue_reminder(registration, session, kind)
    db.session.commit()
    if queued:
        logger.info("reminders: %d queued", queued)
    return queued
