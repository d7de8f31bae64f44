"""The dashboard as a PDF a reviewer can hand on: a cover with the period and the filters, the
headline figures, the charts (ReportLab graphics: vectors, no raster), the key tables and the
definitions. The charts are drawn from the same `charts.Chart` rows as the page, so the numbers
agree and suppressed groups stay "< 5". Strings are translated by the caller's locale (the route
wraps the call in `force_locale`). Fonts: DejaVu Sans, embedded, as the certificates."""

from __future__ import annotations

import io

from flask_babel import format_decimal
from flask_babel import gettext as _
from reportlab import rl_config
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from ..certificates.pdf import BOLD, REGULAR, register_fonts
from ..models import User
from . import board as boards
from . import charts, exports, outcome_tables, pdf_outcomes, tilemap
from .services import Report

WIDTH = A4[0] - 36 * mm - 12  # the frame's padding is 6 pt a side
MAX_HEIGHT = 560.0  # a chart fits a page under its heading
INK = colors.HexColor("#1c2430")
MUTED = colors.HexColor("#4d5966")
GRID = colors.HexColor("#d5dbe2")


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=13, textColor=INK)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10, textColor=MUTED),
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=22, leading=28),
        "h1": ParagraphStyle(
            "h1", parent=base, fontName=BOLD, fontSize=14, leading=18, spaceBefore=8, spaceAfter=6
        ),  # fmt: skip
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=BOLD, fontSize=11, leading=14, spaceBefore=6, spaceAfter=4
        ),  # fmt: skip
        "cell": ParagraphStyle("cell", parent=base, fontSize=8, leading=10),
    }


def _esc(text) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _string(x, y, text, *, size=8, anchor="start", fill=INK, bold=False) -> String:
    return String(x, y, str(text), fontName=BOLD if bold else REGULAR, fontSize=size,
                  textAnchor=anchor, fillColor=fill)  # fmt: skip


def chart_drawing(chart: charts.Chart, width: float = WIDTH) -> Drawing:
    """The chart as ReportLab shapes: bars (and pairs) across, or columns up."""
    if chart.kind == "columns":
        return _columns_drawing(chart, width)
    label_w = 130.0
    pairs = chart.kind == "paired"
    legend = 16 if pairs else 0
    slots = max(len(chart.rows), 1) * (2 if pairs else 1)
    row = max(6.0, min(16.0, (MAX_HEIGHT - legend) / slots - 2))  # many rows: thinner bars
    size = min(8.0, row - 1)
    per_row = row * (2 if pairs else 1) + 2
    height = legend + len(chart.rows) * per_row + 6
    d = Drawing(width, height)
    values = [v for r in chart.rows for v in r[1:] if v is not None]
    top = 100.0 if pairs else (max(values, default=0) or 1)
    span = width - label_w - 50
    tones = (colors.HexColor(charts.SKY), colors.HexColor(charts.BLUE))
    if pairs:
        for i, name in enumerate(chart.series):
            d.add(Rect(label_w + i * 110, height - 11, 9, 9, fillColor=tones[i], strokeColor=None))
            d.add(_string(label_w + i * 110 + 13, height - 10, name))
    d.add(Line(label_w, 0, label_w, height - legend, strokeColor=MUTED, strokeWidth=0.5))
    for i, (label, *vals) in enumerate(chart.rows):
        y_top = height - legend - i * per_row
        short = label if len(label) <= 26 else label[:25] + "…"
        d.add(_string(label_w - 4, y_top - per_row / 2 - 1, short, anchor="end", size=size))
        for j, value in enumerate(vals):
            y = y_top - (j + 1) * row
            if value is None:
                d.add(_string(label_w + 4, y + 3, charts.SUPPRESSED, fill=MUTED, size=size))
                continue
            w = max(span * float(value) / top, 0.5)
            fill = tones[j] if pairs else colors.HexColor(charts.BLUE)
            d.add(Rect(label_w, y + 1, w, row - 2, fillColor=fill, strokeColor=None))
            d.add(_string(label_w + w + 3, y + 3, chart.fmt(value), size=size))
    return d


