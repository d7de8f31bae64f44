"""The dashboard's charts, map, coverage, workshop list and PDF report (issue 18): each chart's
numbers equal its table's, small groups stay "< 5" everywhere, the PDF opens in poppler with
vector charts only."""

from __future__ import annotations

import io
import re
import subprocess
from html.parser import HTMLParser

import openpyxl
import pytest


class _Collector(HTMLParser):
    """Bars (rect with data-label) per chart, map tiles, and the cells of every table by id."""

    def __init__(self) -> None:
        super().__init__()
        self.bars: dict[str, dict[str, str]] = {}
        self.tiles: dict[str, str] = {}
        self.tables: dict[str, list[list[str]]] = {}
        self._figure: str | None = None
        self._table: str | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "figure" and a.get("id"):
            self._figure = a["id"]
        if tag == "rect" and "data-label" in a and self._figure:
            self.bars.setdefault(self._figure, {})[a["data-label"]] = a["data-value"]
        if tag == "g" and "data-code" in a:
            self.tiles[a["data-code"]] = a["data-value"]
        if tag == "table" and a.get("id"):
            self._table = a["id"]
            self.tables[self._table] = []
        if tag == "tr" and self._table:
            self._row = []
        if tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "figure":
            self._figure = None
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        if tag == "tr" and self._row is not None and self._table:
            self.tables[self._table].append(self._row)
            self._row = None
        if tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _page(client, url: str) -> _Collector:
    response = client.get(url)
    assert response.status_code == 200
    parsed = _Collector()
    parsed.feed(response.get_data(as_text=True))
    return parsed


def _table_values(rows: list[list[str]], label_col: int, value_col: int) -> dict[str, str]:
    return {r[label_col]: r[value_col] for r in rows[1:] if len(r) > value_col}


@pytest.mark.parametrize("url", ["/laporan", "/laporan?province=31", "/laporan?gender=female"])
def test_every_chart_shows_the_numbers_of_its_table(dataset, login_as, client, url):
    login_as(dataset.reviewer)
    page = _page(client, url)

    for chart in ("chart-funnel", "chart-gains", "chart-trend-workshops",
                  "chart-trend-participants", "chart-trend-certificates"):  # fmt: skip
        table = _table_values(page.tables[f"{chart}-table"], 0, 1)
        shown = {label: value for label, value in table.items() if value != "< 5"}
        assert page.bars.get(chart, {}) == shown, chart
    groups = (
        ("chart-institution", "institution-table"),
        ("chart-gender", "gender-table"),
        ("chart-province", "province-table"),
    )
    for chart, table in groups:
        first = 1 if table == "province-table" else 0
        rows = _table_values(page.tables[table], first, first + 1)
        assert page.bars.get(chart, {}) == {k: v for k, v in rows.items() if v != "< 5"}, chart
    topics = page.bars.get("chart-topics", {})
    for row in page.tables["topic-table"][1:]:
        if row[1] == "< 5":
            continue
        assert topics[f"{row[0]} (Pra-tes)"] == row[3]
        assert topics[f"{row[0]} (Pasca-tes)"] == row[5]


def test_funnel_counts_registered_confirmed_attended_certified(dataset, login_as, client):
    login_as(dataset.reviewer)

    bars = _page(client, "/laporan").bars["chart-funnel"]

    # 13 registrations (P9 cancelled in A); 12 confirmed; 10 with a check-in; 6 certified.
    assert bars == {"Mendaftar": "13", "Terkonfirmasi": "12", "Hadir": "10", "Bersertifikat": "6"}


def test_small_groups_stay_suppressed_in_chart_map_and_tables(dataset, login_as, client):
    login_as(dataset.reviewer)

    page = _page(client, "/laporan")

    # Jawa Tengah (33) has 2 participants: no bar, a hatched "< 5" tile, "< 5" in the map table.
    assert "Jawa Tengah" not in page.bars["chart-province"]
    assert page.tiles["33"] == "< 5"
    assert page.tiles["31"] == "6"
    assert page.tiles["32"] == "< 5"  # P7-P10
    map_rows = {r[1]: r[2] for r in page.tables["map-table"][1:]}
    assert map_rows["Jawa Tengah"] == "< 5"
    assert map_rows["Aceh"] == "0"
    assert len(page.tiles) == 38


