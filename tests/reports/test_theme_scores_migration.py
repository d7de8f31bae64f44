"""Migration 0020 fills `attempt_theme_scores` from the answers of the attempts submitted before
it and the questions' themes, as scoring would have."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from lokalatih import create_app
from lokalatih.models import QuestionKind, QuizKind, Role, Theme
from tests import factories
from tests.quizzes.test_theme_scores import counted, kept
from tests.support import scratch_database

BEFORE = "0019_certificate_issuers"
AT = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)


@pytest.fixture
def scratch_database_url(tmp_path):
    with scratch_database(tmp_path, "theme-backfill") as url:
        yield url


def _tests_taken(db) -> None:
    """Two participants' pre- and post-tests on four questions (one untagged, one with two
    themes), and a third participant's pre-test still in progress."""
    themes = {t.code: t for t in db.session.scalars(sa.select(Theme))}
    workshop = factories.workshop(
        organizers=[factories.user(role=Role.ORGANIZER)], sessions=[(AT, AT + timedelta(hours=2))]
    )
    tags = ([themes["kesehatan"]], [themes["kesehatan"], themes["informasi"]], [], [])
    tags[3].append(themes["pendidikan"])
    questions = [factories.question(kind=QuestionKind.TRUE_FALSE, themes=t) for t in tags]
    quizzes = {kind: factories.quiz(workshop, kind=kind, questions=questions) for kind in QuizKind}
    for n in range(3):
        registration = factories.registration(workshop, factories.user())
        for kind, quiz in quizzes.items():
            submitted = n < 2
            if not submitted and kind == QuizKind.POST:
                continue
            picks = {q: ["a"] if (i + n) % 3 else ["b"] for i, q in enumerate(questions)}
            factories.attempt(quiz, registration, score=50.0 if submitted else None, answers=picks)


def test_upgrade_backfills_theme_counts_of_submitted_attempts_and_downgrade_drops_them(
    scratch_database_url,
):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=scratch_database_url)
    with app.app_context():
        from lokalatih.extensions import db

        upgrade()
        _tests_taken(db)
        expected = counted(db)
        assert len(expected) == 2 * 2 * 3  # two people, two tests, three themes
        db.session.remove()

        downgrade(revision=BEFORE)
        assert "attempt_theme_scores" not in sa.inspect(db.engine).get_table_names()

        upgrade()
        assert kept(db) == expected
        db.session.remove()
        db.engine.dispose()
