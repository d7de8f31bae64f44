"""Factories for workshop tests: workshops in any status, their sessions and registrations."""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from lokalatih.models import (
    Registration,
    RegistrationStatus,
    Role,
    User,
    Workshop,
    WorkshopMode,
    WorkshopSession,
    WorkshopStatus,
    WorkshopTimezone,
    WorkshopTopic,
    utcnow,
)
from tests.workshops.workshop_helpers import MEETING_URL, utc

_numbers = itertools.count(1)


@pytest.fixture
def organizer(make_user) -> User:
    return make_user("penyelenggara@contoh.id", role=Role.ORGANIZER)


@pytest.fixture
def make_workshop(db, organizer):
    """Factory: a workshop 7–8 December 2030 (WIB) with one session, organized by `organizer`."""

    def make(
        *,
        status: WorkshopStatus = WorkshopStatus.PUBLISHED,
        mode: WorkshopMode = WorkshopMode.HYBRID,
        timezone: WorkshopTimezone = WorkshopTimezone.WIB,
        start_date: date = date(2030, 12, 7),
        end_date: date = date(2030, 12, 8),
        sessions: int = 1,
        capacity: int = 30,
        province_code: str | None = None,
        topics: tuple[str, ...] = (),
        organizers: list[User] | None = None,
        title: str | None = None,
        **fields,
    ) -> Workshop:
        number = next(_numbers)
        fields.setdefault("venue", "Aula Kantor Wilayah, Jl. Merdeka 1")
        fields.setdefault("meeting_url", MEETING_URL)
        workshop = Workshop(
            slug=f"loka-latih-uji-{number}",
            title=title or f"Loka Latih HAM Uji {number}",
            mode=mode,
            timezone=timezone,
            start_date=start_date,
            end_date=end_date,
            capacity=capacity,
            status=status,
            province_code=province_code,
            **fields,
        )
        workshop.organizers.extend(organizers if organizers is not None else [organizer])
        workshop.topics = [WorkshopTopic(tag=tag) for tag in topics]
        for position in range(1, sessions + 1):
            workshop.sessions.append(
                WorkshopSession(
                    position=position,
                    title=f"Sesi {position}",
                    speakers="Narasumber Komnas HAM",
                    starts_at=utc(start_date.year, start_date.month, start_date.day, position + 1),
                    ends_at=utc(start_date.year, start_date.month, start_date.day, position + 2),
                )
            )
        db.session.add(workshop)
        db.session.commit()
        return workshop

    return make


@pytest.fixture
def register(db, make_user):
    """Factory: a registration row in a given status (the registrations feature is not used)."""

    def make(
        workshop: Workshop,
        status: RegistrationStatus = RegistrationStatus.CONFIRMED,
        user: User | None = None,
        **user_options,
    ) -> Registration:
        user = user or make_user(**user_options)
        registration = Registration(
            workshop=workshop,
            user=user,
            status=status,
            confirmed_at=utcnow() if status == RegistrationStatus.CONFIRMED else None,
            waitlisted_at=utcnow() if status == RegistrationStatus.WAITLISTED else None,
        )
        db.session.add(registration)
        db.session.commit()
        return registration

    return make
