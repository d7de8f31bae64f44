"""Factories for workshop tests: workshops in any status, their sessions and registrations."""

from __future__ import annotations

from datetime import date

import pytest

from lokalatih.models import (
    Registration,
    RegistrationStatus,
    Role,
    User,
    Workshop,
    WorkshopMode,
    WorkshopStatus,
    WorkshopTimezone,
    WorkshopTopic,
)
from tests import factories
from tests.workshops.workshop_helpers import MEETING_URL, utc


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
        fields.setdefault("venue", "Aula Kantor Wilayah, Jl. Merdeka 1")
        fields.setdefault("meeting_url", MEETING_URL)
        day = (start_date.year, start_date.month, start_date.day)
        workshop = factories.workshop(
            organizers=organizers if organizers is not None else [organizer],
            sessions=[(utc(*day, n + 1), utc(*day, n + 2)) for n in range(1, sessions + 1)],
            slug_prefix="loka-latih-uji",
            title=title or "Loka Latih HAM Uji {number}",
            mode=mode,
            timezone=timezone,
            start_date=start_date,
            end_date=end_date,
            capacity=capacity,
            status=status,
            province_code=province_code,
            speakers="Narasumber Komnas HAM",
            first_position=1,
            commit=False,
            **fields,
        )
        workshop.topics = [WorkshopTopic(tag=tag) for tag in topics]
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
        return factories.registration(
            workshop, user or make_user(**user_options), status, stamped=True
        )

    return make
