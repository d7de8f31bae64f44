"""Attempts: start, read and lock them (saving answers: `answer_saving`; submitting and closing:
`attempt_closing`). The server owns the clock.

Every change to an attempt first locks its row, so a submission never scores while a save is
half-way: saves take a shared lock (FOR SHARE on PostgreSQL, so saves of one attempt run side by
side), a submission or the deadline job an exclusive one (FOR UPDATE). SQLite ignores FOR UPDATE;
there a no-op UPDATE takes the database write lock first (pysqlite begins the transaction at its
first write), which serializes every writer.
"""

from __future__ import annotations

import functools
import random
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload

from ..extensions import db
from ..models import (
    Attempt,
    Question,
    QuestionKind,
    Quiz,
    QuizKind,
    Registration,
    RegistrationStatus,
    utcnow,
)
from .errors import (
    NotConfirmedError,
    QuizClosedError,
    QuizEmptyError,
    QuizNotOpenError,
)
from .services import effective_window, is_closed, quiz_questions

GRACE = timedelta(seconds=60)
JOB_BATCH = 200


# --- reading ----------------------------------------------------------------------------------


def find_attempt(quiz: Quiz, registration: Registration) -> Attempt | None:
    return db.session.scalar(
        sa.select(Attempt).where(
            Attempt.quiz_id == quiz.id, Attempt.registration_id == registration.id
        )
    )


def is_overdue(attempt: Attempt, now: datetime | None = None) -> bool:
    """Past the deadline and its grace: no more saves, and the job will close it."""
    return (now or utcnow()) > attempt.deadline_at + GRACE


def remaining_seconds(attempt: Attempt, now: datetime | None = None) -> int:
    return max(0, int((attempt.deadline_at - (now or utcnow())).total_seconds()))


def answers_visible(attempt: Attempt, now: datetime | None = None) -> bool:
    """Correct answers and explanations: only after submission and the window's close, if set."""
    quiz = attempt.quiz
    return attempt.is_submitted and quiz.show_answers_after_close and is_closed(quiz, now)


# --- starting ---------------------------------------------------------------------------------


def start_attempt(
    quiz: Quiz,
    registration: Registration,
    *,
    now: datetime | None = None,
    rng: random.Random | None = None,
) -> Attempt:
    """The registration's attempt at the quiz: the existing one, or a new one if the window is open.

    A second click (or a second tab) gets the same attempt: the unique (quiz, registration)
    constraint decides between two requests that both found none.
    """
    if registration.status != RegistrationStatus.CONFIRMED:
        raise NotConfirmedError()
    existing = find_attempt(quiz, registration)
    if existing is not None:
        return existing
    now = now or utcnow()
    opens_at, closes_at = effective_window(quiz)
    if now < opens_at:
        raise QuizNotOpenError()
    if now >= closes_at:
        raise QuizClosedError()
    questions = quiz_questions(quiz)
    if not questions:
        raise QuizEmptyError()
    attempt = Attempt(
        quiz_id=quiz.id,
        registration_id=registration.id,
        started_at=now,
        deadline_at=min(now + timedelta(minutes=quiz.time_limit_minutes), closes_at),
        **_orders(quiz, questions, rng or random.SystemRandom()),
    )
    try:
        with db.session.begin_nested():
            db.session.add(attempt)
    except IntegrityError:
        return find_attempt(quiz, registration)
    return attempt


def _orders(quiz: Quiz, questions: list[Question], rng: random.Random) -> dict:
    question_order = [question.id for question in questions]
    if quiz.shuffle_questions:
        rng.shuffle(question_order)
    choice_order = {}
    for question in questions:
        keys = [choice["key"] for choice in question.choices]
        if quiz.shuffle_choices and question.kind != QuestionKind.TRUE_FALSE:
            rng.shuffle(keys)  # "Benar" before "Salah" always: shuffling them only confuses
        choice_order[str(question.id)] = keys
    return {"question_order": question_order, "choice_order": choice_order}


def find_own_attempt(attempt_id: int, user_id: int) -> Attempt | None:
    """The attempt if it belongs to the user, with its registration, quiz and workshop, in one
    query (every attempt page shows the quiz and the workshop). The attempt page itself reads a
    row instead (`attempt_views.find_shown_attempt`)."""
    return db.session.scalar(
        _own_attempt_statement(), {"attempt_id": attempt_id, "user_id": user_id}
    )


@functools.cache
def _own_attempt_statement() -> sa.Select:
    # Built once (building it cost as much as running it).
    return (
        sa.select(Attempt)
        .join(Attempt.registration)
        .options(
            contains_eager(Attempt.registration),
            joinedload(Attempt.quiz).joinedload(Quiz.workshop),
        )
        .where(
            Attempt.id == sa.bindparam("attempt_id"),
            Registration.user_id == sa.bindparam("user_id"),
        )
    )


# --- locking ----------------------------------------------------------------------------------


def _on_sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


def sqlite_lock_attempt(attempt_id: int) -> None:
    # The criterion is built only on SQLite: saving an answer is the hottest write.
    if _on_sqlite():
        sqlite_write_lock(Attempt.id == attempt_id)


def sqlite_write_lock(*criteria) -> None:
    if _on_sqlite():
        db.session.execute(
            sa.update(Attempt)
            .where(*criteria)
            .values(id=Attempt.id)
            .execution_options(synchronize_session=False)
        )


def lock_attempt(attempt_id: int, *, shared: bool = False) -> Attempt:
    """The attempt, re-read under its row lock for the rest of the transaction."""
    sqlite_lock_attempt(attempt_id)
    return db.session.scalars(
        sa.select(Attempt)
        .where(Attempt.id == attempt_id)
        .with_for_update(read=shared)
        .execution_options(populate_existing=True)
    ).one()


# --- the participant's own view ---------------------------------------------------------------


def attempt_of_kind(registration: Registration, kind: QuizKind) -> Attempt | None:
    return db.session.scalar(
        sa.select(Attempt)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(Attempt.registration_id == registration.id, Quiz.kind == kind)
    )
