"""The review dashboard in a real Chromium: a reviewer filters by one province."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.reports.conftest import dataset  # noqa: F401  (the fixed data set fixture)

pytestmark = pytest.mark.browser


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
