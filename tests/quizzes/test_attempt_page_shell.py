"""The attempt page is rendered once per quiz and filled per attempt (quizzes/attempt_page.py):
each participant still sees exactly the page a full render gives them, and an edit shows at once."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from lokalatih.models import QuestionKind, utcnow
from lokalatih.quizzes.attempt_page import ATTEMPT_MARKER, CSRF
from tests.support import login

TOKEN = re.compile(r'(name="csrf_token" value=|name="csrf-token" content=)"[^"]+"')


@pytest.fixture
def shuffled_quiz(quiz_workshop, quiz_question, quiz_make, quiz_registration, clock):
    """A running pre-test of six shuffled questions, one multiple-answer, and two participants."""
    workshop = quiz_workshop()
    questions = [quiz_question() for _ in range(5)]
    questions.append(quiz_question(kind=QuestionKind.MULTIPLE, correct=["a", "b"]))
    now = utcnow()
    quiz = quiz_make(
        workshop,
        questions,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1),
        shuffle=True,
    )
    return quiz, [quiz_registration(workshop), quiz_registration(workshop)]


def _participant(app, registration, quiz):
    client = app.test_client()
    assert login(client, registration.user).status_code == 302
    started = client.post(f"/tes/{quiz.id}/mulai")
    assert started.status_code == 302
    return client, started.headers["Location"]


def _page(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _without_tokens(page: str) -> str:
    return TOKEN.sub(r'\1"TOKEN"', page)


def test_each_participant_gets_the_page_a_full_render_gives_them(app, shuffled_quiz, clock):
    quiz, registrations = shuffled_quiz
    first, first_path = _participant(app, registrations[0], quiz)
    second, second_path = _participant(app, registrations[1], quiz)
    attempt_id = int(first_path.rsplit("/", 1)[1])
    _page(second, second_path)  # shows the "signed in" message: a page with one is never kept
    question_ids = [
        int(q) for q in re.findall(r'data-question-id="(\d+)"', _page(first, first_path))
    ]
    for question_id, choice in ((question_ids[0], ["b"]), (question_ids[1], ["c"])):
        saved = first.post(
            f"/percobaan/{attempt_id}/jawaban",
            data=json.dumps({"question_id": question_id, "selected": choice}),
            content_type="application/json",
        )
        assert saved.status_code == 200
    clock.advance(seconds=75)

    kept = {
        path: _page(client, path) for client, path in ((first, first_path), (second, second_path))
    }
    app.config["ATTEMPT_PAGE_SHELLS"] = False
    rendered = {
        path: _page(client, path) for client, path in ((first, first_path), (second, second_path))
    }

    assert app.extensions["attempt_page_shells"]  # the kept pages were used
    for path in kept:
        assert _without_tokens(kept[path]) == _without_tokens(rendered[path])
        assert str(ATTEMPT_MARKER) not in kept[path] and CSRF not in kept[path]
        assert f'action="{path}"' in kept[path]
        assert f'name="next" value="{path}"' in kept[path]
    first_page, second_page = kept[first_path], kept[second_path]
    assert "2 dari 6 pertanyaan sudah dijawab." in first_page
    assert "0 dari 6 pertanyaan sudah dijawab." in second_page
    assert first_page.count(" checked>") == 2 and second_page.count(" checked>") == 0
    assert 'data-remaining-seconds="1125">18:45<' in first_page  # 20 minutes less 75 s
    token = re.search(r'name="csrf-token" content="([^"]+)"', first_page).group(1)
    assert token and first_page.count(token) == 4  # meta, logout, language switch, the form


def test_an_edit_to_the_quiz_or_the_language_shows_on_the_next_load(app, db, shuffled_quiz):
    quiz, registrations = shuffled_quiz
    client, path = _participant(app, registrations[0], quiz)
    assert "<h1>Pra-tes HAM</h1>" in _page(client, path)

    quiz.title = "Pra-tes HAM (revisi) @@lokalatih-csrf@@"
    db.session.commit()
    renamed = _page(client, path)
    assert "<h1>Pra-tes HAM (revisi) @@lokalatih-csrf@@</h1>" in renamed
    assert 'name="csrf-token" content="@@' not in renamed

    quiz.title = "Pra-tes HAM"
    db.session.commit()
    client.post("/bahasa", data={"lang": "en", "next": path})
    english = _page(client, path)
    assert "questions answered" in english and "pertanyaan sudah dijawab" not in english
