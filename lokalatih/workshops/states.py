"""The workshop's life: which status may follow which, and the registration window (their labels
are in labels.py).

draft → published → registration_closed → running → completed → archived, with reopening
(registration_closed → published) and cancelling from any status before completed. Completing
waits for the last session to end, unless a manager writes why not (audited by the service).
"""

from __future__ import annotations

from datetime import datetime

from ..models import User, Workshop, WorkshopMode, WorkshopStatus, utcnow
from ..overrides import override_reason as override_reason_for
from .errors import (
    CancelReasonRequiredError,
    InvalidTransitionError,
    MeetingUrlMissingError,
    NoSessionsError,
    SessionsNotOverError,
    VenueMissingError,
)
from .timefmt import local_datetime

S = WorkshopStatus

TRANSITIONS: dict[WorkshopStatus, tuple[WorkshopStatus, ...]] = {
    S.DRAFT: (S.PUBLISHED, S.CANCELLED),
    S.PUBLISHED: (S.REGISTRATION_CLOSED, S.CANCELLED),
    S.REGISTRATION_CLOSED: (S.PUBLISHED, S.RUNNING, S.CANCELLED),
    S.RUNNING: (S.COMPLETED, S.CANCELLED),
    S.COMPLETED: (S.ARCHIVED,),
    S.ARCHIVED: (),
    S.CANCELLED: (),
}

# Shown in the public catalogue; drafts, cancelled and archived workshops are not.
PUBLIC_STATUSES = (S.PUBLISHED, S.REGISTRATION_CLOSED, S.RUNNING, S.COMPLETED)


def allowed_transitions(status: WorkshopStatus) -> tuple[WorkshopStatus, ...]:
    return TRANSITIONS[status]


def needs_venue(mode: WorkshopMode) -> bool:
    return mode in (WorkshopMode.OFFLINE, WorkshopMode.HYBRID)


def needs_meeting_url(mode: WorkshopMode) -> bool:
    return mode in (WorkshopMode.ONLINE, WorkshopMode.HYBRID)


def check_ready_to_publish(workshop: Workshop) -> None:
    """Raise the first reason the workshop cannot be published yet."""
    if not workshop.sessions:
        raise NoSessionsError()
    if needs_venue(workshop.mode) and not (workshop.venue or "").strip():
        raise VenueMissingError()
    if needs_meeting_url(workshop.mode) and not (workshop.meeting_url or "").strip():
        raise MeetingUrlMissingError()


def check_transition(workshop: Workshop, target: WorkshopStatus, reason: str | None = None) -> None:
    """Raise if `workshop` may not move to `target` now; returns quietly when it may."""
    if target not in TRANSITIONS[workshop.status]:
        raise InvalidTransitionError(workshop.status, target)
    if target == S.PUBLISHED:
        check_ready_to_publish(workshop)
    if target == S.CANCELLED and not (reason or "").strip():
        raise CancelReasonRequiredError()


def last_session_ends_at(workshop: Workshop) -> datetime | None:
    ends = [session.ends_at for session in workshop.sessions]
    return max(ends) if ends else None


def completes_early(workshop: Workshop, now: datetime | None = None) -> bool:
    """Whether marking the workshop completed at `now` would cut its last session short.
    A workshop without sessions has nothing to wait for."""
    last_end = last_session_ends_at(workshop)
    return last_end is not None and (now or utcnow()) < last_end


def check_completion(
    workshop: Workshop, actor: User, override_reason: str | None, now: datetime | None = None
) -> str | None:
    """None when the workshop may be completed at `now`; when its last session has not ended,
    the manager's reason to complete it anyway (raises `SessionsNotOverError` without one)."""
    if not completes_early(workshop, now):
        return None
    when = local_datetime(last_session_ends_at(workshop), workshop)
    return override_reason_for(actor, override_reason, SessionsNotOverError(when))


def registration_closes_at(workshop: Workshop) -> datetime | None:
    """The explicit closing time, else the start of the first session (None without sessions)."""
    if workshop.registration_closes_at is not None:
        return workshop.registration_closes_at
    starts = [session.starts_at for session in workshop.sessions]
    return min(starts) if starts else None


def is_registration_open(workshop: Workshop, now: datetime | None = None) -> bool:
    """Published, and `now` inside the registration window."""
    if workshop.status != S.PUBLISHED:
        return False
    now = now or utcnow()
    opens = workshop.registration_opens_at
    if opens is not None and now < opens:
        return False
    closes = registration_closes_at(workshop)
    return closes is None or now < closes
