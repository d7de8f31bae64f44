"""A participant takes the pre-test in a real Chromium; no answer is lost when the network drops."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, expect

from lokalatih.models import (
    Answer,
    Question,
    RegistrationStatus,
    Role,
    WorkshopMode,
    WorkshopTimezone,
    utcnow,
)
from tests import factories
from tests.support import PASSWORD

pytestmark = pytest.mark.browser

EXPLANATION = "Pembahasan: Pasal 28I ayat (1) UUD 1945 menyebut hak yang tidak dapat dikurangi."


@pytest.fixture
def open_pre_test(db, make_user):
    """A workshop with an open six-question pre-test and one confirmed participant."""
    start = utcnow() + timedelta(days=7)
    workshop = factories.workshop(
        organizers=[make_user(role=Role.ORGANIZER)],
        sessions=[(start, start + timedelta(hours=2))],
        slug="kota-peduli-ham-makassar",
        title="Kota Peduli HAM Makassar",
        mode=WorkshopMode.ONLINE,
        meeting_url="https://meet.contoh.id/ham",
        timezone=WorkshopTimezone.WITA,
        start_date=start.date(),
        end_date=start.date(),
        commit=False,
    )
    questions = [
        factories.question(
            topic="UUD 1945",
            text=f"Pertanyaan {n} tentang Pasal 28A–28J UUD 1945?",
            choices=[{"key": k, "text": f"Jawaban {k.upper()} untuk soal {n}"} for k in "abcd"],
            explanation=EXPLANATION,
            commit=False,
        )
        for n in range(1, 7)
    ]
    quiz = factories.quiz(
        workshop,
        questions=questions,
        title="Pra-tes Kota Peduli HAM",
        time_limit_minutes=30,
        opens_at=utcnow() - timedelta(hours=1),
        shuffle_questions=False,
        shuffle_choices=True,
        commit=False,
    )
    participant = make_user("andi.pratama@contoh.id", complete_profile=True)
    factories.registration(workshop, participant, RegistrationStatus.CONFIRMED)
    return quiz, participant, [q.id for q in questions]


def _stored_answers(db) -> dict[int, list[str]]:
    db.session.expire_all()
    return dict(db.session.execute(sa.select(Answer.question_id, Answer.selected_keys)).all())


def _answer(page: Page, question_id: int, key: str) -> None:
    page.locator(f'[data-question-id="{question_id}"] input[value="{key}"]').check()


def _state(page: Page, question_id: int):
    return page.locator(f"#q{question_id}-state")


def _log_in(page: Page, live_server: str, email: str) -> None:
    page.goto(live_server + "/masuk")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("form").filter(has=page.locator("#password")).get_by_role("button").click()
    expect(page.get_by_text("Anda sudah masuk.")).to_be_visible()


def test_pre_test_survives_a_reload_and_a_dropped_connection(
    page: Page, live_server: str, db, open_pre_test
):
    quiz, participant, ids = open_pre_test
    answers = dict(zip(ids, "aabaac", strict=True))  # four correct of six

    _log_in(page, live_server, participant.email)
    page.goto(f"{live_server}/tes/{quiz.id}")
    page.get_by_role("button", name="Mulai").click()
    expect(page.get_by_role("heading", name="Pra-tes Kota Peduli HAM")).to_be_visible()
    expect(page.locator("#quiz-remaining")).to_have_text(re.compile(r"^(29:[0-5]\d|30:00)$"))

    # Half the answers, each saved as it is given.
    for question_id in ids[:3]:
        _answer(page, question_id, answers[question_id])
        expect(_state(page, question_id)).to_have_text("tersimpan")
    assert _stored_answers(db) == {qid: [answers[qid]] for qid in ids[:3]}

    page.reload()
    for question_id in ids[:3]:
        radio = page.locator(
            f'[data-question-id="{question_id}"] input[value="{answers[question_id]}"]'
        )
        expect(radio).to_be_checked()
    assert EXPLANATION not in page.content()

    # The connection drops: the page keeps the answers and says they are not saved yet.
    page.context.set_offline(True)
    for question_id in ids[3:]:
        _answer(page, question_id, answers[question_id])
        expect(_state(page, question_id)).to_have_text("belum tersimpan")
    expect(page.locator("#quiz-unsaved-banner")).to_be_visible()
    assert set(_stored_answers(db)) == set(ids[:3])

    # It comes back: the kept answers are sent by themselves.
    page.context.set_offline(False)
    for question_id in ids[3:]:
        expect(_state(page, question_id)).to_have_text("tersimpan", timeout=15000)
    expect(page.locator("#quiz-unsaved-banner")).to_be_hidden()
    assert _stored_answers(db) == {qid: [key] for qid, key in answers.items()}

    page.get_by_role("button", name="Kirim jawaban").click()
    expect(page.get_by_role("heading", name="Nilai Anda")).to_be_visible()
    expect(page.locator("#quiz-score")).to_have_text("66,7")


def test_pre_test_works_without_javascript(browser: Browser, live_server: str, db, open_pre_test):
    quiz, participant, ids = open_pre_test
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    _log_in(page, live_server, participant.email)
    page.goto(f"{live_server}/tes/{quiz.id}")
    page.get_by_role("button", name="Mulai").click()

    _answer(page, ids[0], "a")
    _answer(page, ids[1], "b")
    page.get_by_role("button", name="Simpan jawaban").click()
    expect(page.get_by_text("Jawaban tersimpan.")).to_be_visible()
    expect(page.locator(f'[data-question-id="{ids[1]}"] input[value="b"]')).to_be_checked()
    _answer(page, ids[2], "a")
    page.get_by_role("button", name="Kirim jawaban").click()

    expect(page.locator("#quiz-score")).to_have_text("33,3")
    assert _stored_answers(db)[ids[2]] == ["a"]
    context.close()


def _box(page: Page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize(
    "viewport", [{"width": 390, "height": 844}, {"width": 1366, "height": 768}]
)
def test_submitting_with_unanswered_questions_asks_first(
    browser: Browser, live_server: str, db, open_pre_test, viewport
):
    quiz, participant, ids = open_pre_test
    page = browser.new_context(viewport=viewport).new_page()
    _log_in(page, live_server, participant.email)
    page.goto(f"{live_server}/tes/{quiz.id}")
    page.get_by_role("button", name="Mulai").click()
    _answer(page, ids[0], "a")
    _answer(page, ids[1], "a")
    expect(page.locator("#quiz-progress")).to_have_text("2 dari 6 pertanyaan sudah dijawab.")

    # The submit button is in its own section, away from "Simpan jawaban"; the time stays in view.
    page.locator("#quiz-submit-button").scroll_into_view_if_needed()
    clock = _box(page, "#quiz-clock")
    assert clock["y"] >= 0 and clock["y"] + clock["height"] <= viewport["height"]
    save, submit = _box(page, 'button[name="save"]'), _box(page, "#quiz-submit-button")
    assert submit["y"] - (save["y"] + save["height"]) > 40

    page.get_by_role("button", name="Kirim jawaban").click()
    dialog = page.get_by_role("dialog", name="Kirim jawaban sekarang?")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Masih ada 4 pertanyaan yang belum dijawab.")
    dialog.get_by_role("button", name="Kembali ke soal").click()
    expect(dialog).to_be_hidden()
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 2
    expect(page.locator(f'[data-question-id="{ids[2]}"] input').first).to_be_focused()

    page.get_by_role("button", name="Kirim jawaban").click()
    dialog.get_by_role("button", name="Tetap kirim").click()
    expect(page.get_by_role("heading", name="Nilai Anda")).to_be_visible()
    page.context.close()


@pytest.mark.parametrize("width", [390, 1366])
def test_a_long_question_stays_inside_its_card(
    browser: Browser, live_server: str, db, open_pre_test, width
):
    quiz, participant, ids = open_pre_test
    db.session.get(Question, ids[0]).text = "Menurut Pasal 28I ayat (1) UUD 1945, " * 8 + "apa?"
    db.session.commit()
    page = browser.new_context(viewport={"width": width, "height": 800}).new_page()
    _log_in(page, live_server, participant.email)
    page.goto(f"{live_server}/tes/{quiz.id}")
    page.get_by_role("button", name="Mulai").click()

    # Both boxes read in one script once the page has settled: measured one after the other,
    # a layout change in between (the timer bar appearing) compared two different layouts.
    page.wait_for_load_state("load")
    card, legend = page.evaluate(
        """(selector) => {
            const card = document.querySelector(selector);
            const box = (element) => {
                const rect = element.getBoundingClientRect();
                return {y: rect.y, height: rect.height};
            };
            return [box(card), box(card.querySelector("legend"))];
        }""",
        f'[data-question-id="{ids[0]}"]',
    )
    assert legend["height"] > 40  # several lines
    assert legend["y"] >= card["y"] + 1  # below the card's top border, not across it
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.context.close()
