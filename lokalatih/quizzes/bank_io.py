"""The question bank in files: XLSX/CSV import and export, and the shipped starter bank.

Columns, in this order (row 1 is the header): topic, kind, text, choice_a … choice_f, correct
("a" or "a,c"), explanation, source. An export re-imports unchanged.

Formula cells. XLSX cells are written as typed strings (lokalatih.spreadsheets), so a text that
starts with "=" stays text there and is not escaped. A CSV file carries no types, and
the spreadsheet that opens it would run such a cell, so the CSV export always prefixes "'" to a cell
that starts with =, +, -, @, a tab, a carriage return or "'" itself, and the CSV import removes
exactly one such prefix. The escape is reversible, so a CSV export re-imports unchanged; a hand-made
CSV cell "'=5" imports as "=5", as a spreadsheet would show it.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import IO

import openpyxl
import sqlalchemy as sa
from flask_babel import gettext as _

from .. import spreadsheets
from ..audit import record_event
from ..extensions import db
from ..models import Question, QuestionKind, User, question_text_key
from . import bank
from .errors import DuplicateQuestionError, ImportFileError, ImportRowsError, RowProblem

log = logging.getLogger(__name__)

COLUMNS = ("topic", "kind", "text", *(f"choice_{key}" for key in bank.KEYS))
COLUMNS += ("correct", "explanation", "source")
FORMATS = ("csv", "xlsx")
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_UNZIPPED_BYTES = 30 * 1024 * 1024  # an XLSX is a zip: refuse one that inflates absurdly
READ_COLUMNS = len(COLUMNS) + 20
STARTER_PATH = Path(__file__).resolve().parent.parent / "data" / "question-bank" / "starter.json"
# The formula starts and the apostrophe itself, so that the CSV escape can be undone exactly.
ESCAPED_STARTS = (*spreadsheets.FORMULA_STARTS, "'")
KIND_ALIASES = {
    **{kind.value: kind.value for kind in QuestionKind},
    "pilihan ganda (satu jawaban)": QuestionKind.SINGLE.value,
    "pilihan ganda (beberapa jawaban)": QuestionKind.MULTIPLE.value,
    "benar/salah": QuestionKind.TRUE_FALSE.value,
}


@dataclass(frozen=True)
class ImportReport:
    added: int


# --- import --------------------------------------------------------------------------------------


def import_bank_file(
    filename: str, stream: IO[bytes], *, actor: User | None, ip: str | None = None
) -> ImportReport:
    """Validate every row, then add all questions in the current transaction, or none.

    Raises ImportFileError (unreadable, too big, wrong type) or ImportRowsError (every bad row,
    a text already in the bank included: the bank holds one question per text).
    """
    fmt = file_format(filename)
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("Berkas lebih besar dari 2 MB. Bagi soal ke beberapa berkas."))
    if not data.strip():
        raise ImportFileError(_("Berkas kosong."))
    items, problems = parse_table(read_table(fmt, data))
    if problems:
        raise ImportRowsError(problems)
    if not items:
        raise ImportFileError(_("Berkas tidak berisi satu soal pun di bawah baris judul."))
    if problems := _already_in_bank(items):
        raise ImportRowsError(problems)
    name = filename.rsplit("/", 1)[-1][:200]
    added = bank.add_questions(items, actor=actor, ip=ip, source=f"{fmt}:{name}")
    return ImportReport(added=added)


def _already_in_bank(items: list[bank.QuestionData]) -> list[RowProblem]:
    """Every row whose text a question in the bank already has."""
    existing = bank.existing_keys(data.text for data in items)
    problems = []
    for data in items:
        found = existing.get(question_text_key(data.text))
        if found is not None:
            message = DuplicateQuestionError(found).short_message()
            problems.append(RowProblem(data.row, "text", message))
    return problems


def file_format(filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in FORMATS:
        raise ImportFileError(_("Pilih berkas berformat .xlsx atau .csv."))
    return extension


def read_table(fmt: str, data: bytes) -> list[list[str]]:
    """The file's rows as lists of strings (header included)."""
    return _read_csv(data) if fmt == "csv" else _read_xlsx(data)


def _too_many_rows() -> ImportFileError:
    return ImportFileError(
        _("Berkas berisi lebih dari %(max)d baris soal. Bagi ke beberapa berkas.", max=MAX_ROWS)
    )


def _read_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _(
                "Berkas CSV harus memakai pengodean UTF-8. Di Excel, pilih "
                "Simpan Sebagai → CSV UTF-8 (dipisahkan koma)."
            )
        ) from None
    header = text.split("\n", 1)[0]
    try:
        delimiter = csv.Sniffer().sniff(header, delimiters=";,").delimiter
    except csv.Error:
        delimiter = ";" if header.count(";") > header.count(",") else ","
    rows = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append([_unescape(cell) for cell in row])
            if len(rows) > MAX_ROWS + 1:
                raise _too_many_rows()
    except csv.Error:
        raise ImportFileError(
            _("Berkas CSV tidak dapat dibaca. Simpan ulang sebagai CSV UTF-8 lalu coba lagi.")
        ) from None
    return rows


