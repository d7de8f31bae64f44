"""An admin imports a Moodle XML file in Chromium at a phone's and a laptop's size: the upload
form, the preview and the bank list afterwards fit the screen and pass axe-core."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from lokalatih.models import Question, Role

pytestmark = pytest.mark.browser

FIXTURE = Path(__file__).parent.parent / "quizzes" / "moodle_files" / "all_types.xml"


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_an_admin_previews_and_confirms_a_moodle_import(
    signed_in_context, make_user, db, check_page, size, tmp_path
):
    from tests.browser.fixtures import VIEWPORTS

    admin = make_user(f"moodle-{size}@contoh.id", role=Role.ADMIN)
    page = signed_in_context(admin, viewport=VIEWPORTS[size], bypass_csp=True).new_page()
    # Screenshots to look at: LOKALATIH_SHOTS=/some/dir keeps them after the run.
    shots = Path(os.environ.get("LOKALATIH_SHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)

    page.goto("/bank-soal/impor-moodle")
    check_page(page)
    page.screenshot(path=str(shots / f"upload-{size}.png"), full_page=True)
    page.set_input_files("input[name=file]", str(FIXTURE))
    page.fill("input[name=default_source]", "UU No. 39 Tahun 1999 tentang HAM")
    page.get_by_role("button", name="Periksa berkas").click()

    expect(page.get_by_text("3 soal siap diimpor, 6 dilewati, 0 ditolak")).to_be_visible()
    expect(page.get_by_role("cell", name="Esai kewajiban negara essay")).to_be_visible()
    check_page(page)
    page.screenshot(path=str(shots / f"preview-{size}.png"), full_page=True)
    assert db.session.scalar(sa.select(sa.func.count(Question.id))) == 0

    page.get_by_role("button", name="Impor 3 soal").click()

    expect(
        page.get_by_text("3 soal ditambahkan ke bank soal. 6 soal lain tidak diimpor.")
    ).to_be_visible()
    check_page(page)
    page.screenshot(path=str(shots / f"bank-{size}.png"), full_page=True)
    assert db.session.scalar(sa.select(sa.func.count(Question.id))) == 3
