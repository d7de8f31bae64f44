"""The transcript PDF: one A4 portrait page, drawn with ReportLab from plain data, in the same
embedded fonts as certificates (DejaVu Sans, subsets). Knows nothing of Flask or the database:
every string arrives translated and formatted (see `documents.build_content`)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from ..certificates.pdf import ACCENT, BOLD, INK, MUTED, REGULAR, fit_text, register_fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 48
WIDTH = PAGE_WIDTH - 2 * MARGIN
BOTTOM = 64  # room for the footer
LINE = 1.25
ROW_HEIGHT = 8.5 * LINE * 2 + 4  # a table row of two lines
MAX_YEAR_ROWS = 6  # the newest years; the XLSX has them all


@dataclass(frozen=True)
class TranscriptContent:
    """Everything printed on the transcript, already translated and formatted."""

    heading: str  # "TRANSKRIP JAM PELAJARAN (JP)"
    name: str
    institution: str
    generated_line: str  # "Dibuat 6 Desember 2026"
    workshops_heading: str
    workshop_header: tuple[str, str, str, str]  # workshop, dates, JP attended, certificate
    workshop_rows: tuple[tuple[str, str, str, str], ...]
    empty_line: str
    # "… and %(count)s more workshops (see the XLSX)": translated, not yet formatted (only the
    # drawing knows how many did not fit); shown only when rows are cut.
    more_line: str
    years_heading: str
    year_header: tuple[str, str, str, str]  # year, JP attended, target, status
    year_rows: tuple[tuple[str, str, str, str], ...]
    total_line: str
    note: str  # which rule the target comes from
    footer: str
    document_title: str
    language: str = "id"


# Column widths as shares of the text width.
WORKSHOP_COLUMNS = (0.42, 0.26, 0.12, 0.20)
YEAR_COLUMNS = (0.16, 0.22, 0.22, 0.40)


def _wrap(text: str, font: str, size: float, width: float, max_lines: int) -> list[str]:
    lines, _size = fit_text(text, font, (size, size, size), width - 6, max_lines)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip() + "…"
    return lines


def _row(canvas: Canvas, y: float, cells, shares, font: str, size: float, max_lines: int) -> float:
    """Draw one table row from baseline `y`; returns the y below it."""
    x = MARGIN
    tallest = 1
    for text, share in zip(cells, shares, strict=True):
        lines = _wrap(text, font, size, WIDTH * share, max_lines)
        canvas.setFont(font, size)
        for index, line in enumerate(lines):
            canvas.drawString(x, y - index * size * LINE, line)
        tallest = max(tallest, len(lines))
        x += WIDTH * share
    return y - tallest * size * LINE - 4


def _rule(canvas: Canvas, y: float) -> None:
    canvas.setStrokeColor(MUTED)
    canvas.setLineWidth(0.4)
    canvas.line(MARGIN, y, PAGE_WIDTH - MARGIN, y)


def render_transcript(content: TranscriptContent, max_workshop_rows: int = 40) -> bytes:
    """The transcript as the bytes of a one-page PDF. When the workshops do not fit (or pass
    `max_workshop_rows`), the list stops with `more_line` (the XLSX has them all)."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=A4,
        pageCompression=1,
        lang=content.language,
        initialFontName=REGULAR,  # no unembedded Helvetica in the resources (see certificates)
        initialFontSize=10,
    )
    canvas.setTitle(content.document_title)
    canvas.setAuthor("lokalatih")
    canvas.setFillColor(ACCENT)
    canvas.setFont(BOLD, 16)
    y = PAGE_HEIGHT - MARGIN - 8
    canvas.drawString(MARGIN, y, content.heading)
    canvas.setFillColor(INK)
    y -= 26
    lines, size = fit_text(content.name, BOLD, (14, 10, 9), WIDTH, 2)
    canvas.setFont(BOLD, size)
    for line in lines:
        canvas.drawString(MARGIN, y, line)
        y -= size * LINE
    canvas.setFont(REGULAR, 10)
    if content.institution:
        canvas.drawString(
            MARGIN, y, fit_text(content.institution, REGULAR, (10, 7, 7), WIDTH, 1)[0][0]
        )
        y -= 14
    canvas.setFillColor(MUTED)
    canvas.drawString(MARGIN, y, content.generated_line)
    canvas.setFillColor(INK)
    y -= 26

    canvas.setFont(BOLD, 11)
    canvas.drawString(MARGIN, y, content.workshops_heading)
    y -= 16
    y = _row(canvas, y, content.workshop_header, WORKSHOP_COLUMNS, BOLD, 8.5, 2)
    _rule(canvas, y + 8.5)
    rows = content.workshop_rows
    if not rows:
        canvas.setFont(REGULAR, 9)
        canvas.drawString(MARGIN, y, content.empty_line)
        y -= 14
    year_rows = content.year_rows[:MAX_YEAR_ROWS]
    # What the years table, the total and the note need below the list.
    reserved = BOTTOM + 110 + len(year_rows) * ROW_HEIGHT
    shown = 0
    for row in rows:
        if shown >= max_workshop_rows or y - 2 * ROW_HEIGHT < reserved:
            break
        y = _row(canvas, y, row, WORKSHOP_COLUMNS, REGULAR, 8.5, 2)
        shown += 1
    if len(rows) > shown:
        canvas.setFont(REGULAR, 8.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, y, content.more_line % {"count": len(rows) - shown})
        canvas.setFillColor(INK)
        y -= 14
    y -= 14

    canvas.setFont(BOLD, 11)
    canvas.drawString(MARGIN, y, content.years_heading)
    y -= 16
    y = _row(canvas, y, content.year_header, YEAR_COLUMNS, BOLD, 8.5, 2)
    _rule(canvas, y + 8.5)
    for row in year_rows:
        y = _row(canvas, y, row, YEAR_COLUMNS, REGULAR, 8.5, 2)
    y -= 6
    canvas.setFont(BOLD, 9.5)
    canvas.drawString(MARGIN, y, content.total_line)
    y -= 18
    canvas.setFont(REGULAR, 8)
    canvas.setFillColor(MUTED)
    for line in fit_text(content.note, REGULAR, (8, 8, 7), WIDTH, 3)[0]:
        canvas.drawString(MARGIN, y, line)
        y -= 10

    canvas.setFont(REGULAR, 7.5)
    canvas.drawString(MARGIN, BOTTOM - 24, content.footer)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
