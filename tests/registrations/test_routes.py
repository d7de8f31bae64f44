"""The registration pages as a participant and an organizer use them."""

from __future__ import annotations

import csv
import io
import re

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from lokalatih import create_app
from lokalatih.extensions import db as _db
from lokalatih.models import (
    AuditEvent,
    InstitutionType,
    RegistrationStatus,
    Role,
)
from lokalatih.registrations import services
from tests.registrations.registration_helpers import outbox, statuses
from tests.support import PASSWORD

CONFIRMED = RegistrationStatus.CONFIRMED
WAITLISTED = RegistrationStatus.WAITLISTED


def page(response) -> str:
    return response.get_data(as_text=True)


def register(db, workshop, *users):
    registrations = [services.register_participant(workshop, user) for user in users]
    db.session.commit()
    return registrations


def audit_actions(db) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


# --- registering ------------------------------------------------------------------------------


def test_register_button_confirms_and_the_page_shows_terdaftar(
    client, login_as, make_workshop, make_participant
):
    workshop = make_workshop()
    login_as(make_participant())
    before = page(client.get(f"/loka-latih/{workshop.slug}"))
    assert f'action="/loka-latih/{workshop.slug}/daftar"' in before

    response = client.post(f"/loka-latih/{workshop.slug}/daftar")

    assert response.status_code == 302
    assert response.location.endswith(f"/loka-latih/{workshop.slug}")
    after = page(client.get(response.location))
    assert "Anda terdaftar." in after
    assert "Terdaftar" in after
    assert statuses(workshop) == [CONFIRMED]


def test_double_click_gives_one_registration_and_a_friendly_message(
    client, login_as, make_workshop, make_participant
):
    workshop = make_workshop()
    login_as(make_participant())

    client.post(f"/loka-latih/{workshop.slug}/daftar")
    second = client.post(f"/loka-latih/{workshop.slug}/daftar", follow_redirects=True)

    assert second.status_code == 200
    assert "Anda sudah terdaftar" in page(second)
    assert statuses(workshop) == [CONFIRMED]


def test_full_workshop_shows_the_waitlist_position(
    db, client, login_as, make_workshop, make_participants
):
    workshop = make_workshop(capacity=1)
    first, second = make_participants(2)
    register(db, workshop, first)
    login_as(second)

    response = client.post(f"/loka-latih/{workshop.slug}/daftar", follow_redirects=True)

    assert "Daftar tunggu (urutan ke-1)" in page(response)


def test_anonymous_visitor_is_sent_to_log_in(client, make_workshop):
    workshop = make_workshop()

    box = page(client.get(f"/loka-latih/{workshop.slug}"))
    response = client.post(f"/loka-latih/{workshop.slug}/daftar")

    assert f"/masuk?next=/loka-latih/{workshop.slug}" in box
    assert response.status_code == 302
    assert "/masuk" in response.location
    assert statuses(workshop) == []


@pytest.mark.parametrize(
    ("participant", "link", "message"),
    [
        ({"consent": False}, "/persetujuan", "Berikan persetujuan"),
        ({"complete_profile": False}, "/profil", "Lengkapi profil"),
    ],
)
def test_participant_not_ready_is_told_what_to_do(
    client, login_as, make_workshop, make_participant, participant, link, message
):
    workshop = make_workshop()
    login_as(make_participant(**participant))

    box = page(client.get(f"/loka-latih/{workshop.slug}"))
    response = client.post(f"/loka-latih/{workshop.slug}/daftar", follow_redirects=True)

    assert f'href="{link}?next=/loka-latih/{workshop.slug}"' in box
    assert message in page(response)
    assert statuses(workshop) == []


def test_draft_workshop_cannot_be_registered(client, login_as, make_workshop, make_participant):
    from lokalatih.models import WorkshopStatus

    workshop = make_workshop(status=WorkshopStatus.DRAFT)
    login_as(make_participant())

    response = client.post(f"/loka-latih/{workshop.slug}/daftar")

    assert response.status_code == 404


COMPLETE_PROFILE = {
    "full_name": "Siti Rahmawati",
    "gender": "female",
    "institution_type": "local_government",
    "institution_name": "Dinas Sosial Kota Palu",
    "position": "Analis Kebijakan",
    "province_code": "72",
    "regency_code": "72.71",
    "save": "1",
}