def _columns_drawing(chart: charts.Chart, width: float) -> Drawing:
    base, plot_h = 16.0, 110.0
    d = Drawing(width, base + plot_h + 16)
    values = [v for _, v in chart.rows if v is not None]
    top = max(values, default=0) or 1
    n = max(len(chart.rows), 1)
    slot = (width - 10) / n
    every = max(1, int(40 // slot) + 1) if slot < 40 else 1
    d.add(Line(0, base, width, base, strokeColor=MUTED, strokeWidth=0.5))
    for i, (label, value) in enumerate(chart.rows):
        x = 5 + i * slot
        if i % every == 0:
            d.add(_string(x + slot / 2, base - 10, label, size=6.5, anchor="middle"))
        if value is None:
            d.add(_string(x + slot / 2, base + 3, charts.SUPPRESSED, size=6.5, anchor="middle"))
            continue
        h = plot_h * float(value) / top
        gap = min(3, slot * 0.15)
        d.add(Rect(x + gap, base, slot - 2 * gap, h, fillColor=colors.HexColor(charts.BLUE),
                   strokeColor=None))  # fmt: skip
        if slot >= 18:
            d.add(_string(x + slot / 2, base + h + 2, chart.fmt(value), size=6.5, anchor="middle"))
    return d


def map_drawing(cells: list[tilemap.MapCell], fmt, width: float = WIDTH) -> Drawing:
    tile = min(width / tilemap.COLUMNS - 2, 34)
    step = tile + 2
    d = Drawing(width, tilemap.ROWS * step + 4)
    top = max((float(c.value) for c in cells if c.value is not None), default=0)
    for cell in cells:
        if cell.code not in tilemap.TILES:
            continue
        col, row, short = tilemap.TILES[cell.code]
        x, y = col * step, (tilemap.ROWS - 1 - row) * step + 2
        ink = INK
        if cell.suppressed:
            fill, shown = colors.HexColor("#e6e6e6"), charts.SUPPRESSED
        elif cell.value is None or float(cell.value) == 0:
            fill, shown = colors.white, "–" if cell.value is None else fmt(cell.value)
        else:
            index = tilemap.shade(float(cell.value), top)
            fill, shown = colors.HexColor(tilemap.SHADES[index]), fmt(cell.value)
            ink = colors.white if index >= 3 else INK
        d.add(Rect(x, y, tile, tile, fillColor=fill, strokeColor=MUTED, strokeWidth=0.4))
        d.add(_string(x + tile / 2, y + tile - 11, short, size=5.5, anchor="middle", fill=ink))
        d.add(_string(x + tile / 2, y + 7, shown, size=7, anchor="middle", fill=ink, bold=True))
    return d


def _cell(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return format_decimal(value, format="#,##0.0#")
    if isinstance(value, int):
        return boards.number(value)
    return str(value)


def _fitted_widths(data: list[list[str]], pad: float) -> list[float] | None:
    """Each column after the first as wide as its longest word (so no word is split), the first
    takes the rest; None when that leaves the first under 30 mm."""

    def longest(column: int) -> float:
        words = (word for row in data for word in row[column].split())
        return max((stringWidth(word, REGULAR, 8) for word in words), default=0) + 2 * pad + 1

    others = [longest(column) for column in range(1, len(data[0]))]
    first = WIDTH - sum(others)
    return [first, *others] if first >= 30 * mm else None


def _table(
    header: list[str], rows: list[tuple], styles, widths=None, first=42 * mm, fit=False
) -> Table:
    """`fit`: columns sized to their words, tighter padding (the wide outcome tables)."""
    cell = styles["cell"]
    texts = [[str(h) for h in header]] + [[_cell(v) for v in r] for r in rows]
    data = [[Paragraph(_esc(text), cell) for text in row] for row in texts]
    pad = 3 if fit else 6
    if fit and widths is None:
        widths = _fitted_widths(texts, pad)
    if widths is None and len(header) > 2:
        widths = [first] + [(WIDTH - first) / (len(header) - 1)] * (len(header) - 1)
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), REGULAR, 8),  # not the default Helvetica
                ("GRID", (0, 0), (-1, -1), 0.3, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f4")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("LEFTPADDING", (0, 0), (-1, -1), pad),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ]
        )
    )
    return table


def _chart_block(chart: charts.Chart, styles) -> KeepTogether:
    return KeepTogether(
        [
            Paragraph(_esc(chart.title), styles["h2"]),
            chart_drawing(chart),
            Paragraph(_esc(chart.desc), styles["small"]),
            Spacer(1, 6),
        ]
    )


