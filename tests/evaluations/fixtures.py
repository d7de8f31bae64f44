"""Factories for the survey tests: a workshop whose last session starts `last_start`, with a
post-test, narasumber on its sessions, and confirmed participants. Fixtures are prefixed `ev_`."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from lokalatih.evaluations import services
from lokalatih.models import (
    QuizKind,
    Registration,
    RegistrationStatus,
    Role,
    User,
    Workshop,
    WorkshopMode,
    WorkshopStatus,
    WorkshopTimezone,
)
from tests import factories
from tests.certificates.fixtures import profiled_person

SPEAKERS = ("Dr. Hana Pratiwi", "Ahmad Taufan", "")  # the third session has no narasumber
GOOD = {"relevance": "5", "clarity": "4", "materials": "4", "organisation": "3"}
GOOD |= {"confidence": "4", "recommend": "5"}


@pytest.fixture
def ev_organizer(make_user) -> User:
    return profiled_person(make_user, "Rina Hutapea", role=Role.ORGANIZER, institution="Komnas HAM")


@pytest.fixture
def ev_workshop(db, ev_organizer):
    """Factory: three sessions a day apart, the last starting at `last_start`; a post-test
    closing at `post_closes` (None: its default window), or none with `post_test=False`."""

    def make(
        last_start: datetime,
        *,
        post_test: bool = True,
        post_closes: datetime | None = None,
        organizer: User | None = None,
        status: WorkshopStatus = WorkshopStatus.RUNNING,
    ) -> Workshop:
        first = last_start - timedelta(days=2)
        sessions = []
        for position, speakers in enumerate(SPEAKERS):
            starts_at = first + timedelta(days=position)
            sessions.append((starts_at, starts_at + timedelta(hours=2), {"speakers": speakers}))
        workshop = factories.workshop(
            organizers=[organizer or ev_organizer],
            sessions=sessions,
            slug_prefix="evaluasi",
            title="Loka Latih Kota Peduli HAM {number}",
            mode=WorkshopMode.OFFLINE,
            venue="Aula Kantor Wilayah, Makassar",
            timezone=WorkshopTimezone.WITA,
            start_date=first.date(),
            end_date=last_start.date(),
            capacity=50,
            status=status,
            commit=False,
        )
        if post_test:
            factories.quiz(
                workshop, kind=QuizKind.POST, title="Pasca-tes", closes_at=post_closes, commit=False
            )
        db.session.commit()
        return workshop

    return make


@pytest.fixture
def ev_enroll(db, make_user):
    """Factory: a participant with a registration of this status (confirmed by default)."""

    def make(workshop: Workshop, status=RegistrationStatus.CONFIRMED) -> Registration:
        user = profiled_person(make_user, f"Peserta {factories.next_number()}")
        return factories.registration(workshop, user, status)

    return make


@pytest.fixture
def ev_answered(db, ev_enroll):
    """Factory: `count` confirmed participants who answered while the survey was open at `at`."""

    def make(workshop: Workshop, count: int, at: datetime, **answers: str) -> None:
        for index in range(count):
            registration = ev_enroll(workshop)
            raw = GOOD | {"most_useful": f"Materi Pasal 28I, jawaban {index + 1}"} | answers
            services.submit(registration, raw, now=at)
        db.session.commit()

    return make