# --- Workshop saya ------------------------------------------------------------------------------


def test_workshop_saya_lists_status_and_cancel_promotes_the_next(
    db, client, login_as, make_workshop, make_participants
):
    workshop = make_workshop(capacity=1)
    me, other = make_participants(2)
    mine, theirs = register(db, workshop, me, other)
    login_as(me)
    listing = page(client.get("/workshop-saya"))
    assert workshop.title in listing
    assert "Terdaftar" in listing

    response = client.post(f"/workshop-saya/{mine.id}/batal", follow_redirects=True)

    assert "Pendaftaran Anda dibatalkan." in page(response)
    assert "Dibatalkan" in page(response)
    db.session.expire_all()
    assert (mine.status, theirs.status) == (RegistrationStatus.CANCELLED, CONFIRMED)


def test_cancel_asks_first_and_changes_nothing_until_confirmed(
    db, client, login_as, make_workshop, make_participants
):
    workshop = make_workshop(capacity=1)
    me, other = make_participants(2)
    mine, theirs = register(db, workshop, me, other)
    login_as(me)
    listing = page(client.get("/workshop-saya"))
    # The list offers a link to the question, not a button that cancels in one tap.
    assert f'href="/workshop-saya/{mine.id}/batal"' in listing
    assert f'action="/workshop-saya/{mine.id}/batal"' not in listing

    question = client.get(f"/workshop-saya/{mine.id}/batal")

    assert question.status_code == 200
    text = page(question)
    assert "Batalkan pendaftaran?" in text and workshop.title in text
    assert "Kursi Anda diberikan kepada orang berikutnya di daftar tunggu." in text
    assert "Ya, batalkan pendaftaran" in text
    db.session.expire_all()
    assert (mine.status, theirs.status) == (CONFIRMED, RegistrationStatus.WAITLISTED)
    assert outbox("registration_cancelled") == []


def test_the_cancel_question_is_only_for_the_owner_of_an_active_registration(
    db, client, login_as, make_workshop, make_participants
):
    workshop = make_workshop()
    me, other = make_participants(2)
    mine, theirs = register(db, workshop, me, other)
    login_as(me)
    assert client.get(f"/workshop-saya/{theirs.id}/batal").status_code == 404
    client.post(f"/workshop-saya/{mine.id}/batal")

    response = client.get(f"/workshop-saya/{mine.id}/batal")

    assert response.status_code == 302
    assert response.headers["Location"] == "/workshop-saya"


def test_cancelling_twice_is_harmless(db, client, login_as, make_workshop, make_participant):
    workshop = make_workshop()
    me = make_participant()
    (registration,) = register(db, workshop, me)
    login_as(me)

    client.post(f"/workshop-saya/{registration.id}/batal")
    again = client.post(f"/workshop-saya/{registration.id}/batal", follow_redirects=True)

    assert again.status_code == 200
    assert len(outbox("registration_cancelled")) == 1


def test_participant_cannot_cancel_someone_elses_registration(
    db, client, login_as, make_workshop, make_participants
):
    workshop = make_workshop()
    me, other = make_participants(2)
    _, theirs = register(db, workshop, me, other)
    login_as(me)

    response = client.post(f"/workshop-saya/{theirs.id}/batal")

    assert response.status_code == 404
    db.session.expire_all()
    assert theirs.status == CONFIRMED


# --- organizer access -------------------------------------------------------------------------


def organizer_requests(slug: str, registration_id: int) -> list[tuple[str, str]]:
    base = f"/kelola/{slug}/pendaftar"
    return [
        ("get", base),
        ("get", f"{base}.csv"),
        ("get", f"{base}.xlsx"),
        ("get", f"{base}/email"),
        ("post", f"{base}/email"),
        ("post", f"{base}/{registration_id}/setujui"),
        ("post", f"{base}/{registration_id}/tolak"),
        ("post", f"{base}/{registration_id}/naikkan"),
    ]


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.REVIEWER])
def test_organizer_pages_are_forbidden_to_other_roles(
    db, client, login_as, make_user, make_workshop, make_participant, role
):
    workshop = make_workshop()
    (registration,) = register(db, workshop, make_participant())
    login_as(make_user(role=role))

    codes = {
        path: getattr(client, method)(path).status_code
        for method, path in organizer_requests(workshop.slug, registration.id)
    }

    assert set(codes.values()) == {403}, codes


