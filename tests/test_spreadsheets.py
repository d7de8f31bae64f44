"""lokalatih.spreadsheets: the CSV guard, typed XLSX cells, widths, and the download response."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from urllib.parse import unquote

import openpyxl
import pytest

from lokalatih import spreadsheets
from lokalatih.spreadsheets import Sheet

HOSTILE = '=HYPERLINK("http://evil.contoh","klik")'
PHONE = "+6281234567890"


def _book(*sheets: Sheet) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(spreadsheets.xlsx_bytes(sheets)))


def test_csv_guards_every_formula_start_and_leaves_numbers_and_dates_alone():
    rows = [[start + "x" for start in spreadsheets.FORMULA_STARTS], [-0.25, 3, None, "Siti"]]
    rows.append([date(2026, 12, 6), datetime(2026, 12, 6, 9, 30)])

    data = spreadsheets.csv_bytes(rows)

    assert data.startswith("\ufeff".encode())
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert parsed[0] == ["'" + start + "x" for start in spreadsheets.FORMULA_STARTS]
    assert parsed[1] == ["-0.25", "3", "", "Siti"]
    assert parsed[2] == ["2026-12-06", "2026-12-06 09:30"]


def test_xlsx_cells_keep_their_type_and_text_is_never_a_formula():
    when = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)
    sheet = _book(
        Sheet("Data", ["Nama", "Telepon", "Nilai", "Tanggal", "Waktu"], [[HOSTILE, PHONE, 66.7]])
    ).active
    book = _book(Sheet("Data", ["A", "B", "C", "D"], [["-2+3", 5, date(2026, 12, 6), when]]))
    typed = book.active

    name, phone, score = sheet["A2"], sheet["B2"], sheet["C2"]
    assert (name.data_type, name.value) == ("s", HOSTILE)
    assert (phone.data_type, phone.value) == ("s", PHONE)
    assert (score.data_type, score.value) == ("n", 66.7)
    assert (typed["A2"].data_type, typed["A2"].value) == ("s", "-2+3")
    assert typed["B2"].value == 5
    assert typed["C2"].is_date and typed["C2"].number_format == "yyyy-mm-dd"
    assert typed["D2"].value == datetime(2026, 12, 6, 9, 30)  # its own wall-clock time
    assert typed["D2"].number_format == "yyyy-mm-dd hh:mm"


def test_xlsx_header_is_bold_and_frozen_and_columns_fit_their_content():
    rows = [["Siti", "x" * 200, None], ["Ani", "pendek", 3]]
    sheet = _book(Sheet("Data", ["Nama", "Catatan", "N"], rows, frozen_columns=1)).active

    assert sheet.freeze_panes == "B2"
    assert all(cell.font.b for cell in sheet[1])
    widths = [sheet.column_dimensions[letter].width for letter in "ABC"]
    # openpyxl reads a width back with Excel's padding (8 → 8.71).
    assert widths[0] == pytest.approx(spreadsheets.MIN_WIDTH, abs=1)  # "Nama"/"Siti" are short
    assert widths[1] == pytest.approx(spreadsheets.MAX_WIDTH, abs=1)  # capped, not 200 wide
    assert sheet["C2"].value is None


def test_sheet_names_are_ones_excel_accepts():
    book = _book(Sheet("Per kabupaten/kota: [semua]", ["A"], []), Sheet("x" * 40, ["A"], []))

    assert book.sheetnames == ["Per kabupaten-kota- -semua-", "x" * 31]


def test_an_ascii_file_name_is_sent_as_it_is():
    assert spreadsheets.content_disposition("pendaftar-loka-latih-1.xlsx") == (
        'attachment; filename="pendaftar-loka-latih-1.xlsx"'
    )
    assert spreadsheets.content_disposition("a.pdf", inline=True) == 'inline; filename="a.pdf"'


def test_a_non_ascii_file_name_gets_a_safe_fallback_and_rfc_5987_filename_star():
    name = 'sertifikat-Nguyễn "Ánh"; x.pdf'

    header = spreadsheets.content_disposition(name)

    header.encode("ascii")  # a header value must be plain ASCII
    assert 'filename="sertifikat-Nguyen-Anh-x.pdf"' in header
    star = header.split("filename*=", 1)[1]
    assert star.startswith("UTF-8''")
    assert unquote(star.removeprefix("UTF-8''")) == name


def test_download_sets_the_type_from_the_extension(app):
    with app.test_request_context():
        xlsx = spreadsheets.download(b"x", "laporan.xlsx")
        csv_file = spreadsheets.download(b"x", "laporan.csv")
        pdf = spreadsheets.download(b"%PDF-", "a.pdf", inline=True)

    assert xlsx.mimetype == spreadsheets.XLSX
    assert csv_file.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"] == 'inline; filename="a.pdf"'
