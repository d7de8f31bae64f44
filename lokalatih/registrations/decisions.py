"""The organizer's decisions on registrations: approving, rejecting and promoting one, the same
for many at once (the registrant list's bulk actions), and adding a walk-in by email.

Every seat decision is made under the seat lock, with the seat and waitlist helpers of services.py.
Services add and flush, never commit; the caller's commit keeps the change and its emails together.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from ..audit import record_event
from ..auth.passwords import hash_password
from ..auth.services import checked_email, find_user_by_email
from ..extensions import db
from ..models import Profile, Registration, RegistrationStatus, Role, User, Workshop, utcnow
from ..workshops.capacity import lock_seats
from ..workshops.queries import find_registration
from .errors import (
    NoSeatFreeError,
    NotActiveError,
    NotFoundHereError,
    NotPendingError,
    NotWaitlistedError,
    RegistrationError,
    WalkInAlreadyConfirmedError,
    WalkInErasedAccountError,
    WalkInFullError,
    WalkInNoWaitlistError,
)
from .notifications import queue_status_email, queue_walk_in_invitation
from .seats import SeatMap
from .services import waitlist_position
from .transitions import (
    check_still_running,
    confirm_seat,
    promote_waitlisted,
    seat_or_waitlist,
    status_details,
)


@dataclass(frozen=True)
class Approval:
    """What approving did: the organizer is told whether the participant got a seat or a place
    on the waitlist, since the button is the same for both."""

    registration: Registration
    waitlist_position: int | None  # None when confirmed

    @property
    def confirmed(self) -> bool:
        return self.registration.status == RegistrationStatus.CONFIRMED


def approve_registration(registration: Registration, by_user: User) -> Approval:
    """Approve a pending registration: confirmed if a seat is free for them, else waitlisted,
    else refused with `SeatsFullError` when the waitlist is off."""
    workshop = registration.workshop
    lock_seats(workshop)
    if registration.status != RegistrationStatus.PENDING:
        raise NotPendingError()
    check_still_running(workshop)
    seat_or_waitlist(registration, workshop, registration.user, utcnow())
    db.session.flush()
    record_event(
        "registration_approved",
        actor=by_user,
        target=registration,
        details=status_details(registration),
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
    return promote_waitlisted(workshop, now) if held_seat else []


def promote_registration(registration: Registration, by_user: User) -> Registration:
    """Move one waitlisted person into a free seat by hand, out of waitlist order if need be."""
    workshop = registration.workshop
    lock_seats(workshop)
    if registration.status != RegistrationStatus.WAITLISTED:
        raise NotWaitlistedError()
    check_still_running(workshop)
    seat_map = SeatMap(workshop)
    free, quota_id = seat_map.seat_for(registration.user)
    if not free:
        raise NoSeatFreeError()
    confirm_seat(registration, quota_id, utcnow())
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
    check_still_running(workshop)
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
        details={**status_details(registration), "new_account": new_account},
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
        confirm_seat(registration, quota_id, now)
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
