"""Check-in to sessions: by rotating code, by the participant's personal QR, or by hand.

Services add and flush, never commit. One check-in per session and registration is enforced by the
database; every way of recording one goes through `_record`, which inserts at most one row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects import postgresql, sqlite

from ..audit import record_event
from ..extensions import db
from ..models import (
    CheckIn,
    CheckInMethod,
    Profile,
    Registration,
    RegistrationStatus,
    User,
    Workshop,
    WorkshopSession,
    WorkshopStatus,
)
from ..overrides import override_reason as check_override
from ..overrides import record_override
from ..participation import attendance_shares  # noqa: F401  (this feature's interface)
from ..workshops.timefmt import local_datetime
from .codes import CodeStatus, classify_code
from .errors import (
    CheckInClosedError,
    CheckInNotYetOpenError,
    CodeExpiredError,
    CodeInvalidError,
    MarkedBeforeOpeningError,
    NotCheckedInError,
    NotConfirmedError,
)
from .presence import display_name

CONFIRMED = RegistrationStatus.CONFIRMED
PERSONAL_QR_PREFIX = "LLQR1:"
MAX_SCANS_PER_BATCH = 200
# Sessions whose check-in may open within this time are looked at when listing open sessions.
LONGEST_OPENING_AHEAD = timedelta(days=1)
NO_CHECKIN_STATUSES = (WorkshopStatus.DRAFT, WorkshopStatus.CANCELLED)


# --- the check-in window ----------------------------------------------------------------------


def checkin_opens_at(session: WorkshopSession) -> datetime:
    return session.starts_at - timedelta(minutes=session.checkin_opens_minutes_before)


def is_open(session: WorkshopSession, now: datetime) -> bool:
    if session.workshop.status in NO_CHECKIN_STATUSES:
        return False
    return checkin_opens_at(session) <= now <= session.ends_at


def check_window(session: WorkshopSession, now: datetime) -> None:
    """Raise unless participants may check in to `session` at `now`."""
    if session.workshop.status in NO_CHECKIN_STATUSES or now > session.ends_at:
        raise CheckInClosedError()
    opens = checkin_opens_at(session)
    if now < opens:
        when = local_datetime(opens, session.workshop)
        raise CheckInNotYetOpenError(
            _l("Presensi belum dibuka. Presensi sesi ini dibuka mulai %(when)s.", when=when)
        )


# --- recording --------------------------------------------------------------------------------


def find_checkin(session: WorkshopSession, registration: Registration) -> CheckIn | None:
    return db.session.scalar(
        sa.select(CheckIn).where(
            CheckIn.session_id == session.id, CheckIn.registration_id == registration.id
        )
    )


def _record(
    session: WorkshopSession,
    registration: Registration,
    method: CheckInMethod,
    now: datetime,
    *,
    recorded_by: User | None = None,
    note: str | None = None,
) -> tuple[CheckIn, bool]:
    """Insert the check-in unless one exists; (the check-in, whether this call created it).

    One INSERT ... ON CONFLICT DO NOTHING on the unique (session, registration) pair: twenty
    simultaneous requests insert one row, the others wait for it and read it. Unlike a savepoint
    that catches IntegrityError, this keeps SQLite's transaction whole (pysqlite would commit early
    when releasing a savepoint that opened the transaction) and never aborts PostgreSQL's.
    """
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(CheckIn)
        .values(
            session_id=session.id,
            registration_id=registration.id,
            method=method,
            checked_in_at=now,
            recorded_by_id=recorded_by.id if recorded_by is not None else None,
            note=note,
        )
        .on_conflict_do_nothing(index_elements=["session_id", "registration_id"])
        .returning(CheckIn.id)
    )
    new_id = db.session.execute(statement).scalar()
    if new_id is not None:
        return db.session.get(CheckIn, new_id), True
    return find_checkin(session, registration), False


def confirmed_registration(workshop: Workshop, user: User) -> Registration:
    registration = db.session.scalar(
        sa.select(Registration).where(
            Registration.workshop_id == workshop.id, Registration.user_id == user.id
        )
    )
    if registration is None or registration.status != CONFIRMED:
        raise NotConfirmedError()
    return registration


def check_in(
    session: WorkshopSession, user: User, code: str, method: CheckInMethod, now: datetime
) -> tuple[CheckIn, bool]:
    """Record that `user` (always the signed-in participant) attends `session`.

    Refused outside the check-in window, for anyone but a confirmed participant, and for a code
    that is not this session's current one (or one that rotated at most a minute ago). Someone
    already checked in gets their check-in back with created=False, whatever code they sent.
    """
    registration = confirmed_registration(session.workshop, user)
    existing = find_checkin(session, registration)
    if existing is not None:
        return existing, False
    check_window(session, now)
    status = classify_code(session, code, now)
    if status is CodeStatus.EXPIRED:
        raise CodeExpiredError()
    if status is not CodeStatus.VALID:
        raise CodeInvalidError()
    return _record(session, registration, method, now)


def marking_needs_override(session: WorkshopSession, now: datetime) -> bool:
    return now < checkin_opens_at(session)


def mark_present(
    session: WorkshopSession,
    registration: Registration,
    organizer: User,
    reason: str,
    now: datetime,
    ip: str | None = None,
    override_reason: str | None = None,
) -> tuple[CheckIn, bool]:
    """An organizer records a participant by hand, with a reason; audited. From the moment
    check-in opens (also after the session, for someone the screen missed); earlier only with
    `override_reason`, audited as an override."""
    if registration.status != CONFIRMED:
        raise NotConfirmedError()
    override = None
    if marking_needs_override(session, now):
        opens = local_datetime(checkin_opens_at(session), session.workshop)
        override = check_override(organizer, override_reason, MarkedBeforeOpeningError(opens))
    checkin, created = _record(
        session, registration, CheckInMethod.MANUAL, now, recorded_by=organizer, note=reason
    )
    if created:
        record_event(
            "checkin_marked",
            actor=organizer,
            target=checkin,
            details=_details(session, registration, reason),
            ip=ip,
        )
    if created and override is not None:
        record_override(
            "mark_before_checkin_opens",
            actor=organizer,
            target=checkin,
            reason=override,
            details={
                "session_id": session.id,
                "registration_id": registration.id,
                "checkin_opens_at": checkin_opens_at(session).isoformat(),
            },
            ip=ip,
        )
    return checkin, created


def unmark(
    session: WorkshopSession,
    registration: Registration,
    organizer: User,
    reason: str,
    ip: str | None = None,
) -> None:
    """An organizer removes a check-in, with a reason; the audit entry keeps what was removed."""
    checkin = find_checkin(session, registration)
    if checkin is None:
        raise NotCheckedInError()
    details = _details(session, registration, reason)
    details |= {
        "method": checkin.method.value,
        "checked_in_at": checkin.checked_in_at.isoformat(),
    }
    record_event("checkin_unmarked", actor=organizer, target=checkin, details=details, ip=ip)
    db.session.delete(checkin)
    db.session.flush()


def _details(session: WorkshopSession, registration: Registration, reason: str) -> dict:
    return {
        "workshop_id": session.workshop_id,
        "session_id": session.id,
        "registration_id": registration.id,
        "reason": reason,
    }


# --- personal QR codes (offline venues) -------------------------------------------------------


def personal_qr_payload(registration: Registration) -> str:
    """What the participant's own QR holds: a version tag and a random token, no personal data."""
    return PERSONAL_QR_PREFIX + registration.checkin_token


