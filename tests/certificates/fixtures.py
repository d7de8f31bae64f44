"""Factories for the certificate tests: a finished workshop with sessions and a post-test, and
participants with the check-ins and post-test attempts they made. Fixtures are prefixed `cert_`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from lokalatih.certificates.services import issue_certificate
from lokalatih.models import (
    CheckIn,
    CheckInMethod,
    Quiz,
    QuizKind,
    Registration,
    RegistrationStatus,
    Role,
    User,
    Workshop,
    WorkshopStatus,
    WorkshopTimezone,
)
from tests import factories

FIRST_DAY = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # 09.00 WITA, Monday 7 December 2026
NO_ATTEMPT = object()  # a participant who never opened the post-test


@pytest.fixture
def cert_organizer(make_user) -> User:
    return profiled_person(make_user, "Rina Hutapea", role=Role.ORGANIZER, institution="Komnas HAM")


def profiled_person(
    make_user,
    full_name: str | None,
    *,
    role: Role = Role.PARTICIPANT,
    locale: str = "id",
    institution: str = "Dinas Sosial Kota Makassar",
) -> User:
    """A user of Makassar's local government with a complete profile (none without a name)."""
    person = make_user(role=role, locale=locale)
    if full_name is not None:
        person.profile = factories.profile(
            full_name=full_name,
            institution_name=institution,
            province_code="73",
            regency_code="73.71",
        )
    return person


@pytest.fixture
def cert_workshop(db, cert_organizer):
    """Factory: a completed hybrid workshop over three days with `sessions` sessions, a post-test
    (unless `post_test=False`) and the rule given."""

    def make(
        *,
        sessions: int = 5,
        status: WorkshopStatus = WorkshopStatus.COMPLETED,
        post_test: bool = True,
        min_pct: int = 80,
        requires_post_test: bool = True,
        min_score: int | None = None,
        organizer: User | None = None,
        title: str | None = None,
    ) -> Workshop:
        sessions_at = []
        for position in range(sessions):
            starts_at = FIRST_DAY + timedelta(days=position // 2, hours=4 * (position % 2))
            sessions_at.append((starts_at, starts_at + timedelta(hours=2)))
        workshop = factories.workshop(
            organizers=[organizer or cert_organizer],
            sessions=sessions_at,
            slug_prefix="sertifikat",
            title=title,
            venue="Aula Kantor Wilayah, Makassar",
            partners="INFID, Kemitraan",
            timezone=WorkshopTimezone.WITA,
            start_date=FIRST_DAY.date(),
            end_date=(FIRST_DAY + timedelta(days=2)).date(),
            capacity=50,
            status=status,
            cert_min_attendance_pct=min_pct,
            cert_requires_post_test=requires_post_test,
            cert_min_post_score=min_score,
            training_hours=32,
            signatories=[
                {"name": "Dr. Hana Pratiwi, S.H.", "position": "Direktur Jenderal HAM"},
                {"name": "Ahmad Taufan", "position": "Ketua Komnas HAM"},
            ],
            commit=False,
        )
        if post_test:
            factories.quiz(workshop, kind=QuizKind.POST, title="Pasca-tes", commit=False)
        db.session.commit()
        return workshop

    return make


@pytest.fixture
def cert_participant(db, make_user):
    """Factory: a participant of `workshop` who attended the first `attended` sessions and
    submitted the post-test with `score` (None: started but never submitted; NO_ATTEMPT: never
    started)."""

    def make(
        workshop: Workshop,
        *,
        attended: int | None = None,
        score: float | None | object = 85.0,
        full_name: str | None = "Siti Rahmawati",
        locale: str = "id",
        status: RegistrationStatus = RegistrationStatus.CONFIRMED,
    ) -> Registration:
        user = profiled_person(make_user, full_name, locale=locale)
        registration = factories.registration(workshop, user, status, commit=False)
        sessions = workshop.sessions
        for session in sessions[: len(sessions) if attended is None else attended]:
            db.session.add(
                CheckIn(
                    session_id=session.id,
                    registration_id=registration.id,
                    method=CheckInMethod.CODE,
                    checked_in_at=session.starts_at,
                )
            )
        quiz = next((q for q in _quizzes(db, workshop) if q.kind == QuizKind.POST), None)
        if quiz is not None and score is not NO_ATTEMPT:
            started = workshop_end(workshop)
            factories.attempt(
                quiz,
                registration,
                score=score,
                started_at=started,
                submitted_at=started + timedelta(minutes=10),
                commit=False,
            )
        db.session.commit()
        return registration

    return make


@pytest.fixture
def issued(db, login_as, cert_workshop, cert_participant):
    """A certificate issued to a participant with a name outside ASCII, who is signed in."""
    registration = cert_participant(cert_workshop(), full_name="Dāwūd Ñúñez Šimić")
    certificate = issue_certificate(registration)
    db.session.commit()
    login_as(registration.user)
    return certificate


def _quizzes(db, workshop: Workshop) -> list[Quiz]:
    return list(db.session.scalars(sa.select(Quiz).where(Quiz.workshop_id == workshop.id)))


def workshop_end(workshop: Workshop) -> datetime:
    return max(session.ends_at for session in workshop.sessions)
