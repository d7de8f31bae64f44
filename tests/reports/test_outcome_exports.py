"""The outcome sections (reaction evaluation, action plan follow-up, JP, KKPHAM themes) in the
dashboard's XLSX/CSV export and its PDF report: the same figures as the page, groups under 5
suppressed, labels and not codes.

Data: the reports' `dataset` (workshop A: P1..P8, P1-P6 in Jakarta (31), P7-P8 in West Java (32);
workshop B: P9..P12) plus: workshop A covers one theme and B another (4 people: suppressed);
action plans for P1..P8 of A; six evaluation answers to A (`outcomes_world` in conftest)."""

from __future__ import annotations

import io
import re
import subprocess

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from lokalatih.models import (
    ActionPlanItem,
    ActionStatus,
    Gender,
    InstitutionType,
    Region,
    Registration,
    RegistrationStatus,
)


def _book(client, login_as, user, query=""):
    login_as(user)
    response = client.get(f"/laporan.xlsx{query}")
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.data), read_only=True)


def _rows(book, title) -> list[tuple]:
    return [tuple(row) for row in book[title].iter_rows(values_only=True)]


def _row(book, title, first) -> tuple:
    return next(row for row in _rows(book, title) if first in row[:2])


def _jakarta(db) -> str:
    return db.session.scalar(sa.select(Region.name).where(Region.code == "31"))


def test_the_xlsx_has_one_sheet_per_outcome_section(outcomes_world, client, login_as):
    dataset, *_ = outcomes_world
    book = _book(client, login_as, dataset.reviewer)

    for title in (
        "Ringkasan hasil",
        "Evaluasi reaksi",
        "Tindak lanjut per provinsi",
        "Tindak lanjut per tema",
        "JP per provinsi",
        "JP per jenis instansi",
        "Tema KKPHAM",
    ):
        assert title in book.sheetnames
    terms = [row[0] for row in _rows(book, "Definisi dan filter")]
    assert {"Evaluasi reaksi", "Tingkat tindak lanjut", "JP diberikan", "Tema KKPHAM"} <= set(terms)


def test_follow_up_figures_equal_plain_sql_and_a_small_province_is_suppressed(
    outcomes_world, client, login_as, db
):
    dataset, *_ = outcomes_world
    book = _book(client, login_as, dataset.reviewer)
    header = _rows(book, "Tindak lanjut per provinsi")[0]
    jakarta = dict(zip(header, _row(book, "Tindak lanjut per provinsi", _jakarta(db)), strict=True))

    people = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Registration.user_id)))
        .join(ActionPlanItem, ActionPlanItem.registration_id == Registration.id)
        .where(Registration.province_code == "31")
    )
    assert jakarta["Peserta dengan rencana"] == people == 6
    assert jakarta["Dilaporkan"] == 5  # P5 has not reported
    assert jakarta["Selesai (%)"] == 40.0  # 2 of the 5 reported statuses
    assert jakarta["Dibatalkan (%)"] == 20.0
    west_java = db.session.scalar(sa.select(Region.name).where(Region.code == "32"))
    small = _row(book, "Tindak lanjut per provinsi", west_java)  # P7, P8: two people
    assert set(small[1:]) == {"< 5"}


def test_survey_and_theme_figures_equal_the_page(outcomes_world, client, login_as, db):
    dataset, theme_a, theme_b = outcomes_world
    book = _book(client, login_as, dataset.reviewer)
    page = client.get("/laporan").get_data(as_text=True)

    recommend = _row(
        book, "Evaluasi reaksi", "Saya akan merekomendasikan loka latih ini kepada rekan kerja."
    )
    assert recommend[1:3] == (6, 4.5)
    assert recommend[3:] == (0, 0, 0, 3, 3)  # counts of 1..5

    covered = _row(book, "Tema KKPHAM", theme_a.name_for("id"))
    on_page = re.search(
        rf'<tr data-code="{theme_a.code}"><th scope="row">[^<]*</th>'
        r"<td>(\d+)</td>\s*<td>(\d+)</td>",
        page,
    )
    assert on_page is not None
    assert covered[1:3] == (int(on_page.group(1)), int(on_page.group(2))) == (1, 8)
    assert set(_row(book, "Tema KKPHAM", theme_b.name_for("id"))[5:]) == {"< 5"}  # 4 people
    assert _row(book, "Tema KKPHAM", theme_b.name_for("id"))[2] == "< 5"


def test_jp_sheet_matches_the_page_and_hides_small_groups(outcomes_world, client, login_as, db):
    dataset, *_ = outcomes_world
    book = _book(client, login_as, dataset.reviewer)
    page = client.get("/laporan").get_data(as_text=True)

    total = _row(book, "Ringkasan hasil", "JP diberikan (jumlah)")[1]
    shown = re.search(r"Jumlah: ([\d.,]+) JP", page)
    assert shown is not None and str(total).replace(".", ",") == shown.group(1)
    # Banten (33): P11, P12 only.
    banten = db.session.scalar(sa.select(Region.name).where(Region.code == "33"))
    assert _row(book, "JP per provinsi", banten)[2:] == ("< 5",) * 3


def test_no_cell_holds_a_raw_code(outcomes_world, client, login_as):
    dataset, theme_a, theme_b = outcomes_world
    book = _book(client, login_as, dataset.reviewer)
    codes = {member.value for enum in (ActionStatus, InstitutionType, Gender) for member in enum}
    codes |= {member.value for member in RegistrationStatus} | {theme_a.code, theme_b.code}

    found = [
        (sheet.title, value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if isinstance(value, str) and value in codes
    ]
    assert found == []


def test_an_organizer_sees_only_their_own_workshops_outcomes(outcomes_world, client, login_as):
    dataset, theme_a, _theme_b = outcomes_world
    book = _book(client, login_as, dataset.org_b)  # B has no plans and no survey answers

    assert _row(book, "Ringkasan hasil", "Jawaban evaluasi reaksi")[1] == 0
    assert len(_rows(book, "Evaluasi reaksi")) == 1  # the header alone, as the page: no table
    assert _row(book, "Tindak lanjut per provinsi", "Semua")[1] == "< 5"


def test_the_csv_carries_the_outcome_tables(outcomes_world, client, login_as):
    dataset, *_ = outcomes_world
    login_as(dataset.reviewer)
    text = client.get("/laporan.csv").get_data(as_text=True)
    assert "Tindak lanjut per tema" in text and "Evaluasi reaksi" in text


@pytest.mark.parametrize(
    ("query", "headings", "mean"),
    [
        (
            "",
            [
                "Tema KKPHAM",
                "Jam pelajaran (JP) yang diberikan",
                "Evaluasi reaksi peserta",
                "Rencana aksi dan tindak lanjut",
            ],
            "4,5",
        ),
        (
            "?bahasa=en",
            ["KKPHAM themes", "Lesson hours (JP) delivered", "reaction evaluation", "Action plans"],
            "4.5",
        ),
    ],
)
def test_the_pdf_report_has_the_outcome_sections(
    outcomes_world, client, login_as, tmp_path, query, headings, mean
):
    dataset, *_ = outcomes_world
    login_as(dataset.reviewer)
    response = client.get(f"/laporan.pdf{query}")
    assert response.status_code == 200
    path = tmp_path / "laporan.pdf"
    path.write_bytes(response.data)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for heading in headings:
        assert heading in text
    assert re.search(rf"\b{re.escape(mean)}\b", text)  # the survey's "recommend" mean
    fonts = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)  # every font embedded
