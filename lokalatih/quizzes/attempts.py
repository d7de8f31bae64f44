"""Attempts: start, save answers, submit, and close overdue ones. The server owns the clock.

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
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload

from ..extensions import db
from ..models import (
    Answer,
    Attempt,
    AttemptClosedBy,
    Question,
    QuestionKind,
    Quiz,
    QuizKind,
    Registration,
    RegistrationStatus,
    Workshop,
    utcnow,
)
from .attempt_views import questions_of, saved_answers
from .errors import (
    AlreadySubmittedError,
    AttemptNotFoundError,
    InvalidAnswerError,
    NotConfirmedError,
    QuizClosedError,
    QuizEmptyError,
    QuizNotOpenError,
    TimeUpError,
)
from .services import effective_window, is_closed, quiz_questions
from .theme_scores import record_theme_scores
from .topic_scores import record_topic_scores

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


def find_own_attempt(attempt_id: int, user_id: int, *, to_show: bool = False) -> Attempt | None:
    """The attempt if it belongs to the user, with its registration, quiz and workshop, in one
    query (every attempt page shows the quiz and the workshop). `to_show` loads only the columns
    the attempt page shows (a whole class loads it at once); any other column is still loaded when
    read, in a statement of its own."""
    return db.session.scalar(
        _own_attempt_statement(to_show), {"attempt_id": attempt_id, "user_id": user_id}
    )


@functools.cache
def _own_attempt_statement(to_show: bool) -> sa.Select:
    # Built once (building it cost as much as running it). To show: 21 columns instead of 74,
    # each column costs the driver and the ORM on every load.
    registration, quiz = contains_eager(Attempt.registration), joinedload(Attempt.quiz)
    if to_show:
        registration = registration.load_only(
            Registration.workshop_id, Registration.user_id, Registration.status
        )
        quiz = quiz.load_only(Quiz.title, Quiz.kind, Quiz.workshop_id)
    workshop = quiz.joinedload(Quiz.workshop)
    if to_show:
        workshop = workshop.load_only(Workshop.title, Workshop.timezone)
    return (
        sa.select(Attempt)
        .join(Attempt.registration)
        .options(registration, workshop)
        .where(
            Attempt.id == sa.bindparam("attempt_id"),
            Registration.user_id == sa.bindparam("user_id"),
        )
    )


# --- locking ----------------------------------------------------------------------------------


def _on_sqlite() -> bool:
    return db.session.get_bind().dialect.name == "sqlite"


def _sqlite_lock_attempt(attempt_id: int) -> None:
    # The criterion is built only on SQLite: saving an answer is the hottest write.
    if _on_sqlite():
        _sqlite_write_lock(Attempt.id == attempt_id)


def _sqlite_write_lock(*criteria) -> None:
    if _on_sqlite():
        db.session.execute(
            sa.update(Attempt)
            .where(*criteria)
            .values(id=Attempt.id)
            .execution_options(synchronize_session=False)
        )


def lock_attempt(attempt_id: int, *, shared: bool = False) -> Attempt:
    """The attempt, re-read under its row lock for the rest of the transaction."""
    _sqlite_lock_attempt(attempt_id)
    return db.session.scalars(
        sa.select(Attempt)
        .where(Attempt.id == attempt_id)
        .with_for_update(read=shared)
        .execution_options(populate_existing=True)
    ).one()


# --- saving -----------------------------------------------------------------------------------


def _check_writable(attempt: Attempt, now: datetime) -> None:
    if attempt.is_submitted:
        raise AlreadySubmittedError()
    if is_overdue(attempt, now):
        raise TimeUpError()


def _clean_keys(question: Question, selected: list) -> list[str]:
    return _clean(question.kind, question.choices, selected)


def _clean(kind: QuestionKind, choices: list[dict], selected: object) -> list[str]:
    valid = {choice["key"] for choice in choices}
    if not isinstance(selected, list) or not all(isinstance(key, str) for key in selected):
        raise InvalidAnswerError()
    keys = sorted(set(selected))
    if any(key not in valid for key in keys):
        raise InvalidAnswerError()
    if kind != QuestionKind.MULTIPLE and len(keys) > 1:
        raise InvalidAnswerError()
    return keys


@functools.cache
def _upsert_statement(dialect: str):
    """Built once per dialect: saving an answer is the hottest write of a post-test, and building
    this construct cost more than running it. On the table, not the mapped class: the ORM's bulk
    insert path around it cost as much as the statement itself (docs/PERFORMANCE.md)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    answers = Answer.__table__
    statement = insert(answers).values(
        attempt_id=sa.bindparam("attempt_id"),
        question_id=sa.bindparam("question_id"),
        selected_keys=sa.bindparam("selected_keys", type_=answers.c.selected_keys.type),
        saved_at=sa.bindparam("saved_at", type_=answers.c.saved_at.type),
    )
    return statement.on_conflict_do_update(
        index_elements=[answers.c.attempt_id, answers.c.question_id],
        set_={
            "selected_keys": statement.excluded.selected_keys,
            "saved_at": statement.excluded.saved_at,
        },
        where=answers.c.saved_at <= statement.excluded.saved_at,
    )


