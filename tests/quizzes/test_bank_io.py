"""Importing and exporting the question bank as XLSX and CSV."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
import sqlalchemy as sa
import xlsxwriter

from lokalatih.models import AuditEvent, Question, QuestionKind, Role
from lokalatih.quizzes import bank, bank_io
from lokalatih.quizzes.errors import DuplicateQuestionError

HEADER = [
    "topic",
    "kind",
    "text",
    "choice_a",
    "choice_b",
    "choice_c",
    "choice_d",
    "choice_e",
    "choice_f",
    "correct",
    "explanation",
    "source",
]


def row(**overrides) -> list[str]:
    values = {
        "topic": "DUHAM",
        "kind": "single",
        "text": "Berapa pasal DUHAM?",
        "choice_a": "10",
        "choice_b": "30",
        "choice_c": "76",
        "correct": "b",
        "explanation": "DUHAM terdiri atas 30 pasal.",
        "source": "Resolusi Majelis Umum PBB 217 A (III)",
    }
    values.update(overrides)
    return [values.get(column, "") for column in HEADER]


CLEAN_ROWS = [
    row(),
    row(
        kind="multiple",
        text="Manakah bagian International Bill of Human Rights?",
        choice_a="DUHAM",
        choice_b="ICCPR",
        choice_c="Gwangju Guiding Principles",
        choice_d="ICESCR",
        correct="a, b,d",
    ),
    row(
        topic="Kewajiban negara",
        kind="true_false",
        text="Hari HAM Sedunia diperingati setiap 10 Desember.",
        choice_a="",
        choice_b="",
        choice_c="",
        correct="a",
    ),
]


def xlsx_file(rows: list[list[str]], header: list[str] = HEADER) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = workbook.add_worksheet()
    for number, values in enumerate([header, *rows]):
        sheet.write_row(number, 0, values)
    workbook.close()
    return buffer.getvalue()


def csv_file(rows: list[list[str]], delimiter: str = ",", bom: bool = False) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows([HEADER, *rows])
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


@pytest.fixture
def bank_admin(make_user, login_as):
    user = make_user("admin-impor@contoh.id", role=Role.ADMIN)
    login_as(user)
    return user


def upload(client, content: bytes, filename: str):
    # The body is built here: werkzeug's test builder spools a large body to a temporary file that
    # it never closes (a ResourceWarning, so an error under -W error).
    boundary = "lokalatih-batas-uji"
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    )
    body = head.encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return client.post(
        "/bank-soal/impor",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        follow_redirects=True,
    )


def questions(db) -> list[Question]:
    return list(db.session.scalars(sa.select(Question).order_by(Question.id)))


# --- clean imports -------------------------------------------------------------------------------


def test_a_clean_xlsx_imports_every_row(db, client, bank_admin):
    response = upload(client, xlsx_file(CLEAN_ROWS), "soal.xlsx")

    assert response.status_code == 200
    assert "3 soal ditambahkan ke bank soal." in response.get_data(as_text=True)
    stored = questions(db)
    assert [q.kind for q in stored] == [
        QuestionKind.SINGLE,
        QuestionKind.MULTIPLE,
        QuestionKind.TRUE_FALSE,
    ]
    assert stored[1].correct_keys == ["a", "b", "d"]
    assert stored[2].choices == [{"key": "a", "text": "Benar"}, {"key": "b", "text": "Salah"}]
    assert all(q.created_by_id == bank_admin.id for q in stored)
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "question_bank_imported")
    )
    assert event.details == {"source": "xlsx:soal.xlsx", "added": 3}


@pytest.mark.parametrize(("delimiter", "bom"), [(",", False), (";", True), (";", False)])
def test_a_clean_csv_imports_with_comma_or_semicolon_and_optional_bom(
    db, client, bank_admin, delimiter, bom
):
    response = upload(client, csv_file(CLEAN_ROWS, delimiter, bom), "soal.csv")

    assert "3 soal ditambahkan ke bank soal." in response.get_data(as_text=True)
    assert [q.text for q in questions(db)] == [values[2] for values in CLEAN_ROWS]


def test_an_xlsx_number_cell_imports_as_plain_text(db, client, bank_admin):
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    sheet.write_row(1, 0, row()[:3])
    sheet.write_number(1, 3, 10)
    sheet.write_number(1, 4, 30)
    sheet.write_row(1, 5, row()[5:])
    workbook.close()

    upload(client, buffer.getvalue(), "angka.xlsx")

    assert questions(db)[0].choices[:2] == [{"key": "a", "text": "10"}, {"key": "b", "text": "30"}]


def test_importing_the_same_file_twice_refuses_every_row_the_second_time(db, client, bank_admin):
    upload(client, csv_file(CLEAN_ROWS), "soal.csv")
    first_ids = [q.id for q in questions(db)]

    response = upload(client, csv_file(CLEAN_ROWS), "soal.csv")

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Ada 3 masalah pada 3 baris. Tidak ada soal yang diimpor" in page
    for number, question in zip((2, 3, 4), questions(db), strict=True):
        expected = (
            f"Baris {number}, kolom text: Teks soal sudah ada di bank soal "
            f"(soal #{question.id}): &#34;{question.text}&#34;."
        )
        assert expected in page
    assert [q.id for q in questions(db)] == first_ids


def test_a_text_already_in_the_bank_up_to_spacing_and_case_is_a_bad_row(db, client, bank_admin):
    upload(client, csv_file([row(text="Berapa pasal DUHAM?")]), "lama.csv")
    [existing] = questions(db)
    rows = [row(text="Soal baru yang sah"), row(text="  berapa   PASAL duham? ")]

    response = upload(client, csv_file(rows), "soal.csv")

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert (
        f"Baris 3, kolom text: Teks soal sudah ada di bank soal (soal #{existing.id}): "
        "&#34;Berapa pasal DUHAM?&#34;." in page
    )
    assert "Baris 2," not in page
    assert questions(db) == [existing]  # the good row was not imported either


# --- files with bad rows -------------------------------------------------------------------------


def test_bad_rows_are_all_reported_by_row_number_and_nothing_is_imported(db, client, bank_admin):
    rows = [
        row(text="Soal baik satu"),  # row 2
        row(text="Soal tanpa jawaban", correct=""),  # row 3
        row(text="Soal baik dua"),  # row 4
        row(text="Soal dua jawaban", correct="a,b"),  # row 5
        row(text="Soal baik tiga"),  # row 6
        row(text="Soal kunci kosong", correct="e", explanation=""),  # row 7
    ]

    response = upload(client, xlsx_file(rows), "soal.xlsx")

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Ada 4 masalah pada 3 baris. Tidak ada soal yang diimpor" in page
    assert "Baris 3, kolom correct: Tandai jawaban yang benar." in page
    assert "Baris 5, kolom correct: Soal jenis ini harus punya tepat satu jawaban benar." in page
    assert "Baris 7, kolom explanation: Pembahasan wajib diisi." in page
    assert "Baris 7, kolom correct: Jawaban benar E menunjuk pilihan yang kosong" in page
    for good in (2, 4, 6):
        assert f"Baris {good}," not in page
    assert questions(db) == []


def test_a_repeated_text_within_the_file_is_a_bad_row(db, client, bank_admin):
    response = upload(client, csv_file([row(), row(), row(text="Lain")]), "soal.csv")

    assert "Baris 3, kolom text: Teks soal sama dengan baris 2." in response.get_data(as_text=True)
    assert questions(db) == []


def test_a_text_repeated_within_the_file_up_to_spacing_and_case_is_a_bad_row(
    db, client, bank_admin
):
    rows = [row(), row(text="BERAPA pasal  DUHAM?"), row(text="Lain")]

    response = upload(client, csv_file(rows), "soal.csv")

    assert "Baris 3, kolom text: Teks soal sama dengan baris 2." in response.get_data(as_text=True)
    assert questions(db) == []


def test_unknown_kind_and_blank_rows(db, client, bank_admin):
    rows = [row(), ["", "", ""], row(text="Esai", kind="esai")]

    response = upload(client, csv_file(rows), "soal.csv")

    page = response.get_data(as_text=True)
    assert "Baris 4, kolom kind: Pilih jenis soal: single, multiple, atau true_false." in page
    assert "Baris 3," not in page


# --- files that cannot be read -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"x" * (2 * 1024 * 1024 + 1), "besar.csv", "Berkas lebih besar dari 2 MB."),
        (b"%PDF-1.4 bukan lembar kerja", "soal.pdf", "Pilih berkas berformat .xlsx atau .csv."),
        (b"PK\x03\x04 rusak" + bytes(range(256)), "rusak.xlsx", "Berkas XLSX tidak dapat dibaca."),
        (bytes(range(256)) * 10, "acak.csv", "Berkas CSV harus memakai pengodean UTF-8."),
        (b"topic;teks\nDUHAM;x\n", "judul.csv", "Baris 1 harus berisi judul kolom"),
        (b"", "kosong.csv", "Berkas kosong."),
        (b"", "kosong.xlsx", "Berkas kosong."),
    ],
)
def test_unreadable_files_get_a_message_not_a_500(
    db, client, bank_admin, content, filename, message
):
    response = upload(client, content, filename)

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert questions(db) == []


def test_an_xlsx_renamed_to_csv_is_refused_clearly(db, client, bank_admin):
    response = upload(client, xlsx_file(CLEAN_ROWS), "soal.csv")

    assert response.status_code == 400
    assert "Berkas CSV harus memakai pengodean UTF-8." in response.get_data(as_text=True)


def test_a_file_with_only_the_header_has_no_questions(db, client, bank_admin):
    response = upload(client, xlsx_file([]), "kosong.xlsx")

    assert "Berkas tidak berisi satu soal pun" in response.get_data(as_text=True)


def test_a_zip_bomb_is_refused_before_it_is_inflated(db, client, bank_admin, monkeypatch):
    monkeypatch.setattr(bank_io, "MAX_UNZIPPED_BYTES", 1000)

    response = upload(client, xlsx_file(CLEAN_ROWS), "soal.xlsx")

    assert "Berkas XLSX tidak dapat dibaca." in response.get_data(as_text=True)


def test_no_file_chosen_is_a_form_error(db, client, bank_admin):
    response = client.post("/bank-soal/impor", data={}, content_type="multipart/form-data")

    assert response.status_code == 400
    assert "Pilih berkas yang akan diimpor." in response.get_data(as_text=True)


# --- export --------------------------------------------------------------------------------------

TRICKY_TEXTS = [
    '=HYPERLINK("http://jahat.contoh")',
    "+62 kode negara Indonesia",
    "-5 derajat",
    "@komnasham",
    "'=sudah diberi tanda kutip",
    "'kutipan biasa'",
]


def _tricky_bank(db) -> None:
    for number, text in enumerate(TRICKY_TEXTS):
        data = bank.question_data(
            topic="Uji ekspor",
            kind="multiple" if number % 2 else "single",
            text=text,
            choices=["=1+1", "Pilihan; dengan titik koma, dan koma", 'Kutip "ganda"\nbaris baru'],
            correct_keys="a,b" if number % 2 else "c",
            explanation="Pembahasan dengan ñ, é, dan “kutip”.",
            source="Sumber uji",
        )
        bank.create_question(data, actor=None)
    db.session.commit()


def _snapshot(db) -> list[tuple]:
    return [
        (q.topic, q.kind, q.text, q.choices, q.correct_keys, q.explanation, q.source)
        for q in questions(db)
    ]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_gives_the_same_bank(db, client, bank_admin, fmt):
    _tricky_bank(db)
    before = _snapshot(db)
    exported = client.get(f"/bank-soal/ekspor.{fmt}").data
    db.session.execute(sa.delete(Question))
    db.session.commit()

    upload(client, exported, f"bank-soal.{fmt}")

    assert _snapshot(db) == before


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_a_near_duplicate_is_refused_so_the_export_still_reimports(db, client, bank_admin, fmt):
    _tricky_bank(db)
    near_duplicate = bank.question_data(
        topic="Uji ekspor",
        kind="true_false",
        text=f"  {TRICKY_TEXTS[-1].upper()}  ",
        correct_keys="a",
        explanation="Pembahasan.",
        source="Sumber uji",
    )
    with pytest.raises(DuplicateQuestionError):
        bank.create_question(near_duplicate, actor=None)
    db.session.rollback()
    before = _snapshot(db)
    exported = client.get(f"/bank-soal/ekspor.{fmt}").data
    db.session.execute(sa.delete(Question))
    db.session.commit()

    response = upload(client, exported, f"bank-soal.{fmt}")

    assert f"{len(before)} soal ditambahkan ke bank soal." in response.get_data(as_text=True)
    assert _snapshot(db) == before


def test_a_csv_export_of_a_reimported_csv_is_identical(db, client, bank_admin):
    _tricky_bank(db)
    exported = client.get("/bank-soal/ekspor.csv").data
    db.session.execute(sa.delete(Question))
    db.session.commit()

    upload(client, exported, "bank-soal.csv")

    assert client.get("/bank-soal/ekspor.csv").data == exported


def test_csv_export_neutralizes_formulas_for_spreadsheets(db, client, bank_admin):
    _tricky_bank(db)

    response = client.get("/bank-soal/ekspor.csv")

    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == HEADER
    texts = {values[2] for values in rows[1:]}
    assert '\'=HYPERLINK("http://jahat.contoh")' in texts
    assert (
        "'-5 derajat" in texts and "'@komnasham" in texts and "'+62 kode negara Indonesia" in texts
    )
    assert "''=sudah diberi tanda kutip" in texts
    assert all(values[3] == "'=1+1" for values in rows[1:])


def test_xlsx_export_keeps_formula_like_text_as_text(db, client, bank_admin):
    _tricky_bank(db)

    response = client.get("/bank-soal/ekspor.xlsx")

    workbook = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    assert list(rows[0]) == HEADER
    assert rows[1][2] == '=HYPERLINK("http://jahat.contoh")'
    assert rows[1][3] == "=1+1"
    assert "attachment" in response.headers["Content-Disposition"]


def test_export_follows_the_list_filters_and_is_audited(db, client, bank_admin):
    _tricky_bank(db)
    bank.create_question(
        bank.question_data(
            topic="Lain",
            kind="true_false",
            text="Soal lain",
            correct_keys="a",
            explanation="x",
            source="y",
        ),
        actor=None,
    )
    db.session.commit()

    response = client.get("/bank-soal/ekspor.csv?topik=Lain")

    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert [values[2] for values in rows[1:]] == ["Soal lain"]
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "question_bank_exported")
    )
    assert event.actor_id == bank_admin.id
    assert event.details == {"format": "csv", "count": 1, "topic": "Lain"}
