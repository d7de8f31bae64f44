"""What organizers and reviewers see: distributions and texts, never authors, never of fewer
than five people, and nothing while the survey is still open."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import sqlalchemy as sa

from lokalatih.evaluations import results, services
from lokalatih.models import EvaluationItemKind, Role, Workshop
from tests.support import recorded_statements


def _closed_with(clock, ev_workshop, ev_answered, count: int, **answers):
    last_start = clock.now() - timedelta(days=1)
    workshop = ev_workshop(last_start, post_closes=last_start + timedelta(days=2))
    ev_answered(workshop, count, clock.now(), **answers)
    clock.advance(days=2)
    return workshop


def _result(outcome, key):
    return next(result for result in outcome.items if result.item.key == key)


def test_four_responses_show_nothing(clock, ev_workshop, ev_answered):
    workshop = _closed_with(clock, ev_workshop, ev_answered, 4)

    outcome = results.workshop_results(workshop)

    assert outcome.responses == 4
    assert not outcome.visible
    assert outcome.items == []


def test_nothing_is_shown_while_the_survey_is_open(clock, ev_workshop, ev_answered):
    workshop = ev_workshop(clock.now() - timedelta(hours=1))
    ev_answered(workshop, 7, clock.now())

    outcome = results.workshop_results(workshop)

    assert (outcome.state, outcome.visible, outcome.items) == ("open", False, [])


def test_five_responses_show_distributions_means_and_texts(clock, ev_workshop, ev_answered):
    workshop = _closed_with(clock, ev_workshop, ev_answered, 5, recommend="4")

    outcome = results.workshop_results(workshop)

    recommend = _result(outcome, "recommend")
    useful = _result(outcome, "most_useful")
    assert outcome.visible
    assert recommend.counts == [("1", 0), ("2", 0), ("3", 0), ("4", 5), ("5", 0)]
    assert recommend.mean == 4
    assert sorted(useful.texts) == [f"Materi Pasal 28I, jawaban {n}" for n in range(1, 6)]


def test_an_item_answered_by_fewer_than_five_is_suppressed(clock, ev_workshop, ev_answered):
    workshop = _closed_with(clock, ev_workshop, ev_answered, 6)  # nobody wrote "improve"

    outcome = results.workshop_results(workshop)

    assert _result(outcome, "improve").suppressed
    assert _result(outcome, "improve").texts == []
    assert not _result(outcome, "relevance").suppressed


def test_results_per_narasumber(clock, ev_workshop, ev_answered, db):
    last_start = clock.now() - timedelta(days=1)
    workshop = ev_workshop(last_start, post_closes=last_start + timedelta(days=2))
    first, second, _ = sorted(workshop.sessions, key=lambda s: s.starts_at)
    ev_answered(workshop, 5, clock.now(), **{f"session-{first.id}": "5"})
    ev_answered(workshop, 2, clock.now(), **{f"session-{second.id}": "2"})
    clock.advance(days=2)

    outcome = results.workshop_results(workshop)

    lines = {line.speakers: line for line in outcome.facilitators}
    assert (lines["Dr. Hana Pratiwi"].answered, lines["Dr. Hana Pratiwi"].mean) == (5, 5)
    assert lines["Ahmad Taufan"].suppressed


def test_the_organizers_choice_item_is_counted(clock, ev_workshop, ev_organizer, ev_answered):
    last_start = clock.now() - timedelta(days=1)
    workshop = ev_workshop(last_start, post_closes=last_start + timedelta(days=2))
    item = services.add_item(
        workshop, EvaluationItemKind.CHOICE, "Format?", ["Luring", "Daring"], ev_organizer
    )
    ev_answered(workshop, 5, clock.now(), **{f"item-{item.id}": "Daring"})
    clock.advance(days=2)

    outcome = results.workshop_results(workshop)

    assert _result(outcome, f"item-{item.id}").counts == [("Luring", 0), ("Daring", 5)]


def test_xlsx_has_the_items_the_narasumber_and_the_open_answers(clock, ev_workshop, ev_answered):
    workshop = _closed_with(clock, ev_workshop, ev_answered, 5, recommend="4")

    book = openpyxl.load_workbook(
        io.BytesIO(results.export_xlsx(workshop, results.workshop_results(workshop)))
    )

    assert book.sheetnames == ["Butir", "Narasumber", "Jawaban terbuka"]
    rows = {row[0]: row[1:] for row in book["Butir"].iter_rows(min_row=2, values_only=True)}
    recommend = rows["Saya akan merekomendasikan loka latih ini kepada rekan kerja."]
    assert recommend[:2] == (5, 4) and recommend[2:] == (0, 0, 0, 5, 0)
    texts = [row[1] for row in book["Jawaban terbuka"].iter_rows(min_row=2, values_only=True)]
    assert len(texts) == 5


def test_overview_counts_closed_workshops_with_five_or_more_that_the_viewer_sees(
    clock, ev_workshop, ev_answered, make_user, db
):
    last_start = clock.now() - timedelta(days=1)
    shown = ev_workshop(last_start, post_closes=last_start + timedelta(days=2))
    too_few = ev_workshop(last_start, post_closes=last_start + timedelta(days=2))
    still_open = ev_workshop(last_start, post_closes=last_start + timedelta(days=9))
    ev_answered(shown, 5, clock.now(), recommend="5")
    ev_answered(too_few, 4, clock.now(), recommend="1")
    ev_answered(still_open, 5, clock.now(), recommend="1")
    clock.advance(days=2)
    reviewer = make_user(role=Role.REVIEWER)
    stranger = make_user(role=Role.ORGANIZER)

    seen = results.overview(results.workshop_ids_for(reviewer))
    own = results.overview(results.workshop_ids_for(stranger))

    assert (seen.workshops, seen.responses) == (1, 5)
    assert _result(seen, "recommend").counts[-1] == ("5", 5)
    assert (own.workshops, own.responses) == (0, 0)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Workshop)) == 3


def test_overview_reads_the_windows_of_many_workshops_in_a_fixed_number_of_statements(
    clock, ev_workshop, ev_answered, make_user, db
):
    """The dashboard, its export and its PDF report call the overview: its cost must not grow
    with the number of workshops (a post-test and a window setting per workshop)."""
    reviewer = make_user(role=Role.REVIEWER)

    def statements_for(count: int) -> int:
        last_start = clock.now() - timedelta(days=1)
        for _ in range(count):
            workshop = ev_workshop(last_start, post_closes=last_start + timedelta(days=2))
            ev_answered(workshop, 5, clock.now(), recommend="4")
        clock.advance(days=2)
        db.session.expire_all()
        with recorded_statements(db.engine) as statements:
            seen = results.overview(results.workshop_ids_for(reviewer))
        assert seen.workshops > 0
        return len(statements)

    assert statements_for(1) == statements_for(3)
