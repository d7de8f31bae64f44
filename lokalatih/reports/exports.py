"""The dashboard as XLSX (one sheet per table) and as a ZIP of CSV files."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from .. import spreadsheets
from ..labels import GENDER_LABELS, INSTITUTION_TYPE_LABELS
from ..models import Gender, InstitutionType, RegistrationStatus
from ..regions import read_region_rows
from .figures import GroupRow
from .services import ParticipantRow, Report

SUPPRESSED = "< 5"


@dataclass
class Table:
    key: str  # file name of the CSV
    title: str  # sheet name (at most 31 characters)
    header: list[str]
    rows: list[tuple]


def status_label(status: str) -> str:
    return {
        RegistrationStatus.PENDING: _("Menunggu persetujuan"),
        RegistrationStatus.CONFIRMED: _("Terkonfirmasi"),
        RegistrationStatus.WAITLISTED: _("Daftar tunggu"),
        RegistrationStatus.REJECTED: _("Ditolak"),
        RegistrationStatus.CANCELLED: _("Dibatalkan"),
    }[RegistrationStatus(status)]


def _round(value: float | None, digits: int = 1) -> float | None:
    return round(value, digits) if value is not None else None


def headline_rows(report: Report) -> list[tuple]:
    h = report.headline
    rows = [
        (_("Loka latih terlaksana"), h.workshops_held),
        (_("Peserta (orang, pendaftaran terkonfirmasi)"), h.participants),
        (_("Provinsi terjangkau (dari 38)"), h.provinces),
        (_("Kabupaten/kota terjangkau (dari 514)"), h.regencies),
        (_("Tingkat kehadiran (%)"), _round(h.attendance_rate)),
        (_("Sertifikat terbit (berlaku)"), h.certificates),
        (_("Pasangan pra-tes dan pasca-tes"), h.pairs),
        (_("Rata-rata pra-tes"), _round(h.mean_pre)),
        (_("Rata-rata pasca-tes"), _round(h.mean_post)),
        (_("Rata-rata gain ternormalisasi"), _round(h.mean_gain, 2)),
        (_("Peserta yang nilainya naik (%)"), _round(h.improved_share)),
    ]
    rows += [
        (_("Pendaftaran: %(status)s", status=status_label(s)), n)
        for s, n in h.registrations.items()
    ]
    return rows


def group_header(first: list[str]) -> list[str]:
    return first + [
        _("Peserta"),
        _("Pendaftaran"),
        _("Kehadiran (%)"),
        _("Sertifikat"),
        _("Pasangan"),
        _("Rata-rata pra"),
        _("Rata-rata pasca"),
        _("Gain (g)"),
    ]


def group_cells(row: GroupRow) -> tuple:
    if row.suppressed:
        return (SUPPRESSED,) * 8
    return (
        row.participants,
        row.registrations,
        _round(row.attendance_rate),
        row.certificates,
        row.pairs,
        _round(row.mean_pre),
        _round(row.mean_post),
        _round(row.mean_gain, 2),
    )


def region_name(code: str | None) -> str:
    """The official name of a province or kabupaten/kota code (the exports show no codes)."""
    names = {row.code: row.name for row in read_region_rows()}
    return names.get(code, code) if code else unknown(None)


def institution_label(value: str | None) -> str:
    return str(INSTITUTION_TYPE_LABELS[InstitutionType(value)]) if value else unknown(None)


def gender_label(value: str | None) -> str:
    return str(GENDER_LABELS[Gender(value)]) if value else unknown(None)


def unknown(label: str | None) -> str:
    return label if label else _("Tidak diisi")


def tables(
    report: Report,
    participants: list[ParticipantRow] | None = None,
    outcome_tables: list[Table] | None = None,
) -> list[Table]:
    """The dashboard's tables; `outcome_tables` (reports.outcome_tables) go before the
    participants' sheet."""
    result = [
        Table("ringkasan", _("Ringkasan"), [_("Ukuran"), _("Nilai")], headline_rows(report)),
        Table(
            "provinsi",
            _("Per provinsi"),
            group_header([_("Kode"), _("Provinsi")]),
            [(r.code or "", unknown(r.label)) + group_cells(r) for r in report.provinces],
        ),
        Table(
            "kabupaten_kota",
            _("Per kabupaten-kota"),
            group_header([_("Kode"), _("Kabupaten/kota")]),
            [(r.code or "", unknown(r.label)) + group_cells(r) for r in report.regencies],
        ),
        Table(
            "jenis_instansi",
            _("Per jenis instansi"),
            group_header([_("Jenis instansi")]),
            [(unknown(r.label),) + group_cells(r) for r in report.institution_types],
        ),
        Table(
            "jenis_kelamin",
            _("Per jenis kelamin"),
            group_header([_("Jenis kelamin")]),
            [(unknown(r.label),) + group_cells(r) for r in report.genders],
        ),
        Table(
            "topik",
            _("Per topik"),
            [_("Topik"), _("Peserta"), _("Jawaban pra"), _("Benar pra (%)")]
            + [_("Jawaban pasca"), _("Benar pasca (%)")],
            [
                (t.topic,) + (SUPPRESSED,) * 5
                if t.suppressed
                else (t.topic, t.participants, t.pre_answers, _round(t.pre_correct))
                + (t.post_answers, _round(t.post_correct))
                for t in report.topics
            ],
        ),
    ]
    result += outcome_tables or []
    if participants is not None:
        result.append(
            Table(
                "peserta",
                _("Peserta (pseudonim)"),
                [_("ID pseudonim"), _("Provinsi"), _("Kabupaten/kota"), _("Jenis instansi")]
                + [_("Jenis kelamin"), _("Sesi dihadiri"), _("Jumlah sesi"), _("Pra"), _("Pasca")],
                [
                    (p.pseudonym, region_name(p.province), region_name(p.regency))
                    + (institution_label(p.institution_type), gender_label(p.gender))
                    + (p.attended, p.sessions, _round(p.pre), _round(p.post))
                    for p in participants
                ],
            )
        )
    return result


