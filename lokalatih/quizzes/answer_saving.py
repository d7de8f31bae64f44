"""Saving answers: one at a time (the attempt page's JSON save) or a whole page (the form without
JavaScript). Each save holds the attempt's row under a shared lock (`attempts` explains the locks),
so saves of one attempt run side by side and a submission waits for them."""

from __future__ import annotations

import functools
import json
import re
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import Answer, Attempt, Question, QuestionKind, Registration, UTCDateTime, utcnow
from .attempt_views import questions_of, saved_answers
from .attempts import GRACE, is_overdue, lock_attempt, sqlite_lock_attempt
from .errors import AlreadySubmittedError, AttemptNotFoundError, InvalidAnswerError, TimeUpError


def _check_writable(attempt: Attempt, now: datetime) -> None:
    if attempt.is_submitted:
        raise AlreadySubmittedError()
    if is_overdue(attempt, now):
        raise TimeUpError()


def _clean_keys(question: Question, selected: list) -> list[str]:
    return _clean(question.kind, question.choices, selected)


def _as_keys(selected: object) -> list[str] | None:
    """The keys sorted, each once; None when `selected` is not a list of texts."""
    if not isinstance(selected, list) or not all(isinstance(key, str) for key in selected):
        return None
    return sorted(set(selected))


def _clean(kind: QuestionKind, choices: list[dict], selected: object) -> list[str]:
    valid = {choice["key"] for choice in choices}
    keys = _as_keys(selected)
    if keys is None:
        raise InvalidAnswerError()
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


# PostgreSQL: the checks and the upsert in one round trip (a save is the hottest write of a
# post-test, docs/PERFORMANCE.md). The row is written only when the checks `save_own_answer` makes
# in Python hold here too; the attempt's row comes back, so Python names what failed. A service
# that refuses writes nothing, so this statement must never be more lenient than Python.
_SAVE_OWN_ON_POSTGRESQL = sa.text(
    """
    WITH own AS (
        SELECT attempts.submitted_at, attempts.deadline_at, attempts.question_order,
               questions.kind, questions.choices
        FROM attempts
        JOIN registrations ON registrations.id = attempts.registration_id
        LEFT OUTER JOIN questions ON questions.id = :question_id
        WHERE attempts.id = :attempt_id AND registrations.user_id = :user_id
        FOR SHARE OF attempts
    ), saved AS (
        INSERT INTO answers (attempt_id, question_id, selected_keys, saved_at)
        SELECT :attempt_id, :question_id, CAST(:keys AS json), :saved_at
        FROM own
        WHERE own.submitted_at IS NULL
          AND own.deadline_at >= :writable_after
          AND own.kind IS NOT NULL
          AND CAST(own.question_order AS jsonb) @> jsonb_build_array(CAST(:question_id AS int))
          AND CAST(:keys AS jsonb) <@ (
              SELECT coalesce(jsonb_agg(choice -> 'key'), '[]'::jsonb)
              FROM jsonb_array_elements(CAST(own.choices AS jsonb)) AS choice)
          AND (own.kind = 'multiple' OR jsonb_array_length(CAST(:keys AS jsonb)) <= 1)
        ON CONFLICT (attempt_id, question_id) DO UPDATE
            SET selected_keys = excluded.selected_keys, saved_at = excluded.saved_at
            WHERE answers.saved_at <= excluded.saved_at
        RETURNING 1
    )
    SELECT own.*, EXISTS (SELECT FROM saved) AS saved FROM own
    """
)
_SAVE_OWN_ON_POSTGRESQL = _SAVE_OWN_ON_POSTGRESQL.bindparams(
    # Stored as naive UTC: bound through the column type, never as a zoned timestamp.
    sa.bindparam("saved_at", type_=UTCDateTime()),
    sa.bindparam("writable_after", type_=UTCDateTime()),
).columns(
    sa.column("submitted_at", UTCDateTime()),
    sa.column("deadline_at", UTCDateTime()),
    sa.column("question_order", sa.JSON()),
    sa.column("kind", Question.__table__.c.kind.type),
    sa.column("choices", sa.JSON()),
    sa.column("saved", sa.Boolean()),
)


# jsonb refuses a NUL and a lone surrogate (a 500 before any row is read); no choice key holds one.
_NOT_IN_JSONB = re.compile(r"[\x00\ud800-\udfff]")


def _keys_shape(selected: object) -> str | None:
    """The keys as the statement compares them (JSON), or None when they are not a list of
    texts (then nothing is written and Python refuses them)."""
    keys = _as_keys(selected)
    if keys is None or any(_NOT_IN_JSONB.search(key) for key in keys):
        return None
    return json.dumps(keys)


def save_own_answer(
    attempt_id: int,
    user_id: int,
    question_id: object,
    selected: object,
    *,
    now: datetime | None = None,
) -> datetime:
    """`save_answer` for the JSON save of the attempt page: one statement on PostgreSQL, three on
    SQLite (its write lock, the user's own attempt and the question, then the upsert). Another
    user's attempt (or none) is an `AttemptNotFoundError`."""
    now = now or utcnow()
    if type(question_id) is not int or not 0 < question_id < 2**31:
        question_id = None
    params = {"attempt_id": attempt_id, "user_id": user_id, "question_id": question_id}
    on_postgresql = db.session.get_bind().dialect.name == "postgresql"
    if on_postgresql:
        params |= {"keys": _keys_shape(selected), "saved_at": now, "writable_after": now - GRACE}
        statement = _SAVE_OWN_ON_POSTGRESQL
    else:
        sqlite_lock_attempt(attempt_id)
        statement = _own_writable_statement()
    row = db.session.execute(statement, params).one_or_none()
    if row is None:
        raise AttemptNotFoundError()
    submitted_at, deadline_at, question_order, kind, choices, *saved = row
    if submitted_at is not None:
        raise AlreadySubmittedError()
    if now > deadline_at + GRACE:
        raise TimeUpError()
    if question_id is None or kind is None or question_id not in question_order:
        raise InvalidAnswerError()
    keys = _clean(kind, choices, selected)
    # Not written by the statement although valid: a later save of this answer won (the upsert
    # keeps the latest), or the two checks disagree; the plain upsert settles both.
    if not (saved and saved[0]):
        _upsert(attempt_id, question_id, keys, now)
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
