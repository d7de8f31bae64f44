"""The registrant list as CSV or XLSX, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

import xlsxwriter
from flask_babel import format_datetime
from flask_babel import lazy_gettext as _l

from ..models import Workshop
from ..profile.services import GENDER_LABELS, INSTITUTION_TYPE_LABELS
from .registrants import STATUS_LABELS, RegistrantRow

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
COLUMNS = (
    _l("Nama"),
    _l("Email"),
    _l("Telepon"),
    _l("Jenis kelamin"),
    _l("Jenis instansi"),
    _l("Instansi"),
    _l("Jabatan"),
    _l("Provinsi"),
    _l("Kabupaten/kota"),
    _l("Status"),
    _l("Waktu mendaftar"),
)
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: str) -> str:
    """A leading apostrophe keeps a spreadsheet from running the cell as a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _row(row: RegistrantRow, workshop: Workshop) -> list[str]:
    profile = row.profile
    registered = row.registration.created_at.astimezone(workshop.zone)
    values = [
        row.name,
        row.user.email,
        profile.phone if profile else None,
        GENDER_LABELS.get(profile.gender) if profile and profile.gender else None,
        (
            INSTITUTION_TYPE_LABELS.get(profile.institution_type)
            if profile and profile.institution_type
            else None
        ),
        profile.institution_name if profile else None,
        profile.position if profile else None,
        row.province_name,
        row.regency_name,
        STATUS_LABELS[row.registration.status],
        f"{format_datetime(registered, 'yyyy-MM-dd HH:mm', rebase=False)} "
        f"{workshop.timezone.abbreviation}",
    ]
    return [neutralize(str(value)) if value is not None else "" for value in values]


def _table(rows: Iterable[RegistrantRow], workshop: Workshop) -> list[list[str]]:
    return [[str(title) for title in COLUMNS]] + [_row(row, workshop) for row in rows]


def export_csv(rows: Iterable[RegistrantRow], workshop: Workshop) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(_table(rows, workshop))
    # The byte-order mark lets Excel read the file as UTF-8 (names with accents, etc.).
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_xlsx(rows: Iterable[RegistrantRow], workshop: Workshop) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = workbook.add_worksheet(str(_l("Pendaftar")))
    bold = workbook.add_format({"bold": True})
    table = _table(rows, workshop)
    for index, values in enumerate(table):
        sheet.write_row(index, 0, values, bold if index == 0 else None)
    sheet.freeze_panes(1, 0)
    sheet.set_column(0, len(COLUMNS) - 1, 20)
    workbook.close()
    return buffer.getvalue()


def export_registrants(rows: Iterable[RegistrantRow], workshop: Workshop, fmt: str) -> bytes:
    return export_csv(rows, workshop) if fmt == "csv" else export_xlsx(rows, workshop)
