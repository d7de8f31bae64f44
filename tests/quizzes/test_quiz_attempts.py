"""Attempt rules with an injected clock: window, deadline, grace, scoring, the deadline job."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from lokalatih.models import (
    Answer,
    Attempt,
    AttemptClosedBy,
    QuestionKind,
    RegistrationStatus,
)
from lokalatih.quizzes import answer_saving, attempt_closing, attempt_views, attempts
from lokalatih.quizzes.errors import (
    AlreadySubmittedError,
    InvalidAnswerError,
    NotConfirmedError,
    QuizClosedError,
    QuizNotOpenError,
    TimeUpError,
)
from lokalatih.quizzes.tasks import close_overdue_attempts

NOW = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)


@pytest.fixture
def timed_quiz(quiz_workshop, quiz_question, quiz_make, quiz_registration):
    """A 20-minute pre-test open from NOW - 1 h to NOW + 1 day, four questions answered 'a'."""
    workshop = quiz_workshop()
    questions = [quiz_question() for _ in range(4)]
    quiz = quiz_make(
        workshop,
        questions,
        opens_at=NOW - timedelta(hours=1),
        closes_at=NOW + timedelta(days=1),
        time_limit_minutes=20,
    )
    return quiz, quiz_registration(workshop), questions


def _answers(db, attempt) -> dict[int, list[str]]:
    db.session.expire_all()
    rows = db.session.scalars(sa.select(Answer).where(Answer.attempt_id == attempt.id))
    return {answer.question_id: answer.selected_keys for answer in rows}


def test_deadline_is_start_plus_time_limit(db, timed_quiz):
    quiz, registration, _ = timed_quiz

    attempt = attempts.start_attempt(quiz, registration, now=NOW)
    db.session.commit()

    assert attempt.started_at == NOW
    assert attempt.deadline_at == NOW + timedelta(minutes=20)


def test_deadline_never_passes_the_window_close(db, timed_quiz):
    quiz, registration, _ = timed_quiz
    quiz.closes_at = NOW + timedelta(minutes=5)
    db.session.commit()

    attempt = attempts.start_attempt(quiz, registration, now=NOW)

    assert attempt.deadline_at == NOW + timedelta(minutes=5)


def test_cannot_start_before_the_window_opens_or_after_it_closes(db, timed_quiz):
    quiz, registration, _ = timed_quiz

    with pytest.raises(QuizNotOpenError):
        attempts.start_attempt(quiz, registration, now=NOW - timedelta(hours=2))
    with pytest.raises(QuizClosedError):
        attempts.start_attempt(quiz, registration, now=NOW + timedelta(days=1))


def test_unconfirmed_registration_cannot_start(db, timed_quiz, quiz_registration):
    quiz, confirmed, _ = timed_quiz
    for status in (RegistrationStatus.PENDING, RegistrationStatus.WAITLISTED):
        registration = quiz_registration(confirmed.workshop, status=status)

        with pytest.raises(NotConfirmedError):
            attempts.start_attempt(quiz, registration, now=NOW)

    assert db.session.scalar(sa.select(sa.func.count(Attempt.id))) == 0


def test_starting_twice_gives_the_same_attempt(db, timed_quiz):
    quiz, registration, _ = timed_quiz

    first = attempts.start_attempt(quiz, registration, now=NOW)
    db.session.commit()
    second = attempts.start_attempt(quiz, registration, now=NOW + timedelta(minutes=3))
    db.session.commit()

    assert second.id == first.id
    assert second.deadline_at == NOW + timedelta(minutes=20)


def test_question_and_choice_order_are_stored_shuffled(db, timed_quiz):
    quiz, registration, questions = timed_quiz
    quiz.shuffle_questions = quiz.shuffle_choices = True
    db.session.commit()

    attempt = attempts.start_attempt(quiz, registration, now=NOW, rng=random.Random(3))
    db.session.commit()

    assert sorted(attempt.question_order) == sorted(q.id for q in questions)
    assert attempt.question_order != [q.id for q in questions]
    for question in questions:
        assert sorted(attempt.choice_order[str(question.id)]) == ["a", "b", "c", "d"]
    shown = attempt_views.attempt_items(attempt)
    assert [item.question.id for item in shown] == attempt.question_order
    assert [key for key, _ in shown[0].choices] == attempt.choice_order[str(shown[0].question.id)]


def test_true_false_choices_keep_their_order(
    db, quiz_workshop, quiz_question, quiz_make, quiz_registration
):
    workshop = quiz_workshop()
    question = quiz_question(kind=QuestionKind.TRUE_FALSE, correct=["b"])
    quiz = quiz_make(workshop, [question], opens_at=NOW - timedelta(hours=1), shuffle=True)

    attempt = attempts.start_attempt(quiz, quiz_registration(workshop), now=NOW)

    assert attempt.choice_order[str(question.id)] == ["a", "b"]


def test_saving_one_question_twice_keeps_one_row_with_the_latest_answer(db, timed_quiz):
    quiz, registration, questions = timed_quiz
    attempt = attempts.start_attempt(quiz, registration, now=NOW)
    db.session.commit()

    answer_saving.save_answer(attempt, questions[0].id, ["b"], now=NOW + timedelta(minutes=1))
    answer_saving.save_answer(attempt, questions[0].id, ["c"], now=NOW + timedelta(minutes=2))
    answer_saving.save_answer(attempt, questions[0].id, ["c"], now=NOW + timedelta(minutes=2))
    db.session.commit()

    assert _answers(db, attempt) == {questions[0].id: ["c"]}


def test_an_older_write_arriving_late_does_not_overwrite_a_newer_one(db, timed_quiz):
    quiz, registration, questions = timed_quiz
    attempt = attempts.start_attempt(quiz, registration, now=NOW)
    answer_saving.save_answer(attempt, questions[0].id, ["c"], now=NOW + timedelta(minutes=2))

    answer_saving.save_answer(attempt, questions[0].id, ["b"], now=NOW + timedelta(minutes=1))
    db.session.commit()

    assert _answers(db, attempt) == {questions[0].id: ["c"]}


def test_saving_within_the_grace_is_accepted_and_after_it_refused(db, timed_quiz):
    quiz, registration, questions = timed_quiz
    attempt = attempts.start_attempt(quiz, registration, now=NOW)
    db.session.commit()
    deadline = attempt.deadline_at

    answer_saving.save_answer(attempt, questions[0].id, ["a"], now=deadline + timedelta(seconds=60))
    db.session.commit()
    with pytest.raises(TimeUpError):
        answer_saving.save_answer(
            attempt, questions[1].id, ["a"], now=deadline + timedelta(seconds=61)
        )
    db.session.rollback()

    assert _answers(db, attempt) == {questions[0].id: ["a"]}


@pytest.mark.parametrize(
    ("question_index", "selected"),
    [(None, ["a"]), (0, ["z"]), (0, ["a", "b"]), (0, "a"), (0, [1])],
    ids=["question-not-in-attempt", "unknown-key", "two-keys-on-single", "not-a-list", "not-text"],
)
def test_invalid_answers_are_refused(db, timed_quiz, quiz_question, question_index, selected):
    quiz, registration, questions = timed_quiz
    outsider = quiz_question()
    attempt = attempts.start_attempt(quiz, registration, now=NOW)
    question_id = outsider.id if question_index is None else questions[question_index].id

    with pytest.raises(InvalidAnswerError):
        answer_saving.save_answer(attempt, question_id, selected, now=NOW)


def test_score_counts_exact_answers_for_each_kind(
    db, quiz_workshop, quiz_question, quiz_make, quiz_registration
):
    workshop = quiz_workshop()
    single = quiz_question(correct=["b"])
    multiple = quiz_question(kind=QuestionKind.MULTIPLE, correct=["a", "c"])
    partial = quiz_question(kind=QuestionKind.MULTIPLE, correct=["a", "c"])
    true_false = quiz_question(kind=QuestionKind.TRUE_FALSE, correct=["b"])
    quiz = quiz_make(
        workshop, [single, multiple, partial, true_false], opens_at=NOW - timedelta(hours=1)
    )
    attempt = attempts.start_attempt(quiz, quiz_registration(workshop), now=NOW)
    answer_saving.save_answer(attempt, single.id, ["b"], now=NOW)
    answer_saving.save_answer(attempt, multiple.id, ["c", "a"], now=NOW)
    answer_saving.save_answer(attempt, partial.id, ["a"], now=NOW)
    answer_saving.save_answer(attempt, true_false.id, ["a"], now=NOW)

    attempt_closing.submit_attempt(attempt, now=NOW + timedelta(minutes=5))
    db.session.commit()

    assert attempt.score == 50.0
    assert attempt.closed_by == AttemptClosedBy.PARTICIPANT
    marks = dict(
        db.session.execute(
            sa.select(Answer.question_id, Answer.is_correct).where(Answer.attempt_id == attempt.id)
        ).all()
    )
    assert marks == {single.id: True, multiple.id: True, partial.id: False, true_false.id: False}


def test_submitting_twice_gives_one_result(db, timed_quiz):
    quiz, registration, questions = timed_quiz
    attempt = attempts.start_attempt(quiz, registration, now=NOW)
    answer_saving.save_answer(attempt, questions[0].id, ["a"], now=NOW)
    first = attempt_closing.submit_attempt(attempt, now=NOW + timedelta(minutes=1))
    db.session.commit()

    second = attempt_closing.submit_attempt(
        attempt, {questions[1].id: ["a"]}, now=NOW + timedelta(minutes=2)
    )
    db.session.commit()

    assert (second.score, second.submitted_at) == (25.0, NOW + timedelta(minutes=1))
    assert first.id == second.id
    assert _answers(db, attempt)[questions[1].id] == []


def test_saving_after_submission_is_refused(db, timed_quiz):
    quiz, registration, questions = timed_quiz
    attempt = attempts.start_attempt(quiz, registration, now=NOW)
    attempt_closing.submit_attempt(attempt, now=NOW + timedelta(minutes=1))
    db.session.commit()

    with pytest.raises(AlreadySubmittedError):
        answer_saving.save_answer(attempt, questions[0].id, ["a"], now=NOW + timedelta(minutes=2))


def test_submitting_after_the_grace_is_refused(db, timed_quiz):
    quiz, registration, _ = timed_quiz
    attempt = attempts.start_attempt(quiz, registration, now=NOW)
    db.session.commit()

    with pytest.raises(TimeUpError):
        attempt_closing.submit_attempt(attempt, now=attempt.deadline_at + timedelta(seconds=61))


def test_submitting_within_the_grace_scores_the_page(db, timed_quiz):
    quiz, registration, questions = timed_quiz
    attempt = attempts.start_attempt(quiz, registration, now=NOW)

    attempt_closing.submit_attempt(
        attempt,
        {q.id: ["a"] for q in questions},
        now=attempt.deadline_at + timedelta(seconds=59),
    )
    db.session.commit()

    assert attempt.score == 100.0


def test_overdue_job_scores_saved_answers_and_is_idempotent(db, timed_quiz, quiz_registration):
    quiz, registration, questions = timed_quiz
    attempt = attempts.start_attempt(quiz, registration, now=NOW)
    answer_saving.save_answer(attempt, questions[0].id, ["a"], now=NOW + timedelta(minutes=1))
    answer_saving.save_answer(attempt, questions[1].id, ["b"], now=NOW + timedelta(minutes=2))
    other = quiz_registration(registration.workshop)
    later = attempts.start_attempt(quiz, other, now=NOW + timedelta(minutes=15))
    db.session.commit()
    job_time = NOW + timedelta(minutes=21, seconds=1)

    closed = close_overdue_attempts(now=job_time)
    again = close_overdue_attempts(now=job_time + timedelta(minutes=1))

    db.session.expire_all()
    attempt, later = db.session.get(Attempt, attempt.id), db.session.get(Attempt, later.id)
    assert (closed, again) == (1, 0)
    assert attempt.score == 25.0
    assert attempt.closed_by == AttemptClosedBy.DEADLINE_JOB
    assert attempt.submitted_at == job_time
    assert later.submitted_at is None  # its deadline (+ grace) has not passed yet
    assert _answers(db, attempt)[questions[1].id] == ["b"]


def test_overdue_job_leaves_attempts_within_the_grace(db, timed_quiz):
    quiz, registration, _ = timed_quiz
    attempt = attempts.start_attempt(quiz, registration, now=NOW)
    db.session.commit()

    closed = close_overdue_attempts(now=attempt.deadline_at + timedelta(seconds=60))

    assert closed == 0
    assert db.session.get(Attempt, attempt.id).submitted_at is None


def test_viewing_an_overdue_attempt_closes_it_once(db, timed_quiz):
    quiz, registration, questions = timed_quiz
    attempt = attempts.start_attempt(quiz, registration, now=NOW)
    answer_saving.save_answer(attempt, questions[0].id, ["a"], now=NOW)
    db.session.commit()
    late = attempt.deadline_at + timedelta(minutes=5)

    attempt_closing.close_if_overdue(attempt, now=late)
    db.session.commit()
    closed = close_overdue_attempts(now=late)

    assert (attempt.score, attempt.closed_by, closed) == (25.0, AttemptClosedBy.DEADLINE_JOB, 0)
