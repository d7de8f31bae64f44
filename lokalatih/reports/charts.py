"""Server-rendered SVG charts of the dashboard: horizontal bars, paired bars and columns.

Every builder returns a `Chart`: the data it drew (`rows`, the same numbers as the table beside
it; None is a suppressed group, drawn as "< 5" with no bar) and the markup, an <svg role="img">
with <title> and <desc>. Each bar carries `data-label` and `data-value` so tests can check the
chart against its table. The PDF report draws the same `rows` with ReportLab (`pdf_report`).
Colours are from the Okabe-Ito palette, distinct for colour-blind readers; pairs differ in
shade as well as hue, and every bar is labelled with its number.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

BLUE = "#0072B2"
VERMILLION = "#D55E00"
SKY = "#56B4E9"
INK = "#1c2430"
MUTED = "#4d5966"
AXIS = "#8a96a3"
SUPPRESSED = "< 5"
WIDTH = 360  # about a phone's width: text keeps ~12 px there
FONT = 14
ROW = 24  # height of one bar row
LABEL_W = 128


def plain(value: float | int) -> str:
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


@dataclass(frozen=True)
class Chart:
    id: str
    kind: str  # "bars", "paired" or "columns"
    title: str
    desc: str
    rows: list[tuple]  # (label, value) or (label, value_a, value_b); None = suppressed
    series: tuple[str, ...] = ()
    fmt: Callable[[float | int], str] = field(default=plain, compare=False)
    svg: Markup = field(default=Markup(""), compare=False)

    def values(self) -> dict[str, tuple]:
        return {row[0]: tuple(row[1:]) for row in self.rows}


def _short(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _open(chart_id: str, title: str, desc: str, height: float) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart-svg" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'font-family="system-ui, sans-serif" font-size="{FONT}" fill="{INK}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def _text(x: float, y: float, text: str, *, anchor: str = "start", fill: str = INK, size=None):
    # The defaults (start, and INK set on the <svg>) are left out: a dashboard draws hundreds of
    # these, and the page has to stay under 150 KB (issue 21).
    extra = "" if anchor == "start" else f' text-anchor="{anchor}"'
    extra += "" if fill == INK else f' fill="{fill}"'
    extra += f' font-size="{size}"' if size else ""
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(text)}</text>'


def _bar(x, y, w, h, fill, label, value, shown) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0.5):.1f}" height="{h:.1f}" fill="{fill}" '
        f'data-label="{escape(label)}" data-value="{escape(shown)}">'
        f"<title>{escape(label)}: {escape(shown)}</title></rect>"
    )


def _top(values: Sequence[float | int | None], maximum: float | None) -> float:
    shown = [v for v in values if v is not None]
    return maximum or max(shown, default=0) or 1


def bars(
    chart_id: str,
    title: str,
    desc: str,
    rows: Sequence[tuple[str, float | int | None]],
    *,
    fmt: Callable = plain,
    maximum: float | None = None,
    colour: str = BLUE,
) -> Chart:
    """Horizontal bars, one row per (label, value), in the given order."""
    top = _top([v for _, v in rows], maximum)
    span = WIDTH - LABEL_W - 62
    height = len(rows) * ROW + 8
    parts = _open(chart_id, title, desc, height)
    parts.append(f'<line x1="{LABEL_W}" y1="0" x2="{LABEL_W}" y2="{height}" stroke="{AXIS}"/>')
    for i, (label, value) in enumerate(rows):
        y = 4 + i * ROW
        parts.append(_text(LABEL_W - 6, y + 15, _short(label, 14), anchor="end"))
        if value is None:
            parts.append(_text(LABEL_W + 4, y + 15, SUPPRESSED, fill=MUTED))
            continue
        w = span * float(value) / top
        parts.append(_bar(LABEL_W, y + 2, w, ROW - 8, colour, label, value, fmt(value)))
        parts.append(_text(LABEL_W + w + 4, y + 15, fmt(value)))
    parts.append("</svg>")
    return Chart(chart_id, "bars", title, desc, list(rows), (), fmt, Markup("".join(parts)))  # noqa: S704 (every text escaped)


def paired(
    chart_id: str,
    title: str,
    desc: str,
    rows: Sequence[tuple[str, float | None, float | None]],
    series: tuple[str, str],
    *,
    fmt: Callable = plain,
    maximum: float | None = None,
) -> Chart:
    """Two bars per label (e.g. pre-test and post-test), with a legend."""
    top = _top([v for _, a, b in rows for v in (a, b)], maximum)
    span = WIDTH - LABEL_W - 62
    pair_h = 2 * ROW - 6
    height = 26 + len(rows) * (pair_h + 8)
    colours = (SKY, BLUE)
    parts = _open(chart_id, title, desc, height)
    for i, name in enumerate(series):  # legend
        x = LABEL_W + i * 110
        parts.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{colours[i]}"/>')
        parts.append(_text(x + 16, 14, name))
    parts.append(f'<line x1="{LABEL_W}" y1="22" x2="{LABEL_W}" y2="{height}" stroke="{AXIS}"/>')
    for i, (label, *values) in enumerate(rows):
        y = 26 + i * (pair_h + 8)
        parts.append(_text(LABEL_W - 6, y + pair_h / 2 + 4, _short(label, 14), anchor="end"))
        for j, value in enumerate(values):
            by = y + j * (pair_h / 2)
            if value is None:
                parts.append(_text(LABEL_W + 4, by + 12, SUPPRESSED, fill=MUTED))
                continue
            w = span * float(value) / top
            name = f"{label} ({series[j]})"
            parts.append(
                _bar(LABEL_W, by + 1, w, pair_h / 2 - 3, colours[j], name, value, fmt(value))
            )
            parts.append(_text(LABEL_W + w + 4, by + 13, fmt(value), size=13))
    parts.append("</svg>")
    return Chart(chart_id, "paired", title, desc, list(rows), series, fmt, Markup("".join(parts)))  # noqa: S704 (every text escaped)


def columns(
    chart_id: str,
    title: str,
    desc: str,
    rows: Sequence[tuple[str, float | int | None]],
    *,
    fmt: Callable = plain,
    colour: str = BLUE,
) -> Chart:
    """Vertical columns in order (a histogram or a monthly trend); labels thinned to fit."""
    top = _top([v for _, v in rows], None)
    base, plot_h = 150, 120
    n = max(len(rows), 1)
    slot = (WIDTH - 20) / n
    every = math.ceil(52 / slot) if slot < 52 else 1
    parts = _open(chart_id, title, desc, base + 22)
    parts.append(f'<line x1="10" y1="{base}" x2="{WIDTH - 10}" y2="{base}" stroke="{AXIS}"/>')
    for i, (label, value) in enumerate(rows):
        x = 10 + i * slot
        if i % every == 0:
            parts.append(_text(x + slot / 2, base + 16, label, anchor="middle", size=12))
        if value is None:
            parts.append(_text(x + slot / 2, base - 4, SUPPRESSED, anchor="middle", size=12))
            continue
        h = plot_h * float(value) / top
        gap = min(4, slot * 0.15)
        parts.append(_bar(x + gap, base - h, slot - 2 * gap, h, colour, label, value, fmt(value)))
        if slot >= 22:
            size = 12 if slot >= 30 else 10
            parts.append(_text(x + slot / 2, base - h - 4, fmt(value), anchor="middle", size=size))
    parts.append("</svg>")
    return Chart(chart_id, "columns", title, desc, list(rows), (), fmt, Markup("".join(parts)))  # noqa: S704 (every text escaped)
