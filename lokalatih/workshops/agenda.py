"""The agenda (sessions, in order) and the seat quotas of one workshop."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa

from .. import lessonhours, signals
from ..extensions import db
from ..models import Quota, QuotaKind, Workshop, WorkshopSession, WorkshopStatus
from ..theme_tags import themes_for
from .capacity import lock_seats
from .errors import (
    LastSessionError,
    QuotaExceedsCapacityError,
    QuotaExistsError,
    SessionEndsBeforeStartError,
    SessionJpOutOfRangeError,
    SessionOutsideWorkshopError,
)
from .services import check_editable

SPEAKERS_MAX = 300
PLACE_MAX = 500


@dataclass
class SessionData:
    title: str
    speakers: str
    starts_at: datetime
    ends_at: datetime
    place: str | None
    # Lesson hours in halves set by the organizer; None: the default from the session's length.
    jp_halves: int | None = None
    # KKPHAM themes the session is tagged with; none unless the organizer ticks some.
    theme_ids: list[int] = field(default_factory=list)

    def columns(self) -> dict:
        return {name: value for name, value in vars(self).items() if name != "theme_ids"}


def _check_session_times(workshop: Workshop, data: SessionData) -> None:
    if data.jp_halves is not None and not 0 <= data.jp_halves <= 2 * lessonhours.MAX_SESSION_JP:
        raise SessionJpOutOfRangeError()
    if data.ends_at <= data.starts_at:
        raise SessionEndsBeforeStartError()
    zone = workshop.zone
    if not workshop.start_date <= data.starts_at.astimezone(zone).date() <= workshop.end_date:
        raise SessionOutsideWorkshopError("starts_at", workshop)
    if not workshop.start_date <= data.ends_at.astimezone(zone).date() <= workshop.end_date:
        raise SessionOutsideWorkshopError("ends_at", workshop)


def find_session(workshop: Workshop, session_id: int) -> WorkshopSession | None:
    """The session if it belongs to `workshop` (another workshop's id finds nothing)."""
    return db.session.scalar(
        sa.select(WorkshopSession).where(
            WorkshopSession.id == session_id, WorkshopSession.workshop_id == workshop.id
        )
    )


def add_session(workshop: Workshop, data: SessionData) -> WorkshopSession:
    """A new agenda item at the end of the agenda."""
    check_editable(workshop)
    _check_session_times(workshop, data)
    last = db.session.scalar(
        sa.select(sa.func.max(WorkshopSession.position)).where(
            WorkshopSession.workshop_id == workshop.id
        )
    )
    themes = themes_for(data.theme_ids)
    session = WorkshopSession(
        workshop=workshop, position=(last or 0) + 1, themes=themes, **data.columns()
    )
    db.session.add(session)
    db.session.flush()
    return session


# What a participant's calendar shows of a session: a change to any of these is announced.
ANNOUNCED_FIELDS = ("title", "starts_at", "ends_at", "place")


def update_session(session: WorkshopSession, data: SessionData) -> WorkshopSession:
    """Change a session. Once the workshop is published, a change participants' calendars show
    raises the session's iCalendar SEQUENCE and is announced (`signals.session_changed`), so
    registrations can email confirmed participants the updated .ics."""
    check_editable(session.workshop)
    _check_session_times(session.workshop, data)
    before = {name: getattr(session, name) for name in ANNOUNCED_FIELDS}
    for name, value in data.columns().items():
        setattr(session, name, value)
    session.themes = themes_for(data.theme_ids, session.themes)
    changed = [name for name in ANNOUNCED_FIELDS if getattr(session, name) != before[name]]
    if changed and session.workshop.status != WorkshopStatus.DRAFT:
        session.sequence = (session.sequence or 0) + 1
        db.session.flush()
        signals.session_changed.send(session, changed=changed)
    db.session.flush()
    return session


def delete_session(session: WorkshopSession) -> None:
    workshop = session.workshop
    check_editable(workshop)
    if workshop.status != WorkshopStatus.DRAFT and len(workshop.sessions) <= 1:
        raise LastSessionError()
    workshop.sessions.remove(session)
    db.session.flush()


def move_session(session: WorkshopSession, direction: str) -> bool:
    """Swap the session with its neighbour above ("up") or below ("down"); False at an end."""
    ordered = list(session.workshop.sessions)
    index = ordered.index(session)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        return False
    for position, item in enumerate(ordered, start=1):
        item.position = position
    ordered[index].position, ordered[other].position = other + 1, index + 1
    db.session.flush()
    db.session.expire(session.workshop, ["sessions"])
    return True


# --- quotas ------------------------------------------------------------------------------------


@dataclass
class QuotaData:
    kind: QuotaKind
    value: str
    seats: int


def find_quota(workshop: Workshop, quota_id: int) -> Quota | None:
    return db.session.scalar(
        sa.select(Quota).where(Quota.id == quota_id, Quota.workshop_id == workshop.id)
    )


def add_quota(workshop: Workshop, data: QuotaData) -> Quota:
    """Reserve seats for a group; all quotas together stay within the capacity."""
    check_editable(workshop)
    lock_seats(workshop)  # the seat rules read the quotas under the same lock
    if any(q.kind == data.kind and q.value == data.value for q in workshop.quotas):
        raise QuotaExistsError()
    if sum(q.seats for q in workshop.quotas) + data.seats > workshop.capacity:
        raise QuotaExceedsCapacityError()
    quota = Quota(workshop=workshop, kind=data.kind, value=data.value, seats=data.seats)
    db.session.add(quota)
    db.session.flush()
    return quota


def delete_quota(quota: Quota) -> None:
    """Remove a quota; the seats it held become general seats."""
    workshop = quota.workshop
    check_editable(workshop)
    lock_seats(workshop)
    db.session.delete(quota)
    db.session.flush()
