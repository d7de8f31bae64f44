"""Where a participant stands with the pre-test and post-test of a registration: the link state
machine (upcoming, open, in_progress, time_up, done, missed), computed from preloaded quizzes and
attempts so that a list of registrations costs the same few statements whatever its length."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from ..extensions import db
from ..models import Attempt, Quiz, QuizKind, QuizQuestion, Registration, RegistrationStatus, utcnow
from .attempts import is_overdue
from .services import effective_window


@dataclass(frozen=True)
class QuizLink:
    quiz: Quiz
    attempt: Attempt | None
    state: str  # upcoming, open, in_progress, time_up, done, missed
    opens_at: datetime
    closes_at: datetime


def link_state(
    attempt: Attempt | None, opens_at: datetime, closes_at: datetime, now: datetime
) -> str:
    """The participant's state for one test: an attempt decides, else the window does."""
    if attempt is not None:
        if attempt.is_submitted:
            return "done"
        return "time_up" if is_overdue(attempt, now) else "in_progress"
    if now < opens_at:
        return "upcoming"
    return "open" if now < closes_at else "missed"


def quiz_links(
    registrations: Sequence[Registration], now: datetime | None = None
) -> dict[int, list[QuizLink]]:
    """Registration id → its pre-test and post-test links (confirmed registrations only; a test
    without questions is left out), in three statements for any number of registrations.

    The registrations' workshops and their sessions should be loaded already (the windows'
    defaults read the sessions)."""
    now = now or utcnow()
    confirmed = [r for r in registrations if r.status == RegistrationStatus.CONFIRMED]
    links: dict[int, list[QuizLink]] = {r.id: [] for r in registrations}
    if not confirmed:
        return links
    workshop_ids = {r.workshop_id for r in confirmed}
    quizzes = db.session.scalars(
        sa.select(Quiz).where(
            Quiz.workshop_id.in_(workshop_ids),
            sa.exists().where(QuizQuestion.quiz_id == Quiz.id),
        )
    ).all()
    by_workshop = {(quiz.workshop_id, quiz.kind): quiz for quiz in quizzes}
    attempts = db.session.scalars(
        sa.select(Attempt).where(
            Attempt.quiz_id.in_([quiz.id for quiz in quizzes]),
            Attempt.registration_id.in_([r.id for r in confirmed]),
        )
    )
    by_pair = {(attempt.quiz_id, attempt.registration_id): attempt for attempt in attempts}
    windows = {quiz.id: effective_window(quiz) for quiz in quizzes}
    for registration in confirmed:
        for kind in QuizKind:
            quiz = by_workshop.get((registration.workshop_id, kind))
            if quiz is None:
                continue
            opens_at, closes_at = windows[quiz.id]
            attempt = by_pair.get((quiz.id, registration.id))
            state = link_state(attempt, opens_at, closes_at, now)
            links[registration.id].append(QuizLink(quiz, attempt, state, opens_at, closes_at))
    return links
