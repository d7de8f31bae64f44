"""Factories for registration tests: published workshops and participants ready to register."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import pytest

from lokalatih.models import (
    REQUIRED_PURPOSES,
    ConsentRecord,
    Gender,
    InstitutionType,
    Profile,
    Quota,
    QuotaKind,
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
def make_workshop(db, make_user):
    """Factory: a published workshop with one future session, registration open.

    `quotas` is a list of (QuotaKind, value, seats); `sessions` a list of (starts_at, ends_at).
    """

    def make(
        *,
        capacity: int = 20,
        requires_approval: bool = False,
        waitlist_enabled: bool = True,
        status: WorkshopStatus = WorkshopStatus.PUBLISHED,
        timezone: WorkshopTimezone = WorkshopTimezone.WITA,
        quotas: list[tuple[QuotaKind, str, int]] = (),
        sessions: list[tuple[datetime, datetime]] | None = None,
        organizer: User | None = None,
        registration_closes_at: datetime | None = None,
        meeting_url: str | None = "https://meet.contoh.id/loka-latih-ham",
        title: str | None = None,
    ) -> Workshop:
        number = next(_numbers)
        if sessions is None:
            start = (utcnow() + timedelta(days=10)).replace(
                hour=1, minute=0, second=0, microsecond=0
            )
            sessions = [(start, start + timedelta(hours=2))]
        zone = timezone.zone
        organizer = organizer or make_user(role=Role.ORGANIZER)
        workshop = Workshop(
            slug=f"loka-latih-{number}",
            title=title or f"Loka Latih Kabupaten/Kota HAM {number}",
            summary="Pelatihan HAM bagi pemerintah daerah dan masyarakat sipil.",
            mode=WorkshopMode.ONLINE,
            meeting_url=meeting_url,
            timezone=timezone,
            start_date=min(s.astimezone(zone).date() for s, _ in sessions),
            end_date=max(e.astimezone(zone).date() for _, e in sessions),
            capacity=capacity,
            requires_approval=requires_approval,
            waitlist_enabled=waitlist_enabled,
            status=status,
            registration_closes_at=registration_closes_at,
            organizers=[organizer],
        )
        for position, (starts_at, ends_at) in enumerate(sessions):
            workshop.sessions.append(
                WorkshopSession(
                    position=position,
                    title=f"Sesi {position + 1}: Kota Peduli HAM",
                    speakers="Komnas HAM, INFID",
                    starts_at=starts_at,
                    ends_at=ends_at,
                )
            )
        for kind, value, seats in quotas:
            workshop.quotas.append(Quota(kind=kind, value=value, seats=seats))
        db.session.add(workshop)
        db.session.commit()
        return workshop

    return make


@pytest.fixture
def make_participants(db, consent_version):
    """Factory: `n` verified participants with complete profiles and current consent."""

    def make(
        n: int,
        *,
        institution_type: InstitutionType = InstitutionType.LOCAL_GOVERNMENT,
        province_code: str = "31",
        regency_code: str = "31.74",
        verified: bool = True,
        complete_profile: bool = True,
        consent: bool = True,
        full_name: str | None = None,
        locale: str = "id",
    ) -> list[User]:
        users = []
        for _ in range(n):
            number = next(_numbers)
            user = User(
                email=f"peserta.reg{number}@contoh.id",
                password_hash=password_hash(PASSWORD),
                role=Role.PARTICIPANT,
                locale=locale,
                email_verified_at=utcnow() if verified else None,
            )
            user.profile = Profile(
                full_name=full_name or f"Peserta {number}",
                gender=Gender.FEMALE,
                institution_type=institution_type,
                institution_name="Dinas Sosial",
                position="Analis Kebijakan",
                phone="+6281234567890",
                province_code=province_code,
                regency_code=regency_code,
            )
            if not complete_profile:
                user.profile.phone = None
            users.append(user)
        db.session.add_all(users)
        db.session.flush()
        if consent:
            db.session.add_all(
                ConsentRecord(user_id=user.id, version_id=consent_version.id, purpose=purpose)
                for user in users
                for purpose in REQUIRED_PURPOSES
            )
        db.session.commit()
        return users

    return make


@pytest.fixture
def make_participant(make_participants):
    def make(**kwargs) -> User:
        return make_participants(1, **kwargs)[0]

    return make
