"""The PDF report's outcome sections (KKPHAM themes, JP, reaction survey, action plan
follow-up): the rows of `outcome_tables`, the same as the XLSX sheets, laid out by the caller's
`table` and `chart_block` (pdf_report's), so the fonts and styles are the report's."""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _
from reportlab.platypus import Paragraph

from ..evaluations.items import SCALE, SCALE_LABELS
from ..lessonhours import as_number
from . import outcome_tables as ot
from .exports import unknown


def _esc(text) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def story(data: ot.OutcomeData, styles, table: Callable, chart_block: Callable) -> list:
    def h1(text: str) -> Paragraph:
        return Paragraph(_esc(text), styles["h1"])

    def h2(text: str) -> Paragraph:
        return Paragraph(_esc(text), styles["h2"])

    def note(text: str) -> Paragraph:
        return Paragraph(_esc(text), styles["small"])

    survey = data.survey
    found = [
        h1(_("Tema KKPHAM")),
        chart_block(data.themes.reach_chart, styles),
        table(ot.theme_header(), ot.theme_rows(data.themes), styles, fit=True),
        h1(_("Jam pelajaran (JP) yang diberikan")),
        note(
            _(
                "JP dari sesi yang dihadiri peserta terkonfirmasi (1 JP = 45 menit). "
                "Jumlah: %(jp)s JP.",
                jp=as_number(data.jp.total_halves),
            )
        ),
        h2(_("JP per provinsi")),
        table(
            ot.jp_header([_("Provinsi")]),
            [(unknown(r.label),) + ot.jp_cells(r) for r in data.jp.provinces],
            styles,
        ),
        h2(_("JP per jenis instansi")),
        table(
            ot.jp_header([_("Jenis instansi")]),
            [(unknown(r.label),) + ot.jp_cells(r) for r in data.jp.institution_types],
            styles,
        ),
        h1(_("Evaluasi reaksi peserta")),
        note(
            _(
                "Pernyataan baku dari %(workshops)s loka latih yang evaluasinya sudah ditutup "
                "dengan sedikitnya 5 jawaban (%(responses)s jawaban).",
                workshops=survey.workshops,
                responses=survey.responses,
            )
        ),
        table(
            ot.survey_header()[:3] + [str(point) for point in SCALE],
            ot.survey_rows(survey),
            styles,
            fit=True,
        ),
        note(" · ".join(f"{point} = {SCALE_LABELS[point]}" for point in SCALE)),
        h1(_("Rencana aksi dan tindak lanjut")),
    ]
    for title, first, dimension in (
        (_("Per provinsi"), _("Provinsi"), "province"),
        (_("Per tema KKPHAM"), _("Tema KKPHAM"), "theme"),
    ):
        rows = ot.follow_up_groups(data.plans, dimension)
        found += [
            h2(title),
            table(
                ot.follow_up_header(first, with_counts=False),
                ot.follow_up_rows(rows, with_counts=False),
                styles,
                fit=True,
            ),
        ]
    return found
