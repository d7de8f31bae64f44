"""Migration 0004 fills `attempt_topic_scores` from the answers of attempts submitted before it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from lokalatih import create_app
from tests.support import scratch_database

BEFORE, REVISION = "0003_consent_v1", "0004_attempt_topic_scores"
AT = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)


@pytest.fixture
def scratch_database_url(tmp_path):
    with scratch_database(tmp_path, "backfill") as url:
        yield url


def _table(name: str, **columns) -> sa.TableClause:
    return sa.table(name, *(sa.column(column, kind) for column, kind in columns.items()))


# The tables as they are at 0003 (the models may have moved on since).
USERS = _table(
    "users", id=sa.Integer, email=sa.String, password_hash=sa.String, role=sa.String,
    locale=sa.String, created_at=sa.DateTime, failed_logins=sa.Integer,
    password_changed_at=sa.DateTime,
)  # fmt: skip
WORKSHOPS = _table(
    "workshops", id=sa.Integer, slug=sa.String, title=sa.String, summary=sa.String,
    description=sa.Text, partners=sa.String, target_audience=sa.Text, mode=sa.String,
    timezone=sa.String, start_date=sa.Date, end_date=sa.Date, capacity=sa.Integer,
    requires_approval=sa.Boolean, waitlist_enabled=sa.Boolean, status=sa.String,
    cert_min_attendance_pct=sa.Integer, cert_requires_post_test=sa.Boolean,
    seat_lock_version=sa.Integer, created_at=sa.DateTime, updated_at=sa.DateTime,
)  # fmt: skip
REGISTRATIONS = _table(
    "registrations", id=sa.Integer, workshop_id=sa.Integer, user_id=sa.Integer,
    status=sa.String, created_at=sa.DateTime, updated_at=sa.DateTime, checkin_token=sa.String,
)  # fmt: skip
QUESTIONS = _table(
    "questions", id=sa.Integer, topic=sa.String, text=sa.Text, kind=sa.String, choices=sa.JSON,
    correct_keys=sa.JSON, explanation=sa.Text, source=sa.String, language=sa.String,
    created_at=sa.DateTime, updated_at=sa.DateTime,
)  # fmt: skip
QUIZZES = _table(
    "quizzes", id=sa.Integer, workshop_id=sa.Integer, kind=sa.String, title=sa.String,
    time_limit_minutes=sa.Integer, shuffle_questions=sa.Boolean, shuffle_choices=sa.Boolean,
    show_answers_after_close=sa.Boolean, created_at=sa.DateTime,
)  # fmt: skip
ATTEMPTS = _table(
    "attempts", id=sa.Integer, quiz_id=sa.Integer, registration_id=sa.Integer,
    started_at=sa.DateTime, deadline_at=sa.DateTime, submitted_at=sa.DateTime,
    score=sa.Float, question_order=sa.JSON, choice_order=sa.JSON,
)  # fmt: skip
ANSWERS = _table(
    "answers", id=sa.Integer, attempt_id=sa.Integer, question_id=sa.Integer,
    selected_keys=sa.JSON, saved_at=sa.DateTime, is_correct=sa.Boolean,
)  # fmt: skip


def _old_data(connection) -> None:
    """Two registrations; the first submitted both tests, the second only started the pre-test."""
    connection.execute(
        sa.insert(USERS),
        [
            {"id": i, "email": f"peserta{i}@contoh.id", "password_hash": "!",
             "role": "participant", "locale": "id", "created_at": AT, "failed_logins": 0,
             "password_changed_at": AT}
            for i in (1, 2)
        ],
    )  # fmt: skip
    connection.execute(
        sa.insert(WORKSHOPS),
        {"id": 1, "slug": "ws", "title": "Loka Latih", "summary": "", "description": "",
         "partners": "", "target_audience": "", "mode": "offline", "timezone": "Asia/Jakarta",
         "start_date": date(2026, 3, 10), "end_date": date(2026, 3, 10), "capacity": 10,
         "requires_approval": False, "waitlist_enabled": False, "status": "completed",
         "cert_min_attendance_pct": 80, "cert_requires_post_test": True,
         "seat_lock_version": 0, "created_at": AT, "updated_at": AT},
    )  # fmt: skip
    connection.execute(
        sa.insert(REGISTRATIONS),
        [
            {"id": i, "workshop_id": 1, "user_id": i, "status": "confirmed", "created_at": AT,
             "updated_at": AT, "checkin_token": f"token{i}"}
            for i in (1, 2)
        ],
    )  # fmt: skip
    topics = {1: "DUHAM", 2: "DUHAM", 3: "Hak anak"}
    connection.execute(
        sa.insert(QUESTIONS),
        [
            {"id": qid, "topic": topic, "text": f"Soal {qid}", "kind": "true_false",
             "choices": [{"key": "a", "text": "Benar"}, {"key": "b", "text": "Salah"}],
             "correct_keys": ["a"], "explanation": "", "source": "", "language": "id",
             "created_at": AT, "updated_at": AT}
            for qid, topic in topics.items()
        ],
    )  # fmt: skip
    connection.execute(
        sa.insert(QUIZZES),
        [
            {"id": qid, "workshop_id": 1, "kind": kind, "title": kind, "time_limit_minutes": 20,
             "shuffle_questions": False, "shuffle_choices": False,
             "show_answers_after_close": True, "created_at": AT}
            for qid, kind in ((1, "pre"), (2, "post"))
        ],
    )  # fmt: skip
    # attempt: (quiz, registration, submitted, marks of questions 1, 2, 3)
    attempts = {
        1: (1, 1, True, (True, False, True)),
        2: (2, 1, True, (True, True, False)),
        3: (1, 2, False, (None, None, None)),
    }
    connection.execute(
        sa.insert(ATTEMPTS),
        [
            {"id": aid, "quiz_id": quiz, "registration_id": reg, "started_at": AT,
             "deadline_at": AT, "submitted_at": AT if submitted else None,
             "score": None, "question_order": [1, 2, 3], "choice_order": {}}
            for aid, (quiz, reg, submitted, _) in attempts.items()
        ],
    )  # fmt: skip
    connection.execute(
        sa.insert(ANSWERS),
        [
            {"attempt_id": aid, "question_id": qid, "selected_keys": ["a"], "saved_at": AT,
             "is_correct": mark}
            for aid, (_, _, _, marks) in attempts.items()
            for qid, mark in zip(topics, marks, strict=True)
        ],
    )  # fmt: skip


def test_upgrade_backfills_topic_counts_of_submitted_attempts_and_downgrade_drops_them(
    scratch_database_url,
):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=scratch_database_url)
    with app.app_context():
        from lokalatih.extensions import db

        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            _old_data(connection)

        upgrade(revision=REVISION)

        with db.engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT attempt_id, topic, registration_id, quiz_kind, answered, correct "
                    "FROM attempt_topic_scores "
                    "ORDER BY attempt_id, topic"
                )
            ).all()
        assert [tuple(row) for row in rows] == [
            (1, "DUHAM", 1, "pre", 2, 1),
            (1, "Hak anak", 1, "pre", 1, 1),
            (2, "DUHAM", 1, "post", 2, 2),
            (2, "Hak anak", 1, "post", 1, 0),
        ]

        downgrade(revision=BEFORE)
        assert "attempt_topic_scores" not in sa.inspect(db.engine).get_table_names()
        db.session.remove()
        db.engine.dispose()
