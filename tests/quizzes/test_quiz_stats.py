"""Learning-outcome statistics against values computed by hand, the export, and permissions.

The data set: four questions (topic A: q1, q2; topic B: q3, q4) in both tests.

    participant  pre correct      pre   post correct         post   post - pre   g
    P1           q1               25    q1 q2 q3             75     +50          50/75 = 0.6667
    P2           q1 q2            50    q1 q2 q3 q4          100    +50          50/50 = 1
    P3           q1 q2 q3         75    q1 q2                50     -25          -25/25 = -1
    P4           q1 q2 q3 q4      100   q1 q2 q3 q4          100    0            (pre = 100: none)
    P5           started the pre-test, never submitted: counted nowhere.

mean pre 62.5, mean post 81.25, mean difference 18.75, sd 37.5, se 18.75, t(3) = 3.182:
95% CI 18.75 ± 59.6625 = [-40.9125, 78.4125]; mean g = (0.6667 + 1 - 1) / 3 = 0.2222;
improved 2 of 4 = 50%.
Difficulty, pre: q1 1.00, q2 0.75, q3 0.50, q4 0.25; post: q1 1.00, q2 1.00, q3 0.75, q4 0.50.
Upper/lower 27% of 4 = 2 attempts. Pre upper P4, P3; lower P2, P1: D = 0, 0.5, 1, 0.5.
Post upper P2, P4 (100 each); lower P1 (75), P3 (50): D = 0, 0, 0.5, 1.
Topics, pre: A 7/8 = 87.5%, B 3/8 = 37.5%; post: A 8/8 = 100%, B 5/8 = 62.5%.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest

from lokalatih.models import QuizKind, Role
from lokalatih.quizzes import attempt_closing, attempts, stats

NOW = datetime(2026, 11, 2, 2, 0, tzinfo=UTC)
CORRECT = {
    "P1": ({1}, {1, 2, 3}),
    "P2": ({1, 2}, {1, 2, 3, 4}),
    "P3": ({1, 2, 3}, {1, 2}),
    "P4": ({1, 2, 3, 4}, {1, 2, 3, 4}),
}


@pytest.fixture
def outcomes(db, quiz_workshop, quiz_question, quiz_make, quiz_registration):
    workshop = quiz_workshop()
    questions = [quiz_question(topic="A"), quiz_question(topic="A")]
    questions += [quiz_question(topic="B"), quiz_question(topic="B")]
    window = {"opens_at": NOW - timedelta(hours=1), "closes_at": NOW + timedelta(days=1)}
    pre = quiz_make(workshop, questions, kind=QuizKind.PRE, **window)
    post = quiz_make(workshop, questions, kind=QuizKind.POST, **window)
    registrations = {name: quiz_registration(workshop) for name in CORRECT}
    for quiz, index in ((pre, 0), (post, 1)):
        for name, registration in registrations.items():
            attempt = attempts.start_attempt(quiz, registration, now=NOW)
            right = CORRECT[name][index]
            page = {q.id: ["a" if n in right else "b"] for n, q in enumerate(questions, 1)}
            attempt_closing.submit_attempt(attempt, page, now=NOW + timedelta(minutes=5))
    attempts.start_attempt(pre, quiz_registration(workshop), now=NOW)  # P5, never submitted
    db.session.commit()
    return workshop, questions


def test_summary_matches_the_hand_computed_values(outcomes):
    workshop, _ = outcomes

    summary = stats.summary(workshop)

    assert summary.pairs == 4
    assert (summary.pre_submitted, summary.post_submitted) == (4, 4)
    assert summary.mean_pre == pytest.approx(62.5)
    assert summary.mean_post == pytest.approx(81.25)
    assert summary.mean_difference == pytest.approx(18.75)
    assert summary.ci_low == pytest.approx(-40.9125)
    assert summary.ci_high == pytest.approx(78.4125)
    assert summary.mean_gain == pytest.approx(2 / 9)
    assert summary.gain_count == 3
    assert summary.improved_share == pytest.approx(50.0)


def test_difficulty_and_discrimination_per_question(outcomes):
    workshop, questions = outcomes
    ids = [q.id for q in questions]

    rows = {(row.kind, row.question_id): row for row in stats.items(workshop)}

    pre = [rows[(QuizKind.PRE, i)] for i in ids]
    post = [rows[(QuizKind.POST, i)] for i in ids]
    assert [r.difficulty for r in pre] == pytest.approx([1.0, 0.75, 0.5, 0.25])
    assert [r.difficulty for r in post] == pytest.approx([1.0, 1.0, 0.75, 0.5])
    assert [r.discrimination for r in pre] == pytest.approx([0.0, 0.5, 1.0, 0.5])
    assert [r.discrimination for r in post] == pytest.approx([0.0, 0.0, 0.5, 1.0])
    assert {r.answers for r in pre + post} == {4}


def test_share_correct_per_topic_before_and_after(outcomes):
    workshop, _ = outcomes

    rows = stats.topics(workshop)

    assert [(t.topic, t.pre_correct, t.post_correct) for t in rows] == [
        ("A", 87.5, 100.0),
        ("B", 37.5, 62.5),
    ]
    assert {(t.pre_answers, t.post_answers) for t in rows} == {(8, 8)}


def test_other_workshops_are_not_counted(outcomes, quiz_workshop):
    assert stats.summary(quiz_workshop()).pairs == 0
    assert stats.summary(None).pairs == 4


def test_no_pairs_gives_empty_values_not_errors(db, quiz_workshop):
    summary = stats.summary(quiz_workshop())

    assert (summary.pairs, summary.mean_pre, summary.ci_low, summary.mean_gain) == (
        0,
        None,
        None,
        None,
    )


@pytest.mark.parametrize(
    ("df", "expected"),
    [(1, 12.706), (3, 3.182), (30, 2.042), (40, 2.021), (60, 2.000), (120, 1.980), (10**6, 1.960)],
)
def test_t_critical_values(df, expected):
    assert stats.t_critical(df) == pytest.approx(expected, abs=0.001)


def test_organizer_sees_the_results_page_with_tables_and_charts(client, login_as, outcomes):
    workshop, _ = outcomes
    login_as(workshop.organizers[0])

    page = client.get(f"/kelola/{workshop.slug}/hasil-tes").get_data(as_text=True)

    assert "62,5" in page and "81,2" in page  # 81.25, rounded half to even
    assert "-40,9" in page and "78,4" in page
    assert page.count("<svg") == 3
    assert "<script" not in page.split("<main")[1]
    assert "Siti Rahmawati" in page  # the per-participant table


def test_export_has_one_sheet_per_table_and_definitions(client, login_as, outcomes):
    workshop, _ = outcomes
    login_as(workshop.organizers[0])

    response = client.get(f"/kelola/{workshop.slug}/hasil-tes.xlsx")

    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Ringkasan", "Per peserta", "Per topik", "Per soal", "Definisi"]
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(values_only=True)}
    assert summary["Rata-rata pra-tes"] == pytest.approx(62.5)
    assert summary["IK 95% bawah"] == pytest.approx(-40.9125)
    assert book["Per soal"].max_row == 9


def test_reviewer_sees_all_workshops_and_exports(client, login_as, make_user, outcomes):
    workshop, _ = outcomes
    login_as(make_user(role=Role.REVIEWER))

    page = client.get("/hasil-tes").get_data(as_text=True)
    export = client.get("/hasil-tes.xlsx")

    assert workshop.title in page
    assert "Siti Rahmawati" not in page  # reviewers see workshops, not people
    book = openpyxl.load_workbook(io.BytesIO(export.data))
    assert "Per loka latih" in book.sheetnames


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.REVIEWER])
def test_workshop_results_are_for_its_organizers_only(client, login_as, make_user, outcomes, role):
    workshop, _ = outcomes
    login_as(make_user(role=role))

    assert client.get(f"/kelola/{workshop.slug}/hasil-tes").status_code == 403
    assert client.get(f"/kelola/{workshop.slug}/hasil-tes.xlsx").status_code == 403


def test_another_organizer_cannot_see_the_results(client, login_as, make_user, outcomes):
    workshop, _ = outcomes
    login_as(make_user(role=Role.ORGANIZER))

    assert client.get(f"/kelola/{workshop.slug}/hasil-tes").status_code == 404


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.ORGANIZER])
def test_all_results_are_for_reviewers_and_admins(client, login_as, make_user, role):
    login_as(make_user(role=role))

    assert client.get("/hasil-tes").status_code == 403
    assert client.get("/hasil-tes.xlsx").status_code == 403


def test_admin_sees_all_results(client, login_as, make_user, outcomes):
    login_as(make_user(role=Role.ADMIN))

    assert client.get("/hasil-tes").status_code == 200
