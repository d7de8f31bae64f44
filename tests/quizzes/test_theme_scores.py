"""Per-theme counts of attempts (`attempt_theme_scores`): written when an attempt is scored and
rewritten when a question's themes change, so they always equal counting the answers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from lokalatih.models import AttemptThemeScore, QuizKind, Theme
from lokalatih.quizzes import answer_saving, attempt_closing, attempts, bank

NOW = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)

# What the rows must hold: the answers of submitted attempts, per tagged question's theme.
FROM_ANSWERS = """
    SELECT an.attempt_id, qt.theme_id, a.registration_id, q.kind, COUNT(*),
           SUM(CASE WHEN an.is_correct THEN 1 ELSE 0 END)
    FROM answers an
    JOIN question_themes qt ON qt.question_id = an.question_id
    JOIN attempts a ON a.id = an.attempt_id
    JOIN quizzes q ON q.id = a.quiz_id
    WHERE a.submitted_at IS NOT NULL
    GROUP BY an.attempt_id, qt.theme_id, a.registration_id, q.kind
"""
KEPT = """
    SELECT attempt_id, theme_id, registration_id, quiz_kind, answered, correct
    FROM attempt_theme_scores
"""


def counted(db) -> set[tuple]:
    return {tuple(row) for row in db.session.execute(sa.text(FROM_ANSWERS))}


def kept(db) -> set[tuple]:
    return {tuple(row) for row in db.session.execute(sa.text(KEPT))}


def _themes(db, *codes: str) -> list[Theme]:
    found = {t.code: t for t in db.session.scalars(sa.select(Theme).where(Theme.code.in_(codes)))}
    return [found[code] for code in codes]


@pytest.fixture
def tagged_quiz(db, quiz_workshop, quiz_question, quiz_make, quiz_registration):
    """A pre-test of five questions: three tagged "kesehatan", one "kesehatan" and
    "informasi", one untagged; two confirmed participants."""
    health, info = _themes(db, "kesehatan", "informasi")
    workshop = quiz_workshop()
    questions = [quiz_question() for _ in range(5)]
    for question in questions[:4]:
        question.themes = [health]
    questions[3].themes = [health, info]
    quiz = quiz_make(
        workshop,
        questions,
        opens_at=NOW - timedelta(hours=1),
        closes_at=NOW + timedelta(days=1),
        time_limit_minutes=20,
    )
    registrations = [quiz_registration(workshop) for _ in range(2)]
    db.session.commit()
    return quiz, registrations, questions


def _take(db, quiz, registration, questions, right: int) -> None:
    """Submit an attempt answering the first `right` questions correctly, the rest wrongly."""
    attempt = attempts.start_attempt(quiz, registration, now=NOW)
    keys = {q.id: ["a"] if n < right else ["b"] for n, q in enumerate(questions)}
    attempt_closing.submit_attempt(attempt, keys, now=NOW + timedelta(minutes=5))
    db.session.commit()


def _retag(db, question, themes: list[Theme]) -> None:
    bank.update_question(
        question,
        bank.data_from_question(question),
        actor=None,
        theme_ids=[t.id for t in themes],
    )
    db.session.commit()


def test_scoring_writes_the_counts_of_the_questions_themes(db, tagged_quiz):
    quiz, (first, second), questions = tagged_quiz
    health, info = _themes(db, "kesehatan", "informasi")
    _take(db, quiz, first, questions, right=2)
    started = attempts.start_attempt(quiz, second, now=NOW)  # in progress: not counted
    answer_saving.save_answer(started, questions[0].id, ["a"], now=NOW)
    db.session.commit()

    rows = kept(db)

    assert rows == counted(db)
    by_theme = {theme: (kind, answered, right) for _a, theme, _r, kind, answered, right in rows}
    assert by_theme == {health.id: (QuizKind.PRE, 4, 2), info.id: (QuizKind.PRE, 1, 0)}


def test_retagging_a_question_rewrites_the_counts_of_the_attempts_that_answered_it(db, tagged_quiz):
    quiz, registrations, questions = tagged_quiz
    health, info, education = _themes(db, "kesehatan", "informasi", "pendidikan")
    for registration, right in zip(registrations, (3, 5), strict=True):
        _take(db, quiz, registration, questions, right)

    _retag(db, questions[4], [education])  # a theme added to the untagged question
    assert kept(db) == counted(db)
    assert {row[1] for row in kept(db)} == {health.id, info.id, education.id}

    _retag(db, questions[3], [info])  # "kesehatan" taken away
    _retag(db, questions[0], [])  # its only theme taken away
    assert kept(db) == counted(db)
    answered = db.session.execute(
        sa.select(AttemptThemeScore.theme_id, sa.func.sum(AttemptThemeScore.answered)).group_by(
            AttemptThemeScore.theme_id
        )
    ).all()
    assert dict(answered) == {health.id: 4, info.id: 2, education.id: 2}

    _retag(db, questions[3], [])
    _retag(db, questions[4], [])
    assert kept(db) == counted(db)
    assert info.id not in {row[1] for row in kept(db)}


def test_retagging_leaves_other_attempts_and_unsubmitted_ones_alone(db, tagged_quiz):
    quiz, (first, second), questions = tagged_quiz
    (education,) = _themes(db, "pendidikan")
    _take(db, quiz, first, questions, right=1)
    attempts.start_attempt(quiz, second, now=NOW)
    db.session.commit()

    _retag(db, questions[4], [education])

    assert kept(db) == counted(db)
    assert {row[2] for row in kept(db)} == {first.id}