def test_another_organizers_workshop_is_not_found(
    db, client, login_as, make_user, make_workshop, make_participant
):
    workshop = make_workshop()
    (registration,) = register(db, workshop, make_participant())
    login_as(make_user(role=Role.ORGANIZER))

    codes = {
        path: getattr(client, method)(path).status_code
        for method, path in organizer_requests(workshop.slug, registration.id)
    }

    assert set(codes.values()) == {404}, codes
    assert statuses(workshop) == [CONFIRMED]


def test_registration_of_another_workshop_is_not_found(
    db, client, login_as, make_workshop, make_participant
):
    workshop = make_workshop(requires_approval=True)
    organizer = workshop.organizers[0]
    elsewhere = make_workshop(requires_approval=True, organizer=organizer)
    (foreign,) = register(db, elsewhere, make_participant())
    login_as(organizer)

    response = client.post(f"/kelola/{workshop.slug}/pendaftar/{foreign.id}/setujui")

    assert response.status_code == 404
    db.session.expire_all()
    assert foreign.status == RegistrationStatus.PENDING


def test_admin_manages_every_workshop(client, login_as, make_user, make_workshop):
    workshop = make_workshop()
    login_as(make_user(role=Role.ADMIN))

    assert client.get(f"/kelola/{workshop.slug}/pendaftar").status_code == 200


# --- organizer list and actions ---------------------------------------------------------------


def test_registrant_list_filters_by_status_province_and_institution_type(
    db, client, login_as, make_workshop, make_participants
):
    workshop = make_workshop(capacity=2)
    (jakarta,) = make_participants(1, full_name="Budi Jakarta")
    (makassar,) = make_participants(
        1, full_name="Andi Makassar", province_code="73", regency_code="73.71"
    )
    (activist,) = make_participants(
        1, full_name="Rina Aktivis", institution_type=InstitutionType.CIVIL_SOCIETY
    )
    register(db, workshop, jakarta, makassar, activist)
    login_as(workshop.organizers[0])
    base = f"/kelola/{workshop.slug}/pendaftar"

    everyone = page(client.get(base))
    waitlisted = page(client.get(f"{base}?status=waitlisted"))
    sulawesi = page(client.get(f"{base}?province=73"))
    civil_society = page(client.get(f"{base}?institution_type=civil_society"))

    assert all(name in everyone for name in ("Budi Jakarta", "Andi Makassar", "Rina Aktivis"))
    assert "Kota Makassar" in everyone
    assert "Rina Aktivis" in waitlisted and "Budi Jakarta" not in waitlisted
    assert "Andi Makassar" in sulawesi and "Budi Jakarta" not in sulawesi
    assert "Rina Aktivis" in civil_society and "Andi Makassar" not in civil_society


def test_invalid_filter_is_a_form_error_not_a_crash(client, login_as, make_workshop):
    workshop = make_workshop()
    login_as(workshop.organizers[0])

    response = client.get(f"/kelola/{workshop.slug}/pendaftar?status=hilang")

    assert response.status_code == 400
    assert "Pilih salah satu pilihan yang tersedia." in page(response)


def test_organizer_approves_a_pending_registration(
    db, client, login_as, make_workshop, make_participant
):
    workshop = make_workshop(requires_approval=True)
    (registration,) = register(db, workshop, make_participant())
    login_as(workshop.organizers[0])

    response = client.post(
        f"/kelola/{workshop.slug}/pendaftar/{registration.id}/setujui", follow_redirects=True
    )

    assert "Pendaftaran disetujui." in page(response)
    db.session.expire_all()
    assert registration.status == CONFIRMED
    assert "registration_approved" in audit_actions(db)
    assert [m.template for m in outbox()][-1] == "registration_confirmed"


