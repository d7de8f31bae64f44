"""The themes section's learning figures, read from `attempt_theme_scores`, equal counting the
answers of submitted attempts to tagged questions, also after questions are re-tagged."""

from __future__ import annotations

from dataclasses import replace

import pytest
import sqlalchemy as sa

from lokalatih.demo.large import load_large_demo
from lokalatih.demo.themes import load_demo_themes
from lokalatih.extensions import db as _db
from lokalatih.models import Question, QuizKind, Theme
from lokalatih.quizzes import bank
from lokalatih.reports import themes
from lokalatih.reports.figures import Filters
from tests.quizzes.test_theme_scores import counted, kept

# Per theme and quiz kind: answers, correct answers, distinct participants, over every answer row
# of the submitted attempts of confirmed registrations: what the section must show.
FROM_ANSWERS = """
    SELECT qt.theme_id, q.kind, COUNT(*), SUM(CASE WHEN an.is_correct THEN 1 ELSE 0 END),
           COUNT(DISTINCT r.user_id)
    FROM answers an
    JOIN question_themes qt ON qt.question_id = an.question_id
    JOIN attempts a ON a.id = an.attempt_id
    JOIN quizzes q ON q.id = a.quiz_id
    JOIN registrations r ON r.id = a.registration_id
    JOIN profiles p ON p.user_id = r.user_id
    WHERE a.submitted_at IS NOT NULL AND r.status = 'confirmed'
      AND (CAST(:province AS VARCHAR) IS NULL OR p.province_code = :province)
    GROUP BY qt.theme_id, q.kind
"""


def _counted(province: str | None = None) -> dict[int, dict]:
    found: dict[int, dict] = {}
    rows = _db.session.execute(sa.text(FROM_ANSWERS), {"province": province})
    for theme_id, kind, answered, correct, people in rows:
        found.setdefault(theme_id, {})[QuizKind(kind)] = (answered, correct, people)
    return found


def _theme(code: str) -> Theme:
    return _db.session.scalar(sa.select(Theme).where(Theme.code == code))


def _question(topic: str) -> Question:
    return _db.session.scalar(sa.select(Question).where(Question.topic == topic))


def _retag(question: Question, *codes: str) -> None:
    """Through the bank's edit, as an admin would, after the tests were taken."""
    data = bank.data_from_question(question)  # the data set's questions lack what the form asks
    bank.update_question(
        question,
        replace(data, explanation=data.explanation or "Pembahasan.", source=data.source or "UU"),
        actor=None,
        theme_ids=[_theme(code).id for code in codes],
    )
    _db.session.commit()


def _assert_shown_equals_counted(dataset) -> None:
    for province in (None, "31", "33"):
        shown = themes._learning(Filters(province=province), dataset.reviewer)
        assert shown == _counted(province)


@pytest.mark.parametrize("filters", [{}, {"province": "31"}])
def test_learning_equals_the_answers_of_the_tagged_questions(dataset, filters):
    _retag(_question("Dasar HAM"), "kesehatan", "bantuan_hukum")
    _retag(_question("Disabilitas"), "kesehatan")

    shown = themes._learning(Filters(**filters), dataset.reviewer)

    assert shown == _counted(filters.get("province"))
    health = shown[_theme("kesehatan").id]
    if not filters:
        # 12 pre-tests (6 right), 11 post-tests (P7 did not submit; 10 right).
        assert health == {QuizKind.PRE: (12, 6, 12), QuizKind.POST: (11, 10, 11)}


def test_adding_and_removing_a_theme_after_the_tests_keeps_the_figures_equal(dataset):
    basics, disability = _question("Dasar HAM"), _question("Disabilitas")
    _assert_shown_equals_counted(dataset)  # nothing tagged yet
    assert themes._learning(Filters(), dataset.reviewer) == {}

    _retag(basics, "kesehatan")
    _assert_shown_equals_counted(dataset)
    _retag(disability, "kesehatan", "informasi")  # added
    _assert_shown_equals_counted(dataset)
    _retag(basics, "informasi")  # "kesehatan" taken away, "informasi" added
    _assert_shown_equals_counted(dataset)
    assert set(themes._learning(Filters(), dataset.reviewer)) == {
        _theme("kesehatan").id,
        _theme("informasi").id,
    }
    _retag(disability)  # every theme taken away
    _assert_shown_equals_counted(dataset)
    assert set(themes._learning(Filters(), dataset.reviewer)) == {_theme("informasi").id}


def test_the_rows_shown_follow_the_retagging(dataset):
    _retag(_question("Dasar HAM"), "kesehatan")
    row = {r.code: r for r in themes.theme_report(Filters(), dataset.reviewer).rows}["kesehatan"]
    assert (row.pre_correct, row.post_correct) == (pytest.approx(50.0), pytest.approx(600 / 7))

    _retag(_question("Dasar HAM"))
    row = {r.code: r for r in themes.theme_report(Filters(), dataset.reviewer).rows}["kesehatan"]
    assert (row.pre_correct, row.post_correct, row.learners) == (None, None, 0)


def test_the_demo_tags_its_questions_after_the_tests_were_taken_and_recounts_them(app):
    load_large_demo(workshops=3, participants=200)
    assert kept(_db) == set()

    assert load_demo_themes()

    assert kept(_db) == counted(_db)
    assert len(kept(_db)) > 100