def term_definitions() -> list[tuple[str, str]]:
    """What each figure counts: shown on the page, in the exports and in docs/REPORTS.md."""
    return [
        (
            _("Cakupan"),
            _(
                "Semua angka hanya menghitung loka latih yang terlaksana. Pendaftaran pada loka "
                "latih draf, dibatalkan, yang belum dimulai, atau yang tanggalnya lewat tanpa "
                "pernah dijalankan tidak dihitung."
            ),
        ),
        (
            _("Loka latih terlaksana"),
            _(
                "Berstatus berlangsung, selesai, atau diarsipkan, dan setidaknya satu sesinya "
                "sudah dimulai."
            ),
        ),
        (_("Peserta"), _("Orang berbeda dengan pendaftaran terkonfirmasi.")),
        (
            _("Wilayah terjangkau"),
            _("Provinsi dan kabupaten/kota berbeda dari profil peserta terkonfirmasi."),
        ),
        (
            _("Tingkat kehadiran"),
            _(
                "Check-in pada sesi yang sudah dimulai ÷ (pendaftaran terkonfirmasi × jumlah "
                "sesi loka latihnya yang sudah dimulai). Sesi yang belum dimulai tidak dihitung "
                "hadir maupun absen."
            ),
        ),
        (_("Sertifikat"), _("Sertifikat yang terbit dan tidak dicabut.")),
        (
            _("Pasangan"),
            _(
                "Pendaftaran dengan pra-tes dan pasca-tes yang sudah dikirim; "
                "rata-rata nilai dihitung atas pasangan."
            ),
        ),
        (
            _("Gain ternormalisasi (g)"),
            _("(pasca − pra) / (100 − pra), dirata-ratakan atas pasangan dengan nilai pra < 100."),
        ),
        (_("Meningkat"), _("Persentase pasangan yang nilai pasca-tesnya lebih tinggi.")),
        (
            _("< 5"),
            _("Kelompok dengan kurang dari 5 peserta berbeda tidak ditampilkan angkanya."),
        ),
        (
            _("Evaluasi reaksi"),
            _(
                "Pernyataan baku (skala 1–5) dari loka latih yang evaluasinya sudah ditutup "
                "dengan sedikitnya 5 jawaban. Jawaban tanpa nama, jadi filter wilayah, instansi "
                "dan jenis kelamin tidak berlaku. Butir dengan kurang dari 5 jawaban tidak "
                "ditampilkan."
            ),
        ),
        (
            _("Aksi jatuh tempo"),
            _("Aksi yang waktu tindak lanjutnya sudah tiba (hari setelah sesi terakhir)."),
        ),
        (
            _("Tingkat tindak lanjut"),
            _("Aksi yang sudah dilaporkan dibagi aksi jatuh tempo."),
        ),
        (
            _("Status rencana aksi (%)"),
            _(
                "Bagian tiap status (selesai, sedang berjalan, belum dimulai, dibatalkan) dari "
                "aksi yang statusnya sudah dilaporkan."
            ),
        ),
        (
            _("JP diberikan"),
            _(
                "Jam pelajaran (1 JP = 45 menit) dari sesi yang dihadiri peserta terkonfirmasi, "
                "menurut provinsi dan jenis instansi pada profil peserta."
            ),
        ),
        (
            _("Tema KKPHAM"),
            _(
                "Loka latih mencakup sebuah tema bila loka latih itu atau salah satu sesinya "
                "ditandai dengan tema tersebut. Jawaban benar dihitung dari soal yang ditandai "
                "dengan tema. Selisih: benar pasca-tes dikurangi benar pra-tes, dalam poin "
                "persentase."
            ),
        ),
        (
            _("ID pseudonim"),
            _("HMAC-SHA256 dari ID pengguna dengan kunci rahasia aplikasi, 10 digit heksadesimal."),
        ),
    ]


def definitions(filter_lines: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return filter_lines + term_definitions()


def export_xlsx(all_tables: list[Table], definition_rows: list[tuple[str, str]]) -> bytes:
    sheets = [spreadsheets.Sheet(table.title, table.header, table.rows) for table in all_tables]
    definitions_sheet = [_("Istilah"), _("Arti")]
    sheets.append(spreadsheets.Sheet(_("Definisi dan filter"), definitions_sheet, definition_rows))
    return spreadsheets.xlsx_bytes(sheets)


def export_csv(all_tables: list[Table], definition_rows: list[tuple[str, str]]) -> bytes:
    """One CSV file: each table under a line with its title, tables separated by a blank line."""
    definitions_table = Table("definisi", _("Definisi dan filter"), [_("Istilah"), _("Arti")], [])
    definitions_table.rows = definition_rows
    lines: list = []
    for table in all_tables + [definitions_table]:
        lines += [[table.title], table.header, *table.rows, []]
    return spreadsheets.csv_bytes(lines)
