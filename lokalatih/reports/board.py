"""The dashboard's charts and map, built from one `Report` plus the `series` statements. Used by
the page and by the PDF report, so both show the same numbers. No request is read here."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from babel.numbers import get_decimal_symbol, get_group_symbol
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from ..models import User
from . import charts, series, tilemap
from .figures import MIN_GROUP, GroupRow
from .services import Report

MAP_FIGURES = {
    "participants": _l("Peserta"),
    "attendance": _l("Tingkat kehadiran (%)"),
    "certificates": _l("Sertifikat"),
    "gain": _l("Rata-rata gain (g)"),
    "coverage": _l("Kabupaten/kota terjangkau (%)"),
}


@functools.cache
def _symbols_of(locale: str) -> tuple[str, str]:
    return get_group_symbol(locale), get_decimal_symbol(locale)


def _symbols() -> tuple[str, str]:
    # babel looks the symbols up anew on each call (60 µs): once per locale is enough.
    return _symbols_of(str(get_locale()))


def _localized(text: str) -> str:
    """Swap Python's ',' and '.' for the locale's group and decimal symbols: babel's
    format_decimal parses its pattern on every call, a millisecond each on a table of 514 rows."""
    group, decimal = _symbols()
    return text.replace(",", "\0").replace(".", decimal).replace("\0", group)


def number(value) -> str:
    """1234 -> '1.234', 66.7 -> '66,7' in Indonesian (the locale's separators)."""
    if isinstance(value, float):
        return _localized(f"{value:,.1f}")
    return _localized(f"{value:,}")


def decimal(value: float | None, digits: int = 1) -> str:
    """As the `quiz_number` filter (None -> '–'), for the dashboard's many cells."""
    if value is None:
        return "–"
    return _localized(f"{value:,.{digits}f}")


def gain_text(value) -> str:
    return decimal(value, 2)


@dataclass
class Board:
    charts: dict[str, charts.Chart]
    trend: list[series.MonthRow]
    gains: list[series.GainBin]
    coverage: list[series.Coverage]
    map_figure: str
    map_svg: Markup
    map_cells: list[tilemap.MapCell]


def _shown(rows: list[GroupRow], label=None) -> list[tuple[str, int | None]]:
    return [((r.label or _("Tidak diisi")), None if r.suppressed else r.participants) for r in rows]


def _map_cells(report: Report, coverage: list[series.Coverage], figure: str):
    by_code = {r.code: r for r in report.provinces if r.code}
    shares = {c.code: c.share for c in coverage}
    cells = []
    for code, name in ((c.code, c.name) for c in coverage):
        row = by_code.get(code)
        if figure == "coverage":
            cells.append(tilemap.MapCell(code, name, round(shares.get(code, 0.0), 1)))
        elif row is None:
            cells.append(tilemap.MapCell(code, name, 0 if figure != "gain" else None))
        elif row.suppressed:
            cells.append(tilemap.MapCell(code, name, None, suppressed=True))
        else:
            value = {
                "participants": row.participants,
                "attendance": round(row.attendance_rate, 1)
                if row.attendance_rate is not None
                else None,
                "certificates": row.certificates,
                "gain": round(row.mean_gain, 2) if row.mean_gain is not None else None,
            }[figure]
            cells.append(tilemap.MapCell(code, name, value))
    return cells


def funnel_steps(report: Report) -> list[tuple[str, int | None]]:
    h = report.headline
    hidden = 0 < h.participants < MIN_GROUP
    steps = [
        (_("Mendaftar"), sum(h.registrations.values())),
        (_("Terkonfirmasi"), h.registrations.get("confirmed", 0)),
        (_("Hadir"), h.attended),
        (_("Bersertifikat"), h.certified),
    ]
    return [(label, None if hidden else value) for label, value in steps]


def build(report: Report, viewer: User, map_figure: str = "participants") -> Board:
    filters = report.filters
    figure = map_figure if map_figure in MAP_FIGURES else "participants"
    trend = series.trend(filters, viewer)
    gains = series.gain_distribution(filters, viewer)
    reached = {r.code for r in report.regencies if r.code and r.participants > 0}
    coverage = series.coverage(reached)
    fmt_gain = gain_text
    found = {
        "institution": charts.bars(
            "chart-institution",
            _("Peserta per jenis instansi"),
            _("Jumlah peserta menurut jenis instansi; angka yang sama ada di tabel."),
            _shown(report.institution_types),
            fmt=number,
        ),
        "gender": charts.bars(
            "chart-gender",
            _("Peserta per jenis kelamin"),
            _("Jumlah peserta menurut jenis kelamin; angka yang sama ada di tabel."),
            _shown(report.genders),
            fmt=number,
        ),
        "province": charts.bars(
            "chart-province",
            _("Peserta per provinsi"),
            _("Peringkat provinsi menurut jumlah peserta; angka yang sama ada di tabel."),
            _shown(report.provinces),
            fmt=number,
        ),
        "funnel": charts.bars(
            "chart-funnel",
            _("Alur kehadiran"),
            _("Pendaftaran: mendaftar, terkonfirmasi, hadir setidaknya satu sesi, bersertifikat."),
            funnel_steps(report),
            fmt=number,
        ),
        "topics": charts.paired(
            "chart-topics",
            _("Jawaban benar per topik: pra-tes dan pasca-tes (%)"),
            _("Persentase jawaban benar per topik soal, pra-tes dibandingkan pasca-tes."),
            [
                (t.topic, None, None)
                if t.suppressed
                else (t.topic, _round(t.pre_correct), _round(t.post_correct))
                for t in report.topics
            ],
            (_("Pra-tes"), _("Pasca-tes")),
            fmt=number,
            maximum=100,
        ),
        "gains": charts.columns(
            "chart-gains",
            _("Sebaran gain ternormalisasi (g)"),
            _("Jumlah pasangan pra/pasca-tes per rentang gain."),
            [(gain_label(b), b.pairs) for b in gains],
            fmt=number,
        ),
        "trend_workshops": charts.columns(
            "chart-trend-workshops",
            _("Loka latih terlaksana per bulan"),
            _("Menurut bulan tanggal mulai loka latih."),
            [(m.month, m.workshops) for m in trend],
            fmt=number,
        ),
        "trend_participants": charts.columns(
            "chart-trend-participants",
            _("Peserta per bulan"),
            _("Peserta berbeda per bulan tanggal mulai loka latih."),
            [(m.month, m.participants) for m in trend],
            fmt=number,
            colour=charts.VERMILLION,
        ),
        "trend_certificates": charts.columns(
            "chart-trend-certificates",
            _("Sertifikat per bulan"),
            _("Sertifikat terbit per bulan tanggal mulai loka latih."),
            [(m.month, m.certificates) for m in trend],
            fmt=number,
        ),
    }
    cells = _map_cells(report, coverage, figure)
    fmt = fmt_gain if figure == "gain" else number
    svg = tilemap.render(
        "map",
        _("Peta provinsi: %(figure)s", figure=MAP_FIGURES[figure]),
        _(
            "Satu petak per provinsi, diletakkan kira-kira sesuai letaknya; "
            "angka yang sama ada di tabel."
        ),
        cells,
        fmt,
    )
    return Board(found, trend, gains, coverage, figure, svg, cells)


def gain_label(b: series.GainBin) -> str:
    if b.low < 0:
        return "< 0"
    return f"{_short_decimal(b.low)}–{_short_decimal(b.high)}"


def _short_decimal(value: float) -> str:
    return format_decimal(value, format="0.#")


def _round(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None
