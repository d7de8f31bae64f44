"""Factories for the attendance tests: a workshop with sessions, and participants enrolled in it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lokalatih.models import (
    Registration,
    RegistrationStatus,
    Role,
    User,
    Workshop,
    WorkshopStatus,
    WorkshopTimezone,
)
from tests import factories


@pytest.fixture
def make_person(db):
    """Factory: a verified user who can log in with the test password."""

    def make(role: Role = Role.PARTICIPANT) -> User:
        return factories.user(f"hadir{factories.next_number()}@contoh.id", role=role)

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
        if sessions is None:
            now = datetime.now(UTC)
            sessions = [(now - timedelta(minutes=10), now + timedelta(minutes=60))]
        return factories.workshop(
            organizers=[organizer],
            sessions=sessions,
            slug_prefix="presensi",
            title="Loka Latih Kota Peduli HAM {number}",
            venue="Aula Kantor Wilayah, Makassar",
            timezone=timezone,
            capacity=50,
            status=status,
            session_title="Sesi {number}: DUHAM dan pemerintah daerah",
        )

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
            db.session.add(factories.profile(complete=False, user=user, full_name=full_name))
        return factories.registration(workshop, user, status)

    return make