def _upsert(attempt_id: int, question_id: int, keys: list[str], now: datetime) -> None:
    """One row per attempt and question; the write with the latest server time wins."""
    db.session.execute(
        _upsert_statement(db.session.get_bind().dialect.name),
        {
            "attempt_id": attempt_id,
            "question_id": question_id,
            "selected_keys": keys,
            "saved_at": now,
        },
    )


def save_answer(
    attempt: Attempt, question_id: object, selected: object, *, now: datetime | None = None
) -> datetime:
    """Save one answer (an empty list clears it); returns the server time it was saved at."""
    now = now or utcnow()
    attempt = lock_attempt(attempt.id, shared=True)
    _check_writable(attempt, now)
    if type(question_id) is not int or question_id not in attempt.question_order:
        raise InvalidAnswerError()
    question = db.session.get(Question, question_id)
    _upsert(attempt.id, question_id, _clean_keys(question, selected), now)
    return now


@functools.cache
def _own_writable_statement():
    """Built once: the viewer's attempt under its shared row lock, and the question being
    answered, in one round trip (the hottest read of a post-test)."""
    return (
        sa.select(
            Attempt.submitted_at,
            Attempt.deadline_at,
            Attempt.question_order,
            Question.kind,
            Question.choices,
        )
        .select_from(Attempt)
        .join(Registration, Registration.id == Attempt.registration_id)
        .outerjoin(Question, Question.id == sa.bindparam("question_id"))
        .where(
            Attempt.id == sa.bindparam("attempt_id"),
            Registration.user_id == sa.bindparam("user_id"),
        )
        .with_for_update(read=True, of=Attempt)
    )


def save_own_answer(
    attempt_id: int,
    user_id: int,
    question_id: object,
    selected: object,
    *,
    now: datetime | None = None,
) -> datetime:
    """`save_answer` for the JSON save of the attempt page, in two statements: the user's own
    attempt with its lock and the question, then the upsert. Another user's attempt (or none) is
    an `AttemptNotFoundError`."""
    now = now or utcnow()
    if type(question_id) is not int or not 0 < question_id < 2**31:
        question_id = None
    _sqlite_lock_attempt(attempt_id)
    row = db.session.execute(
        _own_writable_statement(),
        {"attempt_id": attempt_id, "user_id": user_id, "question_id": question_id},
    ).one_or_none()
    if row is None:
        raise AttemptNotFoundError()
    submitted_at, deadline_at, question_order, kind, choices = row
    if submitted_at is not None:
        raise AlreadySubmittedError()
    if now > deadline_at + GRACE:
        raise TimeUpError()
    if question_id is None or kind is None or question_id not in question_order:
        raise InvalidAnswerError()
    _upsert(attempt_id, question_id, _clean(kind, choices, selected), now)
    return now


