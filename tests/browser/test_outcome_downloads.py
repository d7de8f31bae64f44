"""The dashboard's downloads carry the outcome sections: a reviewer reads the definitions on
the page, downloads the XLSX and the English PDF, and finds the outcome sheets and headings."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.reports.fixtures import dataset, outcomes_world  # noqa: F401  (fixtures)

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("LOKALATIH_SHOTS") or Path(__file__).parent / ".shots")


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_reviewer_downloads_the_outcome_sections(
    signed_in_context,
    live_server,
    outcomes_world,  # noqa: F811
    check_page,
    size,
):
    from tests.browser.fixtures import VIEWPORTS

    reviewer = outcomes_world[0].reviewer
    context = signed_in_context(reviewer, viewport=VIEWPORTS[size], bypass_csp=True)
    page = context.new_page()
    page.goto(live_server + "/laporan")
    check_page(page)
    nav = page.get_by_role("navigation", name="Bagian laporan")
    nav.get_by_role("link", name="Definisi").click()
    definitions = page.locator("#definisi")
    if definitions.get_attribute("open") is None:
        definitions.locator("summary").click()
    expect(definitions.get_by_text("Status rencana aksi (%)")).to_be_visible()
    SHOTS.mkdir(exist_ok=True)
    definitions.screenshot(path=str(SHOTS / f"laporan-definisi-hasil-{size}.png"))

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh XLSX").click()
    saved = SHOTS / f"laporan-hasil-{size}.xlsx"
    download_info.value.save_as(saved)
    book = load_workbook(saved, read_only=True)
    assert {"Evaluasi reaksi", "Tindak lanjut per provinsi", "Tema KKPHAM"} <= set(book.sheetnames)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="PDF (English)").click()
    pdf = SHOTS / f"laporan-hasil-{size}.pdf"
    download_info.value.save_as(pdf)
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Action plans and follow-up" in text
