"""Factories for the attendance tests: a workshop with sessions, and participants enrolled in it."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from lokalatih.models import (
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
from tests.conftest import PASSWORD, password_hash

_numbers = itertools.count(1)


@pytest.fixture
def make_person(db):
    """Factory: a verified user who can log in with the test password."""

    def make(role: Role = Role.PARTICIPANT) -> User:
        number = next(_numbers)
        user = User(
            email=f"hadir{number}@contoh.id",
            password_hash=password_hash(PASSWORD),
            role=role,
            locale="id",
            email_verified_at=utcnow(),
        )
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def organizer(make_person) -> User:
    return make_person(Role.ORGANIZER)


@pytest.fixture
def make_workshop(db, organizer):
    """Factory: a running workshop; `sessions` are (start, end) pairs, by default one session
    that started ten minutes ago and ends in an hour (check-in open now)."""

    def make(
        sessions: list[tuple[datetime, datetime]] | None = None,
        *,
        organizer: User = organizer,
        status: WorkshopStatus = WorkshopStatus.RUNNING,
        timezone: WorkshopTimezone = WorkshopTimezone.WITA,
    ) -> Workshop:
        number = next(_numbers)
        if sessions is None:
            now = datetime.now(UTC)
            sessions = [(now - timedelta(minutes=10), now + timedelta(minutes=60))]
        zone = timezone.zone
        workshop = Workshop(
            slug=f"presensi-{number}",
            title=f"Loka Latih Kota Peduli HAM {number}",
            mode=WorkshopMode.HYBRID,
            venue="Aula Kantor Wilayah, Makassar",
            timezone=timezone,
            start_date=min(start.astimezone(zone).date() for start, _ in sessions),
            end_date=max(end.astimezone(zone).date() for _, end in sessions),
            capacity=50,
            status=status,
            organizers=[organizer],
        )
        for position, (starts_at, ends_at) in enumerate(sessions):
            workshop.sessions.append(
                WorkshopSession(
                    position=position,
                    title=f"Sesi {position + 1}: DUHAM dan pemerintah daerah",
                    starts_at=starts_at,
                    ends_at=ends_at,
                )
            )
        db.session.add(workshop)
        db.session.commit()
        return workshop

    return make


@pytest.fixture
def enroll(db, make_person):
    """Factory: a participant registered in `workshop` (confirmed unless told otherwise)."""

    def make(
        workshop: Workshop,
        user: User | None = None,
        *,
        status: RegistrationStatus = RegistrationStatus.CONFIRMED,
        full_name: str | None = None,
    ) -> Registration:
        user = user or make_person()
        if full_name is not None:
            db.session.add(Profile(user=user, full_name=full_name))
        registration = Registration(workshop=workshop, user=user, status=status)
        db.session.add(registration)
        db.session.commit()
        return registration

    return make
