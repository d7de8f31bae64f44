"""The survey pages as people use them: the participant answers from "Loka latih saya", the
organizer sets the survey up and reads the results, the reviewer sees the dashboard section."""

from __future__ import annotations

import io
from datetime import timedelta

import openpyxl
import sqlalchemy as sa

from lokalatih.models import (
    EvaluationItem,
    EvaluationResponse,
    Quiz,
    Role,
)
from tests import factories
from tests.evaluations.fixtures import GOOD


def test_participant_answers_from_workshop_saya(client, login_as, clock, ev_workshop, ev_enroll):
    workshop = ev_workshop(clock.now() - timedelta(hours=1))
    registration = ev_enroll(workshop)
    login_as(registration.user)
    url = f"/workshop-saya/{registration.id}/evaluasi"

    before = client.get("/workshop-saya").get_data(as_text=True)
    form = client.get(url).get_data(as_text=True)
    response = client.post(url, data=GOOD | {"improve": "Waktu diskusi lebih panjang"})
    after = client.get("/workshop-saya").get_data(as_text=True)

    assert url in before and "Isi evaluasi loka latih" in before
    assert "Narasumber Dr. Hana Pratiwi membawakan sesi “Sesi 1” dengan baik." in form
    assert response.status_code == 302
    assert "Evaluasi: sudah diisi, terima kasih." in after
    assert client.post(url, data=GOOD).status_code == 302  # a second time: refused, told so
    assert "sudah mengisi evaluasi" in client.get("/workshop-saya").get_data(as_text=True)


def test_a_missing_statement_is_shown_next_to_it_and_the_answers_stay(
    client, login_as, clock, ev_workshop, ev_enroll, db
):
    workshop = ev_workshop(clock.now() - timedelta(hours=1))
    registration = ev_enroll(workshop)
    login_as(registration.user)

    response = client.post(
        f"/workshop-saya/{registration.id}/evaluasi", data=GOOD | {"clarity": ""}
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'id="clarity-error"' in page
    assert 'name="relevance" value="5" id="relevance-5" checked' in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EvaluationResponse)) == 0


def test_another_participants_survey_is_hidden(client, login_as, clock, ev_workshop, ev_enroll):
    workshop = ev_workshop(clock.now() - timedelta(hours=1))
    registration, other = ev_enroll(workshop), ev_enroll(workshop)
    login_as(other.user)

    assert client.get(f"/workshop-saya/{registration.id}/evaluasi").status_code == 404


def test_organizer_adds_and_deletes_an_item_and_moves_the_window(
    client, login_as, clock, ev_workshop, ev_organizer, db
):
    workshop = ev_workshop(clock.now() + timedelta(days=1))
    login_as(ev_organizer)
    base = f"/kelola/{workshop.slug}/evaluasi"

    client.post(f"{base}/butir", data={"kind": "choice", "text": "Format?", "choices": "A\nB"})
    item = db.session.scalar(sa.select(EvaluationItem))
    page = client.get(base).get_data(as_text=True)
    client.post(f"{base}/butir/hapus", data={"item_id": item.id})
    moved = client.post(f"{base}/waktu", data={"opens_at": "2020-01-01T09:00", "closes_at": ""})
    wrong = client.post(f"{base}/waktu", data={"closes_at": "2020-01-01T09:00"})

    assert "Format?" in page and "Ya, hapus butir" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EvaluationItem)) == 0
    assert moved.status_code == 302
    assert "Sedang dibuka." in client.get(base).get_data(as_text=True)
    assert wrong.status_code == 400
    assert "harus setelah waktu dibuka" in wrong.get_data(as_text=True)


def test_organizer_reads_results_once_closed_and_downloads_them(
    client, login_as, clock, ev_workshop, ev_organizer, ev_answered
):
    last_start = clock.now() - timedelta(days=1)
    workshop = ev_workshop(last_start, post_closes=last_start + timedelta(days=2))
    ev_answered(workshop, 5, clock.now(), recommend="4")
    login_as(ev_organizer)
    url = f"/kelola/{workshop.slug}/evaluasi/hasil"

    waiting = client.get(url).get_data(as_text=True)
    early_download = client.get(f"{url}.xlsx")
    clock.advance(days=2)
    login_as(ev_organizer)  # two days idle end a staff session
    shown = client.get(url).get_data(as_text=True)
    download = client.get(f"{url}.xlsx")

    assert "Hasil ditampilkan setelah evaluasi ditutup" in waiting
    assert early_download.status_code == 302
    assert "<svg" in shown and "rata-rata 4,0 dari 5" in shown
    assert "Materi Pasal 28I, jawaban 3" in shown
    book = openpyxl.load_workbook(io.BytesIO(download.data))
    assert book.sheetnames == ["Butir", "Narasumber", "Jawaban terbuka"]


def test_another_organizer_cannot_see_the_results(client, login_as, make_user, clock, ev_workshop):
    workshop = ev_workshop(clock.now())
    login_as(make_user(role=Role.ORGANIZER))

    assert client.get(f"/kelola/{workshop.slug}/evaluasi/hasil").status_code == 404


def test_certificate_rule_form_saves_the_survey_condition(
    client, login_as, clock, ev_workshop, ev_organizer
):
    workshop = ev_workshop(clock.now())
    login_as(ev_organizer)

    client.post(
        f"/kelola/{workshop.slug}/sertifikat/pengaturan",
        data={"min_attendance_pct": "80", "requires_evaluation": "y"},
    )

    assert workshop.cert_requires_evaluation
    page = client.get(f"/kelola/{workshop.slug}/sertifikat").get_data(as_text=True)
    assert "Mengisi evaluasi loka latih." in page


def test_reviewer_dashboard_has_the_survey_section(
    client, login_as, make_user, clock, ev_workshop, ev_answered
):
    last_start = clock.now() - timedelta(days=1)
    workshop = ev_workshop(last_start, post_closes=last_start + timedelta(days=2))
    ev_answered(workshop, 5, clock.now())
    clock.advance(days=2)
    login_as(make_user(role=Role.REVIEWER))

    page = client.get("/laporan").get_data(as_text=True)

    assert "Evaluasi reaksi peserta" in page
    assert "dari 1 loka latih" in page and "(5 jawaban)" in page


def test_the_post_test_result_leads_to_the_survey(
    client, login_as, clock, ev_workshop, ev_enroll, db
):
    workshop = ev_workshop(clock.now() - timedelta(hours=1))
    registration = ev_enroll(workshop)
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.workshop_id == workshop.id))
    attempt = factories.attempt(
        quiz,
        registration,
        score=80.0,
        started_at=clock.now() - timedelta(minutes=10),
        submitted_at=clock.now(),
    )
    login_as(registration.user)

    page = client.get(f"/percobaan/{attempt.id}/hasil").get_data(as_text=True)

    assert f'href="/workshop-saya/{registration.id}/evaluasi"' in page
