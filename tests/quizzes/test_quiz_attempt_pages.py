"""The participant's pages: start, answer (form and JSON), submit, result; and who may see what."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import render_template_string

from lokalatih.models import (
    REQUIRED_PURPOSES,
    Answer,
    Attempt,
    QuestionKind,
    QuizKind,
    RegistrationStatus,
    utcnow,
)
from lokalatih.my_workshops.read_model import my_workshops
from lokalatih.privacy.consent import give_consent, publish_consent_version
from lokalatih.quizzes import answer_saving, attempt_closing, attempt_views, attempts
from lokalatih.quizzes.errors import AttemptError, InvalidAnswerError
from tests.support import login, recorded_statements


def _start(client, quiz) -> Attempt:
    response = client.post(f"/tes/{quiz.id}/mulai")
    assert response.status_code == 302
    attempt_id = int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])
    return _attempt(attempt_id)


def _attempt(attempt_id: int) -> Attempt:
    from lokalatih.extensions import db

    db.session.expire_all()
    return db.session.get(Attempt, attempt_id)


def _save(client, attempt, question_id, selected):
    return client.post(
        f"/percobaan/{attempt.id}/jawaban",
        data=json.dumps({"question_id": question_id, "selected": selected}),
        content_type="application/json",
    )


def _overdue(db, attempt) -> None:
    attempt.deadline_at = utcnow() - timedelta(seconds=61)
    db.session.commit()


def test_start_twice_gives_the_same_attempt(client, login_as, quiz_open):
    quiz, registration, _ = quiz_open
    login_as(registration.user)

    first, second = _start(client, quiz), _start(client, quiz)

    assert first.id == second.id
    assert first.registration_id == registration.id


def test_unconfirmed_registration_cannot_start(db, client, login_as, quiz_open):
    quiz, registration, _ = quiz_open
    registration.status = RegistrationStatus.PENDING
    db.session.commit()
    login_as(registration.user)

    response = client.post(f"/tes/{quiz.id}/mulai", follow_redirects=True)

    assert "Hanya peserta yang pendaftarannya sudah terkonfirmasi" in response.get_data(
        as_text=True
    )
    assert db.session.scalar(sa.select(sa.func.count(Attempt.id))) == 0


def test_a_quiz_of_a_workshop_one_is_not_registered_in_is_not_found(
    client, login_as, make_user, quiz_open
):
    quiz, _, _ = quiz_open
    login_as(make_user(complete_profile=True))

    assert client.get(f"/tes/{quiz.id}").status_code == 404
    assert client.post(f"/tes/{quiz.id}/mulai").status_code == 404


def test_saved_answers_are_shown_again_on_reload(client, login_as, quiz_open):
    quiz, registration, questions = quiz_open
    login_as(registration.user)
    attempt = _start(client, quiz)

    _save(client, attempt, questions[0].id, ["b"])
    _save(client, attempt, questions[2].id, ["d"])
    page = client.get(f"/percobaan/{attempt.id}").get_data(as_text=True)

    assert f'value="b" id="q{questions[0].id}-b" checked' in page
    assert f'value="d" id="q{questions[2].id}-d" checked' in page
    assert page.count(" checked>") == 2


def test_json_save_is_idempotent(db, client, login_as, quiz_open):
    quiz, registration, questions = quiz_open
    login_as(registration.user)
    attempt = _start(client, quiz)

    responses = [_save(client, attempt, questions[1].id, ["c"]) for _ in range(3)]

    assert [r.status_code for r in responses] == [200, 200, 200]
    assert responses[0].get_json()["saved"] is True
    rows = db.session.scalars(sa.select(Answer).where(Answer.attempt_id == attempt.id)).all()
    assert [(a.question_id, a.selected_keys) for a in rows] == [(questions[1].id, ["c"])]


@pytest.mark.parametrize(
    "payload",
    [
        {"question_id": 999999, "selected": ["a"]},
        {"question_id": 2**40, "selected": ["a"]},
        {"question_id": True, "selected": ["a"]},
        {"selected": ["a"]},
        ["a"],
        "rusak",
        {"question_id": 999999, "selected": ["\u0000"]},
        {"question_id": 999999, "selected": ["\ud800"]},
    ],
    ids=[
        "unknown-question",
        "huge-id",
        "boolean-id",
        "no-question",
        "not-an-object",
        "not-json",
        "nul-in-key",
        "lone-surrogate-key",
    ],
)
def test_json_save_refuses_what_is_not_in_the_attempt(client, login_as, quiz_open, payload):
    quiz, registration, _ = quiz_open
    login_as(registration.user)
    attempt = _start(client, quiz)

    response = client.post(
        f"/percobaan/{attempt.id}/jawaban",
        data=payload if isinstance(payload, str) else json.dumps(payload),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert response.get_json()["error"]


def test_json_save_refuses_an_unknown_choice(client, login_as, quiz_open):
    quiz, registration, questions = quiz_open
    login_as(registration.user)
    attempt = _start(client, quiz)

    response = _save(client, attempt, questions[0].id, ["e"])

    assert response.status_code == 400


@pytest.mark.parametrize(
    "refusal",
    [
        "unknown-choice",
        "two-keys-for-one-choice",
        "keys-not-texts",
        "nul-in-key",
        "question-of-another-test",
        "after-the-grace",
        "after-submitting",
    ],
)
def test_a_refused_save_keeps_the_answer_saved_before(
    db, client, login_as, quiz_open, quiz_question, refusal
):
    """A refused save leaves the answer saved before, even before the request rolls back: on
    PostgreSQL one statement checks and writes, and it must not write what Python refuses."""
    quiz, registration, questions = quiz_open
    elsewhere = quiz_question()  # a real question, but not in this attempt
    db.session.commit()
    login_as(registration.user)
    attempt = _start(client, quiz)
    assert _save(client, attempt, questions[0].id, ["a"]).status_code == 200
    question_id, selected = questions[0].id, ["b"]
    if refusal == "unknown-choice":
        selected = ["e"]
    elif refusal == "two-keys-for-one-choice":
        selected = ["a", "b"]
    elif refusal == "keys-not-texts":
        selected = [1]
    elif refusal == "nul-in-key":
        selected = ["a\x00"]
    elif refusal == "question-of-another-test":
        question_id = elsewhere.id
    elif refusal == "after-the-grace":
        _overdue(db, _attempt(attempt.id))
    else:
        attempt_closing.submit_attempt(_attempt(attempt.id))
        db.session.commit()

    with pytest.raises((InvalidAnswerError, AttemptError)):
        answer_saving.save_own_answer(attempt.id, registration.user_id, question_id, selected)

    rows = db.session.scalars(sa.select(Answer).where(Answer.attempt_id == attempt.id)).all()
    saved = {row.question_id: row.selected_keys for row in rows if row.selected_keys}
    assert saved == {questions[0].id: ["a"]}


def test_json_save_after_the_grace_is_refused_with_409(db, client, login_as, quiz_open):
    quiz, registration, questions = quiz_open
    login_as(registration.user)
    attempt = _start(client, quiz)
    _overdue(db, attempt)

    response = _save(client, attempt, questions[0].id, ["a"])

    assert response.status_code == 409
    assert "Waktu mengerjakan sudah habis" in response.get_json()["error"]


def test_form_save_without_javascript_saves_every_answer_on_the_page(
    db, client, login_as, quiz_open
):
    quiz, registration, questions = quiz_open
    login_as(registration.user)
    attempt = _start(client, quiz)

    response = client.post(
        f"/percobaan/{attempt.id}",
        data={"page": "1", f"q{questions[0].id}": "a", f"q{questions[3].id}": "c"},
        follow_redirects=True,
    )

    assert "Jawaban tersimpan." in response.get_data(as_text=True)
    assert attempt_views.saved_answers(attempt) == {questions[0].id: ["a"], questions[3].id: ["c"]}


def test_form_save_after_the_grace_is_refused_with_a_message(db, client, login_as, quiz_open):
    quiz, registration, questions = quiz_open
    login_as(registration.user)
    attempt = _start(client, quiz)
    _overdue(db, attempt)

    response = client.post(
        f"/percobaan/{attempt.id}", data={f"q{questions[0].id}": "a"}, follow_redirects=True
    )

    assert "Waktu mengerjakan sudah habis" in response.get_data(as_text=True)
    assert attempt_views.saved_answers(attempt).get(questions[0].id) == []  # closed with nothing


def test_form_with_an_answer_to_a_question_outside_the_attempt_is_refused(
    client, login_as, quiz_open
):
    quiz, registration, _ = quiz_open
    login_as(registration.user)
    attempt = _start(client, quiz)

    response = client.post(f"/percobaan/{attempt.id}", data={"q999999": "a"})

    assert response.status_code == 400


def test_submit_without_javascript_scores_the_page_once(db, client, login_as, quiz_open):
    quiz, registration, questions = quiz_open
    login_as(registration.user)
    attempt = _start(client, quiz)
    page = {"page": "1", **{f"q{q.id}": "a" for q in questions[:3]}, f"q{questions[3].id}": "b"}

    first = client.post(f"/percobaan/{attempt.id}/kirim", data=page, follow_redirects=True)
    second = client.post(f"/percobaan/{attempt.id}/kirim", data={"page": "1"})

    assert "75" in first.get_data(as_text=True)
    assert second.status_code == 302
    attempt = _attempt(attempt.id)
    assert attempt.score == 75.0
    assert attempt_views.saved_answers(attempt)[questions[0].id] == ["a"]


def test_attempt_page_after_submission_goes_to_the_result(client, login_as, quiz_open):
    quiz, registration, _ = quiz_open
    login_as(registration.user)
    attempt = _start(client, quiz)
    client.post(f"/percobaan/{attempt.id}/kirim")

    response = client.get(f"/percobaan/{attempt.id}")

    assert response.headers["Location"].endswith(f"/percobaan/{attempt.id}/hasil")


def test_result_of_an_overdue_attempt_scores_the_saved_answers(db, client, login_as, quiz_open):
    quiz, registration, questions = quiz_open
    login_as(registration.user)
    attempt = _start(client, quiz)
    _save(client, attempt, questions[0].id, ["a"])
    _overdue(db, attempt)

    page = client.get(f"/percobaan/{attempt.id}/hasil").get_data(as_text=True)

    assert "25,0" in page
    assert "Waktu habis sebelum jawaban dikirim" in page


def test_correct_answers_never_reach_the_browser_before_the_window_closes(
    db, client, login_as, quiz_workshop, quiz_question, quiz_make, quiz_registration
):
    secret = "Pembahasan: hak untuk hidup tidak dapat dikurangi dalam keadaan apa pun."
    workshop = quiz_workshop()
    questions = [
        quiz_question(correct=["c"], explanation=secret),
        quiz_question(kind=QuestionKind.MULTIPLE, correct=["b", "d"], explanation=secret),
        quiz_question(kind=QuestionKind.TRUE_FALSE, correct=["b"], explanation=secret),
    ]
    now = utcnow()
    quiz = quiz_make(
        workshop, questions, opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=1)
    )
    registration = quiz_registration(workshop)
    login_as(registration.user)
    attempt = _start(client, quiz)

    pages = [
        client.get(f"/tes/{quiz.id}").get_data(as_text=True),
        client.get(f"/percobaan/{attempt.id}").get_data(as_text=True),
        _save(client, attempt, questions[0].id, ["c"]).get_data(as_text=True),
        client.post(f"/percobaan/{attempt.id}/kirim", follow_redirects=True).get_data(as_text=True),
        client.get(f"/percobaan/{attempt.id}/hasil").get_data(as_text=True),
    ]

    for text in pages:
        assert secret not in text
        for marker in ("correct", "kunci jawaban", "is_correct", "Jawaban Anda benar"):
            assert marker not in text
    assert "setelah tes ditutup" in pages[-1]


def test_review_appears_after_the_window_closes(db, client, login_as, quiz_open):
    quiz, registration, questions = quiz_open
    login_as(registration.user)
    attempt = _start(client, quiz)
    client.post(f"/percobaan/{attempt.id}/kirim", data={"page": "1", f"q{questions[0].id}": "a"})
    quiz.closes_at = utcnow() - timedelta(minutes=1)
    db.session.commit()

    page = client.get(f"/percobaan/{attempt.id}/hasil").get_data(as_text=True)

    assert questions[0].explanation in page
    assert page.count("kunci jawaban") == 4


def test_no_review_when_the_organizer_hides_answers(db, client, login_as, quiz_open):
    quiz, registration, questions = quiz_open
    login_as(registration.user)
    attempt = _start(client, quiz)
    client.post(f"/percobaan/{attempt.id}/kirim")
    quiz.closes_at = utcnow() - timedelta(minutes=1)
    quiz.show_answers_after_close = False
    db.session.commit()

    page = client.get(f"/percobaan/{attempt.id}/hasil").get_data(as_text=True)

    assert questions[0].explanation not in page
    assert "kunci jawaban" not in page


def test_result_shows_pre_and_post_once_both_are_done(db, client, login_as, quiz_open, quiz_make):
    pre, registration, questions = quiz_open
    now = utcnow()
    window = {"opens_at": now - timedelta(hours=1), "closes_at": now + timedelta(days=1)}
    post = quiz_make(registration.workshop, questions, kind=QuizKind.POST, **window)
    login_as(registration.user)
    first = _start(client, pre)
    client.post(f"/percobaan/{first.id}/kirim", data={"page": "1", f"q{questions[0].id}": "a"})
    second = _start(client, post)
    client.post(
        f"/percobaan/{second.id}/kirim",
        data={"page": "1", **{f"q{q.id}": "a" for q in questions[:3]}},
    )

    page = client.get(f"/percobaan/{second.id}/hasil").get_data(as_text=True)

    assert "Pra-tes" in page and "Pasca-tes" in page
    assert "25,0" in page and "75,0" in page and "+50,0" in page


def test_the_page_reads_the_attempt_as_one_row_that_says_what_the_models_say(
    db, quiz_open, quiz_registration
):
    """The attempt page reads a row (`find_shown_attempt`), not the objects: it must hold the
    same values, in the workshop's zone, and nothing of another participant's attempt."""
    quiz, registration, _questions = quiz_open
    attempt = attempts.start_attempt(quiz, registration)
    db.session.commit()
    other = quiz_registration(registration.workshop)
    db.session.commit()

    shown = attempt_views.find_shown_attempt(attempt.id, registration.user_id)

    workshop = quiz.workshop
    assert (shown.id, shown.deadline_at, shown.question_order, shown.choice_order) == (
        attempt.id,
        attempt.deadline_at,
        attempt.question_order,
        attempt.choice_order,
    )
    assert (shown.quiz.id, shown.quiz.title, shown.quiz.kind) == (quiz.id, quiz.title, quiz.kind)
    assert (shown.quiz.workshop.title, shown.quiz.workshop.zone) == (workshop.title, workshop.zone)
    assert not shown.is_submitted
    assert attempt_views.find_shown_attempt(attempt.id, other.user_id) is None
    attempt_closing.submit_attempt(attempt)
    db.session.commit()
    assert attempt_views.find_shown_attempt(attempt.id, registration.user_id).is_submitted


def test_another_participants_attempt_is_not_found(
    db, client, login_as, quiz_open, quiz_registration
):
    quiz, registration, questions = quiz_open
    attempt = attempts.start_attempt(quiz, registration)
    db.session.commit()
    other = quiz_registration(registration.workshop)
    login_as(other.user)

    responses = [
        client.get(f"/percobaan/{attempt.id}"),
        client.post(f"/percobaan/{attempt.id}", data={f"q{questions[0].id}": "a"}),
        _save(client, attempt, questions[0].id, ["a"]),
        client.post(f"/percobaan/{attempt.id}/kirim"),
        client.get(f"/percobaan/{attempt.id}/hasil"),
    ]

    responses.append(
        client.post(f"/percobaan/{attempt.id}/jawaban", data="[]", content_type="application/json")
    )

    assert [r.status_code for r in responses] == [404] * 6
    assert attempt_views.saved_answers(attempt) == {}
    assert _attempt(attempt.id).submitted_at is None


def test_mine_links_show_the_state_and_score(db, client, login_as, quiz_open, app):
    quiz, registration, questions = quiz_open
    login_as(registration.user)

    def links() -> str:
        with app.test_request_context():
            return render_template_string(
                '{% include "quizzes/_mine_links.html" %}',
                registration=registration,
                row=my_workshops(registration.user)[0],
            )

    before = links()
    attempt = _start(client, quiz)
    during = links()
    client.post(f"/percobaan/{attempt.id}/kirim", data={"page": "1", f"q{questions[0].id}": "a"})
    after = links()

    assert f"/tes/{quiz.id}" in before and "Kerjakan Pra-tes" in before
    assert f"/percobaan/{attempt.id}" in during and "Lanjutkan Pra-tes" in during
    assert "selesai, nilai 25,0" in after


def _statements_of(call) -> int:
    from lokalatih.extensions import db

    with recorded_statements(db.engine) as statements:
        call()
    return len(statements)


def _start_save_and_page_costs(app, quiz, registration) -> tuple[int, int, int]:
    """Statements to start the attempt, to save one answer and to load the attempt page."""
    client = app.test_client()
    assert login(client, registration.user).status_code == 302
    started = []
    start_cost = _statements_of(lambda: started.append(_start(client, quiz)))
    attempt = started[0]
    first = attempt.question_order[0]
    save_cost = _statements_of(lambda: _save(client, attempt, first, ["a"]))
    assert attempt_views.saved_answers(attempt) == {first: ["a"]}
    page_cost = _statements_of(
        lambda: client.get(f"/percobaan/{attempt.id}").status_code == 200 or pytest.fail("page")
    )
    return start_cost, save_cost, page_cost


def test_starting_saving_and_the_page_cost_the_same_queries_for_a_long_test(
    app, db, consent_version, quiz_workshop, quiz_question, quiz_make, quiz_registration
):
    """The post-test burst (docs/PERFORMANCE.md): no query per question when a participant starts
    or loads the attempt page, and a fixed handful per saved answer."""
    now = utcnow()
    costs = {}
    for size in (3, 15):
        workshop = quiz_workshop()
        questions = [quiz_question() for _ in range(size)]
        quiz = quiz_make(
            workshop,
            questions,
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=1),
        )
        registration = quiz_registration(workshop)
        give_consent(registration.user, REQUIRED_PURPOSES, consent_version)
        db.session.commit()
        costs[size] = _start_save_and_page_costs(app, quiz, registration)

    assert costs[3] == costs[15]
    # The signed-in user with their login session; on PostgreSQL the own attempt under its lock,
    # the question and the upsert in one statement. SQLite reads the attempt and upserts apart,
    # and takes its write lock with one statement more.
    sqlite = app.extensions["sqlalchemy"].engine.dialect.name == "sqlite"
    assert costs[15][1] == (4 if sqlite else 2)
    # The user with the answer to the layout's question "is their consent current?"; the own
    # attempt with its quiz and workshop; the questions as shown with the saved answers.
    assert costs[15][2] == 3


def test_the_attempt_page_of_someone_whose_consent_is_not_current_reads_it_and_shows_the_notice(
    app, db, consent_version, quiz_workshop, quiz_question, quiz_make, quiz_registration
):
    """The login loader only says "current" or "ask": a participant who agreed to an earlier text
    gets the layout's notice, at the cost of one statement more."""
    now = utcnow()
    workshop = quiz_workshop()
    quiz = quiz_make(
        workshop,
        [quiz_question()],
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1),
    )
    registration = quiz_registration(workshop)
    give_consent(registration.user, REQUIRED_PURPOSES, consent_version)
    db.session.commit()
    client = app.test_client()
    assert login(client, registration.user).status_code == 302
    path = f"/percobaan/{_start(client, quiz).id}"
    publish_consent_version("Teks persetujuan yang baru.", "The new consent text.", None)
    db.session.commit()

    with recorded_statements(db.engine) as statements:
        page = client.get(path)

    assert page.status_code == 200
    assert len(statements) == 4
    assert "Tinjau persetujuan" in page.get_data(as_text=True)


