"""The page "Loka latih saya" with rows in every state (waitlisted, tests done and to come,
attendance, an action plan, a certificate) fits a phone and a laptop and passes axe."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.my_workshops.fixtures import registrations_for

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_my_workshops_shows_every_row_and_fits_the_screen(
    signed_in_context, make_user, db, clock, check_page, size, tmp_path
):
    from tests.browser.fixtures import VIEWPORTS

    participant = make_user(complete_profile=True)
    registrations_for(db, participant, 3)
    page = signed_in_context(participant, viewport=VIEWPORTS[size], bypass_csp=True).new_page()
    # Screenshots to look at: LOKALATIH_SHOTS=/some/dir keeps them after the run.
    shots = Path(os.environ.get("LOKALATIH_SHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)

    page.goto("/workshop-saya")

    check_page(page)
    page.screenshot(path=str(shots / f"my-workshops-{size}.png"), full_page=True)
    expect(page.locator("li.card")).to_have_count(3)
    expect(page.get_by_text("Daftar tunggu (urutan ke-2)")).to_be_visible()
    expect(page.get_by_text("Kehadiran: 1 dari 2 sesi (50%).")).to_have_count(2)
    expect(page.get_by_role("link", name="Unduh sertifikat (PDF)")).to_have_count(1)
    expect(page.get_by_text("Sosialisasi HAM di kantor")).to_have_count(2)
