"""The SVG chart builders and the province tile map, without a database."""

from __future__ import annotations

import csv
import re

from lokalatih.regions import DATA_DIR
from lokalatih.reports import charts, tilemap


def test_bars_draw_one_bar_per_shown_value_and_under_five_without_a_bar():
    chart = charts.bars("c", "Judul", "Keterangan", [("A", 12), ("B", None), ("C", 5)])

    svg = str(chart.svg)
    assert re.findall(r'data-label="([^"]+)" data-value="([^"]+)"', svg) == [
        ("A", "12"),
        ("C", "5"),
    ]
    assert "&lt; 5" in svg
    assert (
        '<title id="c-title">Judul</title>' in svg and '<desc id="c-desc">Keterangan</desc>' in svg
    )
    assert 'role="img"' in svg and 'aria-labelledby="c-title c-desc"' in svg
    widths = [float(w) for w in re.findall(r'<rect x="[^"]+" y="[^"]+" width="([^"]+)"', svg)]
    assert widths[0] > widths[1]  # bars are proportional to their values


def test_labels_are_escaped():
    chart = charts.bars("c", "<b>", "d", [("<script>", 7)])

    assert "<script>" not in str(chart.svg) and "&lt;script&gt;" in str(chart.svg)


def test_paired_bars_carry_both_series():
    chart = charts.paired("p", "t", "d", [("HAM", 40.0, 80.0)], ("Pra", "Pasca"))

    svg = str(chart.svg)
    assert 'data-label="HAM (Pra)" data-value="40.0"' in svg
    assert 'data-label="HAM (Pasca)" data-value="80.0"' in svg


def test_tile_map_has_a_tile_for_each_of_the_38_provinces():
    with open(DATA_DIR / "provinces.csv", encoding="utf-8") as handle:
        codes = {row["code"] for row in csv.DictReader(handle)}
    places = [(col, row) for col, row, _ in tilemap.TILES.values()]

    assert set(tilemap.TILES) == codes and len(codes) == 38
    assert len(set(places)) == 38  # no two provinces on one tile
    assert all(0 <= c < tilemap.COLUMNS and 0 <= r < tilemap.ROWS for c, r in places)


def test_tile_map_hatches_suppressed_provinces_and_shades_by_value():
    cells = [
        tilemap.MapCell("31", "DKI", 100),
        tilemap.MapCell("32", "Jabar", 10),
        tilemap.MapCell("33", "Jateng", None, suppressed=True),
    ]

    svg = str(tilemap.render("m", "t", "d", cells))

    assert 'data-code="33" data-value="&lt; 5"' in svg
    assert 'fill="url(#hatch)"' in svg
    assert tilemap.SHADES[4] in svg and tilemap.SHADES[0] in svg
