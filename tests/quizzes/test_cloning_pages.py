"""The clone form, the copy-pre-test button and the choices shown while picking questions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from lokalatih.models import AuditEvent, QuestionKind, QuizKind, Role, Workshop, WorkshopStatus

FIRST = datetime(2026, 12, 7, 1, 0, tzinfo=UTC)  # 09.00 WITA
SESSIONS = [(FIRST, FIRST + timedelta(hours=3))]


@pytest.fixture
def workshop(quiz_workshop):
    return quiz_workshop(sessions=SESSIONS)


def _workshops(db) -> list[Workshop]:
    return list(db.session.scalars(sa.select(Workshop).order_by(Workshop.id)))


def test_the_management_page_offers_the_clone_form_behind_a_question(client, login_as, workshop):
    login_as(workshop.organizers[0])
    page = client.get(f"/kelola/{workshop.slug}").get_data(as_text=True)
    assert "Salin loka latih…" in page
    assert f'action="/kelola/{workshop.slug}/salin"' in page
    assert 'value="2026-12-07"' in page


def test_an_organizer_clones_and_lands_on_the_draft_copy(db, client, login_as, workshop):
    login_as(workshop.organizers[0])
    response = client.post(f"/kelola/{workshop.slug}/salin", data={"start_date": "2027-01-04"})

    copy = _workshops(db)[-1]
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/kelola/{copy.slug}")
    assert copy.status == WorkshopStatus.DRAFT and copy.start_date == date(2027, 1, 4)
    page = client.get(f"/kelola/{copy.slug}").get_data(as_text=True)
    assert "Salinan dibuat sebagai draf" in page
    assert "(salinan)" in page
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "workshop_cloned")
        )
        == 1
    )


def test_a_missing_or_malformed_date_is_shown_on_the_form(db, client, login_as, workshop):
    login_as(workshop.organizers[0])
    response = client.post(f"/kelola/{workshop.slug}/salin", data={"start_date": "besok"})
    assert response.status_code == 400
    assert "Tulis tanggal dengan format TTTT-BB-HH" in response.get_data(as_text=True)
    assert len(_workshops(db)) == 1


def test_a_start_too_far_away_is_refused_on_the_form(db, client, login_as, workshop):
    login_as(workshop.organizers[0])
    response = client.post(f"/kelola/{workshop.slug}/salin", data={"start_date": "2045-01-01"})
    assert response.status_code == 400
    assert "paling jauh sepuluh tahun" in response.get_data(as_text=True)
    assert len(_workshops(db)) == 1


def test_an_admin_may_clone_any_workshop(db, client, login_as, make_user, workshop):
    admin = make_user(role=Role.ADMIN)
    login_as(admin)
    assert client.get(f"/kelola/{workshop.slug}/salin").status_code == 200
    client.post(f"/kelola/{workshop.slug}/salin", data={"start_date": "2027-01-04"})
    copy = _workshops(db)[-1]
    assert copy.id != workshop.id
    assert {u.id for u in copy.organizers} == {workshop.organizers[0].id, admin.id}


def test_another_organizer_gets_404_and_nothing_is_copied(
    db, client, login_as, make_user, workshop
):
    login_as(make_user(role=Role.ORGANIZER))
    assert client.get(f"/kelola/{workshop.slug}/salin").status_code == 404
    response = client.post(f"/kelola/{workshop.slug}/salin", data={"start_date": "2027-01-04"})
    assert response.status_code == 404
    assert len(_workshops(db)) == 1


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.REVIEWER])
def test_participants_and_reviewers_cannot_clone(db, client, login_as, make_user, workshop, role):
    login_as(make_user(role=role))
    response = client.post(f"/kelola/{workshop.slug}/salin", data={"start_date": "2027-01-04"})
    assert response.status_code == 403
    assert len(_workshops(db)) == 1


def test_the_empty_post_test_offers_the_pre_tests_questions(
    db, client, login_as, workshop, quiz_question, quiz_make
):
    questions = [quiz_question() for _ in range(2)]
    quiz_make(workshop, questions)
    post = quiz_make(workshop, [], kind=QuizKind.POST)
    login_as(workshop.organizers[0])

    page = client.get(f"/kelola/{workshop.slug}/tes/post").get_data(as_text=True)
    assert "Salin 2 soal pra-tes ke pasca-tes" in page
    assert "Salin 2 soal pra-tes" not in client.get(f"/kelola/{workshop.slug}/tes/pre").get_data(
        as_text=True
    )

    response = client.post(f"/kelola/{workshop.slug}/tes/post/salin-pre-test")
    assert response.status_code == 302
    db.session.expire_all()
    assert [i.question_id for i in post.items] == [q.id for q in questions]
    page = client.get(f"/kelola/{workshop.slug}/tes/post").get_data(as_text=True)
    assert "2 soal pra-tes disalin ke pasca-tes." in page
    assert "Salin 2 soal pra-tes ke pasca-tes" not in page


def test_copying_into_a_post_test_that_has_questions_is_refused(
    db, client, login_as, workshop, quiz_question, quiz_make
):
    questions = [quiz_question() for _ in range(2)]
    quiz_make(workshop, questions)
    quiz_make(workshop, questions[:1], kind=QuizKind.POST)
    login_as(workshop.organizers[0])
    client.post(f"/kelola/{workshop.slug}/tes/post/salin-pre-test")
    page = client.get(f"/kelola/{workshop.slug}/tes/post").get_data(as_text=True)
    assert "Pasca-tes sudah berisi soal" in page


def test_another_organizer_cannot_copy_the_pre_test(
    client, login_as, make_user, workshop, quiz_make
):
    quiz_make(workshop, [], kind=QuizKind.POST)
    login_as(make_user(role=Role.ORGANIZER))
    assert client.post(f"/kelola/{workshop.slug}/tes/post/salin-pre-test").status_code == 404


def test_each_bank_question_shows_its_choices_with_the_correct_ones_marked(
    client, login_as, workshop, quiz_question, quiz_make
):
    quiz_make(workshop, [])
    multiple = quiz_question(kind=QuestionKind.MULTIPLE, correct=["b", "d"], source="DUHAM Pasal 5")
    login_as(workshop.organizers[0])
    page = client.get(f"/kelola/{workshop.slug}/tes/pre").get_data(as_text=True)

    block = page[page.index(f'id="bank-{multiple.id}"') :]
    block = block[: block.index("</details>")]
    assert "Lihat pilihan jawaban" in block
    for key in "abcd":
        assert f"Pilihan {key} soal" in block
    marked = [line for line in block.splitlines() if "Jawaban benar" in line]
    assert len(marked) == 2
    assert all("Pilihan b" in line or "Pilihan d" in line for line in marked)
    assert "Sumber: DUHAM Pasal 5" in block
