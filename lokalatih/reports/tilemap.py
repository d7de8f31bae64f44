"""A tile map of Indonesia's 38 provinces: one square per province, keyed by its Kemendagri code,
laid out roughly where it lies (Sumatra west, Papua east, Java and Nusa Tenggara south). Drawn
on the server as SVG, coloured by the chosen figure in five shades of one hue (readable for
colour-blind readers and in greyscale), with the number written on the tile; a suppressed
province shows "< 5" on a hatched tile. The same numbers are in the table beside it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup, escape

# code: (column, row, short name)
TILES: dict[str, tuple[int, int, str]] = {
    "11": (0, 0, "Aceh"), "12": (1, 1, "Sumut"), "13": (1, 2, "Sumbar"), "14": (2, 1, "Riau"),
    "21": (3, 0, "Kepri"), "15": (2, 2, "Jambi"), "19": (3, 2, "Babel"), "17": (1, 3, "Bengkulu"),
    "16": (2, 3, "Sumsel"), "18": (2, 4, "Lampung"),
    "31": (4, 4, "DKI"), "36": (3, 5, "Banten"), "32": (4, 5, "Jabar"), "33": (5, 5, "Jateng"),
    "34": (5, 6, "DIY"), "35": (6, 5, "Jatim"), "51": (7, 5, "Bali"), "52": (8, 5, "NTB"),
    "53": (9, 5, "NTT"),
    "61": (5, 1, "Kalbar"), "65": (6, 0, "Kaltara"), "64": (6, 1, "Kaltim"),
    "62": (5, 2, "Kalteng"), "63": (6, 2, "Kalsel"),
    "75": (8, 0, "Gorontalo"), "71": (9, 0, "Sulut"), "76": (7, 1, "Sulbar"),
    "72": (8, 1, "Sulteng"),
    "73": (7, 2, "Sulsel"), "74": (8, 2, "Sultra"),
    "82": (10, 0, "Malut"), "81": (10, 2, "Maluku"),
    "96": (11, 1, "PBD"), "92": (12, 1, "Pabar"), "91": (13, 1, "Papua"),
    "94": (12, 2, "Pateng"), "95": (13, 2, "Papeg"), "93": (13, 3, "Papsel"),
}  # fmt: skip
SHADES = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")  # ColorBrewer Blues
EMPTY = "#ffffff"
TILE = 50
GAP = 3
COLUMNS, ROWS = 14, 7


@dataclass(frozen=True)
class MapCell:
    code: str
    name: str
    value: float | int | None  # None: suppressed (< 5) or no data
    suppressed: bool = False


def shade(value: float, top: float) -> int:
    """Index into SHADES: five equal steps of the largest value."""
    if top <= 0:
        return 0
    return min(4, int(5 * value / top)) if value < top else 4


def render(map_id: str, title: str, desc: str, cells: list[MapCell], fmt: Callable = str) -> Markup:
    top = max((float(c.value) for c in cells if c.value is not None), default=0)
    width, height = COLUMNS * (TILE + GAP), ROWS * (TILE + GAP) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="tilemap" '
        f'aria-labelledby="{map_id}-title {map_id}-desc" viewBox="0 0 {width} {height}" '
        f'font-family="system-ui, sans-serif" font-size="10">',
        f'<title id="{map_id}-title">{escape(title)}</title>',
        f'<desc id="{map_id}-desc">{escape(desc)}</desc>',
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f0f0f0"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#b0b0b0" stroke-width="2"/></pattern></defs>',
    ]
    for cell in cells:
        if cell.code not in TILES:
            continue
        col, row, short = TILES[cell.code]
        x, y = col * (TILE + GAP), row * (TILE + GAP)
        if cell.suppressed:
            fill, ink, shown = "url(#hatch)", "#1c2430", "< 5"
        elif cell.value is None or float(cell.value) == 0:
            fill, ink, shown = EMPTY, "#4d5966", "–" if cell.value is None else fmt(cell.value)
        else:
            step = shade(float(cell.value), top)
            fill, ink, shown = SHADES[step], "#ffffff" if step >= 3 else "#1c2430", fmt(cell.value)
        # The texts take their anchor and colour from the group (a lighter page, issue 21).
        parts.append(
            f'<g data-code="{cell.code}" data-value="{escape(shown)}" text-anchor="middle" '
            f'fill="{ink}"><title>{escape(cell.name)}: {escape(shown)}</title>'
            f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" rx="3" fill="{fill}" '
            f'stroke="#8a96a3"/>'
            f'<text x="{x + TILE / 2}" y="{y + 18}">{escape(short)}</text>'
            f'<text x="{x + TILE / 2}" y="{y + 36}" font-size="12" font-weight="700">'
            f"{escape(shown)}</text></g>"
        )
    # legend: the five shades with their lower bounds
    y = ROWS * (TILE + GAP) + 6
    for i, colour in enumerate(SHADES):
        x = i * 90
        step = top * i / 5
        whole = all(isinstance(c.value, int) for c in cells if c.value is not None)
        low = fmt(math.ceil(step) if whole else round(step, 1))
        parts.append(
            f'<rect x="{x}" y="{y}" width="16" height="14" fill="{colour}" stroke="#8a96a3"/>'
        )
        parts.append(f'<text x="{x + 20}" y="{y + 11}" fill="#1c2430">≥ {escape(low)}</text>')
    parts.append(
        f'<rect x="460" y="{y}" width="16" height="14" fill="url(#hatch)" stroke="#8a96a3"/>'
        f'<text x="480" y="{y + 11}" fill="#1c2430">&lt; 5</text></svg>'
    )
    return Markup("".join(parts))  # noqa: S704 (every text escaped)