def render_report(
    report: Report, viewer: User, filter_lines: list[tuple[str, str]], language: str = "id"
) -> bytes:
    register_fonts()
    # A drawing starts in the graphics default font (Helvetica: declared, never embedded) even
    # when each string names its own. Nothing else in the app draws graphics.
    rl_config.defaultGraphicsFontName = REGULAR
    styles = _styles()
    board = boards.build(report, viewer)
    h = report.headline
    story: list = [
        Spacer(1, 40 * mm),
        Paragraph(_esc(_("Laporan jangkauan dan hasil loka latih")), styles["title"]),
        Spacer(1, 8 * mm),
        Paragraph(_esc(_("Periode: %(period)s", period=_period(report))), styles["body"]),
        Paragraph(
            _esc(_("Dibuat: %(moment)s UTC", moment=f"{report.filters.as_of:%Y-%m-%d %H:%M}")),
            styles["body"],
        ),
        Spacer(1, 6 * mm),
        _table(
            [_("Filter"), _("Nilai")],
            [(name, _shorten(value)) for name, value in filter_lines],
            styles,
            [60 * mm, WIDTH - 60 * mm],
        ),
        Spacer(1, 6 * mm),
        Paragraph(
            _esc(
                _(
                    "Hanya loka latih yang sudah terlaksana dan sesi yang sudah dimulai yang "
                    "dihitung. Kelompok dengan kurang dari 5 peserta ditampilkan sebagai < 5."
                )
            ),
            styles["small"],
        ),
        PageBreak(),
        Paragraph(_esc(_("Ringkasan")), styles["h1"]),
        _table(
            [_("Ukuran"), _("Nilai")],
            exports.headline_rows(report),
            styles,
            [110 * mm, WIDTH - 110 * mm],
        ),  # fmt: skip
        Paragraph(_esc(_("Jangkauan")), styles["h1"]),
    ]
    for key in ("institution", "gender", "province"):
        story.append(_chart_block(board.charts[key], styles))
    map_fmt = boards.number
    story += [
        KeepTogether(
            [
                Paragraph(_esc(_("Peta provinsi: %(figure)s", figure=_("Peserta"))), styles["h2"]),
                map_drawing(board.map_cells, map_fmt),
            ]
        ),
        Paragraph(_esc(_("Kehadiran")), styles["h1"]),
        _chart_block(board.charts["funnel"], styles),
        Paragraph(_esc(_("Pembelajaran")), styles["h1"]),
        _chart_block(board.charts["topics"], styles),
        _chart_block(board.charts["gains"], styles),
        Paragraph(_esc(_("Sertifikat dan tren per bulan")), styles["h1"]),
        _chart_block(board.charts["trend_workshops"], styles),
        _chart_block(board.charts["trend_participants"], styles),
        _chart_block(board.charts["trend_certificates"], styles),
        PageBreak(),
        Paragraph(_esc(_("Tabel")), styles["h1"]),
    ]
    group_tables = [
        (_("Per provinsi"), [_("Provinsi")], report.provinces),
        (_("Per jenis instansi"), [_("Jenis instansi")], report.institution_types),
        (_("Per jenis kelamin"), [_("Jenis kelamin")], report.genders),
    ]
    for title, first, rows in group_tables:
        story += [
            Paragraph(_esc(title), styles["h2"]),
            _table(
                exports.group_header(first),
                [(exports.unknown(r.label),) + exports.group_cells(r) for r in rows],
                styles,
            ),
        ]
    story += [
        Paragraph(_esc(_("Cakupan kabupaten/kota")), styles["h2"]),
        Paragraph(
            _esc(
                _(
                    "%(n)s dari %(total)s kabupaten/kota sudah memiliki setidaknya satu peserta "
                    "terlatih.",
                    n=h.regencies,
                    total=514,
                )
            ),  # fmt: skip
            styles["body"],
        ),
        _table(
            [_("Provinsi"), _("Terjangkau"), _("Kabupaten/kota"), "%"],
            [(c.name, c.reached, c.total, boards.number(c.share)) for c in board.coverage],
            styles,
        ),
        PageBreak(),
        *pdf_outcomes.story(
            outcome_tables.gather(report.filters, viewer), styles, _table, _chart_block
        ),
        PageBreak(),
        Paragraph(_esc(_("Definisi")), styles["h1"]),
        _table(
            [_("Istilah"), _("Arti")],
            exports.term_definitions(),
            styles,
            [45 * mm, WIDTH - 45 * mm],
        ),  # fmt: skip
    ]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
        title=_("Laporan jangkauan dan hasil loka latih"),
        author="lokalatih",
        lang=language,
        # The canvas otherwise starts in Helvetica, a standard font declared but not embedded.
        initialFontName=REGULAR,
        initialFontSize=9,
    )
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()


def _period(report: Report) -> str:
    f = report.filters
    if not f.date_from and not f.date_to:
        return _("semua tanggal")
    start = f.date_from.isoformat() if f.date_from else "…"
    end = f.date_to.isoformat() if f.date_to else "…"
    return f"{start} – {end}"


def _footer(canvas, doc) -> None:
    canvas.saveState()
    canvas.setFont(REGULAR, 7)
    canvas.setFillColor(MUTED)
    canvas.drawString(18 * mm, 10 * mm, "lokalatih")
    canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, str(doc.page))
    canvas.restoreState()


def _shorten(value: str, limit: int = 200) -> str:
    """A filter value as typed in the URL can be any length; a table cell taller than the page
    stops ReportLab (LayoutError). No real filter value comes near the limit."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
