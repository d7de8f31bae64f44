"""The dashboard page, its access rules and its exports."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
import sqlalchemy as sa

from lokalatih.models import AuditEvent, Role

from .fixtures import PHONE


def _figure(html: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}">([^<]*)<', html)
    assert match, name
    return match.group(1).strip()


def test_anonymous_visitor_is_sent_to_login(client):
    response = client.get("/laporan")

    assert response.status_code == 302
    assert "/masuk" in response.headers["Location"]


@pytest.mark.parametrize("url", ["/laporan", "/laporan.xlsx", "/laporan.csv"])
def test_participant_is_refused(make_user, login_as, client, url):
    login_as(make_user())

    assert client.get(url).status_code == 403


def test_reviewer_sees_headline_figures_and_breakdowns(dataset, login_as, client):
    login_as(dataset.reviewer)

    html = client.get("/laporan").get_data(as_text=True)

    assert _figure(html, "workshops") == "2"
    assert _figure(html, "participants") == "12"
    assert _figure(html, "provinces") == "3 dari 38"
    assert _figure(html, "regencies") == "4 dari 514"
    assert _figure(html, "certificates") == "6"
    assert 'href="#per-provinsi"' in html and 'id="per-provinsi"' in html
    assert "Daerah Khusus Ibukota Jakarta" in html
    assert "&lt; 5" in html
    assert "<svg" in html
    assert 'href="/static/css/print.css" media="print"' in html


def test_reviewer_filters_by_province_through_get_parameters(dataset, login_as, client):
    login_as(dataset.reviewer)

    html = client.get("/laporan?province=31").get_data(as_text=True)

    assert _figure(html, "participants") == "6"
    assert _figure(html, "workshops") == "1"


def test_unknown_filter_values_are_ignored(dataset, login_as, client):
    login_as(dataset.reviewer)

    response = client.get("/laporan?province=99&gender=x&date_from=kemarin&organizer=abc")

    assert response.status_code == 200
    assert _figure(response.get_data(as_text=True), "participants") == "12"


def test_participant_table_shows_no_names_emails_or_phones(dataset, login_as, client):
    login_as(dataset.reviewer)

    html = client.get("/laporan").get_data(as_text=True)

    assert 'id="participant-table"' in html
    assert "Peserta Nomor" not in html
    assert not any(user.email in html for user in dataset.participants.values())
    assert PHONE not in html
    assert html.count("<code>") == 12


def test_organizer_sees_only_own_workshops_and_no_participant_table(dataset, login_as, client):
    login_as(dataset.org_b)

    html = client.get("/laporan").get_data(as_text=True)

    assert _figure(html, "participants") == "4"
    assert 'id="participant-table"' not in html
    assert "org-a@laporan.contoh.id" not in html


@pytest.mark.parametrize("url", ["/laporan", "/laporan.xlsx", "/laporan.csv"])
def test_reviewer_cannot_post_to_report_urls(dataset, login_as, client, url):
    login_as(dataset.reviewer)

    assert client.post(url).status_code == 405


def test_reviewer_cannot_reach_organizer_pages(dataset, login_as, client):
    login_as(dataset.reviewer)

    assert client.get("/kelola").status_code == 403
    assert client.get(f"/kelola/{dataset.workshop_a.slug}").status_code in (403, 404)


def test_xlsx_opens_and_its_numbers_match_the_page(dataset, login_as, client, db):
    login_as(dataset.reviewer)
    html = client.get("/laporan?province=31").get_data(as_text=True)

    response = client.get("/laporan.xlsx?province=31")

    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert "Definisi dan filter" in book.sheetnames
    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(values_only=True)}
    assert summary["Peserta (orang, pendaftaran terkonfirmasi)"] == int(
        _figure(html, "participants")
    )
    assert summary["Loka latih terlaksana"] == int(_figure(html, "workshops"))
    provinces = list(book["Per provinsi"].iter_rows(values_only=True))
    assert provinces[1][:3] == ("31", "Daerah Khusus Ibukota Jakarta", 6)
    definitions = [row[1] for row in book["Definisi dan filter"].iter_rows(values_only=True)]
    assert any("Daerah Khusus Ibukota Jakarta" in str(value) for value in definitions)
    participants = list(book["Peserta (pseudonim)"].iter_rows(values_only=True))
    assert len(participants) == 1 + 6
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "report_exported"))
    assert event.actor_id == dataset.reviewer.id


def test_xlsx_shows_suppressed_groups_as_under_five(dataset, login_as, client):
    login_as(dataset.reviewer)

    book = openpyxl.load_workbook(io.BytesIO(client.get("/laporan.xlsx").data))

    rows = {row[0]: row for row in book["Per provinsi"].iter_rows(values_only=True)}
    assert rows["33"][2:] == ("< 5",) * 8


def test_csv_export_holds_headline_and_breakdowns(dataset, login_as, client):
    login_as(dataset.reviewer)

    response = client.get("/laporan.csv")

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert ["Peserta (orang, pendaftaran terkonfirmasi)", "12"] in rows
    assert ["Per provinsi"] in rows and ["Definisi dan filter"] in rows


def test_organizer_export_has_no_participant_sheet(dataset, login_as, client):
    login_as(dataset.org_a)

    book = openpyxl.load_workbook(io.BytesIO(client.get("/laporan.xlsx").data))

    assert "Peserta (pseudonim)" not in book.sheetnames


def test_participant_table_is_paginated_by_fifty(dataset, login_as, client):
    login_as(dataset.reviewer)

    html = client.get("/laporan?halaman=2").get_data(as_text=True)

    assert html.count("<code>") == 0
    assert "Tidak ada peserta untuk filter ini." in html


def test_admin_sees_everything(dataset, make_user, login_as, client):
    login_as(make_user(role=Role.ADMIN))

    assert _figure(client.get("/laporan").get_data(as_text=True), "participants") == "12"


def _pseudonyms(html: str) -> list[str]:
    table = html[html.find('id="participant-table"') :]
    return re.findall(r"<code>([0-9a-f]{10})</code>", table)


def test_a_filter_under_five_people_shows_no_participant_table(dataset, login_as, client):
    """Two people in province 33: one row each would be their attendance and scores."""
    login_as(dataset.reviewer)

    html = client.get("/laporan?province=33").get_data(as_text=True)
    book = openpyxl.load_workbook(io.BytesIO(client.get("/laporan.xlsx?province=33").data))

    assert 'id="participant-table"' not in html
    assert "kurang dari 5 orang, jadi tabel per peserta tidak ditampilkan" in html
    assert _pseudonyms(html) == []
    sheet = book["Peserta (pseudonim)"] if "Peserta (pseudonim)" in book.sheetnames else None
    assert sheet is None or len(list(sheet.iter_rows(values_only=True))) <= 1


def test_pseudonyms_hold_within_a_filter_but_not_across_filters(dataset, login_as, client):
    login_as(dataset.reviewer)

    everyone = _pseudonyms(client.get("/laporan").get_data(as_text=True))
    jakarta = _pseudonyms(client.get("/laporan?province=31").get_data(as_text=True))
    jakarta_again = _pseudonyms(client.get("/laporan?province=31").get_data(as_text=True))

    assert (len(everyone), len(jakarta)) == (12, 6)
    assert jakarta == jakarta_again
    assert set(everyone).isdisjoint(jakarta)  # narrowing the filter cannot follow a person