def token_from_scan(text: str) -> str:
    text = (text or "").strip()
    return text[len(PERSONAL_QR_PREFIX) :] if text.startswith(PERSONAL_QR_PREFIX) else text


@dataclass(frozen=True)
class ScanResult:
    token: str  # as sent, so the scanner can drop it from its queue
    status: str  # recorded, already, unknown, not_confirmed
    name: str | None = None


def record_scans(
    session: WorkshopSession,
    scanned: Iterable[str],
    organizer: User,
    now: datetime,
    ip: str | None = None,
) -> list[ScanResult]:
    """Record the personal QR codes an organizer scanned; duplicates and re-sends change nothing."""
    scanned = list(dict.fromkeys(scanned))
    tokens = {text: token_from_scan(text) for text in scanned}
    found = db.session.execute(
        sa.select(Registration, User, Profile)
        .join(User, Registration.user_id == User.id)
        .outerjoin(Profile, Profile.user_id == User.id)
        .where(
            Registration.workshop_id == session.workshop_id,
            Registration.checkin_token.in_(set(tokens.values())),
        )
    ).all()
    by_token = {row[0].checkin_token: row for row in found}
    results = [
        _record_scan(session, text, by_token.get(tokens[text]), organizer, now) for text in scanned
    ]
    recorded = sum(result.status == "recorded" for result in results)
    if recorded:
        record_event(
            "checkins_scanned",
            actor=organizer,
            target=session,
            details={"recorded": recorded, "received": len(results)},
            ip=ip,
        )
    return results


def _record_scan(session, text, row, organizer, now) -> ScanResult:
    if row is None:
        return ScanResult(text, "unknown")
    registration, user, profile = row
    name = display_name(user, profile)
    if registration.status != CONFIRMED:
        return ScanResult(text, "not_confirmed", name)
    _, created = _record(
        session, registration, CheckInMethod.PERSONAL_QR, now, recorded_by=organizer
    )
    return ScanResult(text, "recorded" if created else "already", name)


# --- what is open ---------------------------------------------------------------------------


def open_sessions_for(user: User, now: datetime) -> list[WorkshopSession]:
    """Sessions of the user's confirmed workshops whose check-in is open at `now`."""
    sessions = db.session.scalars(
        sa.select(WorkshopSession)
        .join(Registration, Registration.workshop_id == WorkshopSession.workshop_id)
        .where(
            Registration.user_id == user.id,
            Registration.status == CONFIRMED,
            WorkshopSession.ends_at >= now,
            WorkshopSession.starts_at <= now + LONGEST_OPENING_AHEAD,
        )
        .order_by(WorkshopSession.starts_at, WorkshopSession.id)
    )
    return [session for session in sessions if is_open(session, now)]
