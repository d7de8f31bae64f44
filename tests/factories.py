"""Builders for test data: users, profiles, workshops with their sessions, registrations.

Every fixture that makes one of these is a thin wrapper that picks its feature's defaults and
calls a builder here, so a new column needs one change, not one per test folder. Builders add to
the session and commit (pass `commit=False` to keep building in the same transaction).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from datetime import datetime

from lokalatih.extensions import db
from lokalatih.models import (
    Gender,
    InstitutionType,
    Profile,
    Registration,
    RegistrationStatus,
    Role,
    User,
    Workshop,
    WorkshopMode,
    WorkshopSession,
    WorkshopStatus,
    WorkshopTimezone,
    utcnow,
)
from tests.support import PASSWORD, password_hash

_numbers = itertools.count(1)

# A complete profile: what registering asks for (name, gender, institution, position, phone,
# province and kabupaten/kota).
COMPLETE_PROFILE = {
    "full_name": "Siti Rahmawati",
    "gender": Gender.FEMALE,
    "institution_type": InstitutionType.LOCAL_GOVERNMENT,
    "institution_name": "Dinas Sosial",
    "position": "Analis Kebijakan",
    "phone": "+6281234567890",
    "province_code": "31",
    "regency_code": "31.74",
}


def next_number() -> int:
    """A number no other built object of this run has (for unique emails and slugs)."""
    return next(_numbers)


def profile(*, complete: bool = True, **fields) -> Profile:
    """A profile (not yet added): complete unless `complete=False`; `fields` override."""
    values = dict(COMPLETE_PROFILE) if complete else {}
    values.update(fields)
    return Profile(**values)


def user(
    email: str | None = None,
    *,
    password: str = PASSWORD,
    role: Role = Role.PARTICIPANT,
    verified: bool = True,
    locale: str = "id",
    profile: Profile | None = None,
    commit: bool = True,
) -> User:
    """A user who can log in with `password`, with `profile` if one is given."""
    person = User(
        email=email or f"peserta{next_number()}@contoh.id",
        password_hash=password_hash(password),
        role=role,
        locale=locale,
        email_verified_at=utcnow() if verified else None,
    )
    if profile is not None:
        person.profile = profile
    db.session.add(person)
    _finish(commit)
    return person


def workshop(
    *,
    organizers: Iterable[User] = (),
    sessions: Sequence[tuple[datetime, datetime] | tuple[datetime, datetime, dict]] = (),
    slug_prefix: str = "loka-latih",
    slug: str | None = None,
    title: str | None = None,
    timezone: WorkshopTimezone = WorkshopTimezone.WIB,
    mode: WorkshopMode = WorkshopMode.HYBRID,
    status: WorkshopStatus = WorkshopStatus.PUBLISHED,
    capacity: int = 30,
    session_title: str = "Sesi {number}",
    speakers: str | None = None,
    first_position: int = 0,
    commit: bool = True,
    **fields,
) -> Workshop:
    """A workshop with one session per (start, end[, other session fields]), each titled
    `session_title` (numbered from 1). `title` may hold `{number}`, the workshop's unique number.
    Its dates are the sessions' first and last day in its zone unless `fields` give them."""
    number = next_number()
    zone = timezone.zone
    if sessions:
        fields.setdefault("start_date", min(one[0].astimezone(zone).date() for one in sessions))
        fields.setdefault("end_date", max(one[1].astimezone(zone).date() for one in sessions))
    built = Workshop(
        slug=slug or f"{slug_prefix}-{number}",
        title=(title or "Loka Latih Kabupaten/Kota Peduli HAM {number}").replace(
            "{number}", str(number)
        ),
        mode=mode,
        timezone=timezone,
        status=status,
        capacity=capacity,
        **fields,
    )
    built.organizers.extend(organizers)
    for index, (starts_at, ends_at, *extra) in enumerate(sessions):
        values = {
            "position": first_position + index,
            "title": session_title.format(number=index + 1),
            "speakers": speakers,
        }
        values.update(*extra)
        built.sessions.append(WorkshopSession(starts_at=starts_at, ends_at=ends_at, **values))
    db.session.add(built)
    _finish(commit)
    return built


def registration(
    workshop: Workshop,
    person: User,
    status: RegistrationStatus = RegistrationStatus.CONFIRMED,
    *,
    stamped: bool = False,
    commit: bool = True,
) -> Registration:
    """`person` registered in `workshop`; `stamped` also sets the moment of its status."""
    registered = Registration(workshop=workshop, user=person, status=status)
    if stamped and status == RegistrationStatus.CONFIRMED:
        registered.confirmed_at = utcnow()
    if stamped and status == RegistrationStatus.WAITLISTED:
        registered.waitlisted_at = utcnow()
    db.session.add(registered)
    _finish(commit)
    return registered


def _finish(commit: bool) -> None:
    if commit:
        db.session.commit()
    else:
        db.session.flush()
