"""After `flask demo load`, peserta@ sees her three workshops on /workshop-saya (the upcoming one
with its open pre-test, today's, the completed one with its certificate) on a phone and a laptop."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from lokalatih.demo.journeys import PARTICIPANT_EMAIL
from lokalatih.models import User

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("LOKALATIH_SHOTS_DIR")


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_the_demo_participant_sees_her_three_workshops(
    app, db, consent_version, signed_in_context, check_page, size
):
    from tests.browser.fixtures import VIEWPORTS

    assert app.test_cli_runner().invoke(args=["demo", "load"]).exit_code == 0
    participant = db.session.scalar(sa.select(User).where(User.email == PARTICIPANT_EMAIL))
    page = signed_in_context(participant, viewport=VIEWPORTS[size], bypass_csp=True).new_page()

    page.goto("/workshop-saya")

    for title in (
        "Loka Latih Kabupaten/Kota HAM",
        "Loka latih hari ini",
        "Loka Latih Dasar-dasar HAM bagi Aparatur Daerah",
    ):
        expect(page.get_by_text(title, exact=False).first).to_be_visible()
    expect(page.locator("a[href$='.pdf']").first).to_be_visible()
    check_page(page)
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/workshop-saya-{size}.png", full_page=True)
