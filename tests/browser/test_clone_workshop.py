"""An organizer copies a workshop in Chromium at a phone's and a laptop's size: the question on
the management page, the clone form and the draft copy fit the screen and pass axe-core."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from lokalatih.models import QuizKind, Workshop
from tests.quizzes import conftest as quiz_fixtures

pytestmark = pytest.mark.browser

# The quiz factories, shared with tests/quizzes/.
quiz_workshop = quiz_fixtures.quiz_workshop
quiz_question = quiz_fixtures.quiz_question
quiz_make = quiz_fixtures.quiz_make

FIRST = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # 09.00 WITA


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_an_organizer_clones_a_workshop(
    signed_in_context, db, check_page, size, tmp_path, quiz_workshop, quiz_question, quiz_make
):
    from tests.browser.fixtures import VIEWPORTS

    workshop = quiz_workshop(sessions=[(FIRST, FIRST + timedelta(hours=3))])
    quiz_make(workshop, [quiz_question() for _ in range(2)])
    quiz_make(workshop, [], kind=QuizKind.POST)
    organizer = workshop.organizers[0]
    page = signed_in_context(organizer, viewport=VIEWPORTS[size], bypass_csp=True).new_page()
    shots = Path(os.environ.get("LOKALATIH_SHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)

    page.goto(f"/kelola/{workshop.slug}")
    page.get_by_text("Salin loka latih…").click()
    check_page(page)
    page.screenshot(path=str(shots / f"clone-ask-{size}.png"), full_page=True)

    page.goto(f"/kelola/{workshop.slug}/salin")
    check_page(page)
    page.screenshot(path=str(shots / f"clone-form-{size}.png"), full_page=True)
    page.fill("input[name=start_date]", "2027-01-04")
    page.get_by_role("button", name="Ya, buat salinan").click()

    expect(page.get_by_text("Salinan dibuat sebagai draf.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("(salinan)")
    check_page(page)
    page.screenshot(path=str(shots / f"clone-copy-{size}.png"), full_page=True)
    copy = db.session.scalars(sa.select(Workshop).order_by(Workshop.id.desc())).first()
    assert copy.id != workshop.id and str(copy.start_date) == "2027-01-04"

    page.goto(f"/kelola/{workshop.slug}/tes/post")
    check_page(page)
    page.get_by_role("button", name="Salin 2 soal pra-tes ke pasca-tes").click()
    expect(page.get_by_text("2 soal pra-tes disalin ke pasca-tes.")).to_be_visible()
    check_page(page)
    page.screenshot(path=str(shots / f"post-copied-{size}.png"), full_page=True)


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_bank_questions_show_their_choices(
    signed_in_context, db, check_page, size, tmp_path, quiz_workshop, quiz_question, quiz_make
):
    from tests.browser.fixtures import VIEWPORTS

    workshop = quiz_workshop(sessions=[(FIRST, FIRST + timedelta(hours=3))])
    quiz_make(workshop, [])
    question = quiz_question(source="UUD 1945 Pasal 28I ayat (1)")
    page = signed_in_context(
        workshop.organizers[0], viewport=VIEWPORTS[size], bypass_csp=True
    ).new_page()
    shots = Path(os.environ.get("LOKALATIH_SHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)

    page.goto(f"/kelola/{workshop.slug}/tes/pre#bank")
    page.get_by_text("Lihat pilihan jawaban").click()
    expect(page.get_by_text("Pilihan a soal", exact=False).first).to_be_visible()
    expect(page.get_by_text("Jawaban benar")).to_be_visible()
    assert question.id
    check_page(page)
    page.screenshot(path=str(shots / f"choices-{size}.png"), full_page=True)
