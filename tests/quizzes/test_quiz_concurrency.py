"""Many requests on one attempt at the same moment: one result, and every question's last answer.

Each thread has its own app context (its own session and connection), and all wait at a barrier
so they hit the database together. Run against PostgreSQL with LOKALATIH_TEST_DATABASE_URL.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa

from lokalatih.extensions import db as _db
from lokalatih.models import (
    Answer,
    Attempt,
    AttemptClosedBy,
    Quiz,
    Registration,
    RegistrationStatus,
    Role,
    User,
    utcnow,
)
from lokalatih.quizzes import answer_saving, attempt_closing, attempts
from lokalatih.quizzes.errors import AlreadySubmittedError
from lokalatih.quizzes.tasks import close_overdue_attempts
from tests.support import at_once


def _run_together(app, jobs: list[Callable[[], object]], stagger: float = 0.0) -> list[object]:
    """Run every job in its own thread and app context, committing after it; each job's result
    or exception.

    `stagger` seconds between the threads' starts after the barrier make saves land both before
    and after a submission, instead of all on one side of it.
    """

    def committed(index: int) -> object:
        result = jobs[index]()
        _db.session.commit()
        return result

    return [value for _, value in at_once(app, len(jobs), committed, stagger)]


def _save(attempt_id: int, question_id: int, key: str):
    def job():
        attempt = _db.session.get(Attempt, attempt_id)
        return ("save", question_id, key, answer_saving.save_answer(attempt, question_id, [key]))

    return job


def _submit(attempt_id: int):
    def job():
        attempt = attempt_closing.submit_attempt(_db.session.get(Attempt, attempt_id))
        return ("submit", attempt.score, attempt.submitted_at)

    return job


def _stored(attempt_id: int) -> dict[int, tuple[list[str], bool | None]]:
    _db.session.expire_all()
    rows = _db.session.scalars(sa.select(Answer).where(Answer.attempt_id == attempt_id))
    return {row.question_id: (row.selected_keys, row.is_correct) for row in rows}


def _latest_saves(results) -> dict[int, set[str]]:
    """Per question, the keys of the successful saves with the latest server time."""
    latest: dict[int, tuple[object, set[str]]] = {}
    for result in results:
        if isinstance(result, tuple) and result[0] == "save":
            _, question_id, key, saved_at = result
            best = latest.get(question_id)
            if best is None or saved_at > best[0]:
                latest[question_id] = (saved_at, {key})
            elif saved_at == best[0]:
                best[1].add(key)
    return {question_id: keys for question_id, (_, keys) in latest.items()}


def test_twenty_concurrent_saves_keep_each_questions_latest_answer(app, db, quiz_open):
    quiz, registration, questions = quiz_open
    attempt = attempts.start_attempt(quiz, registration)
    db.session.commit()
    jobs = [_save(attempt.id, questions[i % 4].id, "abcd"[(i // 4) % 4]) for i in range(20)]

    results = _run_together(app, jobs)

    assert not [r for r in results if isinstance(r, Exception)]
    stored = _stored(attempt.id)
    latest = _latest_saves(results)
    assert set(stored) == {q.id for q in questions}
    for question_id, (keys, _) in stored.items():
        assert keys[0] in latest[question_id]


def test_twenty_concurrent_saves_and_submits_give_one_result(app, db, quiz_open):
    quiz, registration, questions = quiz_open
    attempt = attempts.start_attempt(quiz, registration)
    db.session.commit()
    jobs = []
    for i in range(20):
        if i % 4 == 3:
            jobs.append(_submit(attempt.id))
        else:
            jobs.append(_save(attempt.id, questions[i % 4].id, "abcd"[i % 3]))

    results = _run_together(app, jobs, stagger=0.002)

    submits = [r for r in results if isinstance(r, tuple) and r[0] == "submit"]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(submits) == 5
    assert len({(score, at) for _, score, at in submits}) == 1  # one result, seen by all
    assert all(isinstance(r, AlreadySubmittedError) for r in refused)
    final = db.session.get(Attempt, attempt.id)
    db.session.refresh(final)
    stored = _stored(attempt.id)
    latest = _latest_saves(results)
    for question in questions:
        keys, is_correct = stored[question.id]
        if question.id in latest:
            assert keys[0] in latest[question.id]  # the last save before submission is kept
        else:
            assert keys == []
        assert is_correct == (keys == question.correct_keys)
    correct = sum(1 for keys, is_correct in stored.values() if is_correct)
    assert final.score == 100.0 * correct / len(questions) == submits[0][1]


def test_concurrent_starts_create_one_attempt(app, db, quiz_open):
    quiz, registration, _ = quiz_open
    quiz_id, registration_id = quiz.id, registration.id

    def start():
        quiz = _db.session.get(Quiz, quiz_id)
        registration = _db.session.get(Registration, registration_id)
        return attempts.start_attempt(quiz, registration, now=utcnow() + timedelta(seconds=1)).id

    results = _run_together(app, [start] * 10)

    assert not [r for r in results if isinstance(r, Exception)]
    assert len(set(results)) == 1
    assert db.session.scalar(sa.select(sa.func.count(Attempt.id))) == 1


def test_concurrent_deadline_jobs_close_each_attempt_once(app, db, quiz_open):
    quiz, registration, questions = quiz_open
    workshop_id = registration.workshop_id
    started = utcnow() - timedelta(minutes=50)  # 20-minute limit: overdue by half an hour
    ids = []
    for n in range(30):
        user = User(email=f"batas{n}@contoh.id", password_hash="-", role=Role.PARTICIPANT)
        other = Registration(
            workshop_id=workshop_id, user=user, status=RegistrationStatus.CONFIRMED
        )
        db.session.add(other)
        db.session.flush()
        attempt = attempts.start_attempt(quiz, other, now=started)
        answer_saving.save_answer(attempt, questions[0].id, ["a"], now=started)
        ids.append(attempt.id)
    db.session.commit()

    counts = _run_together(app, [close_overdue_attempts] * 4)

    assert sum(counts) == 30
    db.session.expire_all()
    closed = db.session.scalars(sa.select(Attempt).where(Attempt.id.in_(ids))).all()
    assert {(a.closed_by, a.score) for a in closed} == {(AttemptClosedBy.DEADLINE_JOB, 25.0)}
    answers = db.session.scalar(
        sa.select(sa.func.count(Answer.id)).where(Answer.attempt_id.in_(ids))
    )
    assert answers == 30 * len(questions)  # no duplicate rows from a second scoring
