"""JP delivered on the review dashboard, by the participants' province and institution type:
the report's filters apply and groups under 5 participants show "< 5"."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from lokalatih.models import InstitutionType, Role, WorkshopStatus
from lokalatih.reports.figures import Filters
from lokalatih.reports.jp import jp_delivered
from tests.transcripts.fixtures import jp_participant, jp_workshop  # noqa: F401

MONDAY = datetime(2026, 3, 2, 9, 0)


@pytest.fixture
def delivered(db, jp_workshop, jp_participant):  # noqa: F811
    """Six local-government participants from Sulawesi Selatan (73) and two civil-society ones
    from DKI Jakarta (31), in one workshop of 2 + 3 JP."""
    workshop = jp_workshop([(MONDAY, 90, None), (MONDAY + timedelta(hours=2), 90, 6)])
    for number in range(6):
        jp_participant(workshop, [0, 1] if number < 4 else [0], full_name=f"Peserta {number}")
    for _number in range(2):
        jp_participant(
            workshop,
            [0, 1],
            province_code="31",
            institution_type=InstitutionType.CIVIL_SOCIETY,
        )
    upcoming = jp_workshop(
        [(datetime(2027, 6, 1, 9, 0), 90, None)], status=WorkshopStatus.PUBLISHED
    )
    jp_participant(upcoming, [0])  # not held: no JP delivered
    return workshop


def test_jp_delivered_by_province_and_institution_type_with_small_groups_hidden(
    delivered, make_user
):
    reviewer = make_user(role=Role.REVIEWER)

    report = jp_delivered(Filters(), reviewer)

    by_province = {row.code: row for row in report.provinces}
    assert by_province["73"].participants == 6
    assert by_province["73"].jp_halves == 4 * 10 + 2 * 4  # four stayed for both, two for one
    assert by_province["73"].label == "Sulawesi Selatan"
    assert by_province["31"].suppressed and by_province["31"].jp_halves == 0
    by_type = {row.label: row for row in report.institution_types}
    assert by_type["Pemerintah daerah (OPD)"].jp_halves == 48
    assert by_type["Organisasi masyarakat sipil"].suppressed
    assert report.total_halves == 48 + 2 * 10


def test_the_report_filters_apply(delivered, make_user):
    reviewer = make_user(role=Role.REVIEWER)

    report = jp_delivered(Filters(institution_type=InstitutionType.CIVIL_SOCIETY), reviewer)
    assert [row.code for row in report.provinces] == ["31"]
    assert report.total_halves == 20

    later = jp_delivered(Filters(date_from=MONDAY.date() + timedelta(days=1)), reviewer)
    assert later.provinces == [] and later.total_halves == 0


def test_a_session_not_started_by_the_report_moment_delivers_nothing(delivered, make_user):
    reviewer = make_user(role=Role.REVIEWER)
    between = delivered.sessions[1].starts_at - timedelta(minutes=1)

    report = jp_delivered(Filters(as_of=between), reviewer)

    assert {row.code: row.jp_halves for row in report.provinces}["73"] == 6 * 4


def test_the_dashboard_shows_the_jp_tables(delivered, make_user, login_as, client):
    login_as(make_user(role=Role.REVIEWER))

    text = client.get("/laporan").get_data(as_text=True)

    assert "Jam pelajaran (JP) yang diberikan" in text
    assert 'id="jp-province-table"' in text and 'id="jp-institution-table"' in text
    assert "Jumlah: 34 JP" in text


def test_a_workshop_without_session_jp_counts_its_own_figure_once_per_participant(
    db,
    jp_workshop,  # noqa: F811
    jp_participant,  # noqa: F811
    make_user,
):
    """Two 15-minute sessions carry no JP (under half a JP each): the organizer's 6 JP count once
    for each participant who attended any session, however many sessions they attended; the
    session-based workshop beside it counts per session, in the same groups."""
    short = jp_workshop(
        [(MONDAY, 15, None), (MONDAY + timedelta(hours=1), 15, None)], training_hours=6
    )
    for number in range(5):
        jp_participant(short, [0, 1] if number < 3 else [1], full_name=f"Peserta {number}")
    timed = jp_workshop([(MONDAY + timedelta(days=1), 90, None)])  # 2 JP by its length
    for number in range(5):
        jp_participant(timed, [0], full_name=f"Peserta lain {number}")

    report = jp_delivered(Filters(), make_user(role=Role.REVIEWER))

    by_province = {row.code: row for row in report.provinces}
    assert by_province["73"].participants == 10
    assert by_province["73"].jp_halves == 5 * 12 + 5 * 4
    by_type = {row.label: row for row in report.institution_types}
    assert by_type["Pemerintah daerah (OPD)"].jp_halves == 5 * 12 + 5 * 4
    assert report.total_halves == 80