def test_approving_on_a_full_workshop_says_the_registration_went_to_the_waitlist(
    db, client, login_as, make_workshop, make_participants
):
    workshop = make_workshop(capacity=1, requires_approval=True)
    first, second = register(db, workshop, *make_participants(2))
    login_as(workshop.organizers[0])
    url = "/kelola/{}/pendaftar/{}/setujui"

    seated = client.post(url.format(workshop.slug, first.id), follow_redirects=True)
    waiting = client.post(url.format(workshop.slug, second.id), follow_redirects=True)

    assert "Pendaftaran disetujui." in page(seated)
    assert "Kuota penuh: pendaftaran masuk daftar tunggu (urutan 1)." in page(waiting)
    assert "Pendaftaran disetujui." not in page(waiting)
    db.session.expire_all()
    assert second.status == WAITLISTED


def test_organizer_rejects_with_a_reason(db, client, login_as, make_workshop, make_participant):
    workshop = make_workshop(requires_approval=True)
    (registration,) = register(db, workshop, make_participant())
    login_as(workshop.organizers[0])
    url = f"/kelola/{workshop.slug}/pendaftar/{registration.id}/tolak"

    empty = client.post(url, data={"reason": "  "})
    too_long = client.post(url, data={"reason": "x" * 501})
    response = client.post(url, data={"reason": "Kuota peserta dari instansi ini penuh."})

    assert (empty.status_code, too_long.status_code) == (400, 400)
    assert f'id="reason-{registration.id}-error"' in page(empty)
    assert response.status_code == 302
    db.session.expire_all()
    assert registration.status == RegistrationStatus.REJECTED
    assert registration.decision_reason == "Kuota peserta dari instansi ini penuh."
    assert "registration_rejected" in audit_actions(db)


def test_promote_by_hand_needs_a_free_seat(db, client, login_as, make_workshop, make_participants):
    workshop = make_workshop(capacity=1)
    _, waiting = register(db, workshop, *make_participants(2))
    login_as(workshop.organizers[0])
    url = f"/kelola/{workshop.slug}/pendaftar/{waiting.id}/naikkan"

    refused = client.post(url, follow_redirects=True)
    workshop.capacity = 2
    db.session.commit()
    accepted = client.post(url, follow_redirects=True)

    assert "Tidak ada kursi kosong" in page(refused)
    assert "kini terdaftar" in page(accepted)
    db.session.expire_all()
    assert waiting.status == CONFIRMED
    assert "registration_promoted" in audit_actions(db)


# --- exports ----------------------------------------------------------------------------------


def test_csv_export_lists_registrants_and_neutralizes_formulas(
    db, client, login_as, make_workshop, make_participants
):
    workshop = make_workshop(capacity=1)
    (sly,) = make_participants(1, full_name='=HYPERLINK("x")')
    (plain,) = make_participants(1, full_name="Siti Rahmawati")
    register(db, workshop, sly, plain)
    login_as(workshop.organizers[0])

    response = client.get(f"/kelola/{workshop.slug}/pendaftar.csv")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "Nama" and rows[0][10] == "Waktu mendaftar (WITA)"
    assert rows[1][0] == '\'=HYPERLINK("x")'
    assert rows[1][1] == sly.email
    assert rows[1][2] == "'+6281234567890"
    assert rows[2][0] == "Siti Rahmawati"
    assert rows[2][7:10] == [
        "Daerah Khusus Ibukota Jakarta",
        "Kota Jakarta Selatan",
        "Daftar tunggu",
    ]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", rows[2][10])
    assert "registrants_exported" in audit_actions(db)


def test_xlsx_export_keeps_formulas_as_text_and_applies_filters(
    db, client, login_as, make_workshop, make_participants
):
    workshop = make_workshop(capacity=1)
    (sly,) = make_participants(1, full_name='=HYPERLINK("x")')
    (plain,) = make_participants(1, full_name="Siti Rahmawati")
    register(db, workshop, sly, plain)
    login_as(workshop.organizers[0])

    response = client.get(f"/kelola/{workshop.slug}/pendaftar.xlsx?status=confirmed")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == '=HYPERLINK("x")'  # a string cell: no guard needed, none shown
    assert sheet.cell(row=2, column=1).data_type == "s"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="pendaftar-{workshop.slug}.xlsx"'
    )


def test_unknown_export_format_is_not_found(client, login_as, make_workshop):
    workshop = make_workshop()
    login_as(workshop.organizers[0])

    assert client.get(f"/kelola/{workshop.slug}/pendaftar.pdf").status_code == 404