def test_map_can_be_coloured_by_another_figure_with_a_shareable_url(dataset, login_as, client):
    login_as(dataset.reviewer)

    html = client.get("/laporan?province=31&peta=certificates").get_data(as_text=True)
    page = _Collector()
    page.feed(html)

    assert page.tiles["31"] == "5"  # P1-P5 certified, P6's revoked for misconduct
    assert 'name="peta" value="certificates"' in html
    assert "http://localhost/laporan?province=31&amp;peta=certificates" in html


def test_coverage_counts_regencies_reached_and_lists_the_others(dataset, login_as, client):
    login_as(dataset.reviewer)

    page = _page(client, "/laporan")

    rows = {r[0]: r for r in page.tables["coverage-table"][1:]}
    jakarta = rows["Daerah Khusus Ibukota Jakarta"]
    assert jakarta[1] == "2"  # 31.71 and 31.74
    assert int(jakarta[2]) == 6  # five cities and one regency
    assert "Kepulauan Seribu" in jakarta[4]
    assert rows["Aceh"][1] == "0"
    assert len(rows) == 38


def test_workshop_list_has_each_workshops_figures_and_link(dataset, login_as, client):
    login_as(dataset.reviewer)

    html = client.get("/laporan/loka-latih").get_data(as_text=True)
    filtered = client.get("/laporan/loka-latih?topic=disabilitas").get_data(as_text=True)

    assert f'href="/loka-latih/{dataset.workshop_a.slug}"' in html
    assert f'href="/loka-latih/{dataset.workshop_b.slug}"' in html
    assert dataset.workshop_a.slug not in filtered
    # Workshop B has 4 participants: its figures are suppressed.
    page = _Collector()
    page.feed(html)
    rows = {r[0]: r for r in page.tables["workshop-table"][1:]}
    assert rows[dataset.workshop_b.title][2] == "< 5"
    assert rows[dataset.workshop_a.title][2] == "8"


def _pdf_text(body: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=body, capture_output=True, check=True
    )
    return result.stdout.decode()


def test_pdf_report_opens_in_poppler_with_headline_and_vector_charts(dataset, login_as, client):
    login_as(dataset.reviewer)

    response = client.get("/laporan.pdf?province=31")

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    text = _pdf_text(response.data)
    assert "Laporan jangkauan dan hasil loka latih" in text
    assert re.search(r"Peserta \(orang, pendaftaran terkonfirmasi\)\s+6\b", text)
    assert "Filter: Provinsi" in text and "31 Daerah Khusus Ibukota Jakarta" in text
    assert "Definisi" in text
    images = subprocess.run(["pdfimages", "-list", "-"], input=response.data, capture_output=True)
    if images.returncode == 0:  # poppler lists images of a file, not of stdin, on some versions
        assert len(images.stdout.decode().splitlines()) <= 2
    assert b"/Subtype /Image" not in response.data
    fonts = subprocess.run(["pdffonts", "-"], input=response.data, capture_output=True)
    if fonts.returncode == 0:
        assert "Helvetica" not in fonts.stdout.decode()  # only the embedded DejaVu fonts


def test_pdf_report_keeps_small_groups_suppressed(dataset, login_as, client):
    login_as(dataset.reviewer)

    text = _pdf_text(client.get("/laporan.pdf").data)

    # Jawa Tengah's 2 participants: "< 5" in its bar row, tile and table, never its figures.
    assert re.search(r"Jawa Tengah\s+<\s?5", text)  # its bar
    assert re.search(r"Jawa\s+Tengah(\s+<\s?5){8}", text)  # its table row


def test_pdf_report_in_english(dataset, login_as, client):
    login_as(dataset.reviewer)

    text = _pdf_text(client.get("/laporan.pdf?bahasa=en").data)

    assert "Workshop reach and outcomes report" in text
    assert "Definitions" in text
    assert "Laporan jangkauan" not in text


def test_xlsx_participant_sheet_uses_labels_not_codes(dataset, login_as, client):
    login_as(dataset.reviewer)

    book = openpyxl.load_workbook(io.BytesIO(client.get("/laporan.xlsx").data))
    sheet = book["Peserta (pseudonim)"]
    values = {cell for row in sheet.iter_rows(min_row=2, values_only=True) for cell in row}

    assert "civil_society" not in values and "female" not in values
    assert "31" not in values and "31.71" not in values
    assert "Daerah Khusus Ibukota Jakarta" in values
    assert "Definisi dan filter" in book.sheetnames
