"""Who came: counts and lists of a session's attendance, a participant's share of the sessions,
and the names the check-in screen shows as people arrive."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from ..extensions import db
from ..models import CheckIn, Profile, Registration, RegistrationStatus, User, WorkshopSession
from ..participation import attendance_counts
from ..privacy.erasure import ERASED_NAME

CONFIRMED = RegistrationStatus.CONFIRMED


def display_name(user: User, profile: Profile | None) -> str:
    if user.erased_at is not None:
        return str(ERASED_NAME)
    if profile is not None and profile.full_name:
        return profile.full_name
    return user.email


def session_counts(session: WorkshopSession) -> tuple[int, int]:
    """(confirmed participants checked in, confirmed participants) of one session."""
    confirmed = (
        sa.select(sa.func.count())
        .select_from(Registration)
        .where(Registration.workshop_id == session.workshop_id, Registration.status == CONFIRMED)
    )
    checked_in = confirmed.join(CheckIn, CheckIn.registration_id == Registration.id).where(
        CheckIn.session_id == session.id
    )
    return db.session.scalar(checked_in), db.session.scalar(confirmed)


@dataclass(frozen=True)
class AttendanceRow:
    registration: Registration
    name: str
    email: str
    institution: str | None
    checkin: CheckIn | None


def session_attendance(session: WorkshopSession) -> list[AttendanceRow]:
    """Confirmed participants (and anyone else already checked in), by name, with their check-in."""
    rows = db.session.execute(
        sa.select(Registration, User, Profile, CheckIn)
        .join(User, Registration.user_id == User.id)
        .outerjoin(Profile, Profile.user_id == User.id)
        .outerjoin(
            CheckIn,
            sa.and_(CheckIn.registration_id == Registration.id, CheckIn.session_id == session.id),
        )
        .where(
            Registration.workshop_id == session.workshop_id,
            sa.or_(Registration.status == CONFIRMED, CheckIn.id.is_not(None)),
        )
    ).all()
    result = [
        AttendanceRow(
            registration=registration,
            name=display_name(user, profile),
            email=user.email,
            institution=profile.institution_name if profile is not None else None,
            checkin=checkin,
        )
        for registration, user, profile, checkin in rows
    ]
    return sorted(result, key=lambda row: (row.name.casefold(), row.registration.id))


def share_percent(attended: int, total: int) -> float:
    """Attendance in percent (0–100); exact for whole percentages, 0.0 without sessions."""
    return 100 * attended / total if total else 0.0


def attendance_share(registration: Registration) -> float:
    """The share of the workshop's sessions this registration attended, in percent (0–100)."""
    return share_percent(*attendance_counts(registration))


def recent_check_ins(session: WorkshopSession, limit: int = 8) -> list[str]:
    """The names of the last people to check in to `session`, newest first (the screen's list)."""
    rows = db.session.execute(
        sa.select(User, Profile)
        .join(Registration, Registration.user_id == User.id)
        .join(CheckIn, CheckIn.registration_id == Registration.id)
        .outerjoin(Profile, Profile.user_id == User.id)
        .where(CheckIn.session_id == session.id)
        .order_by(CheckIn.checked_in_at.desc(), CheckIn.id.desc())
        .limit(limit)
    ).all()
    return [display_name(user, profile) for user, profile in rows]
