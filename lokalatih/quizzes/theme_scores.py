"""Per-theme counts of scored attempts (`attempt_theme_scores`), kept so that the dashboard's
themes section reads a few rows per attempt instead of every answer row.

A question's themes are tagged after the fact, so the counts follow its current themes: they are
written when an attempt is scored and rewritten for every submitted attempt that answered a
question whose themes changed. Both are one statement over the answers, grouped in SQL, so the
rows always equal what counting the answers of submitted attempts gives.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from ..extensions import db
from ..models import Answer, Attempt, AttemptThemeScore, Quiz, question_themes

COLUMNS = ("attempt_id", "theme_id", "registration_id", "quiz_kind", "answered", "correct")


def _counts(*where) -> sa.Select:
    """(attempt, theme, registration, quiz kind, answered, correct) from the answers of the
    submitted attempts `where` picks, per tagged question's theme."""
    return (
        sa.select(
            Answer.attempt_id,
            question_themes.c.theme_id,
            Attempt.registration_id,
            Quiz.kind,
            sa.func.count(),
            sa.func.sum(sa.case((Answer.is_correct.is_(True), 1), else_=0)),
        )
        .select_from(Answer)
        .join(question_themes, question_themes.c.question_id == Answer.question_id)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(Attempt.submitted_at.is_not(None), *where)
        .group_by(Answer.attempt_id, question_themes.c.theme_id, Attempt.registration_id, Quiz.kind)
    )


def _rewrite(attempts) -> None:
    """Replace the rows of `attempts` (a condition on an attempt id column) with fresh counts."""
    db.session.execute(
        sa.delete(AttemptThemeScore).where(attempts(AttemptThemeScore.attempt_id)),
        execution_options={"synchronize_session": False},
    )
    db.session.execute(
        sa.insert(AttemptThemeScore).from_select(COLUMNS, _counts(attempts(Answer.attempt_id)))
    )


def record_theme_scores(attempt: Attempt) -> None:
    """Write a scored attempt's counts from its answers (flushed, marked) and the current themes
    of its questions. Scoring again overwrites them."""
    _rewrite(lambda column: column == attempt.id)


def retally_attempts_with_questions(question_ids: Iterable[int]) -> None:
    """Rewrite the counts of every submitted attempt with an answer to one of `question_ids`,
    after their themes changed (a theme added or taken away). The caller flushes the new tags
    first."""
    ids = sorted(set(question_ids))
    if not ids:
        return
    answered = (
        sa.select(Answer.attempt_id).where(Answer.question_id.in_(ids)).distinct().scalar_subquery()
    )
    _rewrite(lambda column: column.in_(answered))
