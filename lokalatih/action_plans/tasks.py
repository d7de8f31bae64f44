"""Scheduled job: the action-plan follow-up email when it is due, and one reminder 14 days later,
each only for actions not yet reported and each queued once.

Run every hour. The outbox dedupe keys (`action_plan_follow_up:<registration>`,
`action_plan_reminder:<registration>`) make a second run, or a second scheduler, queue nothing
new; `followed_up_at` and `reminded_at` on the actions let later runs skip them. One transaction
per registration, so a run killed half-way keeps what it finished.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    ActionPlanItem,
    Registration,
    RegistrationStatus,
    Workshop,
    utcnow,
)
from ..outbox.services import external_url, queue_email
from .services import PLANNED_STATUSES, REMINDER_AFTER, follow_up_at

logger = logging.getLogger(__name__)


def follow_up_key(registration_id: int) -> str:
    return f"action_plan_follow_up:{registration_id}"


def reminder_key(registration_id: int) -> str:
    return f"action_plan_reminder:{registration_id}"


def _open_items() -> dict[int, list[ActionPlanItem]]:
    """Unreported actions of confirmed participants still owed an email, by registration."""
    items = db.session.scalars(
        sa.select(ActionPlanItem)
        .join(Registration, ActionPlanItem.registration_id == Registration.id)
        .join(Workshop, Registration.workshop_id == Workshop.id)
        .options(
            selectinload(ActionPlanItem.registration).selectinload(Registration.workshop),
            selectinload(ActionPlanItem.theme),
        )
        .where(
            ActionPlanItem.status.is_(None),
            ActionPlanItem.reminded_at.is_(None),
            Registration.status == RegistrationStatus.CONFIRMED,
            Workshop.status.in_(PLANNED_STATUSES),
        )
        .order_by(ActionPlanItem.registration_id, ActionPlanItem.position)
    )
    grouped: dict[int, list[ActionPlanItem]] = defaultdict(list)
    for item in items:
        grouped[item.registration_id].append(item)
    return grouped


def send_follow_ups(now: datetime | None = None) -> int:
    """Queue the follow-ups and reminders that are due; returns how many emails were queued."""
    now = now or utcnow()
    queued = 0
    for registration_id, items in _open_items().items():
        try:
            queued += _follow_up(items, now)
            db.session.commit()
        except Exception:
            db.session.rollback()
            logger.exception(
                "action plans: registration %s failed, the next run tries again", registration_id
            )
    return queued


def _follow_up(items: list[ActionPlanItem], now: datetime) -> int:
    registration = items[0].registration
    if now < follow_up_at(registration.workshop):
        return 0
    if any(item.followed_up_at is None for item in items):
        template, key = "action_plan_follow_up", follow_up_key(registration.id)
        for item in items:
            item.followed_up_at = item.followed_up_at or now
    else:
        first = min(item.followed_up_at for item in items)
        if now < first + REMINDER_AFTER:
            return 0
        template, key = "action_plan_reminder", reminder_key(registration.id)
        for item in items:
            item.reminded_at = now
    message = queue_email(
        template,
        registration.user,
        dedupe_key=key,
        name=_name(registration),
        workshop=registration.workshop,
        items=items,
        report_url=external_url("action_plans.report", registration_id=registration.id),
    )
    return 1 if message is not None else 0


def _name(registration: Registration) -> str:
    profile = registration.user.profile
    return (profile.full_name if profile is not None else None) or registration.user.email