def save_page(
    attempt: Attempt, answers: dict[int, list[str]], *, now: datetime | None = None
) -> None:
    """Save every answer of a submitted page. A question left blank clears its saved answer."""
    now = now or utcnow()
    attempt = lock_attempt(attempt.id, shared=True)
    _check_writable(attempt, now)
    if any(question_id not in attempt.question_order for question_id in answers):
        raise InvalidAnswerError()
    questions = questions_of(attempt)
    cleaned = {qid: _clean_keys(questions[qid], keys) for qid, keys in answers.items()}
    existing = saved_answers(attempt)
    for question_id in attempt.question_order:
        keys = cleaned.get(question_id, [])
        if keys or question_id in existing:
            _upsert(attempt.id, question_id, keys, now)


# --- submitting and closing -------------------------------------------------------------------


def submit_attempt(
    attempt: Attempt,
    answers: dict[int, list[str]] | None = None,
    *,
    now: datetime | None = None,
) -> Attempt:
    """Score the attempt once. Submitting again returns the first result unchanged.

    `answers` are the page's answers (the form without JavaScript), saved first.
    """
    now = now or utcnow()
    attempt = lock_attempt(attempt.id)
    if attempt.is_submitted:
        return attempt
    if is_overdue(attempt, now):
        raise TimeUpError()
    if answers is not None:
        save_page(attempt, answers, now=now)
    _finish(attempt, now, AttemptClosedBy.PARTICIPANT)
    return attempt


def _finish(attempt: Attempt, now: datetime, closed_by: AttemptClosedBy) -> None:
    """Mark every answer right or wrong (an unanswered question gets an empty, wrong answer) and
    write the per-topic and per-theme counts the reports read."""
    questions = questions_of(attempt)
    answers = {
        answer.question_id: answer
        for answer in db.session.scalars(
            sa.select(Answer)
            .where(Answer.attempt_id == attempt.id)
            .execution_options(populate_existing=True)
        )
    }
    correct, marks = 0, []
    for question_id in attempt.question_order:
        answer = answers.get(question_id)
        if answer is None:
            answer = Answer(attempt_id=attempt.id, question_id=question_id, selected_keys=[])
            answer.saved_at = now
            db.session.add(answer)
        expected = set(questions[question_id].correct_keys)
        answer.is_correct = bool(answer.selected_keys) and set(answer.selected_keys) == expected
        correct += answer.is_correct
        marks.append((questions[question_id].topic, answer.is_correct))
    total = len(attempt.question_order)
    attempt.score = 100.0 * correct / total if total else 0.0
    attempt.submitted_at = now
    attempt.closed_by = closed_by
    db.session.flush()
    record_topic_scores(attempt, marks)
    record_theme_scores(attempt)


def close_if_overdue(attempt: Attempt, *, now: datetime | None = None) -> Attempt:
    """Score an attempt left open past its deadline and grace with the answers saved so far."""
    now = now or utcnow()
    if attempt.is_submitted or not is_overdue(attempt, now):
        return attempt
    attempt = lock_attempt(attempt.id)
    if not attempt.is_submitted:
        _finish(attempt, now, AttemptClosedBy.DEADLINE_JOB)
    return attempt


def close_overdue(now: datetime, limit: int = JOB_BATCH) -> int:
    """Claim and close one batch of overdue attempts; the caller commits."""
    overdue = (Attempt.submitted_at.is_(None), Attempt.deadline_at < now - GRACE)
    _sqlite_write_lock(*overdue)
    claimed = db.session.scalars(
        sa.select(Attempt)
        .where(*overdue)
        .order_by(Attempt.id)
        .limit(limit)
        .with_for_update(skip_locked=True)  # another job holds those: they are not ours
        .execution_options(populate_existing=True)
    ).all()
    for attempt in claimed:
        _finish(attempt, now, AttemptClosedBy.DEADLINE_JOB)
    return len(claimed)


# --- the participant's own view ---------------------------------------------------------------


def attempt_of_kind(registration: Registration, kind: QuizKind) -> Attempt | None:
    return db.session.scalar(
        sa.select(Attempt)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(Attempt.registration_id == registration.id, Quiz.kind == kind)
    )
