"""LibreOffice Calc, headless, as a reviewer's office suite reads our XLSX files (installed by
`make test`, scripts/ensure-libreoffice.sh)."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

# CSV filter options: comma, double quote, UTF-8, from line 1, ..., and -1 = every sheet to its
# own file (LibreOffice >= 7.2), named <file>-<sheet>.csv.
EVERY_SHEET_AS_CSV = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"


def xlsx_to_csv(xlsx_path: Path, out_dir: Path) -> dict[str, list[list[str]]]:
    """Sheet name → its rows, as LibreOffice shows the cells (formatted text)."""
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