# --- group email ------------------------------------------------------------------------------


def test_group_email_queues_one_message_per_recipient_of_the_group(
    db, client, login_as, make_workshop, make_participants
):
    workshop = make_workshop(capacity=2)
    confirmed = make_participants(2)
    register(db, workshop, *confirmed, *make_participants(1))
    before = len(outbox("notice"))
    login_as(workshop.organizers[0])
    form = page(client.get(f"/kelola/{workshop.slug}/pendaftar/email?status=confirmed"))
    assert "Email akan dikirim ke 2 pendaftar." in form

    response = client.post(
        f"/kelola/{workshop.slug}/pendaftar/email",
        data={
            "status": "confirmed",
            "subject": "Persiapan sesi pertama",
            "message": "Mohon hadir 15 menit sebelum sesi.\n\nBawa KTP.",
        },
        follow_redirects=True,
    )

    assert "2 email dimasukkan ke antrean" in page(response)
    notices = outbox("notice")[before:]
    assert sorted(m.recipient for m in notices) == sorted(u.email for u in confirmed)
    assert notices[0].subject == "Persiapan sesi pertama"
    assert "Mohon hadir 15 menit sebelum sesi." in notices[0].body_text
    assert notices[0].body_html.count("<p style") >= 2
    assert "registrants_emailed" in audit_actions(db)


def test_group_email_without_subject_is_shown_again_with_the_error(
    db, client, login_as, make_workshop, make_participant
):
    workshop = make_workshop()
    register(db, workshop, make_participant())
    login_as(workshop.organizers[0])

    response = client.post(
        f"/kelola/{workshop.slug}/pendaftar/email",
        data={"status": "", "subject": "", "message": "Isi pesan tetap di sini."},
    )

    assert response.status_code == 400
    assert "Isi pesan tetap di sini." in page(response)
    assert outbox("notice") == []


def _send_group(client, workshop, subject="Info"):
    return client.post(
        f"/kelola/{workshop.slug}/pendaftar/email",
        data={"status": "", "subject": subject, "message": "Pesan untuk semua."},
    )


def test_a_workshop_sends_only_a_few_group_emails_a_day(
    app, db, client, login_as, make_workshop, make_participant, clock
):
    app.config["GROUP_EMAIL_SENDS_PER_WORKSHOP_DAY"] = 2
    workshop = make_workshop()
    register(db, workshop, make_participant())
    login_as(workshop.organizers[0])

    statuses = [_send_group(client, workshop, f"Info {n}").status_code for n in range(3)]
    refused = _send_group(client, workshop)

    assert statuses == [302, 302, 429]
    assert "batas hariannya" in page(refused)
    assert "Pesan untuk semua." in page(refused)  # the message is kept in the form
    assert len(outbox("notice")) == 2
    clock.advance(hours=24, minutes=1)
    login_as(workshop.organizers[0])
    assert _send_group(client, workshop).status_code == 302


def test_an_organizer_emails_a_bounded_number_of_people_a_day(
    app, db, client, login_as, make_workshop, make_participants
):
    app.config["GROUP_EMAIL_RECIPIENTS_PER_SENDER_DAY"] = 3
    first = make_workshop(capacity=10)
    second = make_workshop(capacity=10, organizer=first.organizers[0])
    register(db, first, *make_participants(2))
    register(db, second, *make_participants(2))
    login_as(first.organizers[0])

    assert _send_group(client, first).status_code == 302
    refused = _send_group(client, second)

    assert refused.status_code == 429
    assert "batas 3 penerima per hari" in page(refused)
    assert len(outbox("notice")) == 2


def test_the_send_button_says_how_many_people_get_the_email(
    db, client, login_as, make_workshop, make_participants
):
    workshop = make_workshop(capacity=5)
    register(db, workshop, *make_participants(3))
    login_as(workshop.organizers[0])

    assert "Kirim ke 3 pendaftar" in page(client.get(f"/kelola/{workshop.slug}/pendaftar/email"))


# --- with CSRF protection on, as in production ------------------------------------------------


