"""Registering, cancelling, approving and promoting: every seat decision is made under the lock.

Services add and flush, never commit; the caller's commit keeps the change and its emails together.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from ..audit import record_event
from ..auth.passwords import hash_password
from ..auth.services import checked_email, find_user_by_email
from ..extensions import db
from ..models import (
    ACTIVE_STATUSES,
    Profile,
    Registration,
    RegistrationStatus,
    Role,
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
    NoSeatFreeError,
    NotActiveError,
    NotFoundHereError,
    NotPendingError,
    NotWaitlistedError,
    ProfileIncompleteError,
    RegistrationClosedError,
    RegistrationError,
    SeatsFullError,
    WalkInAlreadyConfirmedError,
    WalkInErasedAccountError,
    WalkInFullError,
    WalkInNoWaitlistError,
    WorkshopInactiveError,
)
from .notifications import queue_status_email, queue_walk_in_invitation
from .seats import SeatMap

__all__ = [
    "Approval",
    "BulkResult",
    "add_walk_in",
    "approve_registration",
    "approve_registrations",
    "cancel_registration",
    "cancel_upcoming_registrations",
    "fill_free_seats",
    "find_registration",
    "lock_seats",
    "promote_registration",
    "promote_registrations",
    "register_participant",
    "reject_registration",
    "reject_registrations",
    "seats_left",
    "waitlist_position",
    "waitlist_positions",
    "waitlist_positions_of",
]

# Waitlisted people move up into freed seats only while the workshop is still ahead or under way.
PROMOTING_STATUSES = (
    WorkshopStatus.PUBLISHED,
    WorkshopStatus.REGISTRATION_CLOSED,
    WorkshopStatus.RUNNING,
)
FINISHED_STATUSES = (WorkshopStatus.COMPLETED, WorkshopStatus.ARCHIVED)


def _waitlist_order():
    return (Registration.waitlisted_at, Registration.id)


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
        .order_by(*_waitlist_order())
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
        .order_by(Registration.workshop_id, *_waitlist_order())
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
        _seat_or_waitlist(registration, workshop, user, now)
    db.session.add(registration)
    db.session.flush()
    record_event(
        "registration_created", actor=user, target=registration, details=_status(registration)
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


def _seat_or_waitlist(
    registration: Registration, workshop: Workshop, user: User, now: datetime
) -> None:
    free, quota_id = SeatMap(workshop).seat_for(user)
    if free:
        _confirm(registration, quota_id, now)
    elif workshop.waitlist_enabled:
        registration.status = RegistrationStatus.WAITLISTED
        registration.waitlisted_at = now
    else:
        raise SeatsFullError()


def _confirm(registration: Registration, quota_id: int | None, now: datetime) -> None:
    registration.status = RegistrationStatus.CONFIRMED
    registration.quota_id = quota_id
    registration.confirmed_at = now
    registration.waitlisted_at = None


def _check_still_running(workshop: Workshop) -> None:
    if workshop.status not in PROMOTING_STATUSES:
        raise WorkshopInactiveError()


def _status(registration: Registration) -> dict:
    return {"status": str(registration.status)}


def fill_free_seats(workshop: Workshop) -> list[Registration]:
    """Move waitlisted people, in waitlist order, into the seats free for them; email each one."""
    lock_seats(workshop)
    return _fill(workshop, utcnow())


def _fill(workshop: Workshop, now: datetime) -> list[Registration]:
    if workshop.status not in PROMOTING_STATUSES:
        return []
    seat_map = SeatMap(workshop)
    if seat_map.free <= 0:
        return []
    waiting = db.session.scalars(
        sa.select(Registration)
        .options(selectinload(Registration.user).selectinload(User.profile))
        .where(
            Registration.workshop_id == workshop.id,
            Registration.status == RegistrationStatus.WAITLISTED,
        )
        .order_by(*_waitlist_order())
    ).all()
    promoted: list[Registration] = []
    for registration in waiting:
        if seat_map.free <= 0:
            break
        free, quota_id = seat_map.seat_for(registration.user)
        if free:
            _confirm(registration, quota_id, now)
            seat_map.take(quota_id)
            promoted.append(registration)
    db.session.flush()
    for registration in promoted:
        record_event("registration_promoted", target=registration, details={"automatic": True})
        queue_status_email(registration, promoted=True)
    return promoted


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
    return _fill(workshop, now) if held_seat else []


@dataclass(frozen=True)
class Approval:
    """What approving did: the organizer is told whether the participant got a seat or a place
    on the waitlist, since the button is the same for both."""

    registration: Registration
    waitlist_position: int | None  # None when confirmed

    @property
    def confirmed(self) -> bool:
        return self.registration.status == RegistrationStatus.CONFIRMED


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


def approve_registration(registration: Registration, by_user: User) -> Approval:
    """Approve a pending registration: confirmed if a seat is free for them, else waitlisted,
    else refused with `SeatsFullError` when the waitlist is off."""
    workshop = registration.workshop
    lock_seats(workshop)
    if registration.status != RegistrationStatus.PENDING:
        raise NotPendingError()
    _check_still_running(workshop)
    _seat_or_waitlist(registration, workshop, registration.user, utcnow())
    db.session.flush()
    record_event(
        "registration_approved", actor=by_user, target=registration, details=_status(registration)
    )
    position = waitlist_position(registration)
    queue_status_email(registration, position=position)
    return Approval(registration, position)


def reject_registration(
    registration: Registration, by_user: User, reason: str
) -> list[Registration]:
    """Reject an active registration with a reason for the participant. A confirmed one frees its
    seat, which goes to the waitlist; returns the registrations promoted."""
    workshop = registration.workshop
    lock_seats(workshop)
    if not registration.is_active:
        raise NotActiveError()
    held_seat = registration.status == RegistrationStatus.CONFIRMED
    now = utcnow()
    registration.status = RegistrationStatus.REJECTED
    registration.decision_reason = reason
    registration.quota_id = None
    registration.waitlisted_at = None
    db.session.flush()
    record_event(
        "registration_rejected", actor=by_user, target=registration, details={"reason": reason}
    )
    queue_status_email(registration)
    return _fill(workshop, now) if held_seat else []


def promote_registration(registration: Registration, by_user: User) -> Registration:
    """Move one waitlisted person into a free seat by hand, out of waitlist order if need be."""
    workshop = registration.workshop
    lock_seats(workshop)
    if registration.status != RegistrationStatus.WAITLISTED:
        raise NotWaitlistedError()
    _check_still_running(workshop)
    seat_map = SeatMap(workshop)
    free, quota_id = seat_map.seat_for(registration.user)
    if not free:
        raise NoSeatFreeError()
    _confirm(registration, quota_id, utcnow())
    db.session.flush()
    record_event(
        "registration_promoted", actor=by_user, target=registration, details={"automatic": False}
    )
    queue_status_email(registration, promoted=True)
    return registration


# --- many registrations at once (the registrant list's bulk actions) ---------------------------


@dataclass
class BulkResult:
    """What a bulk action did: each selected registration is counted once.

    `done`: approved (with a seat), rejected or promoted; `waitlisted`: approved but put on the
    waitlist because no seat was free; `promoted_from_waitlist`: people who moved up into seats a
    rejection freed; `skipped`: error code → how many, with one message per code to show."""

    done: int = 0
    waitlisted: int = 0
    promoted_from_waitlist: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    skip_messages: dict[str, str] = field(default_factory=dict)

    def skip(self, error: RegistrationError) -> None:
        self.skipped[error.code] = self.skipped.get(error.code, 0) + 1
        self.skip_messages.setdefault(error.code, str(error.message))

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())


def _selected(workshop: Workshop, registration_ids: list[int], result: BulkResult):
    """The workshop's registrations among `registration_ids`, in registration order (earlier
    registrants get the seats first); an id of another workshop or none at all is skipped."""
    wanted = set(registration_ids)
    found = db.session.scalars(
        sa.select(Registration)
        .where(Registration.workshop_id == workshop.id, Registration.id.in_(wanted))
        .order_by(Registration.created_at, Registration.id)
    ).all()
    for _ in range(len(wanted) - len(found)):
        result.skip(NotFoundHereError())
    return found


def approve_registrations(
    workshop: Workshop, registration_ids: list[int], by_user: User
) -> BulkResult:
    """Approve each pending one as `approve_registration` does: a seat while one is free for
    them, then the waitlist; the others are skipped with the reason."""
    lock_seats(workshop)  # once for the whole batch: the seats are counted as they are given
    result = BulkResult()
    for registration in _selected(workshop, registration_ids, result):
        try:
            approval = approve_registration(registration, by_user)
        except RegistrationError as error:
            result.skip(error)
            continue
        if approval.confirmed:
            result.done += 1
        else:
            result.waitlisted += 1
    return result


def reject_registrations(
    workshop: Workshop, registration_ids: list[int], by_user: User, reason: str
) -> BulkResult:
    """Reject each active one with the same reason, as `reject_registration` does (each is
    emailed the reason; freed seats go to the waitlist)."""
    lock_seats(workshop)
    result = BulkResult()
    chosen = set(registration_ids)
    for registration in _selected(workshop, registration_ids, result):
        try:
            promoted = reject_registration(registration, by_user, reason)
        except RegistrationError as error:
            result.skip(error)
            continue
        result.done += 1
        # A freed seat may go to someone rejected later in this batch: count those not chosen.
        result.promoted_from_waitlist += sum(1 for r in promoted if r.id not in chosen)
    return result


def promote_registrations(
    workshop: Workshop, registration_ids: list[int], by_user: User
) -> BulkResult:
    """Move each waitlisted one into a free seat, as `promote_registration` does, in
    registration order; once the seats run out the rest are skipped."""
    lock_seats(workshop)
    result = BulkResult()
    for registration in _selected(workshop, registration_ids, result):
        try:
            promote_registration(registration, by_user)
        except RegistrationError as error:
            result.skip(error)
            continue
        result.done += 1
    return result


# --- walk-ins ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WalkIn:
    """A participant the organizer added by email: `new_account` when the account was made now
    (and an invitation to set a password was emailed)."""

    registration: Registration
    new_account: bool
    waitlist_position: int | None  # None when confirmed

    @property
    def confirmed(self) -> bool:
        return self.registration.status == RegistrationStatus.CONFIRMED


def add_walk_in(
    workshop: Workshop,
    email: str,
    by_user: User,
    *,
    name: str | None = None,
    waitlist: bool = False,
    ip: str | None = None,
) -> WalkIn:
    """Register the person with `email` as confirmed, by the organizer's hand: no profile,
    consent or registration window is asked for (they stand at the door).

    With no seat free, `WalkInFullError` unless `waitlist` (then they join the waitlist), or
    `WalkInNoWaitlistError` when the waitlist is off. An address without an account gets an
    unverified participant account and an email with a link to set a password, which also
    verifies the address (the password-reset link of lokalatih.auth)."""
    address = checked_email(email)  # InvalidEmailError: shown next to the email field
    lock_seats(workshop)
    _check_still_running(workshop)
    user = find_user_by_email(address)
    new_account = user is None
    if user is None:
        user = _invited_account(address, name)
    elif user.erased_at is not None:
        raise WalkInErasedAccountError()
    elif name and (user.profile is None or not user.profile.full_name):
        _set_name(user, name)
    registration = find_registration(workshop, user)
    if registration is not None and registration.status == RegistrationStatus.CONFIRMED:
        raise WalkInAlreadyConfirmedError()
    now = utcnow()
    if registration is None:
        registration = Registration(workshop_id=workshop.id, user_id=user.id)
    if registration.status != RegistrationStatus.WAITLISTED or not waitlist:
        # A waitlisted person asked onto the waitlist again keeps their place.
        _walk_in_seat(registration, workshop, user, now, waitlist)
    registration.decision_reason = None
    registration.cancelled_at = None
    db.session.add(registration)
    db.session.flush()
    record_event(
        "registration_walk_in",
        actor=by_user,
        target=registration,
        details={**_status(registration), "new_account": new_account},
        ip=ip,
    )
    position = waitlist_position(registration)
    queue_status_email(registration, position=position)
    if new_account:
        queue_walk_in_invitation(user, workshop)
    return WalkIn(registration, new_account, position)


def _walk_in_seat(
    registration: Registration, workshop: Workshop, user: User, now: datetime, waitlist: bool
) -> None:
    free, quota_id = SeatMap(workshop).seat_for(user)
    if free:
        _confirm(registration, quota_id, now)
    elif not workshop.waitlist_enabled:
        raise WalkInNoWaitlistError()
    elif not waitlist:
        raise WalkInFullError()
    else:
        registration.status = RegistrationStatus.WAITLISTED
        registration.quota_id = None
        registration.waitlisted_at = now


def _invited_account(email: str, name: str | None) -> User:
    # A random password nobody knows: the account is opened with the emailed link.
    user = User(
        email=email,
        password_hash=hash_password(secrets.token_urlsafe(32)),
        role=Role.PARTICIPANT,
        locale=current_app.config["BABEL_DEFAULT_LOCALE"],
    )
    db.session.add(user)
    db.session.flush()
    if name:
        _set_name(user, name)
    return user


def _set_name(user: User, name: str) -> None:
    if user.profile is None:
        user.profile = Profile(full_name=name)
    else:
        user.profile.full_name = name
    db.session.flush()
