"""Registering and cancelling, waitlist positions, and filling freed seats from the waitlist: every
seat decision is made under the lock. The organizer's decisions (approving, rejecting, promoting,
walk-ins, bulk actions) are in decisions.py; the seat steps both share are in transitions.py.

Services add and flush, never commit; the caller's commit keeps the change and its emails together.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa

from ..audit import record_event
from ..extensions import db
from ..models import (
    ACTIVE_STATUSES,
    Registration,
    RegistrationStatus,
    User,
    Workshop,
    WorkshopStatus,
    utcnow,
)
from ..privacy.consent import has_current_consent
from ..workshops.capacity import lock_seats, seats_left
from ..workshops.queries import find_registration
from ..workshops.states import is_registration_open
from .errors import (
    AlreadyRegisteredError,
    CancelClosedError,
    ConsentRequiredError,
    EmailNotVerifiedError,
    ProfileIncompleteError,
    RegistrationClosedError,
)
from .notifications import queue_status_email
from .transitions import (
    promote_waitlisted,
    seat_or_waitlist,
    status_details,
    waitlist_order,
)

__all__ = [
    "cancel_registration",
    "cancel_upcoming_registrations",
    "fill_free_seats",
    "find_registration",
    "lock_seats",
    "register_participant",
    "seats_left",
    "waitlist_position",
    "waitlist_positions",
    "waitlist_positions_of",
]

FINISHED_STATUSES = (WorkshopStatus.COMPLETED, WorkshopStatus.ARCHIVED)


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first on the waitlist; None when not waitlisted. Computed, so never gapped."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Registration)
        .where(
            Registration.workshop_id == registration.workshop_id,
            Registration.status == RegistrationStatus.WAITLISTED,
            sa.or_(
                Registration.waitlisted_at < registration.waitlisted_at,
                sa.and_(
                    Registration.waitlisted_at == registration.waitlisted_at,
                    Registration.id < registration.id,
                ),
            ),
        )
    )
    return ahead + 1


def waitlist_positions(workshop: Workshop) -> dict[int, int]:
    """Registration id → waitlist position for the whole workshop, in one query."""
    ids = db.session.scalars(
        sa.select(Registration.id)
        .where(
            Registration.workshop_id == workshop.id,
            Registration.status == RegistrationStatus.WAITLISTED,
        )
        .order_by(*waitlist_order())
    )
    return {registration_id: index for index, registration_id in enumerate(ids, start=1)}


def waitlist_positions_of(registrations: Sequence[Registration]) -> dict[int, int]:
    """`waitlist_position` for many registrations (of any workshops) in one statement: the id of
    each waitlisted one → its position; the others are left out."""
    workshop_ids = {
        r.workshop_id for r in registrations if r.status == RegistrationStatus.WAITLISTED
    }
    if not workshop_ids:
        return {}
    rows = db.session.execute(
        sa.select(Registration.id, Registration.workshop_id)
        .where(
            Registration.workshop_id.in_(workshop_ids),
            Registration.status == RegistrationStatus.WAITLISTED,
        )
        .order_by(Registration.workshop_id, *waitlist_order())
    )
    positions: dict[int, int] = {}
    places: dict[int, int] = {}
    for registration_id, workshop_id in rows:
        places[workshop_id] = places.get(workshop_id, 0) + 1
        positions[registration_id] = places[workshop_id]
    wanted = {r.id for r in registrations}
    return {key: value for key, value in positions.items() if key in wanted}


def check_can_register(user: User) -> None:
    """Refuse a user who cannot register yet: unverified, incomplete profile or no consent."""
    if not user.is_verified:
        raise EmailNotVerifiedError()
    if user.profile is None or not user.profile.is_complete:
        raise ProfileIncompleteError()
    if not has_current_consent(user):
        raise ConsentRequiredError()


def registration_open(workshop: Workshop, now: datetime | None = None) -> bool:
    return is_registration_open(workshop, now or utcnow())


def register_participant(
    workshop: Workshop, user: User, now: datetime | None = None
) -> Registration:
    """Register `user`: confirmed if a seat is free for them, pending when the organizer approves,
    waitlisted when full and the waitlist is on; refused with `SeatsFullError` otherwise.

    A cancelled or rejected earlier registration is reused and decided as if new.
    """
    check_can_register(user)
    lock_seats(workshop)  # two requests never both take the last seat, nor both register one user
    now = now or utcnow()  # read under the lock, so waitlist order is the order of decisions
    if not registration_open(workshop, now):
        raise RegistrationClosedError()
    registration = find_registration(workshop, user)
    if registration is not None and registration.is_active:
        raise AlreadyRegisteredError()
    if registration is None:
        # Added only once decided: the seat queries would otherwise flush a row without status.
        registration = Registration(workshop_id=workshop.id, user_id=user.id)
    _reset(registration, now)
    if workshop.requires_approval:
        registration.status = RegistrationStatus.PENDING
    else:
        seat_or_waitlist(registration, workshop, user, now)
    db.session.add(registration)
    db.session.flush()
    record_event(
        "registration_created",
        actor=user,
        target=registration,
        details=status_details(registration),
    )
    queue_status_email(registration, position=waitlist_position(registration))
    return registration


def _reset(registration: Registration, now: datetime) -> None:
    registration.created_at = now
    registration.quota_id = None
    registration.waitlisted_at = None
    registration.decision_reason = None
    registration.confirmed_at = None
    registration.cancelled_at = None


def fill_free_seats(workshop: Workshop) -> list[Registration]:
    """Move waitlisted people, in waitlist order, into the seats free for them; email each one."""
    lock_seats(workshop)
    return promote_waitlisted(workshop, utcnow())


def cancel_registration(registration: Registration, by_user: User) -> list[Registration]:
    """Cancel; a freed seat goes to the first waitlisted person(s). Cancelling twice does nothing.

    Returns the registrations promoted into the freed seat.
    """
    workshop = registration.workshop
    lock_seats(workshop)
    if not registration.is_active:
        return []
    if workshop.status in FINISHED_STATUSES:
        raise CancelClosedError()
    held_seat = registration.status == RegistrationStatus.CONFIRMED
    now = utcnow()
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.quota_id = None
    registration.waitlisted_at = None
    db.session.flush()
    record_event("registration_cancelled", actor=by_user, target=registration)
    queue_status_email(registration)
    return promote_waitlisted(workshop, now) if held_seat else []


# An erased account's registrations of workshops not yet started are cancelled; later ones stay.
NOT_STARTED = (WorkshopStatus.DRAFT, WorkshopStatus.PUBLISHED, WorkshopStatus.REGISTRATION_CLOSED)


def cancel_upcoming_registrations(user: User) -> int:
    """Cancel the user's active registrations of workshops not yet started (account erasure).

    Each freed seat goes to the waitlist. Returns how many were cancelled.
    """
    upcoming = db.session.scalars(
        sa.select(Registration)
        .join(Workshop, Workshop.id == Registration.workshop_id)
        .where(
            Registration.user_id == user.id,
            Registration.status.in_(ACTIVE_STATUSES),
            Workshop.status.in_(NOT_STARTED),
        )
        .order_by(Registration.id)
    ).all()
    for registration in upcoming:
        cancel_registration(registration, user)
    return len(upcoming)
