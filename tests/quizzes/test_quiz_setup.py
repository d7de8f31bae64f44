"""Organizer setup of the pre-test and post-test: windows, settings, questions, permissions."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from lokalatih.models import QuizKind, Role
from lokalatih.quizzes import attempts, services
from lokalatih.quizzes.errors import NothingToDrawError, UnknownQuestionError

FIRST = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # 09.00 WITA
LAST = datetime(2026, 12, 9, 1, 0, tzinfo=UTC)
SESSIONS = [(FIRST, FIRST + timedelta(hours=3)), (LAST, LAST + timedelta(hours=3))]


@pytest.fixture
def workshop(quiz_workshop):
    return quiz_workshop(sessions=SESSIONS, registration_opens_at=FIRST - timedelta(days=20))


def _form(**overrides) -> dict:
    data = {
        "title": "Pra-tes Kota Peduli HAM",
        "time_limit_minutes": "30",
        "opens_at": "",
        "closes_at": "",
        "shuffle_questions": "y",
        "shuffle_choices": "y",
        "show_answers_after_close": "y",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_pre_test_defaults_to_registration_opening_until_the_first_session(workshop):
    assert services.default_window(workshop, QuizKind.PRE) == (FIRST - timedelta(days=20), FIRST)


def test_pre_test_without_registration_opening_opens_when_created(quiz_workshop):
    workshop = quiz_workshop(sessions=SESSIONS)
    created = FIRST - timedelta(days=2)

    assert services.default_window(workshop, QuizKind.PRE, created) == (created, FIRST)


def test_post_test_defaults_to_three_days_from_the_last_session(workshop):
    assert services.default_window(workshop, QuizKind.POST) == (LAST, LAST + timedelta(days=3))


def test_organizer_sets_a_window_in_the_workshops_zone(db, client, login_as, workshop):
    login_as(workshop.organizers[0])

    response = client.post(
        f"/kelola/{workshop.slug}/tes/post",
        data=_form(opens_at="2026-12-09T13:00", closes_at="2026-12-10T17:30"),
    )

    assert response.status_code == 302
    quiz = services.get_quiz(workshop, QuizKind.POST)
    assert services.effective_window(quiz) == (
        datetime(2026, 12, 9, 5, 0, tzinfo=UTC),
        datetime(2026, 12, 10, 9, 30, tzinfo=UTC),
    )
    assert (quiz.title, quiz.time_limit_minutes) == ("Pra-tes Kota Peduli HAM", 30)


def test_empty_window_fields_keep_the_defaults(db, client, login_as, workshop):
    login_as(workshop.organizers[0])

    client.post(f"/kelola/{workshop.slug}/tes/pre", data=_form())

    quiz = services.get_quiz(workshop, QuizKind.PRE)
    assert (quiz.opens_at, quiz.closes_at) == (None, None)
    assert services.effective_window(quiz) == (FIRST - timedelta(days=20), FIRST)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"time_limit_minutes": "0"}, "Batas waktu antara 1 dan 180 menit."),
        ({"time_limit_minutes": "181"}, "Batas waktu antara 1 dan 180 menit."),
        ({"title": ""}, "Judul tes wajib diisi."),
        ({"opens_at": "besok pagi"}, "Tulis tanggal dan jam"),
        (
            {"opens_at": "2026-12-10T09:00", "closes_at": "2026-12-09T09:00"},
            "Waktu tes ditutup harus setelah waktu tes dibuka.",
        ),
    ],
)
def test_invalid_settings_are_shown_with_the_form(client, login_as, workshop, overrides, message):
    login_as(workshop.organizers[0])

    response = client.post(f"/kelola/{workshop.slug}/tes/pre", data=_form(**overrides))

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert services.get_quiz(workshop, QuizKind.PRE) is None


def test_organizer_picks_questions_reorders_and_removes_them(
    db, client, login_as, workshop, quiz_question
):
    first, second, third = (quiz_question(topic="UUD 1945") for _ in range(3))
    login_as(workshop.organizers[0])
    client.post(f"/kelola/{workshop.slug}/tes/pre", data=_form())
    base = f"/kelola/{workshop.slug}/tes/pre"

    client.post(f"{base}/soal", data={"question_ids": [first.id, second.id, third.id]})
    client.post(f"{base}/daftar-soal", data={"action": f"up-{third.id}"})
    client.post(f"{base}/daftar-soal", data={"action": f"remove-{first.id}"})

    quiz = services.get_quiz(workshop, QuizKind.PRE)
    db.session.refresh(quiz)
    assert [item.question_id for item in quiz.items] == [third.id, second.id]
    page = client.get(base).get_data(as_text=True)
    assert page.index(third.text) < page.index(second.text)


def test_manage_page_lists_bank_questions_of_the_chosen_topic(
    client, login_as, workshop, quiz_question
):
    duham = quiz_question(topic="DUHAM", text="Kapan DUHAM diproklamasikan?")
    sdg = quiz_question(topic="SDG 11", text="Apa tujuan SDG 11?")
    login_as(workshop.organizers[0])
    client.post(f"/kelola/{workshop.slug}/tes/pre", data=_form())

    page = client.get(f"/kelola/{workshop.slug}/tes/pre?topik=SDG+11").get_data(as_text=True)

    assert sdg.text in page
    assert duham.text not in page


def test_random_draw_takes_n_per_topic_without_repeats(db, workshop, quiz_question, make_user):
    for topic in ("DUHAM", "UU 39/1999"):
        for _ in range(4):
            quiz_question(topic=topic)
    retired = quiz_question(topic="DUHAM")
    retired.retired_at = FIRST
    quiz = services.save_settings(
        workshop, QuizKind.PRE, _settings(), workshop.organizers[0], now=FIRST
    )

    added = services.draw_questions(
        quiz, ["DUHAM", "UU 39/1999"], 3, workshop.organizers[0], random.Random(1)
    )
    again = services.draw_questions(quiz, ["DUHAM"], 3, workshop.organizers[0], random.Random(2))

    topics = [item.question.topic for item in quiz.items]
    assert (added, again) == (6, 1)
    assert topics.count("DUHAM") == 4 and topics.count("UU 39/1999") == 3
    assert retired.id not in {item.question_id for item in quiz.items}
    with pytest.raises(NothingToDrawError):
        services.draw_questions(quiz, ["DUHAM"], 1, workshop.organizers[0])


def _settings(**overrides) -> services.QuizSettings:
    values = dict(
        title="Pra-tes",
        time_limit_minutes=20,
        opens_at=None,
        closes_at=None,
        shuffle_questions=False,
        shuffle_choices=False,
        show_answers_after_close=True,
    )
    values.update(overrides)
    return services.QuizSettings(**values)


def test_questions_cannot_change_once_an_attempt_exists(
    db, client, login_as, quiz_open, quiz_question
):
    quiz, registration, questions = quiz_open
    attempts.start_attempt(quiz, registration)
    db.session.commit()
    workshop = registration.workshop
    extra = quiz_question()
    login_as(workshop.organizers[0])

    response = client.post(
        f"/kelola/{workshop.slug}/tes/pre/daftar-soal",
        data={"action": f"remove-{questions[0].id}"},
        follow_redirects=True,
    )
    client.post(f"/kelola/{workshop.slug}/tes/pre/soal", data={"question_ids": [extra.id]})

    assert "daftar soal tidak dapat diubah" in response.get_data(as_text=True)
    db.session.refresh(quiz)
    assert [item.question_id for item in quiz.items] == [q.id for q in questions]


def test_adding_a_retired_or_unknown_question_is_refused(db, workshop, quiz_question):
    retired = quiz_question()
    retired.retired_at = FIRST
    quiz = services.save_settings(workshop, QuizKind.PRE, _settings(), workshop.organizers[0])

    with pytest.raises(UnknownQuestionError):
        services.add_questions(quiz, [retired.id], workshop.organizers[0])
    with pytest.raises(UnknownQuestionError):
        services.add_questions(quiz, [999999], workshop.organizers[0])


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.REVIEWER])
def test_participants_and_reviewers_cannot_set_up_quizzes(
    client, login_as, make_user, workshop, role
):
    login_as(make_user(role=role))

    assert client.get(f"/kelola/{workshop.slug}/tes/pre").status_code == 403
    assert client.post(f"/kelola/{workshop.slug}/tes/pre", data=_form()).status_code == 403


def test_another_organizers_workshop_is_not_found(client, login_as, make_user, workshop):
    login_as(make_user(role=Role.ORGANIZER))

    assert client.get(f"/kelola/{workshop.slug}/tes/pre").status_code == 404
    assert client.post(f"/kelola/{workshop.slug}/tes/pre", data=_form()).status_code == 404


def test_unknown_quiz_kind_is_not_found(client, login_as, workshop):
    login_as(workshop.organizers[0])

    assert client.get(f"/kelola/{workshop.slug}/tes/tengah").status_code == 404


def test_admin_can_set_up_any_workshops_quiz(client, login_as, make_user, workshop):
    login_as(make_user(role=Role.ADMIN))

    response = client.post(f"/kelola/{workshop.slug}/tes/pre", data=_form())

    assert response.status_code == 302
    assert services.get_quiz(workshop, QuizKind.PRE) is not None


def test_organizer_draws_random_questions_through_the_page(
    db, client, login_as, workshop, quiz_question
):
    for _ in range(3):
        quiz_question(topic="HAM kelompok rentan")
    login_as(workshop.organizers[0])
    client.post(f"/kelola/{workshop.slug}/tes/post", data=_form())

    response = client.post(
        f"/kelola/{workshop.slug}/tes/post/acak",
        data={"topics": ["HAM kelompok rentan"], "per_topic": "2"},
        follow_redirects=True,
    )

    assert "2 soal acak ditambahkan." in response.get_data(as_text=True)
    assert len(services.get_quiz(workshop, QuizKind.POST).items) == 2


def test_a_draw_without_a_topic_is_refused_with_a_message(client, login_as, workshop):
    login_as(workshop.organizers[0])
    client.post(f"/kelola/{workshop.slug}/tes/pre", data=_form())

    response = client.post(
        f"/kelola/{workshop.slug}/tes/pre/acak", data={"per_topic": "2"}, follow_redirects=True
    )

    assert "Pilih setidaknya satu topik." in response.get_data(as_text=True)
