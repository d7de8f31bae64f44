"""The dashboard's XLSX as a reviewer's office suite reads it: LibreOffice Calc (installed by
`make test`, scripts/ensure-libreoffice.sh) converts every sheet, and the numbers are the page's."""

from __future__ import annotations

import csv
import shutil
import subprocess

from .test_pages import _figure

# CSV filter options: comma, double quote, UTF-8, from line 1, ..., and -1 = every sheet to its
# own file (LibreOffice >= 7.2), named <file>-<sheet>.csv.
EVERY_SHEET_AS_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def _convert(xlsx_path, out_dir) -> dict[str, list[list[str]]]:
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice is missing: run `make office-deps`"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{out_dir}/profile", "--headless", "--norestore",
         "--convert-to", EVERY_SHEET_AS_CSV, "--outdir", str(out_dir), str(xlsx_path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    sheets = {}
    for path in out_dir.glob(f"{xlsx_path.stem}-*.csv"):
        with path.open(encoding="utf-8") as handle:
            sheets[path.stem.removeprefix(f"{xlsx_path.stem}-")] = list(csv.reader(handle))
    return sheets


def test_libreoffice_converts_every_sheet_and_its_numbers_match_the_page(
    dataset, login_as, client, tmp_path
):
    login_as(dataset.reviewer)
    html = client.get("/laporan").get_data(as_text=True)
    xlsx = tmp_path / "laporan.xlsx"
    xlsx.write_bytes(client.get("/laporan.xlsx").data)

    sheets = _convert(xlsx, tmp_path)

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
