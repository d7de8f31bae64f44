"""Migration 0010: a bank that already holds duplicate texts upgrades, keeping the oldest text
and suffixing the later ones, and leaves one key per text."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from lokalatih import create_app
from lokalatih.models import question_text_key
from tests.support import scratch_database

AT = datetime(2026, 3, 1, tzinfo=UTC)
# The table as it is at 0009 (the model has moved on since).
QUESTIONS = sa.table(
    "questions",
    *(sa.column(name, kind) for name, kind in {
        "id": sa.Integer, "topic": sa.String, "text": sa.Text, "kind": sa.String,
        "choices": sa.JSON, "correct_keys": sa.JSON, "explanation": sa.Text, "source": sa.String,
        "language": sa.String, "created_at": sa.DateTime, "updated_at": sa.DateTime,
    }.items()),
)  # fmt: skip
TEXTS = {
    1: "Apa isi Pasal 28I UUD 1945?",
    2: "  apa isi  pasal 28I uud 1945? ",
    3: "Hak apa yang tidak dapat dikurangi?",
    4: "APA ISI PASAL 28I UUD 1945?",
}


@pytest.fixture
def database_url_0009(tmp_path):
    with scratch_database(tmp_path, "text_key") as url:
        yield url


def test_existing_duplicates_are_suffixed_and_every_text_gets_its_key(database_url_0009):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url_0009)
    with app.app_context():
        from lokalatih.extensions import db

        upgrade(revision="0009_registration_tallies")
        with db.engine.begin() as connection:
            connection.execute(
                sa.insert(QUESTIONS),
                [
                    {"id": qid, "topic": "DUHAM", "text": text, "kind": "true_false",
                     "choices": [{"key": "a", "text": "Benar"}, {"key": "b", "text": "Salah"}],
                     "correct_keys": ["a"], "explanation": "", "source": "", "language": "id",
                     "created_at": AT, "updated_at": AT}
                    for qid, text in TEXTS.items()
                ],
            )  # fmt: skip
        upgrade()

        with db.engine.connect() as connection:
            rows = connection.execute(
                sa.text("SELECT id, text, text_key FROM questions ORDER BY id")
            ).all()
        assert [(qid, text) for qid, text, _key in rows] == [
            (1, TEXTS[1]),
            (2, TEXTS[2] + " (duplikat #2)"),
            (3, TEXTS[3]),
            (4, TEXTS[4] + " (duplikat #4)"),
        ]
        assert [key for _qid, text, key in rows] == [question_text_key(t) for _q, t, _k in rows]
        with pytest.raises(sa.exc.IntegrityError), db.engine.begin() as connection:
            connection.execute(
                sa.text("UPDATE questions SET text_key = :key WHERE id = 3"), {"key": rows[0][2]}
            )

        downgrade(revision="0009_registration_tallies")
        with db.engine.connect() as connection:
            assert connection.execute(sa.text("SELECT count(*) FROM questions")).scalar() == 4
        db.session.remove()
        db.engine.dispose()
