"""Builders for the action plan tests: a workshop whose last session has just ended, and
confirmed participants with a profile (province, regency, institution type)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from lokalatih.models import (
    ActionPlanItem,
    ActionStatus,
    InstitutionType,
    Registration,
    Role,
    Theme,
    WorkshopMode,
    WorkshopStatus,
    WorkshopTimezone,
)
from tests import factories


@pytest.fixture
def plan_organizer(make_user):
    return make_user(role=Role.ORGANIZER)


@pytest.fixture
def plan_workshop(db, clock, plan_organizer):
    """Factory: a completed workshop whose only session ends `ended_ago` before the clock (now)."""

    def make(*, ended_ago=timedelta(0), follow_up_days: int = 90, organizer=None):
        end = clock.now() - ended_ago
        return factories.workshop(
            organizers=[organizer or plan_organizer],
            sessions=[(end - timedelta(hours=3), end)],
            session_title="Peran pemerintah daerah",
            slug_prefix="kkpham",
            mode=WorkshopMode.OFFLINE,
            venue="Aula Kantor Gubernur",
            timezone=WorkshopTimezone.WITA,
            start_date=(end - timedelta(hours=3)).date(),
            end_date=(end + timedelta(hours=9)).date(),
            capacity=40,
            status=WorkshopStatus.COMPLETED,
            follow_up_days=follow_up_days,
        )

    return make


@pytest.fixture
def plan_participant(db, make_user):
    """Factory: a confirmed participant of `workshop`; returns the registration."""

    def make(
        workshop,
        *,
        name: str = "Siti Rahmawati",
        province: str = "73",
        regency: str = "73.71",
        institution_type: InstitutionType = InstitutionType.LOCAL_GOVERNMENT,
        user=None,
    ) -> Registration:
        user = user or make_user()
        if user.profile is None:
            user.profile = factories.profile(
                full_name=name,
                institution_type=institution_type,
                position="Analis",
                phone=None,
                province_code=province,
                regency_code=regency,
            )
        return factories.registration(workshop, user)

    return make


@pytest.fixture
def theme(db) -> Theme:
    """The seeded theme "Hak atas informasi"."""
    return db.session.query(Theme).filter_by(code="informasi").one()


@pytest.fixture
def add_items(db, theme):
    """Factory: write `count` actions straight into a registration's plan."""

    def add(registration, count: int = 1, status: ActionStatus | None = None, theme_id=None):
        items = [
            ActionPlanItem(
                registration_id=registration.id,
                position=n,
                action=f"Menyusun SOP layanan informasi publik {n}",
                due_date=registration.workshop.end_date + timedelta(days=60),
                theme_id=theme.id if theme_id is None else theme_id or None,
                partners="PPID Utama",
                status=status,
            )
            for n in range(1, count + 1)
        ]
        db.session.add_all(items)
        db.session.commit()
        return items

    return add