def test_the_attempt_page_escapes_the_bank_and_marks_the_question_kind(
    client, login_as, quiz_workshop, quiz_question, quiz_make, quiz_registration
):
    """The question list is built in Python (quizzes/attempt_markup.py): texts from the bank are
    escaped, a multiple-answer question gets checkboxes and its hint, the others radios."""
    now = utcnow()
    workshop = quiz_workshop()
    tricky = quiz_question(text='Hak <b>"sipil"</b> & politik <script>alert(1)</script>')
    tricky.choices = [
        {"key": "a", "text": "<img src=x onerror=alert(1)>"},
        {"key": "b", "text": "Benar & tepat"},
    ]
    several = quiz_question(kind=QuestionKind.MULTIPLE, correct=["a", "b"])
    quiz = quiz_make(
        workshop,
        [tricky, several],
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1),
    )
    registration = quiz_registration(workshop)
    login_as(registration.user)
    attempt = _start(client, quiz)
    _save(client, attempt, several.id, ["a", "b"])

    page = client.get(f"/percobaan/{attempt.id}").get_data(as_text=True)

    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert "Hak &lt;b&gt;&#34;sipil&#34;&lt;/b&gt; &amp; politik &lt;script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "Benar &amp; tepat" in page
    assert f'type="radio" name="q{tricky.id}"' in page
    assert page.count(f'type="checkbox" name="q{several.id}"') == 4
    assert page.count("Pilih semua jawaban yang tepat.") == 1
    assert page.count(" checked>") == 2
    assert f'id="q{several.id}-state" data-save-state aria-live="polite">tersimpan<' in page
    assert f'id="q{tricky.id}-state" data-save-state aria-live="polite">belum dijawab<' in page
