"""From a participant's history to the transcript PDF and the XLSX, in the reader's language."""

from __future__ import annotations

import re
import unicodedata

from babel.dates import format_date
from flask_babel import get_locale
from flask_babel import gettext as _

from .. import lessonhours
from ..spreadsheets import Sheet, xlsx_bytes
from .pdf import TranscriptContent, render_transcript
from .services import HOME_ZONE, Transcript, YearTotal

DAY = "d MMM y"  # "7 Des 2026"


def jp(halves: int) -> str:
    return lessonhours.format_jp(halves, get_locale())


def dates_text(row) -> str:
    workshop, locale = row.workshop, get_locale()
    first = format_date(workshop.start_date, DAY, locale=locale)
    if workshop.start_date == workshop.end_date:
        return first
    return f"{first} – {format_date(workshop.end_date, DAY, locale=locale)}"


def year_status(total: YearTotal) -> str:
    if total.met:
        return _("Target tercapai")
    return _("Kurang %(jp)s JP", jp=jp(total.missing_halves))


def target_note() -> str:
    return _(
        "ASN wajib mengikuti pengembangan kompetensi paling sedikit %(target)s JP per tahun "
        "(PP 11/2017 sebagaimana diubah dengan PP 17/2020; SE BKN 3/2022). 1 JP = 45 menit. "
        "JP dihitung dari sesi yang Anda hadiri; tahun mengikuti zona waktu loka latih.",
        target=lessonhours.ASN_YEARLY_TARGET_JP,
    )


def build_content(transcript: Transcript) -> TranscriptContent:
    """Everything the transcript PDF says, in the current language."""
    locale = get_locale()
    generated = transcript.generated_at.astimezone(HOME_ZONE).date()
    return TranscriptContent(
        heading=_("TRANSKRIP JAM PELAJARAN (JP)"),
        name=transcript.name,
        institution=transcript.institution,
        generated_line=_(
            "Dibuat %(date)s dari lokalatih", date=format_date(generated, "d MMMM y", locale=locale)
        ),
        workshops_heading=_("Riwayat pelatihan"),
        workshop_header=(_("Loka latih"), _("Tanggal"), _("JP dihadiri"), _("Nomor sertifikat")),
        workshop_rows=tuple(
            (
                row.workshop.title,
                dates_text(row),
                _(
                    "%(attended)s dari %(total)s",
                    attended=jp(row.attended_halves),
                    total=jp(row.delivered_halves),
                ),
                row.certificate_number or "—",
            )
            for row in transcript.rows
        ),
        empty_line=_("Belum ada loka latih yang Anda ikuti."),
        # Formatted by the drawing, which alone knows how many rows did not fit.
        more_line=_("… dan %(count)s loka latih lainnya (daftar lengkap ada di berkas XLSX)."),
        years_heading=_("JP per tahun"),
        year_header=(_("Tahun"), _("JP dihadiri"), _("Target"), _("Keterangan")),
        year_rows=tuple(
            (
                str(total.year),
                jp(total.attended_halves),
                jp(total.target_halves),
                year_status(total),
            )
            for total in transcript.years
        ),
        total_line=_("Jumlah seluruhnya: %(jp)s JP", jp=jp(transcript.attended_halves)),
        note=target_note(),
        footer=_("Transkrip ini disusun dari data presensi di lokalatih, bukan dokumen resmi BKN."),
        document_title=_("Transkrip JP %(name)s", name=transcript.name),
        language=str(locale.language) if locale else "id",
    )


def transcript_pdf(transcript: Transcript) -> bytes:
    return render_transcript(build_content(transcript))


def transcript_xlsx(transcript: Transcript) -> bytes:
    """Two sheets: the workshops (JP as numbers, dates as dates) and the years."""
    workshops = Sheet(
        name=_("Riwayat pelatihan"),
        header=(
            _("Loka latih"),
            _("Mulai"),
            _("Selesai"),
            _("Zona waktu"),
            _("JP dihadiri"),
            _("JP loka latih"),
            _("Nomor sertifikat"),
        ),
        rows=[
            (
                row.workshop.title,
                row.workshop.start_date,
                row.workshop.end_date,
                row.workshop.timezone.abbreviation,
                lessonhours.as_number(row.attended_halves),
                lessonhours.as_number(row.delivered_halves),
                row.certificate_number,
            )
            for row in transcript.rows
        ],
        frozen_columns=1,
    )
    years = Sheet(
        name=_("JP per tahun"),
        header=(_("Tahun"), _("JP dihadiri"), _("Target"), _("Keterangan")),
        rows=[
            (
                total.year,
                lessonhours.as_number(total.attended_halves),
                lessonhours.as_number(total.target_halves),
                year_status(total),
            )
            for total in transcript.years
        ],
    )
    return xlsx_bytes([workshops, years])


def filename(transcript: Transcript, extension: str) -> str:
    """'transkrip-jp-siti-rahmawati.pdf': plain ASCII."""
    plain = unicodedata.normalize("NFKD", transcript.name).encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60]
    return f"transkrip-jp-{name}.{extension}" if name else f"transkrip-jp.{extension}"
