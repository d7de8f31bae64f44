"""Factories shared by the quiz tests (bank tests and quiz/attempt tests).

Quiz/attempt fixtures are prefixed `quiz_`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from lokalatih.models import (
    Question,
    QuestionKind,
    Quiz,
    QuizKind,
    Registration,
    RegistrationStatus,
    Role,
    User,
    Workshop,
    WorkshopMode,
    WorkshopTimezone,
    utcnow,
)
from tests import factories


@pytest.fixture
def quiz_workshop(db, make_user):
    """Factory: a published online workshop; `sessions` is a list of (starts_at, ends_at)."""

    def make(
        *,
        sessions: list[tuple[datetime, datetime]] | None = None,
        registration_opens_at: datetime | None = None,
        organizer: User | None = None,
        timezone: WorkshopTimezone = WorkshopTimezone.WITA,
    ) -> Workshop:
        if sessions is None:
            start = (utcnow() + timedelta(days=10)).replace(minute=0, second=0, microsecond=0)
            sessions = [(start, start + timedelta(hours=2))]
        return factories.workshop(
            organizers=[organizer or make_user(role=Role.ORGANIZER)],
            sessions=sessions,
            slug_prefix="tes-loka-latih",
            title="Loka Latih Kota Peduli HAM {number}",
            mode=WorkshopMode.ONLINE,
            meeting_url="https://meet.contoh.id/ham",
            timezone=timezone,
            registration_opens_at=registration_opens_at,
        )

    return make


@pytest.fixture
def quiz_question(db):
    """Factory: one bank question. Choices a-d (true/false: a = Benar, b = Salah)."""

    def make(
        *,
        topic: str = "DUHAM",
        kind: QuestionKind = QuestionKind.SINGLE,
        correct: list[str] | None = None,
        text: str | None = None,
        explanation: str = "Pembahasan rahasia: DUHAM diproklamasikan 10 Desember 1948.",
        source: str | None = None,
    ) -> Question:
        return factories.question(
            topic=topic,
            kind=kind,
            correct=correct or ["a"],
            text=text,
            explanation=explanation,
            # Distinct by default: a random draw takes one question per source (see source_key).
            source=f"Modul pelatihan HAM bagian {factories.next_number()}"
            if source is None
            else source,
        )

    return make


@pytest.fixture
def quiz_make(db):
    """Factory: a quiz of a workshop with the given questions and window."""

    def make(
        workshop: Workshop,
        questions: list[Question],
        *,
        kind: QuizKind = QuizKind.PRE,
        opens_at: datetime | None = None,
        closes_at: datetime | None = None,
        time_limit_minutes: int = 20,
        shuffle: bool = False,
        show_answers_after_close: bool = True,
    ) -> Quiz:
        return factories.quiz(
            workshop,
            kind=kind,
            questions=questions,
            title="Pra-tes HAM" if kind == QuizKind.PRE else "Pasca-tes HAM",
            time_limit_minutes=time_limit_minutes,
            opens_at=opens_at,
            closes_at=closes_at,
            shuffle_questions=shuffle,
            shuffle_choices=shuffle,
            show_answers_after_close=show_answers_after_close,
        )

    return make


@pytest.fixture
def quiz_registration(db, make_user):
    """Factory: a participant (complete profile) registered in a workshop with a status."""

    def make(
        workshop: Workshop,
        *,
        status: RegistrationStatus = RegistrationStatus.CONFIRMED,
        user: User | None = None,
    ) -> Registration:
        registration = Registration(
            workshop_id=workshop.id,
            user=user or make_user(complete_profile=True),
            status=status,
            confirmed_at=utcnow() if status == RegistrationStatus.CONFIRMED else None,
        )
        db.session.add(registration)
        db.session.commit()
        return registration

    return make


@pytest.fixture
def quiz_open(quiz_workshop, quiz_question, quiz_make, quiz_registration):
    """An open pre-test (now - 1 h to now + 1 day) of four single-choice questions (key 'a'),
    and one confirmed registration. Returns (quiz, registration, questions)."""
    workshop = quiz_workshop()
    questions = [quiz_question() for _ in range(4)]
    now = utcnow()
    quiz = quiz_make(
        workshop, questions, opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=1)
    )
    return quiz, quiz_registration(workshop), questions
