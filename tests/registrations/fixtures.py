"""Factories for registration tests: published workshops and participants ready to register."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from lokalatih.models import (
    REQUIRED_PURPOSES,
    ConsentRecord,
    InstitutionType,
    Quota,
    QuotaKind,
    Role,
    User,
    Workshop,
    WorkshopMode,
    WorkshopStatus,
    WorkshopTimezone,
    utcnow,
)
from tests import factories


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
        if sessions is None:
            start = (utcnow() + timedelta(days=10)).replace(
                hour=1, minute=0, second=0, microsecond=0
            )
            sessions = [(start, start + timedelta(hours=2))]
        workshop = factories.workshop(
            organizers=[organizer or make_user(role=Role.ORGANIZER)],
            sessions=sessions,
            title=title or "Loka Latih Kabupaten/Kota HAM {number}",
            summary="Pelatihan HAM bagi pemerintah daerah dan masyarakat sipil.",
            mode=WorkshopMode.ONLINE,
            meeting_url=meeting_url,
            timezone=timezone,
            capacity=capacity,
            requires_approval=requires_approval,
            waitlist_enabled=waitlist_enabled,
            status=status,
            registration_closes_at=registration_closes_at,
            session_title="Sesi {number}: Kota Peduli HAM",
            speakers="Komnas HAM, INFID",
            commit=False,
        )
        for kind, value, seats in quotas:
            workshop.quotas.append(Quota(kind=kind, value=value, seats=seats))
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
            number = factories.next_number()
            user = factories.user(
                f"peserta.reg{number}@contoh.id",
                locale=locale,
                verified=verified,
                profile=factories.profile(
                    full_name=full_name or f"Peserta {number}",
                    institution_type=institution_type,
                    province_code=province_code,
                    regency_code=regency_code,
                    phone=None if not complete_profile else factories.COMPLETE_PROFILE["phone"],
                ),
                commit=False,
            )
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
