"""The question bank pages: who may open them, the question form, retiring, search and filters."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from lokalatih.models import AuditEvent, Question, QuestionKind, Role
from lokalatih.quizzes import bank
from tests.support import PASSWORD


def question_form(**overrides) -> dict:
    """A valid form submission for a single-choice question; None removes a field."""
    values = {
        "topic": "UUD 1945",
        "text": "Pasal mana yang memuat hak yang tidak dapat dikurangi?",
        "kind": "single",
        "choice_a": "Pasal 28J ayat (2)",
        "choice_b": "Pasal 28I ayat (1)",
        "choice_c": "Pasal 28I ayat (4)",
        "correct": ["b"],
        "explanation": "Pasal 28I ayat (1) menyebut hak yang tidak dapat dikurangi.",
        "source": "UUD 1945 Pasal 28I ayat (1)",
    }
    values.update(overrides)
    return {key: value for key, value in values.items() if value is not None}


def make_question(db, **overrides) -> Question:
    values = {
        "topic": "DUHAM",
        "kind": "single",
        "text": "Kapan DUHAM diterima?",
        "choices": ["10 Desember 1948", "16 Desember 1966"],
        "correct_keys": ["a"],
        "explanation": "Resolusi 217 A (III).",
        "source": "Resolusi Majelis Umum PBB 217 A (III)",
    }
    values.update(overrides)
    question = bank.create_question(bank.question_data(**values), actor=None)
    db.session.commit()
    return question


@pytest.fixture
def bank_admin(make_user, login_as):
    user = make_user("penyusun-soal@contoh.id", role=Role.ADMIN)
    login_as(user)
    return user


# --- who may open the bank -----------------------------------------------------------------------

GET_PAGES = [
    "/bank-soal",
    "/bank-soal/baru",
    "/bank-soal/{id}/ubah",
    "/bank-soal/impor",
    "/bank-soal/ekspor.csv",
    "/bank-soal/ekspor.xlsx",
]
POST_PAGES = ["/bank-soal/{id}/pensiunkan", "/bank-soal/{id}/aktifkan"]


def test_admins_open_every_bank_page(db, client, login_as, make_user):
    question = make_question(db)
    login_as(make_user(role=Role.ADMIN))

    for page in GET_PAGES:
        assert client.get(page.format(id=question.id)).status_code == 200, page
    for page in POST_PAGES:
        assert client.post(page.format(id=question.id)).status_code == 302, page


def test_organizers_browse_and_export_the_bank_but_cannot_change_it(
    db, client, login_as, make_user
):
    question = make_question(db)
    login_as(make_user(role=Role.ORGANIZER))

    listing = client.get("/bank-soal")
    assert listing.status_code == 200
    assert question.text[:40] in listing.get_data(as_text=True)
    assert "/bank-soal/baru" not in listing.get_data(as_text=True)
    assert f"/bank-soal/{question.id}/pensiunkan" not in listing.get_data(as_text=True)
    for page in ["/bank-soal/ekspor.csv", "/bank-soal/ekspor.xlsx"]:
        assert client.get(page).status_code == 200, page
    for page in ["/bank-soal/baru", "/bank-soal/{id}/ubah", "/bank-soal/impor"]:
        assert client.get(page.format(id=question.id)).status_code == 403, page
    for page in POST_PAGES:
        assert client.post(page.format(id=question.id)).status_code == 403, page
    assert db.session.get(Question, question.id).retired_at is None


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.REVIEWER])
def test_participants_and_reviewers_get_403(db, client, login_as, make_user, role):
    question = make_question(db)
    login_as(make_user(role=role))

    for page in GET_PAGES:
        assert client.get(page.format(id=question.id)).status_code == 403, page
    for page in POST_PAGES:
        assert client.post(page.format(id=question.id)).status_code == 403, page
    assert db.session.get(Question, question.id).retired_at is None


def test_anonymous_visitors_are_sent_to_the_login_page(db, client):
    question = make_question(db)

    for page in [*GET_PAGES, *POST_PAGES]:
        method = client.post if page in POST_PAGES else client.get
        response = method(page.format(id=question.id))
        assert response.status_code == 302, page
        assert "/masuk" in response.headers["Location"], page


def test_unknown_question_and_export_format_are_404(db, client, bank_admin):
    assert client.get("/bank-soal/999999/ubah").status_code == 404
    assert client.get("/bank-soal/ekspor.pdf").status_code == 404


# --- the question form ---------------------------------------------------------------------------


def test_new_question_form_offers_existing_topics_and_indonesian_kinds(db, client, bank_admin):
    make_question(db, topic="Kewajiban negara")

    page = client.get("/bank-soal/baru").get_data(as_text=True)

    assert '<option value="Kewajiban negara">' in page
    assert 'list="bank-topics"' in page
    for label in [
        "Pilihan ganda (satu jawaban)",
        "Pilihan ganda (beberapa jawaban)",
        "Benar/Salah",
    ]:
        assert label in page


def test_organizer_adds_a_question(db, client, bank_admin):
    response = client.post("/bank-soal/baru", data=question_form(), follow_redirects=True)

    assert response.status_code == 200
    assert "Soal ditambahkan ke bank soal." in response.get_data(as_text=True)
    question = db.session.scalar(sa.select(Question))
    assert question.topic == "UUD 1945"
    assert question.correct_keys == ["b"]
    assert [choice["key"] for choice in question.choices] == ["a", "b", "c"]
    assert question.created_by_id == bank_admin.id


def test_true_false_question_needs_no_typed_choices(db, client, bank_admin):
    form = question_form(
        kind="true_false",
        text="Hari HAM Sedunia diperingati setiap 10 Desember.",
        choice_a="",
        choice_b="",
        choice_c="",
        correct=["a"],
    )

    client.post("/bank-soal/baru", data=form)

    question = db.session.scalar(sa.select(Question))
    assert question.kind is QuestionKind.TRUE_FALSE
    assert question.choices == [{"key": "a", "text": "Benar"}, {"key": "b", "text": "Salah"}]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"correct": None}, "Tandai jawaban yang benar."),
        ({"correct": ["a", "b"]}, "Soal jenis ini harus punya tepat satu jawaban benar."),
        ({"correct": ["d"]}, "Jawaban benar D menunjuk pilihan yang kosong atau tidak ada."),
        ({"text": "x" * 2001}, "Paling panjang 2000 karakter."),
        ({"topic": ""}, "Topik wajib diisi."),
        ({"source": ""}, "Sumber (pasal atau peraturan) wajib diisi."),
    ],
)
def test_an_invalid_question_is_shown_again_with_its_values(
    db, client, bank_admin, overrides, message
):
    response = client.post("/bank-soal/baru", data=question_form(**overrides))

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page
    assert 'value="Pasal 28I ayat (4)"' in page  # what was typed is kept
    assert "Pasal 28I ayat (1) menyebut hak yang tidak dapat dikurangi." in page
    assert db.session.scalar(sa.select(sa.func.count(Question.id))) == 0


def test_a_duplicate_text_is_a_form_error_and_the_input_is_shown_again(db, client, bank_admin):
    existing = make_question(db, text="Pasal mana yang memuat hak yang tidak dapat dikurangi?")
    typed = question_form(text=" PASAL MANA yang memuat hak yang tidak dapat dikurangi? ")

    response = client.post("/bank-soal/baru", data=typed)

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    error = re.search(r'<p class="error" id="text-error">(.*?)</p>', page, re.S)
    assert error is not None
    assert f"sudah ada di bank soal (soal #{existing.id})" in error.group(1)
    assert "PASAL MANA yang memuat hak" in page  # what was typed is kept
    assert 'value="Pasal 28I ayat (4)"' in page
    assert db.session.scalar(sa.select(sa.func.count(Question.id))) == 1


def test_checked_answers_stay_checked_after_an_error(db, client, bank_admin):
    response = client.post("/bank-soal/baru", data=question_form(correct=["b", "c"]))

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<input id="correct-0" name="correct" type="checkbox" value="a">' in page
    assert '<input checked id="correct-1" name="correct" type="checkbox" value="b">' in page
    assert '<input checked id="correct-2" name="correct" type="checkbox" value="c">' in page


def test_edit_form_shows_the_saved_question_and_saves_changes(db, client, bank_admin):
    question = make_question(db)

    page = client.get(f"/bank-soal/{question.id}/ubah").get_data(as_text=True)
    response = client.post(
        f"/bank-soal/{question.id}/ubah",
        data=question_form(topic="DUHAM", text="Kapan DUHAM diterima dan diproklamasikan?"),
    )

    assert 'value="10 Desember 1948"' in page
    assert response.status_code == 302
    assert db.session.get(Question, question.id).text == "Kapan DUHAM diterima dan diproklamasikan?"
    assert (
        db.session.scalar(
            sa.select(AuditEvent.actor_id).where(AuditEvent.action == "question_updated")
        )
        == bank_admin.id
    )


def test_edit_page_says_submitted_scores_do_not_change(db, client, bank_admin, monkeypatch):
    question = make_question(db)
    monkeypatch.setattr(bank, "submitted_attempt_count", lambda question: 3)

    page = client.get(f"/bank-soal/{question.id}/ubah").get_data(as_text=True)

    assert "sudah dijawab dalam 3 percobaan yang dikumpulkan" in page
    assert "Nilai percobaan yang sudah dikumpulkan disimpan dan tidak berubah" in page


# --- retiring ------------------------------------------------------------------------------------


def test_retire_and_restore_from_the_list_keep_the_filters(db, client, bank_admin):
    question = make_question(db)

    response = client.post(
        f"/bank-soal/{question.id}/pensiunkan", data={"next": "/bank-soal?topik=DUHAM"}
    )

    assert response.headers["Location"] == "/bank-soal?topik=DUHAM"
    assert db.session.get(Question, question.id).is_retired
    assert bank.active_questions_by_topic("DUHAM") == []

    client.post(f"/bank-soal/{question.id}/aktifkan")

    assert not db.session.get(Question, question.id).is_retired


def test_retire_never_redirects_off_site(db, client, bank_admin):
    question = make_question(db)

    response = client.post(
        f"/bank-soal/{question.id}/pensiunkan", data={"next": "https://jahat.contoh/bank-soal"}
    )

    assert response.headers["Location"] == f"/bank-soal/{question.id}/ubah"


def test_retired_questions_are_hidden_from_the_list_unless_asked(db, client, bank_admin):
    make_question(db, text="Soal yang masih dipakai")
    old = make_question(db, text="Soal yang sudah pensiun")
    bank.retire_question(old)
    db.session.commit()

    default = client.get("/bank-soal").get_data(as_text=True)
    retired = client.get("/bank-soal?pensiun=ya").get_data(as_text=True)

    assert "Soal yang masih dipakai" in default and "Soal yang sudah pensiun" not in default
    assert "Soal yang sudah pensiun" in retired and "Soal yang masih dipakai" not in retired


# --- search and filters --------------------------------------------------------------------------


def test_search_and_topic_filter_narrow_the_list(db, client, bank_admin):
    make_question(db, topic="DUHAM", text="Berapa pasal DUHAM?")
    make_question(db, topic="DUHAM", text="Kapan Hari HAM diperingati?")
    make_question(db, topic="SDG 11", text="Apa rumusan SDG 11?")

    by_text = client.get("/bank-soal?q=pasal").get_data(as_text=True)
    by_topic = client.get("/bank-soal?topik=SDG+11").get_data(as_text=True)
    by_kind = client.get("/bank-soal?jenis=true_false").get_data(as_text=True)

    assert "Berapa pasal DUHAM?" in by_text
    assert "Hari HAM" not in by_text and "Apa rumusan SDG 11?" not in by_text
    assert "Apa rumusan SDG 11?" in by_topic and "Berapa pasal DUHAM?" not in by_topic
    assert "0 soal ditemukan." in by_kind


def test_an_unknown_filter_value_is_ignored_not_an_error(db, client, bank_admin):
    make_question(db, text="Berapa pasal DUHAM?")

    response = client.get("/bank-soal?topik=tidak-ada&jenis=esai&page=abc")

    assert response.status_code == 200
    assert "Berapa pasal DUHAM?" in response.get_data(as_text=True)


def test_the_list_links_exports_with_the_current_filters(db, client, bank_admin):
    make_question(db)

    page = client.get("/bank-soal?topik=DUHAM&page=1").get_data(as_text=True)

    assert "/bank-soal/ekspor.xlsx?topik=DUHAM" in page
    assert "/bank-soal/ekspor.csv?topik=DUHAM" in page


def test_bank_forms_carry_a_working_csrf_token(db, make_app, make_user):
    question = make_question(db)
    user = make_user("csrf-bank@contoh.id", role=Role.ADMIN)
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    login_page = client.get("/masuk").get_data(as_text=True)
    client.post(
        "/masuk",
        data={"email": user.email, "password": PASSWORD, "csrf_token": _csrf_token(login_page)},
    )
    list_page = client.get("/bank-soal").get_data(as_text=True)
    url = f"/bank-soal/{question.id}/pensiunkan"

    forged = client.post(url)
    genuine = client.post(url, data={"csrf_token": _csrf_token(list_page)})

    assert forged.status_code == 400
    assert genuine.status_code == 302
    db.session.expire_all()
    assert db.session.get(Question, question.id).is_retired
    for page in ("/bank-soal/baru", f"/bank-soal/{question.id}/ubah", "/bank-soal/impor"):
        assert _csrf_token(client.get(page).get_data(as_text=True)), page


def _csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)
