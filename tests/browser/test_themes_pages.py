"""KKPHAM themes in a real Chromium: the dashboard section and the tagged forms and page."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from lokalatih.models import Question, Role, Theme
from lokalatih.quizzes.theme_scores import retally_attempts_with_questions
from tests.browser.fixtures import VIEWPORTS
from tests.reports.fixtures import dataset  # noqa: F401  (the fixed data set fixture)

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("LOKALATIH_SHOTS") or Path(__file__).parent / ".shots")


def _tag(db, data) -> None:
    theme = {t.code: t for t in db.session.scalars(sa.select(Theme))}
    data.workshop_a.themes = [theme["kesehatan"], theme["bantuan_hukum"]]
    data.workshop_b.sessions[0].themes = [theme["informasi"], theme["bantuan_hukum"]]
    question = db.session.scalar(sa.select(Question).where(Question.topic == "Dasar HAM"))
    question.themes = [theme["kesehatan"]]
    db.session.flush()
    retally_attempts_with_questions([question.id])  # tagged after the tests were taken
    db.session.commit()


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_reviewer_reads_the_themes_section_and_picks_a_theme(
    db,
    signed_in_context,
    live_server,
    dataset,  # noqa: F811
    check_page,
    size,
):
    _tag(db, dataset)
    context = signed_in_context(dataset.reviewer, viewport=VIEWPORTS[size], bypass_csp=True)
    page = context.new_page()
    page.goto(live_server + "/laporan")
    page.get_by_role("navigation", name="Bagian laporan").get_by_role(
        "link", name="Tema KKPHAM"
    ).click()
    expect(page.locator("#tema-kkpham")).to_be_in_viewport()
    health = page.locator('#themes-table tr[data-code="kesehatan"]')
    expect(health.locator("td").nth(1)).to_have_text("8")
    expect(page.locator('#themes-table tr[data-code="informasi"]')).to_contain_text("< 5")

    page.locator('#theme-coverage-table tr[data-code="informasi"] a').click()
    expect(page.locator("#tema-terpilih")).to_contain_text("Hak atas informasi")
    central_java = page.locator('#theme-province-table tr[data-code="33"]')
    expect(central_java.locator("td").first).to_have_text("1")
    central_java.locator("summary").click()
    check_page(page)
    SHOTS.mkdir(exist_ok=True)
    page.locator("section[aria-labelledby=tema-kkpham]").screenshot(
        path=str(SHOTS / f"laporan-tema-{size}.png")
    )


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_theme_checkboxes_and_the_public_tags(
    db,
    make_user,
    signed_in_context,
    live_server,
    dataset,  # noqa: F811
    check_page,
    size,
):
    _tag(db, dataset)
    SHOTS.mkdir(exist_ok=True)
    anonymous = signed_in_context(dataset.participants[1], viewport=VIEWPORTS[size])
    anonymous = anonymous.browser.new_context(viewport=VIEWPORTS[size], bypass_csp=True)
    page = anonymous.new_page()
    page.goto(live_server + f"/loka-latih/{dataset.workshop_b.slug}")
    expect(page.locator(".theme-list li")).to_have_count(2)
    check_page(page)
    page.screenshot(path=str(SHOTS / f"tema-publik-{size}.png"), full_page=True)
    anonymous.close()

    organizer = signed_in_context(dataset.org_b, viewport=VIEWPORTS[size], bypass_csp=True)
    page = organizer.new_page()
    page.goto(live_server + f"/kelola/{dataset.workshop_b.slug}/ubah")
    expect(page.get_by_label("Hak atas kesehatan")).not_to_be_checked()
    check_page(page)
    page.screenshot(path=str(SHOTS / f"tema-form-loka-latih-{size}.png"), full_page=True)
    session_id = dataset.workshop_b.sessions[0].id
    page.goto(live_server + f"/kelola/{dataset.workshop_b.slug}/sesi/{session_id}/ubah")
    expect(page.get_by_label("Hak atas informasi")).to_be_checked()
    check_page(page)
    page.screenshot(path=str(SHOTS / f"tema-form-sesi-{size}.png"), full_page=True)

    admin = make_user("admin-tema@contoh.id", role=Role.ADMIN)
    page = signed_in_context(admin, viewport=VIEWPORTS[size], bypass_csp=True).new_page()
    question = db.session.scalar(sa.select(Question).where(Question.topic == "Dasar HAM"))
    page.goto(live_server + f"/bank-soal/{question.id}/ubah")
    expect(page.get_by_label("Hak atas kesehatan")).to_be_checked()
    check_page(page)
    page.screenshot(path=str(SHOTS / f"tema-form-soal-{size}.png"), full_page=True)
