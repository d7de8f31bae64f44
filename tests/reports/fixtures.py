"""A small fixed data set for the dashboard: 2 workshops, 12 participants in 3 provinces.

Workshop A (organizer `org_a`, topic "ham-dasar", 2 sessions, starts 2026-03-10): P1..P8
confirmed, P9 cancelled. Workshop B (organizer `org_b`, topic "disabilitas", 1 session, starts
2026-06-15): P9..P12 confirmed. Profiles: P1-P6 in 31 (P1-P3 31.71, P4-P6 31.74), P7-P10 in 32
(32.73), P11-P12 in 33 (33.74); odd P female, even P male; P1-P5 local_government, others
civil_society. Scores, check-ins and certificates are listed below.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from lokalatih.evaluations import services as evaluations
from lokalatih.models import (
    ActionPlanItem,
    ActionStatus,
    CheckIn,
    CheckInMethod,
    Gender,
    InstitutionType,
    Question,
    QuestionKind,
    QuizKind,
    Registration,
    RegistrationStatus,
    Role,
    Theme,
    User,
    Workshop,
    WorkshopMode,
    WorkshopStatus,
    WorkshopTopic,
    utcnow,
)
from tests import factories

PROFILES = {  # participant number: (province, regency)
    1: ("31", "31.71"), 2: ("31", "31.71"), 3: ("31", "31.71"),
    4: ("31", "31.74"), 5: ("31", "31.74"), 6: ("31", "31.74"),
    7: ("32", "32.73"), 8: ("32", "32.73"), 9: ("32", "32.73"), 10: ("32", "32.73"),
    11: ("33", "33.74"), 12: ("33", "33.74"),
}  # fmt: skip
# (pre, post) per participant; None = not submitted.
SCORES_A = {
    1: (40, 80), 2: (50, 50), 3: (60, 90), 4: (20, 60),
    5: (100, 100), 6: (50, 40), 7: (30, None), 8: (40, 70),
}  # fmt: skip
SCORES_B = {9: (20, 60), 10: (60, 60), 11: (50, 75), 12: (0, 50)}
CHECKINS_A = {1: 2, 2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 7: 1, 8: 0}  # sessions attended (of 2)
CHECKINS_B = {9: 1, 10: 1, 11: 1, 12: 0}  # of 1
CERTIFIED = {("A", 1), ("A", 2), ("A", 3), ("A", 4), ("A", 5), ("B", 9)}
REVOKED = {("A", 6)}
PHONE = "+6281299990000"


@dataclass
class Dataset:
    workshop_a: Workshop
    workshop_b: Workshop
    org_a: User
    org_b: User
    reviewer: User
    participants: dict[int, User] = field(default_factory=dict)


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _workshop(db, slug, day, sessions, organizer, topic) -> Workshop:
    workshop = factories.workshop(
        organizers=[organizer],
        sessions=[(_at(day, 2 + 3 * n), _at(day, 4 + 3 * n)) for n in range(sessions)],
        slug=slug,
        title=f"Loka Latih {slug}",
        mode=WorkshopMode.OFFLINE,
        venue="Aula",
        start_date=day,
        end_date=day,
        status=WorkshopStatus.COMPLETED,
        commit=False,
    )
    workshop.topics.append(WorkshopTopic(tag=topic))
    return workshop


def _participant(db, make_user, number: int) -> User:
    user = make_user(f"peserta{number}@laporan.contoh.id")
    province, regency = PROFILES[number]
    db.session.add(
        factories.profile(
            user=user,
            full_name=f"Peserta Nomor{number}",
            gender=Gender.FEMALE if number % 2 else Gender.MALE,
            institution_type=(
                InstitutionType.LOCAL_GOVERNMENT if number <= 5 else InstitutionType.CIVIL_SOCIETY
            ),
            institution_name="Instansi",
            position="Staf",
            phone=PHONE,
            province_code=province,
            regency_code=regency,
        )
    )
    return user


def _question(db, topic: str) -> Question:
    return factories.question(topic=topic, kind=QuestionKind.TRUE_FALSE, commit=False)


def _attempt(db, quiz, registration, question, score) -> None:
    if score is None:
        return
    # One answer per attempt: right when the score is at least 50.
    picked = ["a"] if score >= 50 else ["b"]
    factories.attempt(
        quiz, registration, score=float(score), answers={question: picked}, commit=False
    )


def _fill(db, workshop, label, participants, scores, checkins, question) -> None:
    quizzes = {kind: factories.quiz(workshop, kind=kind, commit=False) for kind in QuizKind}
    for number, (pre, post) in scores.items():
        registration = Registration(
            workshop=workshop,
            user=participants[number],
            status=RegistrationStatus.CONFIRMED,
            confirmed_at=utcnow(),
        )
        db.session.add(registration)
        db.session.flush()
        for session in workshop.sessions[: checkins[number]]:
            db.session.add(
                CheckIn(session=session, registration=registration, method=CheckInMethod.MANUAL)
            )
        _attempt(db, quizzes[QuizKind.PRE], registration, question, pre)
        _attempt(db, quizzes[QuizKind.POST], registration, question, post)
        if (label, number) in CERTIFIED | REVOKED:
            factories.certificate(
                registration,
                revoked_at=utcnow() if (label, number) in REVOKED else None,
                commit=False,
            )


@pytest.fixture
def dataset(db, make_user) -> Dataset:
    org_a = make_user("org-a@laporan.contoh.id", role=Role.ORGANIZER)
    org_b = make_user("org-b@laporan.contoh.id", role=Role.ORGANIZER)
    reviewer = make_user("peninjau@laporan.contoh.id", role=Role.REVIEWER)
    participants = {number: _participant(db, make_user, number) for number in PROFILES}
    workshop_a = _workshop(db, "ws-a", date(2026, 3, 10), 2, org_a, "ham-dasar")
    workshop_b = _workshop(db, "ws-b", date(2026, 6, 15), 1, org_b, "disabilitas")
    db.session.flush()
    basics, disability = _question(db, "Dasar HAM"), _question(db, "Disabilitas")
    db.session.flush()
    _fill(db, workshop_a, "A", participants, SCORES_A, CHECKINS_A, basics)
    _fill(db, workshop_b, "B", participants, SCORES_B, CHECKINS_B, disability)
    db.session.add(
        Registration(
            workshop=workshop_a,
            user=participants[9],
            status=RegistrationStatus.CANCELLED,
            cancelled_at=utcnow(),
        )
    )
    db.session.commit()
    return Dataset(workshop_a, workshop_b, org_a, org_b, reviewer, participants)


# --- outcome sections: themes, action plans, reaction evaluation ---------------------------------

STATUSES = {  # participant of workshop A: the status of their one action (None: not reported)
    1: ActionStatus.DONE,
    2: ActionStatus.DONE,
    3: ActionStatus.IN_PROGRESS,
    4: ActionStatus.NOT_STARTED,
    5: None,
    6: ActionStatus.DROPPED,
    7: ActionStatus.DONE,
    8: ActionStatus.DONE,
}
RECOMMEND = {1: "5", 2: "5", 3: "5", 4: "4", 5: "4", 6: "4"}  # mean 4.5


@pytest.fixture
def outcomes_world(db, dataset, clock):
    themes = db.session.scalars(sa.select(Theme).order_by(Theme.position, Theme.id)).all()
    theme_a, theme_b = themes[0], themes[1]
    dataset.workshop_a.themes.append(theme_a)
    dataset.workshop_b.themes.append(theme_b)
    registrations = {
        r.user_id: r
        for r in db.session.scalars(
            sa.select(Registration).where(
                Registration.workshop_id == dataset.workshop_a.id,
                Registration.status == RegistrationStatus.CONFIRMED,
            )
        )
    }
    for number, status in STATUSES.items():
        registration = registrations[dataset.participants[number].id]
        db.session.add(
            ActionPlanItem(
                registration_id=registration.id,
                position=1,
                action=f"Menyusun SOP layanan informasi publik {number}",
                due_date=dataset.workshop_a.end_date + timedelta(days=60),
                theme_id=theme_a.id,
                status=status,
            )
        )
    db.session.commit()
    survey_open = dataset.workshop_a.sessions[-1].starts_at + timedelta(hours=1)
    for number, recommend in RECOMMEND.items():
        registration = registrations[dataset.participants[number].id]
        evaluations.submit(registration, {"recommend": recommend, **_rest()}, now=survey_open)
    db.session.commit()
    return dataset, theme_a, theme_b


def _rest() -> dict[str, str]:
    return {key: "4" for key in ("relevance", "clarity", "materials", "organisation")} | {
        "confidence": "4"
    }
