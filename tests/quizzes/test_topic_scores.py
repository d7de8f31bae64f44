"""Per-topic counts of an attempt (`attempt_topic_scores`): written once, when it is scored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from lokalatih.models import AttemptTopicScore, QuizKind
from lokalatih.quizzes import answer_saving, attempt_closing, attempts
from lokalatih.quizzes.tasks import close_overdue_attempts

NOW = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


@pytest.fixture
def mixed_quiz(quiz_workshop, quiz_question, quiz_make, quiz_registration):
    """A pre-test of three "DUHAM" questions and two "Hak anak" ones (correct key 'a')."""
    workshop = quiz_workshop()
    questions = [quiz_question(topic="DUHAM") for _ in range(3)]
    questions += [quiz_question(topic="Hak anak") for _ in range(2)]
    quiz = quiz_make(
        workshop,
        questions,
        opens_at=NOW - timedelta(hours=1),
        closes_at=NOW + timedelta(days=1),
        time_limit_minutes=20,
    )
    return quiz, quiz_registration(workshop), questions


def _scores(db, attempt) -> dict[str, tuple[int, int]]:
    db.session.expire_all()
    rows = db.session.scalars(
        sa.select(AttemptTopicScore).where(AttemptTopicScore.attempt_id == attempt.id)
    )
    return {row.topic: (row.answered, row.correct) for row in rows}


def test_submitting_writes_answered_and_correct_per_topic(db, mixed_quiz):
    quiz, registration, questions = mixed_quiz
    attempt = attempts.start_attempt(quiz, registration, now=NOW)
    answer_saving.save_answer(attempt, questions[0].id, ["a"], now=NOW)
    answer_saving.save_answer(attempt, questions[1].id, ["b"], now=NOW)
    answer_saving.save_answer(attempt, questions[3].id, ["a"], now=NOW)
    db.session.commit()
    assert _scores(db, attempt) == {}

    attempt_closing.submit_attempt(attempt, now=NOW + timedelta(minutes=5))
    db.session.commit()

    # Unanswered questions count as answered wrongly, as in the score (2 of 5 = 40 %).
    assert _scores(db, attempt) == {"DUHAM": (3, 1), "Hak anak": (2, 1)}
    assert attempt.score == 40.0
    copied = db.session.execute(
        sa.select(AttemptTopicScore.registration_id, AttemptTopicScore.quiz_kind).distinct()
    ).all()
    assert copied == [(registration.id, QuizKind.PRE)]


def test_submitting_twice_writes_the_counts_once(db, mixed_quiz):
    quiz, registration, questions = mixed_quiz
    attempt = attempts.start_attempt(quiz, registration, now=NOW)
    attempt_closing.submit_attempt(
        attempt, {questions[0].id: ["a"]}, now=NOW + timedelta(minutes=1)
    )
    db.session.commit()

    attempt_closing.submit_attempt(
        attempt, {q.id: ["a"] for q in questions}, now=NOW + timedelta(minutes=2)
    )
    db.session.commit()

    assert _scores(db, attempt) == {"DUHAM": (3, 1), "Hak anak": (2, 0)}
    total = db.session.scalar(sa.select(sa.func.count()).select_from(AttemptTopicScore))
    assert total == 2


def test_deadline_job_writes_the_counts_of_what_was_saved(db, mixed_quiz, quiz_registration):
    quiz, registration, questions = mixed_quiz
    attempt = attempts.start_attempt(quiz, registration, now=NOW)
    answer_saving.save_answer(attempt, questions[3].id, ["a"], now=NOW + timedelta(minutes=1))
    answer_saving.save_answer(attempt, questions[4].id, ["a"], now=NOW + timedelta(minutes=1))
    still_open = attempts.start_attempt(
        quiz, quiz_registration(registration.workshop), now=NOW + timedelta(minutes=15)
    )
    db.session.commit()
    job_time = NOW + timedelta(minutes=21, seconds=1)

    close_overdue_attempts(now=job_time)
    close_overdue_attempts(now=job_time + timedelta(minutes=1))

    assert _scores(db, attempt) == {"DUHAM": (3, 0), "Hak anak": (2, 2)}
    assert _scores(db, still_open) == {}


def test_viewing_an_overdue_attempt_writes_the_counts(db, mixed_quiz):
    quiz, registration, questions = mixed_quiz
    attempt = attempts.start_attempt(quiz, registration, now=NOW)
    answer_saving.save_answer(attempt, questions[2].id, ["a"], now=NOW)
    db.session.commit()

    attempt_closing.close_if_overdue(attempt, now=attempt.deadline_at + timedelta(minutes=5))
    db.session.commit()

    assert _scores(db, attempt) == {"DUHAM": (3, 1), "Hak anak": (2, 0)}
