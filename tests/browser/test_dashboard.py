"""The review dashboard in a real Chromium: a reviewer filters by one province."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.reports.fixtures import dataset  # noqa: F401  (the fixed data set fixture)

pytestmark = pytest.mark.browser
# Screenshots and the downloaded PDF land here for a look (a temporary folder unless set).
SHOTS = Path(os.environ.get("LOKALATIH_SHOTS") or Path(__file__).parent / ".shots")


def test_reviewer_filters_by_province_and_sees_the_figures_change(
    signed_in_context,
    live_server,
    dataset,  # noqa: F811
):
    page = signed_in_context(dataset.reviewer).new_page()
    page.goto(live_server + "/laporan")
    participants = page.locator('[data-figure="participants"]')
    expect(participants).to_have_text("12")

    page.get_by_label("Provinsi", exact=True).select_option("31")
    page.get_by_role("button", name="Terapkan").click()

    expect(participants).to_have_text("6")
    expect(page.locator('[data-figure="provinces"]')).to_have_text("1 dari 38")
    assert "province=31" in page.url


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_reviewer_jumps_between_sections_and_downloads_the_pdf(
    signed_in_context,
    live_server,
    dataset,  # noqa: F811
    check_page,
    size,
):
    from tests.browser.fixtures import VIEWPORTS

    context = signed_in_context(dataset.reviewer, viewport=VIEWPORTS[size], bypass_csp=True)
    page = context.new_page()
    page.goto(live_server + "/laporan?province=31")
    check_page(page)
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"laporan-{size}.png"), full_page=True)

    nav = page.get_by_role("navigation", name="Bagian laporan")
    nav.get_by_role("link", name="Peta").click()
    assert page.url.endswith("#peta")
    expect(page.locator("#peta")).to_be_in_viewport()
    expect(nav).to_be_in_viewport()  # the section nav stays in reach
    page.screenshot(path=str(SHOTS / f"laporan-peta-{size}.png"))
    nav.get_by_role("link", name="Pembelajaran").click()
    expect(page.locator("#pembelajaran")).to_be_in_viewport()
    page.screenshot(path=str(SHOTS / f"laporan-pembelajaran-{size}.png"))
    assert "province=31" in page.url  # the filter stays in the shared URL

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Unduh PDF").click()
    download = download_info.value
    assert download.suggested_filename == "laporan-lokalatih.pdf"
    saved = SHOTS / f"laporan-{size}.pdf"
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")

    page.goto(live_server + "/laporan/loka-latih?province=31")
    check_page(page)
    page.screenshot(path=str(SHOTS / f"laporan-loka-latih-{size}.png"))
    expect(page.get_by_role("link", name=dataset.workshop_a.title)).to_be_visible()
