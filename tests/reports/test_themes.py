"""The dashboard's KKPHAM themes section against the fixed data set (see conftest).

Tags: workshop A (P1-P8 confirmed, in 31.71, 31.74 and 32.73) covers "kesehatan" itself;
workshop B (P9-P12, in 32.73 and 33.74) covers "informasi" through its session; both cover
"bantuan_hukum" (A itself, B through its session). A's question is tagged "kesehatan".
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lokalatih.extensions import db as _db
from lokalatih.models import Question, Region, Theme
from lokalatih.quizzes import theme_scores
from lokalatih.reports import themes
from lokalatih.reports.figures import Filters


def _theme(code: str) -> Theme:
    return _db.session.scalar(sa.select(Theme).where(Theme.code == code))


@pytest.fixture
def tagged(db, dataset):
    health, info, legal = _theme("kesehatan"), _theme("informasi"), _theme("bantuan_hukum")
    dataset.workshop_a.themes = [health, legal]
    dataset.workshop_b.sessions[0].themes = [info, legal]
    basics = db.session.scalar(sa.select(Question).where(Question.topic == "Dasar HAM"))
    basics.themes = [health]
    db.session.flush()
    theme_scores.retally_attempts_with_questions([basics.id])  # tagged after the tests were taken
    db.session.commit()
    return dataset


def _rows(dataset, viewer=None, **filters):
    report = themes.theme_report(Filters(**filters), viewer or dataset.reviewer)
    return {row.code: row for row in report.rows}


def test_reach_per_theme_equals_a_plain_sql_count(tagged):
    rows = _rows(tagged)
    counted = _db.session.execute(
        sa.text(
            """
            SELECT t.code, COUNT(DISTINCT r.user_id) FROM themes t
            JOIN (SELECT workshop_id, theme_id FROM workshop_themes
                  UNION SELECT s.workshop_id, st.theme_id FROM session_themes st
                  JOIN workshop_sessions s ON s.id = st.session_id) c ON c.theme_id = t.id
            JOIN registrations r ON r.workshop_id = c.workshop_id AND r.status = 'confirmed'
            GROUP BY t.code
            """
        )
    ).all()

    assert dict(counted) == {"bantuan_hukum": 12, "kesehatan": 8, "informasi": 4}
    assert (rows["bantuan_hukum"].workshops, rows["bantuan_hukum"].participants) == (2, 12)
    assert (rows["kesehatan"].workshops, rows["kesehatan"].participants) == (1, 8)
    assert rows["pendidikan"].workshops == rows["pendidikan"].participants == 0


def test_a_theme_reached_by_fewer_than_five_is_suppressed(tagged):
    rows = _rows(tagged)

    assert rows["informasi"].suppressed
    assert not rows["kesehatan"].suppressed
    chart = themes.theme_report(Filters(), tagged.reviewer).reach_chart.values()
    assert chart["Informasi"] == (None,)
    assert chart["Kesehatan"] == (8,)


def test_learning_counts_answers_to_tagged_questions_only(tagged):
    rows = _rows(tagged)

    # Pre-test: 4 of 8 answers correct (score >= 50); post-test: 6 of 7 (P7 did not submit).
    assert rows["kesehatan"].pre_correct == pytest.approx(50.0)
    assert rows["kesehatan"].post_correct == pytest.approx(600 / 7)
    assert rows["kesehatan"].change == pytest.approx(600 / 7 - 50)
    assert rows["bantuan_hukum"].pre_correct is None  # no question tagged with it


def test_filters_and_the_organizers_scope_apply(tagged):
    assert _rows(tagged, province="31")["bantuan_hukum"].participants == 6
    organizer_rows = _rows(tagged, viewer=tagged.org_b)
    assert organizer_rows["kesehatan"].workshops == 0
    assert organizer_rows["bantuan_hukum"].workshops == 1


def test_coverage_counts_kabupaten_kota_with_a_trained_participant(tagged):
    rows = _rows(tagged)
    assert rows["bantuan_hukum"].regencies == 4
    assert rows["kesehatan"].regencies == 3
    assert rows["informasi"].regencies == 2

    report = themes.theme_report(Filters(), tagged.reviewer, "informasi")
    by_province = {c.code: c for c in report.coverage}
    assert report.chosen.code == "informasi"
    assert (by_province["33"].reached, by_province["31"].reached) == (1, 0)
    total_33 = _db.session.scalar(
        sa.select(sa.func.count()).select_from(Region).where(Region.parent_code == "33")
    )
    assert by_province["33"].total == total_33
    not_reached = _db.session.scalar(sa.select(Region.name).where(Region.code == "33.74"))
    assert not_reached not in by_province["33"].not_reached
    assert len(by_province["33"].not_reached) == total_33 - 1


def test_an_unknown_theme_code_falls_back_to_the_first_theme(tagged):
    report = themes.theme_report(Filters(), tagged.reviewer, "tidak-ada")
    assert report.chosen.code == "bantuan_hukum"


def test_dashboard_shows_the_section_and_the_chosen_themes_list(tagged, client, login_as):
    login_as(tagged.reviewer)

    page = client.get("/laporan?tema=informasi").get_data(as_text=True)

    assert 'href="#tema-kkpham"' in page
    assert 'id="themes-table"' in page
    assert "Per provinsi: Hak atas informasi" in page
    assert 'id="chart-themes"' in page
