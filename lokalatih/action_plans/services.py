"""Action plans: a participant writes one to three actions at the end of a workshop, and reports
on each when the follow-up is due (`Workshop.follow_up_days` after the last session)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    ActionPlanItem,
    ActionStatus,
    Registration,
    RegistrationStatus,
    Theme,
    Workshop,
    WorkshopStatus,
    utcnow,
)
from .errors import FollowUpNotDueError, NoActionError, NothingToReportError, PlanNotOpenError

MAX_ACTIONS = 3
REMINDER_AFTER = timedelta(days=14)
# A plan is written once the workshop is under way or done: never for a draft or a cancelled one.
PLANNED_STATUSES = (WorkshopStatus.RUNNING, WorkshopStatus.COMPLETED, WorkshopStatus.ARCHIVED)

STATUS_LABELS = {
    ActionStatus.DONE: _l("Selesai"),
    ActionStatus.IN_PROGRESS: _l("Sedang berjalan"),
    ActionStatus.NOT_STARTED: _l("Belum dimulai"),
    ActionStatus.DROPPED: _l("Dibatalkan"),
}


@dataclass(frozen=True)
class ActionInput:
    action: str
    due_date: date
    theme_id: int | None = None
    partners: str = ""


@dataclass(frozen=True)
class ReportInput:
    item_id: int
    status: ActionStatus
    note: str = ""
    evidence_url: str | None = None


@dataclass(frozen=True)
class PlanState:
    """What "Loka latih saya" shows for a registration."""

    items: list[ActionPlanItem]
    can_write: bool
    can_report: bool
    follow_up_at: datetime | None


# --- timing ------------------------------------------------------------------------------------


def last_session_start(workshop: Workshop) -> datetime | None:
    return max((s.starts_at for s in workshop.sessions), default=None)


def workshop_end(workshop: Workshop) -> datetime:
    """The end of the last session; without sessions, the end of the last day in its zone."""
    ends = [s.ends_at for s in workshop.sessions]
    if ends:
        return max(ends)
    midnight = datetime.combine(workshop.end_date + timedelta(days=1), time(), workshop.zone)
    return midnight.astimezone(UTC)


def follow_up_at(workshop: Workshop) -> datetime:
    """When participants are asked how their actions went."""
    return workshop_end(workshop) + timedelta(days=workshop.follow_up_days)


def plan_open(registration: Registration, now: datetime | None = None) -> bool:
    """A confirmed participant writes (and rewrites) the plan from the start of the last session
    until the follow-up is due; after that the actions are what the follow-up asks about."""
    now = now or utcnow()
    workshop = registration.workshop
    started = last_session_start(workshop)
    return (
        registration.status == RegistrationStatus.CONFIRMED
        and workshop.status in PLANNED_STATUSES
        and started is not None
        and started <= now < follow_up_at(workshop)
    )


def follow_up_open(registration: Registration, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return (
        registration.status == RegistrationStatus.CONFIRMED
        and registration.workshop.status in PLANNED_STATUSES
        and now >= follow_up_at(registration.workshop)
    )


# --- reading -----------------------------------------------------------------------------------


def plan_items(registration: Registration) -> list[ActionPlanItem]:
    return list(
        db.session.scalars(
            sa.select(ActionPlanItem)
            .where(ActionPlanItem.registration_id == registration.id)
            .order_by(ActionPlanItem.position)
        )
    )


def plan_state(registration: Registration, now: datetime | None = None) -> PlanState:
    return _state(registration, plan_items(registration), now or utcnow())


def plan_states(
    registrations: Sequence[Registration], now: datetime | None = None
) -> dict[int, PlanState]:
    """`plan_state` for many registrations in two statements (items and their themes): the
    registrations' workshops and sessions should be loaded already."""
    now = now or utcnow()
    grouped: dict[int, list[ActionPlanItem]] = {r.id: [] for r in registrations}
    if registrations:
        items = db.session.scalars(
            sa.select(ActionPlanItem)
            .where(ActionPlanItem.registration_id.in_(list(grouped)))
            .order_by(ActionPlanItem.registration_id, ActionPlanItem.position)
            .options(selectinload(ActionPlanItem.theme))
        )
        for item in items:
            grouped[item.registration_id].append(item)
    return {r.id: _state(r, grouped[r.id], now) for r in registrations}


def _state(registration: Registration, items: list[ActionPlanItem], now: datetime) -> PlanState:
    return PlanState(
        items=items,
        can_write=plan_open(registration, now),
        can_report=bool(items) and follow_up_open(registration, now),
        follow_up_at=follow_up_at(registration.workshop)
        if registration.workshop.status in PLANNED_STATUSES
        else None,
    )


def active_themes() -> list[Theme]:
    return list(
        db.session.scalars(
            sa.select(Theme).where(Theme.active.is_(True)).order_by(Theme.position, Theme.id)
        )
    )


def workshop_plans(workshop: Workshop) -> list[tuple[Registration, list[ActionPlanItem]]]:
    """The organizer's view: every registration of the workshop with a plan, and its actions."""
    items = db.session.scalars(
        sa.select(ActionPlanItem)
        .join(Registration, ActionPlanItem.registration_id == Registration.id)
        .where(Registration.workshop_id == workshop.id)
        .order_by(Registration.id, ActionPlanItem.position)
    )
    grouped: dict[int, tuple[Registration, list[ActionPlanItem]]] = {}
    for item in items:
        grouped.setdefault(item.registration_id, (item.registration, []))[1].append(item)
    return list(grouped.values())


# --- writing -----------------------------------------------------------------------------------


def save_plan(
    registration: Registration, actions: list[ActionInput], now: datetime | None = None
) -> list[ActionPlanItem]:
    """Replace the registration's plan with `actions` (one to three, blank ones dropped)."""
    if not plan_open(registration, now):
        raise PlanNotOpenError()
    actions = [a for a in actions if a.action.strip()][:MAX_ACTIONS]
    if not actions:
        raise NoActionError()
    db.session.execute(
        sa.delete(ActionPlanItem).where(ActionPlanItem.registration_id == registration.id)
    )
    items = [
        ActionPlanItem(
            registration_id=registration.id,
            position=position,
            action=a.action.strip(),
            due_date=a.due_date,
            theme_id=a.theme_id,
            partners=a.partners.strip(),
        )
        for position, a in enumerate(actions, start=1)
    ]
    db.session.add_all(items)
    db.session.flush()
    return items


def report_progress(
    registration: Registration, reports: list[ReportInput], now: datetime | None = None
) -> int:
    """Record the participant's report on each of their actions; returns how many were saved.

    A report can be corrected later: the last one counts."""
    now = now or utcnow()
    if not follow_up_open(registration, now):
        raise FollowUpNotDueError()
    items = {item.id: item for item in plan_items(registration)}
    if not items:
        raise NothingToReportError()
    saved = 0
    for report in reports:
        item = items.get(report.item_id)
        if item is None:
            continue  # not this participant's action: ignored, never revealed
        item.status = report.status
        item.note = report.note.strip()
        item.evidence_url = (report.evidence_url or "").strip() or None
        item.reported_at = now
        saved += 1
    db.session.flush()
    return saved
