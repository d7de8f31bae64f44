"""Reviewers' follow-up rates and outcomes: by province, kabupaten/kota, institution type and
theme, with groups under 5 participants suppressed, on the page and in the export."""

from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import load_workbook

from lokalatih.action_plans import outcomes
from lokalatih.models import ActionStatus, InstitutionType, Role


def _five_and_two(plan_workshop, plan_participant, add_items):
    """Five participants from Makassar (Sulawesi Selatan) and two from Kota Jayapura."""
    workshop = plan_workshop(ended_ago=timedelta(days=100))
    for n in range(5):
        registration = plan_participant(workshop, name=f"Peserta {n}")
        add_items(registration, status=ActionStatus.DONE if n < 3 else None)
    for _ in range(2):
        registration = plan_participant(
            workshop,
            province="91",
            regency="91.71",
            institution_type=InstitutionType.CIVIL_SOCIETY,
        )
        add_items(registration, status=ActionStatus.IN_PROGRESS)
    return workshop


def test_rates_by_province_with_small_groups_suppressed(
    db, make_user, plan_workshop, plan_participant, add_items
):
    _five_and_two(plan_workshop, plan_participant, add_items)
    reviewer = make_user(role=Role.REVIEWER)

    result = outcomes.outcomes(outcomes.OutcomeFilters(), reviewer)

    assert (result.total.participants, result.total.due, result.total.reported) == (7, 7, 5)
    by_province = {row.label: row for row in result.groups["province"]}
    makassar = by_province["Sulawesi Selatan"]
    assert (makassar.suppressed, makassar.rate, makassar.statuses) == (False, 60.0, {"done": 3})
    assert by_province["Papua"].suppressed
    assert [row.label for row in result.groups["theme"]] == ["Hak atas informasi"]


def test_a_filter_below_five_people_hides_the_total(
    db, make_user, plan_workshop, plan_participant, add_items
):
    _five_and_two(plan_workshop, plan_participant, add_items)
    reviewer = make_user(role=Role.REVIEWER)

    result = outcomes.outcomes(outcomes.OutcomeFilters(province="91"), reviewer)

    assert result.total.suppressed
    assert all(row.suppressed for rows in result.groups.values() for row in rows)


def test_an_organizer_sees_only_their_workshops(
    db, make_user, plan_workshop, plan_participant, add_items
):
    _five_and_two(plan_workshop, plan_participant, add_items)
    stranger = make_user(role=Role.ORGANIZER)

    assert outcomes.outcomes(outcomes.OutcomeFilters(), stranger).total.actions == 0


def test_the_export_suppresses_like_the_page(
    db, client, login_as, make_user, plan_workshop, plan_participant, add_items
):
    _five_and_two(plan_workshop, plan_participant, add_items)
    login_as(make_user(role=Role.REVIEWER))

    response = client.get("/laporan/rencana-aksi.xlsx")

    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    rows = list(book["Per provinsi"].iter_rows(values_only=True))
    assert rows[0][:6] == (
        "Provinsi",
        "Peserta dengan rencana",
        "Aksi",
        "Aksi jatuh tempo",
        "Dilaporkan",
        "Tingkat tindak lanjut (%)",
    )
    cells = {row[0]: row[1:6] for row in rows[1:]}
    assert cells["Papua"][0] == "< 5"
    assert cells["Sulawesi Selatan"] == (5, 5, 5, 3, 60)


def test_the_dashboard_shows_the_section(
    db, client, login_as, make_user, plan_workshop, plan_participant, add_items
):
    _five_and_two(plan_workshop, plan_participant, add_items)
    login_as(make_user(role=Role.REVIEWER))

    page = client.get("/laporan").get_data(as_text=True)

    assert "Rencana aksi dan tindak lanjut" in page
    assert "Hak atas informasi" in page


def test_the_export_takes_the_dashboards_filters(
    db, client, login_as, make_user, plan_workshop, plan_participant, add_items
):
    _five_and_two(plan_workshop, plan_participant, add_items)
    login_as(make_user(role=Role.REVIEWER))

    everyone = client.get("/laporan/rencana-aksi.xlsx")
    papua = client.get("/laporan/rencana-aksi.xlsx?province=91&gender=female")

    def summary(response):
        book = load_workbook(io.BytesIO(response.data))
        return list(book["Ringkasan"].iter_rows(values_only=True))[1][1]

    assert (summary(everyone), summary(papua)) == (7, "< 5")
