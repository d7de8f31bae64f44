"""The dashboard's XLSX as a reviewer's office suite reads it: LibreOffice Calc (installed by
`make test`, scripts/ensure-libreoffice.sh) converts every sheet, and the numbers are the page's."""

from __future__ import annotations

from tests.office import xlsx_to_csv

from .test_pages import _figure


def test_libreoffice_converts_every_sheet_and_its_numbers_match_the_page(
    dataset, login_as, client, tmp_path
):
    login_as(dataset.reviewer)
    html = client.get("/laporan").get_data(as_text=True)
    xlsx = tmp_path / "laporan.xlsx"
    xlsx.write_bytes(client.get("/laporan.xlsx").data)

    sheets = xlsx_to_csv(xlsx, tmp_path)

    assert {"Ringkasan", "Per provinsi", "Definisi dan filter", "Peserta (pseudonim)"} <= set(
        sheets
    ), sorted(sheets)
    summary = {row[0]: row[1] for row in sheets["Ringkasan"] if len(row) > 1}
    assert summary["Peserta (orang, pendaftaran terkonfirmasi)"] == _figure(html, "participants")
    assert summary["Loka latih terlaksana"] == _figure(html, "workshops")
    for label, figure in (("Rata-rata pra-tes", "mean_pre"), ("Rata-rata pasca-tes", "mean_post")):
        assert float(summary[label]) == float(_figure(html, figure).replace(",", "."))
    provinces = {row[0]: row for row in sheets["Per provinsi"][1:]}
    assert provinces["31"][1:3] == ["Daerah Khusus Ibukota Jakarta", "6"]
    assert len(sheets["Peserta (pseudonim)"]) == 1 + int(_figure(html, "participants"))
