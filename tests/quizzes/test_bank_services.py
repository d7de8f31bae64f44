"""The question bank's services: the shared validator, create/edit/retire, search and topics."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from lokalatih.models import (
    Answer,
    Attempt,
    AuditEvent,
    Question,
    QuestionKind,
    Quiz,
    Role,
    Workshop,
    WorkshopMode,
    WorkshopStatus,
    utcnow,
)
from lokalatih.quizzes import bank
from lokalatih.quizzes.errors import DuplicateQuestionError, InvalidQuestionError
from tests import factories


def data(**overrides) -> bank.QuestionData:
    values = {
        "topic": "DUHAM",
        "kind": "single",
        "text": "Kapan DUHAM diterima Majelis Umum PBB?",
        "choices": ["10 Desember 1948", "16 Desember 1966", "25 Juni 1993"],
        "correct_keys": ["a"],
        "explanation": "Resolusi 217 A (III) tanggal 10 Desember 1948.",
        "source": "Resolusi Majelis Umum PBB 217 A (III)",
    }
    values.update(overrides)
    return bank.question_data(**values)


@pytest.fixture
def bank_admin(make_user):
    return make_user("admin-bank@contoh.id", role=Role.ADMIN)


def actions(db) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


# --- the validator -------------------------------------------------------------------------------


def test_a_complete_single_choice_question_is_valid(app):
    assert bank.validate_question_data(data()) == []


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"correct_keys": []}, "Tandai jawaban yang benar."),
        ({"correct_keys": ["a", "b"]}, "tepat satu jawaban benar"),
        ({"correct_keys": ["d"]}, "Jawaban benar D menunjuk pilihan yang kosong"),
        ({"text": "x" * 2001}, "Paling panjang 2000 karakter."),
        ({"topic": "t" * 81}, "Paling panjang 80 karakter."),
        ({"source": "s" * 301}, "Paling panjang 300 karakter."),
        ({"explanation": ""}, "Pembahasan wajib diisi."),
        ({"source": "  "}, "Sumber (pasal atau peraturan) wajib diisi."),
        ({"choices": ["Hanya satu"]}, "Isi paling sedikit dua pilihan jawaban."),
        ({"choices": {"a": "Satu", "c": "Tiga"}}, "Pilihan C diisi tetapi pilihan B kosong"),
        ({"choices": ["Sama", "sama"]}, "Dua pilihan jawaban tidak boleh sama."),
        ({"kind": "essay"}, "Pilih jenis soal"),
    ],
)
def test_the_validator_names_each_problem(app, overrides, expected):
    problems = bank.validate_question_data(data(**overrides))

    assert any(expected in problem for problem in problems), problems


def test_multiple_answers_accept_several_correct_keys_but_not_none(app):
    several = data(kind="multiple", correct_keys="a, c")
    none = data(kind="multiple", correct_keys="")

    assert several.correct_keys == ["a", "c"]
    assert bank.validate_question_data(several) == []
    assert bank.validate_question_data(none) == ["Tandai jawaban yang benar."]


def test_true_false_gets_fixed_choices_and_refuses_others(app):
    empty = data(kind="true_false", choices=[], correct_keys=["b"])
    spelled = data(kind="true_false", choices=["benar", "SALAH"], correct_keys=["a"])
    other = data(kind="true_false", choices=["Ya", "Tidak"], correct_keys=["a"])

    assert empty.choices == {"a": "Benar", "b": "Salah"}
    assert bank.validate_question_data(empty) == []
    assert spelled.choices == {"a": "Benar", "b": "Salah"}
    assert "Soal Benar/Salah hanya punya dua pilihan" in bank.validate_question_data(other)[0]


def test_true_false_needs_exactly_one_answer(app):
    problems = bank.validate_question_data(data(kind="true_false", choices=[], correct_keys="a,b"))

    assert problems == ["Soal jenis ini harus punya tepat satu jawaban benar."]


# --- create, edit, retire ------------------------------------------------------------------------


def test_create_question_stores_choices_by_key_and_is_audited(db, bank_admin):
    question = bank.create_question(data(), actor=bank_admin, ip="10.0.0.1")
    db.session.commit()

    stored = db.session.get(Question, question.id)
    assert stored.kind is QuestionKind.SINGLE
    assert stored.choices == [
        {"key": "a", "text": "10 Desember 1948"},
        {"key": "b", "text": "16 Desember 1966"},
        {"key": "c", "text": "25 Juni 1993"},
    ]
    assert stored.correct_keys == ["a"]
    assert stored.created_by_id == bank_admin.id
    assert actions(db) == ["question_created"]


def test_create_question_refuses_invalid_data_and_adds_nothing(db, bank_admin):
    with pytest.raises(InvalidQuestionError) as raised:
        bank.create_question(data(correct_keys=[]), actor=bank_admin)

    assert raised.value.problems == ["Tandai jawaban yang benar."]
    assert db.session.scalar(sa.select(sa.func.count(Question.id))) == 0


@pytest.mark.parametrize(
    "text",
    [
        "Kapan DUHAM diterima Majelis Umum PBB?",
        "  kapan duham DITERIMA majelis   umum pbb?\n",
    ],
)
def test_create_question_refuses_a_text_already_in_the_bank(db, bank_admin, text):
    first = bank.create_question(data(), actor=bank_admin)
    bank.retire_question(first)  # retired questions still hold their text
    db.session.commit()

    with pytest.raises(DuplicateQuestionError) as raised:
        bank.create_question(data(text=text), actor=bank_admin)
    db.session.rollback()

    assert raised.value.code == "question_duplicate"
    assert str(raised.value.message).startswith(
        f'Soal dengan teks yang sama sudah ada di bank soal (soal #{first.id}): "{first.text}".'
    )
    assert db.session.scalar(sa.select(sa.func.count(Question.id))) == 1


def test_editing_may_keep_its_own_text_but_not_take_another_questions(db, bank_admin):
    first = bank.create_question(data(), actor=bank_admin)
    second = bank.create_question(data(text="Berapa pasal DUHAM?"), actor=bank_admin)
    db.session.commit()

    bank.update_question(first, data(text="KAPAN DUHAM diterima Majelis Umum PBB?"), actor=None)
    with pytest.raises(DuplicateQuestionError):
        bank.update_question(
            second, data(text="Kapan DUHAM diterima Majelis Umum PBB?"), actor=None
        )
    db.session.rollback()

    assert db.session.get(Question, second.id).text == "Berapa pasal DUHAM?"


def test_the_database_refuses_a_duplicate_text_that_bypasses_the_service(db):
    factories.question(text="Soal yang sama.", kind=QuestionKind.TRUE_FALSE, commit=False)

    with pytest.raises(sa.exc.IntegrityError):
        factories.question(text=" soal  YANG sama. ", kind=QuestionKind.TRUE_FALSE, commit=False)
    db.session.rollback()


def test_update_question_changes_it_and_records_what_changed(db, bank_admin):
    question = bank.create_question(data(), actor=bank_admin)

    bank.update_question(question, data(text="Kapan DUHAM diterima?"), actor=bank_admin)
    db.session.commit()

    assert db.session.get(Question, question.id).text == "Kapan DUHAM diterima?"
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "question_updated"))
    assert event.details == {"changed": ["text"], "submitted_attempts": 0}


def test_retired_questions_leave_new_draws_and_can_return(db, bank_admin):
    kept = bank.create_question(data(), actor=bank_admin)
    retired = bank.create_question(data(text="Berapa pasal DUHAM?"), actor=bank_admin)

    assert bank.retire_question(retired, actor=bank_admin) is True
    assert bank.retire_question(retired, actor=bank_admin) is False
    assert bank.active_questions_by_topic("DUHAM") == [kept]

    assert bank.restore_question(retired, actor=bank_admin) is True
    assert bank.active_questions_by_topic("DUHAM") == [kept, retired]
    assert actions(db) == [
        "question_created",
        "question_created",
        "question_retired",
        "question_restored",
    ]


def test_a_retired_question_stays_in_an_existing_quiz(db, bank_admin):
    question = bank.create_question(data(), actor=bank_admin)
    quiz = factories.quiz(_workshop(db, bank_admin), questions=[question])

    bank.retire_question(question, actor=bank_admin)
    db.session.commit()

    assert [item.question for item in db.session.get(Quiz, quiz.id).items] == [question]


def test_editing_keeps_the_stored_score_of_a_submitted_attempt(db, bank_admin, make_user):
    question = bank.create_question(data(), actor=bank_admin)
    attempt = _submitted_attempt(db, bank_admin, make_user, question, selected=["a"])

    bank.update_question(question, data(correct_keys=["b"]), actor=bank_admin)
    db.session.commit()

    assert bank.submitted_attempt_count(question) == 1
    assert db.session.get(Attempt, attempt.id).score == 100.0
    assert db.session.get(Answer, attempt.answers[0].id).is_correct is True


# --- finding questions ---------------------------------------------------------------------------


def test_search_finds_text_case_insensitively_within_a_topic(db, bank_admin):
    bank.create_question(data(), actor=bank_admin)
    bank.create_question(data(text="Berapa pasal DUHAM?"), actor=bank_admin)
    bank.create_question(
        data(topic="SDG 11", text="Apa rumusan SDG 11 tentang kota?"), actor=bank_admin
    )

    found = bank.search_questions("duham", topic="DUHAM").items
    in_sdg = bank.search_questions("duham", topic="SDG 11").items

    assert [question.text for question in found] == [
        "Kapan DUHAM diterima Majelis Umum PBB?",
        "Berapa pasal DUHAM?",
    ]
    assert in_sdg == []


def test_search_treats_percent_and_underscore_literally(db, bank_admin):
    bank.create_question(data(text="Capaian 100% layanan dasar?"), actor=bank_admin)
    bank.create_question(data(text="Capaian 1000 layanan dasar?"), actor=bank_admin)

    assert [q.text for q in bank.search_questions("100%").items] == ["Capaian 100% layanan dasar?"]
    assert bank.search_questions("_").items == []


def test_search_filters_by_kind_and_retirement(db, bank_admin):
    single = bank.create_question(data(), actor=bank_admin)
    true_false = bank.create_question(
        data(kind="true_false", text="DUHAM memiliki 30 pasal.", choices=[], correct_keys="a"),
        actor=bank_admin,
    )
    bank.retire_question(single, actor=bank_admin)

    assert bank.search_questions().items == [true_false]
    assert bank.search_questions(kind=QuestionKind.SINGLE).items == []
    assert bank.search_questions(include_retired=True).items == [single, true_false]
    assert bank.search_questions(only_retired=True).items == [single]


def test_search_pages_by_fifty(db, bank_admin):
    for number in range(51):
        bank.create_question(data(text=f"Soal nomor {number}"), actor=bank_admin)

    first, second = bank.search_questions(page=1), bank.search_questions(page=2)

    assert (len(first.items), len(second.items), first.total) == (50, 1, 51)


def test_list_topics_is_distinct_and_sorted(db, bank_admin):
    bank.create_question(data(topic="SDG 11"), actor=bank_admin)
    bank.create_question(data(topic="DUHAM", text="Soal lain"), actor=bank_admin)
    bank.create_question(data(topic="DUHAM", text="Soal ketiga"), actor=bank_admin)

    assert bank.list_topics() == ["DUHAM", "SDG 11"]
    assert bank.active_topic_counts() == {"DUHAM": 2, "SDG 11": 1}


# --- helpers -------------------------------------------------------------------------------------


def _workshop(db, organizer) -> Workshop:
    return factories.workshop(
        organizers=[organizer],
        slug="bank-soal-uji",
        title="Loka Latih Bank Soal",
        mode=WorkshopMode.ONLINE,
        status=WorkshopStatus.DRAFT,
        start_date=date(2030, 12, 7),
        end_date=date(2030, 12, 7),
        capacity=10,
        meeting_url="https://meet.contoh.id/bank",
        commit=False,
    )


def _submitted_attempt(db, organizer, make_user, question, selected) -> Attempt:
    workshop = _workshop(db, organizer)
    quiz = factories.quiz(workshop, questions=[question], commit=False)
    registration = factories.registration(workshop, make_user(), commit=False)
    now = utcnow()
    return factories.attempt(
        quiz,
        registration,
        score=100.0,
        started_at=now - timedelta(minutes=5),
        submitted_at=now,
        deadline_at=now + timedelta(minutes=15),
        answers={question: selected},
    )
