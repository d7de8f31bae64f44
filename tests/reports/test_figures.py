"""Dashboard figures against values computed by hand from the fixed data set (see conftest)."""

from __future__ import annotations

from datetime import date

import pytest

from lokalatih.models import Gender, InstitutionType
from lokalatih.reports import figures, services
from lokalatih.reports.figures import Filters


def _headline(dataset, **filters):
    return figures.headline(Filters(**filters), dataset.reviewer)


def test_headline_without_filters_matches_hand_computed_values(dataset):
    h = _headline(dataset)

    assert h.workshops_held == 2
    assert h.registrations["confirmed"] == 12
    assert h.registrations["cancelled"] == 1
    assert h.registrations["pending"] == 0
    assert h.participants == 12
    assert (h.provinces, h.regencies) == (3, 4)
    assert (h.checkins, h.expected_checkins) == (16, 20)
    assert h.attendance_rate == pytest.approx(80.0)
    assert h.certificates == 6
    assert h.pairs == 11
    assert h.mean_pre == pytest.approx(490 / 11)
    assert h.mean_post == pytest.approx(735 / 11)
    assert h.mean_gain == pytest.approx((2 / 3 + 0.75 + 0.5 - 0.2 + 0.5 + 0.5 + 0.5 + 0.5) / 10)
    assert h.improved_share == pytest.approx(700 / 11)


def test_province_breakdown_suppresses_groups_under_five(dataset):
    rows = {row.code: row for row in figures.by_region(Filters(), dataset.reviewer)}

    jakarta = rows["31"]
    assert jakarta.label == "Daerah Khusus Ibukota Jakarta"
    assert not jakarta.suppressed
    assert (jakarta.participants, jakarta.certificates, jakarta.pairs) == (6, 5, 6)
    assert jakarta.attendance_rate == pytest.approx(100.0)
    assert jakarta.mean_pre == pytest.approx(320 / 6)
    assert jakarta.mean_post == pytest.approx(70.0)
    assert jakarta.mean_gain == pytest.approx((2 / 3 + 0 + 0.75 + 0.5 - 0.2) / 5)
    assert rows["32"].suppressed and rows["33"].suppressed
    assert rows["32"].mean_pre is None and rows["32"].registrations == 0


def test_regency_breakdown_has_official_codes_and_all_small_groups_suppressed(dataset):
    rows = figures.by_region(Filters(), dataset.reviewer, regency=True)

    assert {row.code for row in rows} == {"31.71", "31.74", "32.73", "33.74"}
    assert all(row.suppressed for row in rows)
    assert all(row.label for row in rows)


def test_institution_type_breakdown(dataset):
    rows = {
        row.code: row
        for row in figures.by_dimension(Filters(), dataset.reviewer, "institution_type")
    }

    local = rows["local_government"]
    assert (local.participants, local.pairs, local.certificates) == (5, 5, 5)
    assert local.mean_pre == pytest.approx(54.0)
    assert local.mean_post == pytest.approx(76.0)
    civil = rows["civil_society"]
    assert (civil.participants, civil.registrations, civil.certificates) == (7, 8, 1)
    assert civil.attendance_rate == pytest.approx(60.0)
    assert civil.mean_pre == pytest.approx(220 / 6)
    assert civil.mean_post == pytest.approx(355 / 6)


def test_gender_breakdown(dataset):
    rows = {row.code: row for row in figures.by_dimension(Filters(), dataset.reviewer, "gender")}

    assert rows["female"].participants == rows["male"].participants == 6
    assert rows["female"].pairs == 5
    assert rows["female"].mean_pre == pytest.approx(54.0)
    assert rows["female"].mean_post == pytest.approx(81.0)


def test_topic_breakdown_compares_pre_and_post_and_suppresses_small_topics(dataset):
    rows = {row.topic: row for row in services.by_topic(Filters(), dataset.reviewer)}

    basics = rows["Dasar HAM"]
    assert (basics.participants, basics.pre_answers, basics.post_answers) == (8, 8, 7)
    assert basics.pre_correct == pytest.approx(50.0)
    assert basics.post_correct == pytest.approx(600 / 7)
    assert rows["Disabilitas"].suppressed
    assert rows["Disabilitas"].pre_correct is None


@pytest.mark.parametrize(
    ("filters", "workshops", "participants"),
    [
        ({"province": "31"}, 1, 6),
        ({"regency": "32.73"}, 2, 4),
        ({"institution_type": InstitutionType.LOCAL_GOVERNMENT}, 1, 5),
        ({"gender": Gender.FEMALE}, 2, 6),
        ({"topic": "ham-dasar"}, 1, 8),
        ({"date_from": date(2026, 5, 1)}, 1, 4),
        ({"date_to": date(2026, 4, 1)}, 1, 8),
        ({"date_from": date(2027, 1, 1)}, 0, 0),
    ],
)
def test_each_filter_narrows_the_figures(dataset, filters, workshops, participants):
    h = _headline(dataset, **filters)

    assert (h.workshops_held, h.participants) == (workshops, participants)


def test_province_filter_recomputes_scores_and_reach(dataset):
    h = _headline(dataset, province="31")

    assert (h.provinces, h.regencies, h.certificates) == (1, 2, 5)
    assert h.mean_pre == pytest.approx(320 / 6)


def test_gender_filter_recomputes_scores(dataset):
    assert _headline(dataset, gender=Gender.FEMALE).mean_pre == pytest.approx(54.0)


def test_organizer_filter_keeps_only_that_organizers_workshops(dataset):
    h = _headline(dataset, organizer_id=dataset.org_b.id)

    assert (h.workshops_held, h.participants) == (1, 4)
    assert h.registrations["cancelled"] == 0


def test_topic_filter_counts_registrations_of_tagged_workshops(dataset):
    assert _headline(dataset, topic="ham-dasar").registrations["cancelled"] == 1


def test_organizer_sees_only_their_own_workshops(dataset):
    own = figures.headline(Filters(), dataset.org_a)
    other = figures.headline(Filters(), dataset.org_b)

    assert (own.workshops_held, own.participants, own.pairs) == (1, 8, 7)
    assert (other.workshops_held, other.participants, other.pairs) == (1, 4, 4)


def test_organizer_cannot_widen_their_scope_with_the_organizer_filter(dataset):
    h = figures.headline(Filters(organizer_id=dataset.org_b.id), dataset.org_a)

    assert (h.workshops_held, h.participants) == (0, 0)


def test_pseudonym_is_stable_and_not_the_user_id():
    first = services.pseudonym(42, "rahasia")

    assert first == services.pseudonym(42, "rahasia")
    assert first != services.pseudonym(43, "rahasia")
    assert first != services.pseudonym(42, "kunci-lain")
    assert len(first) == 10
    assert first != "42"
