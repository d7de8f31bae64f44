"""The seat steps every registration path shares: registering (services.py) and the organizer's
decisions and walk-ins (decisions.py) seat or waitlist someone, confirm a seat and fill freed seats
from the waitlist the same way. Callers hold the workshop's seat lock (`lock_seats`); nothing here
takes it or commits.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from ..audit import record_event
from ..extensions import db
from ..models import Registration, RegistrationStatus, User, Workshop, WorkshopStatus
from .errors import SeatsFullError, WorkshopInactiveError
from .notifications import queue_status_email
from .seats import SeatMap

# Waitlisted people move up into freed seats only while the workshop is still ahead or under way.
PROMOTING_STATUSES = (
    WorkshopStatus.PUBLISHED,
    WorkshopStatus.REGISTRATION_CLOSED,
    WorkshopStatus.RUNNING,
)


def waitlist_order():
    """First come, first served; the id orders people waitlisted in the same instant."""
    return (Registration.waitlisted_at, Registration.id)


def seat_or_waitlist(
    registration: Registration, workshop: Workshop, user: User, now: datetime
) -> None:
    free, quota_id = SeatMap(workshop).seat_for(user)
    if free:
        confirm_seat(registration, quota_id, now)
    elif workshop.waitlist_enabled:
        registration.status = RegistrationStatus.WAITLISTED
        registration.waitlisted_at = now
    else:
        raise SeatsFullError()


def confirm_seat(registration: Registration, quota_id: int | None, now: datetime) -> None:
    registration.status = RegistrationStatus.CONFIRMED
    registration.quota_id = quota_id
    registration.confirmed_at = now
    registration.waitlisted_at = None


def check_still_running(workshop: Workshop) -> None:
    if workshop.status not in PROMOTING_STATUSES:
        raise WorkshopInactiveError()


def status_details(registration: Registration) -> dict:
    """The audit event's details of a registration whose status just changed."""
    return {"status": str(registration.status)}


def promote_waitlisted(workshop: Workshop, now: datetime) -> list[Registration]:
    """Move waitlisted people, in waitlist order, into the seats free for them; email each one."""
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
        .order_by(*waitlist_order())
    ).all()
    promoted: list[Registration] = []
    for registration in waiting:
        if seat_map.free <= 0:
            break
        free, quota_id = seat_map.seat_for(registration.user)
        if free:
            confirm_seat(registration, quota_id, now)
            seat_map.take(quota_id)
            promoted.append(registration)
    db.session.flush()
    for registration in promoted:
        record_event("registration_promoted", target=registration, details={"automatic": True})
        queue_status_email(registration, promoted=True)
    return promoted
