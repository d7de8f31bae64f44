"""Every table and file the app hands out: CSV with a formula guard, XLSX with typed cells, and
the download response.

Formula cells. A spreadsheet runs a cell whose text starts with = + - @ (or a tab or carriage
return) as a formula. A CSV file carries no types, so its text cells get a leading apostrophe
(`neutralize`). An XLSX cell has a type: text is written as a string cell, which no spreadsheet
runs, so it is written exactly as stored (a phone "+62812..." stays "+62812...").
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote

import xlsxwriter
from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIMETYPES = {
    "csv": CSV,
    "xlsx": XLSX,
    "zip": "application/zip",
    "pdf": "application/pdf",
    "ics": "text/calendar; charset=utf-8",
}
MAX_WIDTH = 60  # characters; longer text is cut off on screen (or wrapped), not widened
MIN_WIDTH = 8
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm"
SHEET_NAME_LENGTH = 31  # Excel's limit
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

Cell = str | int | float | date | datetime | None


@dataclass(frozen=True)
class Sheet:
    name: str
    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    frozen_columns: int = 0  # columns kept in view when scrolling sideways (e.g. the name)
    wrap: bool = False  # long text wraps inside its (capped) column


def neutralize(value: str, starts: tuple[str, ...] = FORMULA_STARTS) -> str:
    """For CSV only: a leading apostrophe keeps a spreadsheet from running the text as a
    formula. The question bank passes its own `starts` (with "'" itself) to make it reversible."""
    return "'" + value if value.startswith(starts) else value


def _csv_cell(value: Cell, starts: tuple[str, ...]) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return neutralize(value, starts)
    return value  # a number is written as digits, which no spreadsheet runs


def csv_bytes(rows: Iterable[Sequence[Cell]], starts: tuple[str, ...] = FORMULA_STARTS) -> bytes:
    """Rows as CSV in UTF-8, every text cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([_csv_cell(value, starts) for value in row])
    # The byte-order mark lets Excel read the file as UTF-8 (names with accents, etc.).
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _shown_length(value: Cell) -> int:
    if value is None:
        return 0
    if isinstance(value, datetime):
        return len(DATETIME_FORMAT)
    if isinstance(value, date):
        return len(DATE_FORMAT)
    text = str(value)
    return max((len(line) for line in text.splitlines()), default=0)


def column_widths(header: Sequence[str], rows: Sequence[Sequence[Cell]]) -> list[int]:
    """Per column, the longest header or value plus a margin, between MIN_WIDTH and MAX_WIDTH."""
    widths = [_shown_length(str(title)) for title in header]
    for row in rows:
        for column, value in enumerate(row):
            if column >= len(widths):
                widths.append(0)
            widths[column] = max(widths[column], _shown_length(value))
    return [min(max(width + 2, MIN_WIDTH), MAX_WIDTH) for width in widths]


def sheet_name(name: str) -> str:
    """A title Excel accepts: none of []:*?/\\ and at most 31 characters."""
    return SHEET_NAME_FORBIDDEN.sub("-", str(name))[:SHEET_NAME_LENGTH] or "-"


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook, wrap: bool) -> None:
        extra = {"text_wrap": True, "valign": "top"} if wrap else {}
        self.header = book.add_format({"bold": True, **extra})
        self.text = book.add_format(extra) if wrap else None
        self.date = book.add_format({"num_format": DATE_FORMAT, **extra})
        self.datetime = book.add_format({"num_format": DATETIME_FORMAT, **extra})


def _write(sheet, row: int, column: int, value: Cell, formats: _Formats) -> None:
    """One typed cell; text is always a string cell, so it can never become a formula."""
    if value is None or value == "":
        return
    if isinstance(value, str):
        sheet.write_string(row, column, value, formats.text)
    elif isinstance(value, bool):
        sheet.write_boolean(row, column, value, formats.text)
    elif isinstance(value, int | float):
        sheet.write_number(row, column, value, formats.text)
    elif isinstance(value, datetime):
        # Written at its own wall-clock time: callers pass the time in the workshop's zone.
        sheet.write_datetime(row, column, value.replace(tzinfo=None), formats.datetime)
    elif isinstance(value, date):
        sheet.write_datetime(row, column, value, formats.date)
    else:
        sheet.write_string(row, column, str(value), formats.text)


def xlsx_bytes(sheets: Iterable[Sheet]) -> bytes:
    """A workbook with one worksheet per `Sheet`: a bold, frozen header row, typed cells and
    columns fitted to their content."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    for spec in sheets:
        formats = _Formats(book, spec.wrap)
        sheet = book.add_worksheet(sheet_name(spec.name))
        for column, title in enumerate(spec.header):
            sheet.write_string(0, column, str(title), formats.header)
        for number, row in enumerate(spec.rows, start=1):
            for column, value in enumerate(row):
                _write(sheet, number, column, value, formats)
        sheet.freeze_panes(1, spec.frozen_columns)
        for column, width in enumerate(column_widths(spec.header, spec.rows)):
            sheet.set_column(column, column, width)
    book.close()
    return buffer.getvalue()


def ascii_filename(filename: str) -> str:
    """The name with accents dropped and anything but letters, digits, '.', '_' and '-' made
    '-': safe inside a quoted header value on every system."""
    plain = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    plain = re.sub(r"[^A-Za-z0-9._-]+", "-", plain).strip("-.")
    return plain or "unduhan"


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """`attachment; filename="..."`, plus RFC 5987's filename* when the name is not plain ASCII
    (browsers that know filename* show the real name, the others the ASCII one)."""
    kind = "inline" if inline else "attachment"
    fallback = ascii_filename(filename)
    value = f'{kind}; filename="{fallback}"'
    if fallback != filename:
        value += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return value


def download(
    body: bytes | Iterable[bytes],
    filename: str,
    *,
    mimetype: str | None = None,
    inline: bool = False,
) -> Response:
    """The response that hands out a file; the type follows the file name's extension unless
    given. `body` may be an iterator of chunks (a streamed ZIP)."""
    extension = filename.rsplit(".", 1)[-1].lower()
    content_type = mimetype or MIMETYPES.get(extension, "application/octet-stream")
    response = Response(body, content_type=content_type)
    response.headers["Content-Disposition"] = content_disposition(filename, inline=inline)
    return response
