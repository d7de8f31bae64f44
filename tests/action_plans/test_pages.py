"""The participant's plan and follow-up pages, "Loka latih saya", the organizer's overview, the
workshop setting and the certificate email."""

from __future__ import annotations

import sqlalchemy as sa

from lokalatih.action_plans import tasks
from lokalatih.certificates.services import issue_certificate, notify_issued
from lokalatih.models import ActionPlanItem, ActionStatus, OutboxMessage, Role
from tests.support import PASSWORD


def _plan_form(theme_id: int) -> dict:
    return {
        "action_1": "Menyusun SOP layanan pengaduan HAM di Dinas Sosial",
        "due_1": "2027-04-30",
        "theme_1": str(theme_id),
        "partners_1": "Bagian Hukum Setda",
        "action_2": "",
        "due_2": "",
        "theme_2": "",
        "partners_2": "",
    }


def test_a_participant_writes_a_plan_and_sees_it_on_workshop_saya(
    db, client, login_as, plan_workshop, plan_participant, theme
):
    registration = plan_participant(plan_workshop())
    login_as(registration.user)

    response = client.post(
        f"/workshop-saya/{registration.id}/rencana-aksi", data=_plan_form(theme.id)
    )

    assert response.status_code == 302
    page = client.get("/workshop-saya").get_data(as_text=True)
    assert "Menyusun SOP layanan pengaduan HAM di Dinas Sosial" in page
    assert "Hak atas informasi" in page
    assert "Ubah rencana aksi" in page


def test_an_action_without_a_date_is_refused_next_to_the_field(
    db, client, login_as, plan_workshop, plan_participant, theme
):
    registration = plan_participant(plan_workshop())
    login_as(registration.user)

    response = client.post(
        f"/workshop-saya/{registration.id}/rencana-aksi",
        data={**_plan_form(theme.id), "due_1": ""},
    )

    assert response.status_code == 400
    assert "Tulis kapan aksi ini akan selesai." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(ActionPlanItem.id))) == 0


def test_an_empty_plan_is_refused(db, client, login_as, plan_workshop, plan_participant):
    registration = plan_participant(plan_workshop())
    login_as(registration.user)

    response = client.post(f"/workshop-saya/{registration.id}/rencana-aksi", data={})

    assert response.status_code == 400
    assert "Tulis paling sedikit satu aksi." in response.get_data(as_text=True)


def test_someone_elses_plan_is_not_found(
    db, client, login_as, make_user, plan_workshop, plan_participant
):
    registration = plan_participant(plan_workshop())
    login_as(make_user())

    assert client.get(f"/workshop-saya/{registration.id}/rencana-aksi").status_code == 404
    assert client.get(f"/workshop-saya/{registration.id}/tindak-lanjut").status_code == 404


def test_the_follow_up_link_asks_to_sign_in_first_then_opens_the_report(
    db, client, clock, plan_workshop, plan_participant, add_items
):
    registration = plan_participant(plan_workshop())
    add_items(registration)
    clock.advance(days=90, minutes=1)
    tasks.send_follow_ups()
    link = f"/workshop-saya/{registration.id}/tindak-lanjut"

    response = client.get(link)
    assert response.status_code == 302 and "/masuk" in response.location

    signed_in = client.post(
        response.location, data={"email": registration.user.email, "password": PASSWORD}
    )
    assert signed_in.status_code == 302 and signed_in.location.endswith(link)
    page = client.get(link)
    assert page.status_code == 200
    assert "Menyusun SOP layanan informasi publik 1" in page.get_data(as_text=True)


def test_a_participant_reports_progress(
    db, client, clock, login_as, plan_workshop, plan_participant, add_items
):
    registration = plan_participant(plan_workshop())
    item = add_items(registration)[0]
    clock.advance(days=90, minutes=1)
    login_as(registration.user)

    response = client.post(
        f"/workshop-saya/{registration.id}/tindak-lanjut",
        data={
            f"status_{item.id}": "in_progress",
            f"note_{item.id}": "Draf SOP dibahas bersama PPID",
            f"evidence_{item.id}": "https://jdih.makassarkota.go.id/sop-ppid",
        },
    )

    assert response.status_code == 302
    db.session.refresh(item)
    assert (item.status, item.note) == (ActionStatus.IN_PROGRESS, "Draf SOP dibahas bersama PPID")
    assert "Sedang berjalan" in client.get("/workshop-saya").get_data(as_text=True)


def test_evidence_must_be_a_web_link(
    db, client, clock, login_as, plan_workshop, plan_participant, add_items
):
    registration = plan_participant(plan_workshop())
    item = add_items(registration)[0]
    clock.advance(days=90, minutes=1)
    login_as(registration.user)

    response = client.post(
        f"/workshop-saya/{registration.id}/tindak-lanjut",
        data={f"status_{item.id}": "done", f"evidence_{item.id}": "javascript:alert(1)"},
    )

    assert response.status_code == 400
    db.session.refresh(item)
    assert item.status is None


def test_the_report_page_waits_for_the_follow_up(
    db, client, login_as, plan_workshop, plan_participant, add_items
):
    registration = plan_participant(plan_workshop())
    add_items(registration)
    login_as(registration.user)

    response = client.get(f"/workshop-saya/{registration.id}/tindak-lanjut")

    assert response.status_code == 302 and response.location.endswith("/workshop-saya")


def test_the_organizer_sees_the_plans_and_follow_up(
    db, client, login_as, plan_organizer, plan_workshop, plan_participant, add_items
):
    workshop = plan_workshop()
    add_items(plan_participant(workshop, name="Andi Makkasau"), status=ActionStatus.DONE)
    login_as(plan_organizer)

    page = client.get(f"/kelola/{workshop.slug}/rencana-aksi").get_data(as_text=True)

    assert "Andi Makkasau" in page
    assert "Menyusun SOP layanan informasi publik 1" in page
    assert "Selesai" in page


def test_another_organizer_does_not_see_them(
    db, client, login_as, make_user, plan_workshop, plan_participant, add_items
):
    workshop = plan_workshop()
    add_items(plan_participant(workshop))
    login_as(make_user(role=Role.ORGANIZER))

    assert client.get(f"/kelola/{workshop.slug}/rencana-aksi").status_code == 404


def test_the_certificate_email_lists_the_plan(db, plan_workshop, plan_participant, add_items):
    workshop = plan_workshop()
    workshop.cert_requires_post_test = False
    workshop.cert_min_attendance_pct = 0
    registration = plan_participant(workshop)
    add_items(registration, count=2)

    notify_issued(issue_certificate(registration))
    db.session.commit()

    message = db.session.scalar(
        sa.select(OutboxMessage).where(OutboxMessage.template == "certificate_issued")
    )
    assert "Rencana aksi Anda:" in message.body_text
    assert "Menyusun SOP layanan informasi publik 2" in message.body_html


def test_the_follow_up_delay_is_a_workshop_setting(
    db, client, login_as, plan_organizer, plan_workshop
):
    workshop = plan_workshop()
    login_as(plan_organizer)

    page = client.get(f"/kelola/{workshop.slug}/ubah").get_data(as_text=True)

    assert 'name="follow_up_days"' in page and 'value="90"' in page