def _read_xlsx(data: bytes) -> list[list[str]]:
    unreadable = ImportFileError(
        _("Berkas XLSX tidak dapat dibaca. Simpan ulang sebagai .xlsx lalu coba lagi.")
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise unreadable from None
    if inflated > MAX_UNZIPPED_BYTES:
        raise unreadable
    try:
        return _xlsx_rows(data)
    except ImportFileError:
        raise
    except Exception:  # openpyxl raises many kinds of errors on damaged files
        log.info("unreadable XLSX upload", exc_info=True)
        raise unreadable from None


def _xlsx_rows(data: bytes) -> list[list[str]]:
    with warnings.catch_warnings():
        # openpyxl warns about styles and extensions it ignores; they do not matter here.
        warnings.simplefilter("ignore")
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            rows = []
            sheet = workbook.worksheets[0]
            for values in sheet.iter_rows(values_only=True, max_col=READ_COLUMNS):
                rows.append([_cell_text(value) for value in values])
                if len(rows) > MAX_ROWS + 1:
                    raise _too_many_rows()
            return rows
        finally:
            workbook.close()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def _unescape(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(ESCAPED_STARTS) else cell


def parse_table(table: list[list[str]]) -> tuple[list[bank.QuestionData], list[RowProblem]]:
    """Questions from the rows under the header, and every problem found (none imported if any)."""
    if not table or not _header_ok(table[0]):
        raise ImportFileError(
            _(
                "Baris 1 harus berisi judul kolom berikut, berurutan: %(columns)s.",
                columns=", ".join(COLUMNS),
            )
        )
    items: list[bank.QuestionData] = []
    problems: list[RowProblem] = []
    first_row_of_text: dict[str, int] = {}  # by text key: spacing and case do not count
    for number, cells in enumerate(table[1:], start=2):
        if not any(cell.strip() for cell in cells[: len(COLUMNS)]):
            continue
        data = _row_data(cells)
        data.row = number
        row_problems = [
            RowProblem(number, _column(name), message)
            for name, message in bank.question_problems(data)
        ]
        key = question_text_key(data.text)
        if data.text and key in first_row_of_text:
            message = _("Teks soal sama dengan baris %(row)d.", row=first_row_of_text[key])
            row_problems.append(RowProblem(number, "text", message))
        first_row_of_text.setdefault(key, number)
        problems += row_problems
        items.append(data)
    return items, problems


def _header_ok(header: list[str]) -> bool:
    names = [cell.strip().lower() for cell in header]
    return tuple(names[: len(COLUMNS)]) == COLUMNS and not any(names[len(COLUMNS) :])


def _row_data(cells: list[str]) -> bank.QuestionData:
    values = dict(zip(COLUMNS, [*cells, *[""] * len(COLUMNS)], strict=False))
    kind = values["kind"].strip().lower()
    return bank.question_data(
        topic=values["topic"],
        kind=KIND_ALIASES.get(kind, kind),
        text=values["text"],
        choices={key: values[f"choice_{key}"] for key in bank.KEYS},
        correct_keys=values["correct"],
        explanation=values["explanation"],
        source=values["source"],
    )


def _column(field_name: str) -> str:
    if field_name == "choices":
        return "choice_a–choice_f"
    return field_name


# --- the starter bank ----------------------------------------------------------------------------


def load_starter_bank(*, actor: User | None = None) -> int:
    """Add the shipped starter questions not yet in the bank (matched on text as the bank
    compares it); returns how many."""
    items = starter_questions()
    existing = bank.existing_keys(data.text for data in items)
    missing = [data for data in items if question_text_key(data.text) not in existing]
    if not missing:
        return 0
    return bank.add_questions(missing, actor=actor, ip=None, source="starter")


def starter_questions(path: Path = STARTER_PATH) -> list[bank.QuestionData]:
    document = json.loads(path.read_text(encoding="utf-8"))
    return [
        bank.question_data(
            topic=item.get("topic"),
            kind=item.get("kind"),
            text=item.get("text"),
            choices=item.get("choices"),
            correct_keys=item.get("correct"),
            explanation=item.get("explanation"),
            source=item.get("source"),
        )
        for item in document["questions"]
    ]


# --- export --------------------------------------------------------------------------------------


def export_bank(
    fmt: str, statement: sa.Select, *, actor: User | None, ip: str | None, filters: dict
) -> bytes:
    """The questions `statement` selects, as a file; audited as `question_bank_exported`."""
    questions = list(db.session.scalars(statement))
    data = export_csv(questions) if fmt == "csv" else export_xlsx(questions)
    details = {"format": fmt, "count": len(questions), **filters}
    record_event("question_bank_exported", actor=actor, details=details, ip=ip)
    return data


def question_row(question: Question) -> list[str]:
    choices = {choice["key"]: choice["text"] for choice in question.choices}
    return [
        question.topic,
        question.kind.value,
        question.text,
        *(choices.get(key, "") for key in bank.KEYS),
        ",".join(sorted(question.correct_keys)),
        question.explanation,
        question.source,
    ]


def export_csv(questions: Sequence[Question]) -> bytes:
    rows = [COLUMNS, *(question_row(question) for question in questions)]
    # The import accepts the byte-order mark the CSV starts with.
    return spreadsheets.csv_bytes(rows, starts=ESCAPED_STARTS)


def export_xlsx(questions: Sequence[Question]) -> bytes:
    rows = [question_row(question) for question in questions]
    return spreadsheets.xlsx_bytes([spreadsheets.Sheet("bank-soal", COLUMNS, rows, wrap=True)])
