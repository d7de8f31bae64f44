"""Every file the app hands out, with names and texts that start like a spreadsheet formula.

The files are found, not listed: every GET route (and the POST download of "Data saya") is opened
as every role allowed to, and whatever comes back as CSV, XLSX, ZIP or PDF is checked:
- XLSX: no cell is a formula (openpyxl's data_type 'f') and no text carries the CSV guard;
- CSV: no cell starts with = + - @ tab or CR unless it is a plain number (-5, +0.25);
- ZIP: the same for each CSV or PDF inside;
- PDF: pdfium opens it.
The certificate's text layer carries a hostile and a Unicode name literally.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import timedelta

import openpyxl
import pypdfium2 as pdfium
import pytest

from lokalatih.models import WorkshopTopic, utcnow
from lokalatih.reports import exports as report_exports

from .fixtures import World, own, signed_in_client
from .route_table import EXPECTED, OK, ROLES, ROUTES, build_url

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARDED = tuple("'" + start for start in FORMULA_STARTS)
NAMES = (
    '=HYPERLINK("http://evil.contoh","x")',
    "@SUM(1+1)",
    "+62 812 3456",
    "-2+3",
    "\t=1+1",
    "=cmd|' /C calc'!A0",
)
INSTITUTIONS = ("=1+2", "@Dinas", "-Dinas Sosial", "+Bappeda", "\r=3", '=HYPERLINK("x")')
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def formula_world(db, make_user, world: World) -> World:
    """The security world with four more participants (groups of five are shown in reports),
    every name, institution and title starting like a formula, and submitted attempts."""
    extra = [make_user(complete_profile=True) for _ in range(4)]
    owned = [world.participant, world.other_participant] + [
        own(db, user, world.workshop, world.quiz, world.question) for user in extra
    ]
    for number, item in enumerate(owned):
        profile = item.user.profile
        profile.full_name = NAMES[number]
        profile.institution_name = INSTITUTIONS[number]
        profile.position = "=jabatan()"
        item.certificate.name_on_certificate = NAMES[number]
        item.attempt.submitted_at = utcnow() - timedelta(minutes=1)
        item.attempt.score = 50.0
        item.answer.is_correct = True
    world.workshop.title = '=HYPERLINK("http://evil.contoh","judul")'
    world.workshop.topics = [WorkshopTopic(tag="=topik")]
    world.session.title = "@SUM(A1:A9)"
    world.question.topic = "=topik soal"
    world.question.text = "+soal(1)"
    world.question.choices = [{"key": "a", "text": "=benar"}, {"key": "b", "text": "-salah"}]
    world.question.explanation = "@pembahasan"
    world.question.source = "-sumber"
    world.quiz.title = "=judul tes"
    db.session.commit()
    return world


def _check_csv(text: str, where: str) -> list[str]:
    cells = [cell for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]
    for cell in cells:
        if cell.startswith(FORMULA_STARTS):
            assert _is_number(cell), f"{where}: the cell {cell!r} would run as a formula"
    return cells


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _check_xlsx(data: bytes, where: str) -> list[str]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    values = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (
                    f"{where}: {sheet.title}!{cell.coordinate} is a formula"
                )
                if isinstance(cell.value, str):
                    # A string cell never runs: the CSV guard would only show as text there.
                    assert not cell.value.startswith(GUARDED), (
                        f"{where}: {sheet.title}!{cell.coordinate} shows the CSV guard"
                    )
                    values.append(cell.value)
    return values


def _check_pdf(data: bytes, where: str) -> str:
    assert data.startswith(b"%PDF-"), where
    document = pdfium.PdfDocument(data)
    try:
        return "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def check_file(response, where: str) -> list[str]:
    """The texts found in the file, after checking it; [] when the response is not a file."""
    if response.mimetype == "text/csv":
        return _check_csv(response.get_data(as_text=True), where)
    if response.mimetype == XLSX:
        return _check_xlsx(response.data, where)
    if response.mimetype == "application/pdf":
        return [_check_pdf(response.data, where)]
    if response.mimetype == "application/zip":
        texts = []
        with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
            for name in archive.namelist():
                content = archive.read(name)
                if name.endswith(".csv"):
                    texts += _check_csv(content.decode("utf-8"), f"{where} {name}")
                elif name.endswith(".pdf"):
                    texts.append(_check_pdf(content, f"{where} {name}"))
        return texts
    return []


def _neutral(text: str) -> str:
    return text.removeprefix("'")


def test_every_export_keeps_formula_like_text_as_text(app, formula_world):
    world = formula_world
    clients = {role: signed_in_client(app, world.user_for(role)) for role in ROLES}
    found: dict[str, list[str]] = {}
    for endpoint, method, rule in ROUTES:
        if method != "GET" or endpoint not in EXPECTED:
            continue
        for role, outcome in zip(ROLES, EXPECTED[endpoint], strict=True):
            if outcome != OK:
                continue
            url = build_url(app, world, endpoint, rule)
            response = clients[role].get(url)
            assert response.status_code < 500, f"GET {url} as {role}: {response.status_code}"
            texts = check_file(response, f"GET {url} as {role}")
            if texts:
                found.setdefault(endpoint, []).extend(texts)
    response = clients["participant"].post("/data-saya/unduh")
    found["privacy.my_data_download"] = check_file(response, "POST /data-saya/unduh")
    # The route matrix opens the CSV of these two; their XLSX is checked as well.
    for endpoint, name in (
        ("registrations.export", "pendaftar"),
        ("attendance.export", "presensi"),
    ):
        url = f"/kelola/{world.workshop.slug}/{name}.xlsx"
        found[endpoint] += check_file(clients["organizer"].get(url), f"GET {url}")

    files = {
        "registrations.export",
        "attendance.export",
        "quizzes.results_export",
        "quizzes.all_results_export",
        "quizzes.export_bank",
        "reports.export",
        "reports.export_csv",
        "certificates.download",
        "certificates.zip",
        "privacy.my_data_download",
    }
    assert files <= found.keys(), f"no file from {sorted(files - found.keys())}"
    # The hostile texts did reach the files (else the checks above prove nothing).
    for endpoint in ("registrations.export", "attendance.export"):
        names = {_neutral(text) for text in found[endpoint]}
        assert set(NAMES) <= names, endpoint
        assert set(INSTITUTIONS) <= names, endpoint
    assert "+soal(1)" in {_neutral(text) for text in found["quizzes.export_bank"]}
    assert NAMES[0] in {_neutral(text) for text in found["privacy.my_data_download"]}


@pytest.mark.parametrize(
    "name",
    [
        '=HYPERLINK("http://evil.contoh","x")',
        "<script>alert(1)</script> & <b>Siti</b>",
        "Dr. (Ir.) Siti \\ Rahmawati ) ( %PDF",
        "Nguyễn Thị Ánh · Ṣaraswatī Çelik",
    ],
)
def test_the_certificate_pdf_carries_a_hostile_name_literally(app, db, world, name):
    world.participant.certificate.name_on_certificate = name
    db.session.commit()
    client = signed_in_client(app, world.participant.user)

    response = client.get(f"/sertifikat/{world.participant.certificate.id}.pdf")

    assert response.status_code == 200
    assert name in _check_pdf(response.data, name).replace("\r\n", " ")


def test_the_certificate_pdf_renders_names_beyond_its_font(app, db, world):
    """Right-to-left, zero-width and emoji: the PDF is still made and opens; the Latin part of
    the name is in its text layer."""
    name = "Siti \u202eمرحبا\u202c \u200b👩🏽‍⚖️ שלום Rahmawati"
    world.participant.certificate.name_on_certificate = name
    db.session.commit()
    client = signed_in_client(app, world.participant.user)
    organizer = signed_in_client(app, world.organizer)

    response = client.get(f"/sertifikat/{world.participant.certificate.id}.pdf")
    archive = organizer.get(f"/kelola/{world.workshop.slug}/sertifikat.zip")

    assert response.status_code == 200
    text = _check_pdf(response.data, "pdf")
    assert "Siti" in text and "Rahmawati" in text
    assert archive.status_code == 200
    check_file(archive, "zip")


def test_the_question_bank_export_neutralizes_every_formula_start(app, db, world):
    """Complements tests/quizzes/test_bank_io.py with the tab and carriage-return starts."""
    world.question.text = "\t=1+1"
    world.question.explanation = "\r=2+2"
    db.session.commit()
    client = signed_in_client(app, world.user_for("admin"))

    cells = check_file(client.get("/bank-soal/ekspor.csv"), "bank csv")
    check_file(client.get("/bank-soal/ekspor.xlsx"), "bank xlsx")

    assert "'\t=1+1" in cells


def test_the_report_csv_neutralizes_every_formula_start(app):
    """Topic names come from the question bank; numbers (a negative gain) stay numbers."""
    table = report_exports.Table("topik", "Per topik", ["Topik", "Gain"], [])
    table.rows = [(start + "topik", -0.25) for start in FORMULA_STARTS]

    cells = _check_csv(report_exports.export_csv([table], []).decode("utf-8"), "report csv")

    assert {"'" + start + "topik" for start in FORMULA_STARTS} <= set(cells)
    assert "-0.25" in cells