def _token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def test_register_form_carries_a_working_csrf_token(database_url, make_workshop, make_participant):
    slug, email = make_workshop().slug, make_participant().email
    csrf_app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, WTF_CSRF_ENABLED=True)
    client = csrf_app.test_client()
    login_token = _token(page(client.get("/masuk")))
    client.post("/masuk", data={"email": email, "password": PASSWORD, "csrf_token": login_token})
    box_token = _token(page(client.get(f"/loka-latih/{slug}")))

    forged = client.post(f"/loka-latih/{slug}/daftar")
    genuine = client.post(f"/loka-latih/{slug}/daftar", data={"csrf_token": box_token})

    assert forged.status_code == 400
    assert genuine.status_code == 302
    assert "Terdaftar" in page(client.get(f"/loka-latih/{slug}"))
    with csrf_app.app_context():
        _db.session.remove()
        _db.engine.dispose()


def test_registrant_list_shows_who_is_eligible_for_a_certificate_and_why_not(
    db, client, login_as, make_workshop, make_participant
):
    from lokalatih.models import CheckIn, CheckInMethod

    workshop = make_workshop()
    workshop.cert_requires_post_test = False
    present, absent = make_participant(), make_participant()
    present_registration, _ = register(db, workshop, present, absent)
    db.session.add(
        CheckIn(
            session_id=workshop.sessions[0].id,
            registration_id=present_registration.id,
            method=CheckInMethod.MANUAL,
        )
    )
    db.session.commit()
    login_as(workshop.organizers[0])

    page = client.get(f"/kelola/{workshop.slug}/pendaftar").get_data(as_text=True)

    assert page.count("Memenuhi syarat") == 1
    assert "Belum memenuhi syarat" in page
    assert "Hadir 0 dari 1 sesi" in page


def test_completing_the_profile_and_consent_leads_back_to_the_workshop(
    client, login_as, make_workshop, make_participant, consent_version
):
    workshop = make_workshop()
    me = make_participant(complete_profile=False, consent=False)
    login_as(me)
    workshop_path = f"/loka-latih/{workshop.slug}"
    to_profile = f"/profil?next=/loka-latih/{workshop.slug}"
    assert f'href="{to_profile}"' in page(client.get(workshop_path))

    saved = client.post(to_profile, data={**COMPLETE_PROFILE, "phone": "0812-3456-7890"})

    assert saved.headers["Location"] == workshop_path
    to_consent = f"/persetujuan?next=/loka-latih/{workshop.slug}"
    assert f'href="{to_consent}"' in page(client.get(workshop_path))
    consented = client.post(to_consent, data={"version": "1", "training": "y", "evaluation": "y"})
    assert consented.headers["Location"] == workshop_path
    assert f'action="/loka-latih/{workshop.slug}/daftar"' in page(client.get(workshop_path))


def test_the_way_back_after_consent_never_leaves_the_site(
    client, login_as, make_participant, consent_version
):
    login_as(make_participant(consent=False))

    response = client.post(
        "/persetujuan?next=https://contoh-jahat.example/",
        data={"version": "1", "training": "y", "evaluation": "y"},
    )

    assert response.headers["Location"] == "/persetujuan"


def test_registrant_list_pages_by_fifty_and_keeps_filters_and_page(
    db, client, login_as, make_workshop, make_participants
):
    workshop = make_workshop(capacity=50)
    register(db, workshop, *make_participants(55))
    login_as(workshop.organizers[0])
    base = f"/kelola/{workshop.slug}/pendaftar"

    first = page(client.get(base))
    second = page(client.get(f"{base}?page=2"))
    confirmed_past_the_end = page(client.get(f"{base}?status=confirmed&page=2"))

    assert first.count('id="pendaftar-') == 50
    assert "55 pendaftar." in first and "Ditampilkan 1–50." in first
    assert f'href="{base}?page=2" rel="next"' in first
    assert second.count('id="pendaftar-') == 5 and "Ditampilkan 51–55." in second
    assert second.count("Naikkan dari daftar tunggu") == 5
    # An action on page 2 comes back to page 2.
    assert re.search(rf'action="{base}/\d+/naikkan\?page=2"', second)
    assert confirmed_past_the_end.count('id="pendaftar-') == 50
    assert len(first.encode()) < 150_000
