"""Migration 0009 fills the tallies of registrations that existed before it, and its downgrade
takes them away again."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from lokalatih import create_app
from tests.support import row_counts, scratch_database

from .test_topic_scores_migration import AT, ATTEMPTS, _old_data, _table

BEFORE, REVISION = "0008_performance_indexes", "0009_registration_tallies"
HOUR = timedelta(hours=1)

SESSIONS = _table(
    "workshop_sessions", id=sa.Integer, workshop_id=sa.Integer, position=sa.Integer,
    title=sa.String, speakers=sa.String, starts_at=sa.DateTime, ends_at=sa.DateTime,
    checkin_secret=sa.String, checkin_opens_minutes_before=sa.Integer,
)  # fmt: skip
CHECKINS = _table(
    "checkins", id=sa.Integer, session_id=sa.Integer, registration_id=sa.Integer,
    method=sa.String, checked_in_at=sa.DateTime,
)  # fmt: skip
PROFILES = _table(
    "profiles", user_id=sa.Integer, full_name=sa.String, gender=sa.String,
    institution_type=sa.String, province_code=sa.String, regency_code=sa.String,
    updated_at=sa.DateTime,
)  # fmt: skip
CERTIFICATES = _table(
    "certificates", id=sa.Integer, registration_id=sa.Integer, number=sa.String, code=sa.String,
    name_on_certificate=sa.String, language=sa.String, issued_at=sa.DateTime,
    revoked_at=sa.DateTime, revoked_by_holder=sa.Boolean,
)  # fmt: skip


@pytest.fixture
def scratch_database_url(tmp_path):
    with scratch_database(tmp_path, "tallies") as url:
        yield url


def _attendance(connection) -> None:
    """Registration 1 attended two sessions and holds a valid certificate and a revoked one;
    registration 2 attended one session and its certificate went with its holder's account.
    Only the first participant has a profile."""
    connection.execute(
        sa.insert(PROFILES),
        {"user_id": 1, "full_name": "Siti", "gender": "female",
         "institution_type": "civil_society", "province_code": "53", "regency_code": "53.71",
         "updated_at": AT},
    )  # fmt: skip
    connection.execute(
        sa.insert(SESSIONS),
        [
            {"id": n, "workshop_id": 1, "position": n, "title": f"Sesi {n}", "speakers": "",
             "starts_at": AT, "ends_at": AT + HOUR, "checkin_secret": f"rahasia{n}",
             "checkin_opens_minutes_before": 30}
            for n in (1, 2, 3)
        ],
    )  # fmt: skip
    connection.execute(
        sa.insert(CHECKINS),
        [
            {"session_id": session, "registration_id": registration, "method": "code",
             "checked_in_at": AT}
            for session, registration in ((1, 1), (2, 1), (1, 2))
        ],
    )  # fmt: skip
    connection.execute(
        sa.insert(CERTIFICATES),
        [
            {"registration_id": registration, "number": f"No. {n}", "code": f"kode{n}",
             "name_on_certificate": "Peserta", "language": "id", "issued_at": AT,
             "revoked_at": revoked, "revoked_by_holder": by_holder}
            for n, (registration, revoked, by_holder) in enumerate(
                ((1, AT, False), (1, None, False), (2, AT, True))
            )
        ],
    )  # fmt: skip
    scores = {1: 66.5, 2: 100.0}  # attempt 3 (registration 2's pre-test) was never submitted
    for attempt, score in scores.items():
        connection.execute(sa.update(ATTEMPTS).where(ATTEMPTS.c.id == attempt).values(score=score))


def test_upgrade_fills_the_tallies_and_topic_rows_and_downgrade_removes_them(
    scratch_database_url,
):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=scratch_database_url)
    with app.app_context():
        from lokalatih.extensions import db

        upgrade(revision="0003_consent_v1")
        with db.engine.begin() as connection:
            _old_data(connection)
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            _attendance(connection)

        upgrade(revision=REVISION)

        with db.engine.connect() as connection:
            tallies = connection.execute(
                sa.text(
                    "SELECT id, sessions_attended, certificates_earned, pre_score, post_score, "
                    "province_code, regency_code, institution_type, gender "
                    "FROM registrations ORDER BY id"
                )
            ).all()
            topics = connection.execute(
                sa.text(
                    "SELECT registration_id, topic, pre_answered, pre_correct, post_answered, "
                    "post_correct FROM registration_topic_scores ORDER BY registration_id, topic"
                )
            ).all()
        assert [tuple(row) for row in tallies] == [
            (1, 2, 1, 66.5, 100.0, "53", "53.71", "civil_society", "female"),
            (2, 1, 1, None, None, None, None, None, None),
        ]
        assert [tuple(row) for row in topics] == [
            (1, "DUHAM", 2, 1, 2, 2),
            (1, "Hak anak", 1, 1, 1, 0),
        ]

        kept = ("checkins", "certificates", "attempts", "answers", "attempt_topic_scores")
        before = row_counts(db.engine, kept)
        downgrade(revision=BEFORE)

        assert (
            row_counts(db.engine, kept) == before
        )  # nothing cascades away with the dropped columns
        inspector = sa.inspect(db.engine)
        assert "registration_topic_scores" not in inspector.get_table_names()
        columns = {column["name"] for column in inspector.get_columns("registrations")}
        assert "sessions_attended" not in columns
        with db.engine.begin() as connection:  # no trigger is left to write to what is gone
            assert connection.execute(sa.delete(CHECKINS)).rowcount == 3
            connection.execute(sa.delete(ATTEMPTS))
        db.session.remove()
        db.engine.dispose()
