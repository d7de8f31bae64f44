"""Builders for the lesson-hours (JP) and transcript tests: a workshop with sessions given as
(wall-clock start in the workshop's zone, minutes, JP set by the organizer or None), and a
participant who checked in to some of them. Fixtures are prefixed `jp_`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from lokalatih.models import (
    CheckIn,
    CheckInMethod,
    InstitutionType,
    Registration,
    RegistrationStatus,
    Role,
    Workshop,
    WorkshopMode,
    WorkshopStatus,
    WorkshopTimezone,
)
from tests import factories


@pytest.fixture
def jp_workshop(db, make_user):
    """Factory: a workshop whose sessions are (local start, minutes, jp_halves or None)."""
    organizer = make_user(role=Role.ORGANIZER)

    def make(
        sessions: list[tuple[datetime, int, int | None]],
        *,
        timezone: WorkshopTimezone = WorkshopTimezone.WIB,
        status: WorkshopStatus = WorkshopStatus.COMPLETED,
        title: str | None = None,
        training_hours: int | None = None,
        province_code: str = "73",
    ) -> Workshop:
        starts = [start for start, _minutes, _jp in sessions] or [datetime(2026, 3, 2, 9, 0)]
        local_end = max((start + timedelta(minutes=m) for start, m, _ in sessions), default=None)
        timed = []
        for start, minutes, jp_halves in sessions:
            starts_at = start.replace(tzinfo=timezone.zone).astimezone(UTC)
            timed.append(
                (starts_at, starts_at + timedelta(minutes=minutes), {"jp_halves": jp_halves})
            )
        return factories.workshop(
            organizers=[organizer],
            sessions=timed,
            slug_prefix="jp",
            title=title or "Loka Latih HAM {number}",
            mode=WorkshopMode.OFFLINE,
            venue="Aula",
            province_code=province_code,
            timezone=timezone,
            start_date=min(starts).date(),
            end_date=(local_end or min(starts)).date(),
            capacity=50,
            status=status,
            training_hours=training_hours,
        )

    return make


@pytest.fixture
def jp_participant(db, make_user):
    """Factory: a confirmed participant (or `user`'s registration) who checked in to the
    sessions at the given positions."""

    def make(
        workshop: Workshop,
        attended: list[int],
        *,
        user=None,
        full_name: str = "Siti Rahmawati",
        institution_type: InstitutionType = InstitutionType.LOCAL_GOVERNMENT,
        province_code: str = "73",
        status: RegistrationStatus = RegistrationStatus.CONFIRMED,
    ) -> Registration:
        if user is None:
            user = make_user(role=Role.PARTICIPANT)
            user.profile = factories.profile(
                full_name=full_name,
                institution_type=institution_type,
                institution_name="Dinas Sosial Kota Makassar",
                province_code=province_code,
                regency_code=f"{province_code}.71",
            )
        registration = Registration(workshop=workshop, user=user, status=status)
        db.session.add(registration)
        db.session.flush()
        for position in attended:
            session = workshop.sessions[position]
            db.session.add(
                CheckIn(
                    session_id=session.id,
                    registration_id=registration.id,
                    method=CheckInMethod.CODE,
                    checked_in_at=session.starts_at,
                )
            )
        db.session.commit()
        return registration

    return make
