"""Submitting an attempt and closing overdue ones: each answer marked right or wrong, the score
and the per-topic and per-theme counts written once. Locks as `attempts` explains: a submission
or the deadline job takes the attempt's row exclusively (FOR UPDATE), so no save is half-way."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from ..extensions import db
from ..models import Answer, Attempt, AttemptClosedBy, utcnow
from .answer_saving import save_page
from .attempt_views import questions_of
from .attempts import GRACE, JOB_BATCH, is_overdue, lock_attempt, sqlite_write_lock
from .errors import TimeUpError
from .theme_scores import record_theme_scores
from .topic_scores import record_topic_scores


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
    sqlite_write_lock(*overdue)
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
