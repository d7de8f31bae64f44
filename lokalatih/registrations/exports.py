"""The registrant list as CSV or XLSX, safe to open in a spreadsheet, with each registrant's
attendance, test scores and certificate: figures fetched for the whole workshop at once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .. import spreadsheets
from ..certificates.eligibility import latest_certificates
from ..labels import GENDER_LABELS, INSTITUTION_TYPE_LABELS
from ..models import Certificate, QuizKind, Workshop, utcnow
from ..participation import attendance_shares, submitted_scores
from ..spreadsheets import Cell
from .registrants import STATUS_LABELS, RegistrantRow

FORMATS = ("csv", "xlsx")
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
)
FIGURE_COLUMNS = (
    _l("Sesi dihadiri"),
    _l("Sesi yang sudah dimulai"),
    _l("Nilai pra-tes"),
    _l("Nilai pasca-tes"),
    _l("Status sertifikat"),
)


@dataclass(frozen=True)
class Figures:
    """The workshop's per-registration figures, each from the service that owns it."""

    attendance: dict[int, tuple[int, int]]  # confirmed registrations only
    scores: dict[QuizKind, dict[int, float]]
    certificates: dict[int, Certificate]

    @classmethod
    def of(cls, workshop: Workshop, now: datetime) -> Figures:
        return cls(
            attendance=attendance_shares(workshop, started_by=now),
            scores=submitted_scores(workshop),
            certificates=latest_certificates(workshop),
        )

    def cells(self, registration_id: int) -> list[Cell]:
        attended, started = self.attendance.get(registration_id, (None, None))
        return [
            attended,
            started,
            _score(self.scores[QuizKind.PRE].get(registration_id)),
            _score(self.scores[QuizKind.POST].get(registration_id)),
            _certificate_state(self.certificates.get(registration_id)),
        ]


def _score(score: float | None) -> float | None:
    return round(score, 1) if score is not None else None


def _certificate_state(certificate: Certificate | None) -> str:
    if certificate is None:
        return _("Belum ada")
    return _("Terbit") if certificate.is_valid else _("Dicabut")


def _header(workshop: Workshop) -> list[str]:
    registered = _("Waktu mendaftar (%(zone)s)", zone=workshop.timezone.abbreviation)
    return [str(title) for title in (*COLUMNS, registered, *FIGURE_COLUMNS)]


def _label(labels: dict, key: object) -> str | None:
    label = labels.get(key) if key else None
    return str(label) if label is not None else None


def _row(row: RegistrantRow, workshop: Workshop, figures: Figures) -> list[Cell]:
    profile = row.profile
    return [
        row.name,
        row.user.email,
        profile.phone if profile else None,
        _label(GENDER_LABELS, profile.gender if profile else None),
        _label(INSTITUTION_TYPE_LABELS, profile.institution_type if profile else None),
        profile.institution_name if profile else None,
        profile.position if profile else None,
        row.province_name,
        row.regency_name,
        str(STATUS_LABELS[row.registration.status]),
        # A date cell in XLSX, "YYYY-MM-DD HH:MM" in CSV; the zone is in the header.
        row.registration.created_at.astimezone(workshop.zone),
        *figures.cells(row.registration.id),
    ]


def registrant_sheet(
    rows: Iterable[RegistrantRow], workshop: Workshop, now: datetime | None = None
) -> spreadsheets.Sheet:
    """Attendance counts only sessions started by `now` and only confirmed registrations (blank
    for the others); a score is that of a submitted test."""
    figures = Figures.of(workshop, now or utcnow())
    return spreadsheets.Sheet(
        name=_("Pendaftar"),
        header=_header(workshop),
        rows=[_row(row, workshop, figures) for row in rows],
        frozen_columns=1,
    )


def export_registrants(
    rows: Iterable[RegistrantRow], workshop: Workshop, fmt: str, now: datetime | None = None
) -> bytes:
    sheet = registrant_sheet(rows, workshop, now)
    if fmt == "csv":
        return spreadsheets.csv_bytes([sheet.header, *sheet.rows])
    return spreadsheets.xlsx_bytes([sheet])
