"""The dashboard's outcome sections as tables for the XLSX/CSV export and the PDF report: the
reaction survey, action plans and their follow-up, lesson hours (JP) delivered, KKPHAM themes.

Every figure comes from the function the page's section uses (`gather`), so the files and the
page agree; a group of fewer than 5 participants (or a survey item with fewer than 5 answers)
shows "< 5" as it does on the page. Labels only: regions, institution types, themes and
statuses by their names, never their codes."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from .. import lessonhours
from ..action_plans import outcomes
from ..evaluations import results
from ..evaluations.items import SCALE, SCALE_LABELS
from ..models import ActionStatus, User
from . import jp, themes
from .exports import SUPPRESSED, Table, unknown
from .figures import Filters


@dataclass
class OutcomeData:
    survey: results.Overview
    plans: outcomes.Outcomes
    jp: jp.JpReport
    themes: themes.ThemeReport


def gather(filters: Filters, viewer: User) -> OutcomeData:
    """The outcome sections' figures, by the same calls as the dashboard's sections."""
    return OutcomeData(
        survey=results.overview(results.workshop_ids_for(viewer), filters),
        plans=outcomes.outcomes(filters, viewer),
        jp=jp.jp_delivered(filters, viewer),
        themes=themes.theme_report(filters, viewer),
    )


def _round(value: float | None, digits: int = 1) -> float | None:
    return round(value, digits) if value is not None else None


def summary_rows(data: OutcomeData) -> list[tuple]:
    return [
        (_("JP diberikan (jumlah)"), lessonhours.as_number(data.jp.total_halves)),
        (_("Loka latih dengan evaluasi reaksi (ditutup, ≥ 5 jawaban)"), data.survey.workshops),
        (_("Jawaban evaluasi reaksi"), data.survey.responses),
        (_("Peserta dengan rencana aksi"), _people(data.plans.total)),
        (_("Tingkat tindak lanjut (%)"), _follow_up_rate(data.plans.total)),
    ]


def _people(row: outcomes.OutcomeRow):
    return SUPPRESSED if row.suppressed else row.participants


def _follow_up_rate(row: outcomes.OutcomeRow):
    return SUPPRESSED if row.suppressed else _round(row.rate)


def survey_header() -> list[str]:
    return [_("Pernyataan"), _("Jawaban"), _("Rata-rata (1–5)")] + [
        f"{point} · {SCALE_LABELS[point]}" for point in SCALE
    ]


def survey_rows(survey: results.Overview) -> list[tuple]:
    """No rows without answers (the page shows no table then); "< 5" for an item with 1-4."""
    if not survey.responses:
        return []
    rows = []
    for result in survey.items:
        if result.suppressed:
            rows.append((result.item.text,) + (SUPPRESSED,) * (2 + len(SCALE)))
        else:
            counts = tuple(count for _label, count in result.counts)
            rows.append((result.item.text, result.answered, _round(result.mean, 2)) + counts)
    return rows


def follow_up_header(first: str, *, with_counts: bool = True) -> list[str]:
    header = [first, _("Peserta dengan rencana"), _("Aksi"), _("Aksi jatuh tempo")]
    header += [_("Dilaporkan"), _("Tingkat tindak lanjut (%)")]
    for status in ActionStatus:
        label = str(outcomes.STATUS_LABELS[status])
        header += ([label] if with_counts else []) + [f"{label} (%)"]
    return header


def follow_up_rows(rows: list[outcomes.OutcomeRow], *, with_counts: bool = True) -> list[tuple]:
    width = 5 + len(ActionStatus) * (2 if with_counts else 1)
    found = []
    for row in rows:
        if row.suppressed:
            found.append((str(row.label),) + (SUPPRESSED,) * width)
            continue
        cells: tuple = (str(row.label), row.participants, row.actions, row.due, row.reported)
        cells += (_round(row.rate),)
        for status in ActionStatus:
            share = _round(row.status_rate(status.value))
            counted = (row.statuses.get(status.value, 0),) if with_counts else ()
            cells += counted + (share,)
        found.append(cells)
    return found


def follow_up_groups(plans: outcomes.Outcomes, dimension: str) -> list[outcomes.OutcomeRow]:
    """The total ("Semua") first, then the groups of one dimension."""
    return [plans.total, *plans.groups.get(dimension, [])]


def jp_header(first: list[str]) -> list[str]:
    return first + [_("Peserta"), _("JP diberikan"), _("JP per peserta")]


def jp_cells(row: jp.JpRow) -> tuple:
    if row.suppressed:
        return (SUPPRESSED,) * 3
    mean = row.mean_halves
    return (
        row.participants,
        lessonhours.as_number(row.jp_halves),
        _round(mean / 2) if mean is not None else None,
    )


def theme_header() -> list[str]:
    return [
        _("Tema"),
        _("Loka latih terlaksana"),
        _("Peserta"),
        _("Kabupaten/kota terjangkau"),
        _("Kabupaten/kota terjangkau (%)"),
        _("Benar pra-tes (%)"),
        _("Benar pasca-tes (%)"),
        _("Selisih (poin)"),
    ]


def theme_rows(report: themes.ThemeReport) -> list[tuple]:
    rows = []
    for row in report.rows:
        share = _round(row.regency_share)
        if row.suppressed:
            rows.append(
                (row.name, row.workshops, SUPPRESSED, row.regencies, share) + (SUPPRESSED,) * 3
            )
        else:
            learning = (_round(row.pre_correct), _round(row.post_correct), _round(row.change))
            rows.append(
                (row.name, row.workshops, row.participants, row.regencies, share) + learning
            )
    return rows


def tables(data: OutcomeData) -> list[Table]:
    """One table (sheet) per outcome section; sheet names stay under 31 characters."""
    return [
        Table(
            "hasil_ringkasan", _("Ringkasan hasil"), [_("Ukuran"), _("Nilai")], summary_rows(data)
        ),
        Table("evaluasi_reaksi", _("Evaluasi reaksi"), survey_header(), survey_rows(data.survey)),
        Table(
            "tindak_lanjut_provinsi",
            _("Tindak lanjut per provinsi"),
            follow_up_header(_("Provinsi")),
            follow_up_rows(follow_up_groups(data.plans, "province")),
        ),
        Table(
            "tindak_lanjut_tema",
            _("Tindak lanjut per tema"),
            follow_up_header(_("Tema KKPHAM")),
            follow_up_rows(follow_up_groups(data.plans, "theme")),
        ),
        Table(
            "jp_provinsi",
            _("JP per provinsi"),
            jp_header([_("Kode"), _("Provinsi")]),
            [(r.code or "", unknown(r.label)) + jp_cells(r) for r in data.jp.provinces],
        ),
        Table(
            "jp_jenis_instansi",
            _("JP per jenis instansi"),
            jp_header([_("Jenis instansi")]),
            [(unknown(r.label),) + jp_cells(r) for r in data.jp.institution_types],
        ),
        Table("tema_kkpham", _("Tema KKPHAM"), theme_header(), theme_rows(data.themes)),
    ]
