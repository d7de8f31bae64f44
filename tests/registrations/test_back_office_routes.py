"""The registrant list's back office as an organizer uses it: search, ticked rows, walk-ins."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from lokalatih import create_app
from lokalatih.extensions import db as _db
from lokalatih.models import AuditEvent, RegistrationStatus, Role, User
from lokalatih.registrations import services
from tests.registrations.registration_helpers import outbox, statuses
from tests.support import PASSWORD

CONFIRMED = RegistrationStatus.CONFIRMED
PENDING = RegistrationStatus.PENDING
WAITLISTED = RegistrationStatus.WAITLISTED
REJECTED = RegistrationStatus.REJECTED


def page(response) -> str:
    return response.get_data(as_text=True)


def register(db, workshop, *users):
    registrations = [services.register_participant(workshop, user) for user in users]
    db.session.commit()
    return registrations


def bulk(client, workshop, action, registrations, **extra):
    data = {"action": action, "ids": [r.id for r in registrations], **extra}
    return client.post(f"/kelola/{workshop.slug}/pendaftar/massal", data=data)


# --- who may --------------------------------------------------------------------------------


def back_office_requests(slug: str) -> list[tuple[str, str]]:
    base = f"/kelola/{slug}/pendaftar"
    return [("post", f"{base}/massal"), ("post", f"{base}/tambah")]


def test_another_organizer_can_neither_act_on_many_nor_add_a_walk_in(
    db, client, login_as, make_user, make_workshop, make_participant
):
    workshop = make_workshop(requires_approval=True)
    (registration,) = register(db, workshop, make_participant())
    login_as(make_user(role=Role.ORGANIZER))

    approve = bulk(client, workshop, "approve", [registration])
    walk_in = client.post(
        f"/kelola/{workshop.slug}/pendaftar/tambah", data={"email": "tamu@contoh.id"}
    )

    assert (approve.status_code, walk_in.status_code) == (404, 404)
    assert statuses(workshop) == [PENDING]
    assert db.session.scalar(sa.select(User).where(User.email == "tamu@contoh.id")) is None


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.REVIEWER])
def test_back_office_actions_are_forbidden_to_other_roles(
    client, login_as, make_user, make_workshop, role
):
    workshop = make_workshop()
    login_as(make_user(role=role))

    codes = [
        getattr(client, m)(path).status_code for m, path in back_office_requests(workshop.slug)
    ]

    assert codes == [403, 403]


# --- search ---------------------------------------------------------------------------------


def test_search_box_narrows_the_list_and_is_kept_in_exports_email_and_pages(
    db, client, login_as, make_workshop, make_participants
):
    workshop = make_workshop()
    (siti,) = make_participants(1, full_name="Siti Rahmawati")
    (budi,) = make_participants(1, full_name="Budi Santoso")
    register(db, workshop, siti, budi)
    login_as(workshop.organizers[0])
    base = f"/kelola/{workshop.slug}/pendaftar"

    found = page(client.get(f"{base}?q=rahma"))
    csv = page(client.get(f"{base}.csv?q=rahma"))
    email_form = page(client.get(f"{base}/email?q=rahma"))
    huge = client.get(f"{base}?q={'x' * 50_000}")

    assert "Siti Rahmawati" in found and "Budi Santoso" not in found
    assert 'value="rahma"' in found
    assert f'href="{base}.csv?q=rahma"' in found
    assert f'href="{base}/email?q=rahma"' in found
    assert "Siti Rahmawati" in csv and "Budi Santoso" not in csv
    assert "Email akan dikirim ke 1 pendaftar." in email_form
    assert huge.status_code == 200 and "Belum ada pendaftar yang cocok" in page(huge)
    exported = db.session.scalar(
        sa.select(AuditEvent.details).where(AuditEvent.action == "registrants_exported")
    )
    assert exported["searched"] is True and "rahma" not in str(exported)


# --- bulk actions ---------------------------------------------------------------------------


def test_ticking_rows_and_approving_says_how_many_went_to_the_waitlist(
    db, client, login_as, make_workshop, make_participants
):
    workshop = make_workshop(capacity=2, requires_approval=True)
    registrations = register(db, workshop, *make_participants(3))
    login_as(workshop.organizers[0])
    listing = page(client.get(f"/kelola/{workshop.slug}/pendaftar"))
    assert listing.count('class="row-pick"') == 3
    assert 'name="all_on_page"' in listing

    response = bulk(client, workshop, "approve", registrations)

    assert response.status_code == 302
    shown = page(client.get(response.location))
    assert "2 disetujui; 1 masuk daftar tunggu karena kursi penuh." in shown
    assert statuses(workshop) == [CONFIRMED, CONFIRMED, WAITLISTED]


def test_select_all_on_the_page_works_without_javascript(
    db, client, login_as, make_workshop, make_participants
):
    workshop = make_workshop(capacity=5, requires_approval=True)
    registrations = register(db, workshop, *make_participants(3))
    login_as(workshop.organizers[0])

    response = client.post(
        f"/kelola/{workshop.slug}/pendaftar/massal",
        data={"action": "approve", "all_on_page": "y", "page_ids": [r.id for r in registrations]},
        follow_redirects=True,
    )

    assert "3 disetujui." in page(response)
    assert statuses(workshop) == [CONFIRMED] * 3


def test_nothing_ticked_changes_nothing_and_says_so(
    db, client, login_as, make_workshop, make_participant
):
    workshop = make_workshop(requires_approval=True)
    register(db, workshop, make_participant())
    login_as(workshop.organizers[0])

    response = bulk(client, workshop, "approve", [], page="1")

    assert response.status_code == 302
    assert "Pilih minimal satu pendaftar" in page(client.get(response.location))
    assert statuses(workshop) == [PENDING]


def test_bulk_reject_asks_first_with_one_reason_then_rejects_all(
    db, client, login_as, make_workshop, make_participants
):
    workshop = make_workshop(requires_approval=True)
    registrations = register(db, workshop, *make_participants(2))
    login_as(workshop.organizers[0])
    reason = "Kuota instansi Anda sudah terpenuhi."

    asked = bulk(client, workshop, "reject", registrations)
    without_reason = bulk(client, workshop, "reject", registrations, confirmed="y", reason=" ")
    assert statuses(workshop) == [PENDING, PENDING]  # no one-tap damage
    done = bulk(client, workshop, "reject", registrations, confirmed="y", reason=reason)

    assert asked.status_code == 200
    assert "Tolak 2 pendaftar?" in page(asked)
    assert "Ya, tolak 2 pendaftar" in page(asked)
    assert all(r.user.profile.full_name in page(asked) for r in registrations)
    assert without_reason.status_code == 400 and "Isi alasan penolakan." in page(without_reason)
    assert done.status_code == 302
    assert "2 ditolak." in page(client.get(done.location))
    assert statuses(workshop) == [REJECTED, REJECTED]
    assert [reason in m.body_text for m in outbox("registration_rejected")] == [True, True]


def test_email_the_selected_goes_only_to_the_ticked_rows(
    db, client, login_as, make_workshop, make_participants
):
    workshop = make_workshop(capacity=5)
    chosen, other, third = register(db, workshop, *make_participants(3))
    login_as(workshop.organizers[0])

    response = bulk(client, workshop, "email", [chosen, third])
    form = page(client.get(response.location))
    sent = client.post(
        f"/kelola/{workshop.slug}/pendaftar/email",
        data={
            "status": "",
            "ids": [chosen.id, third.id],
            "subject": "Untuk yang dipilih",
            "message": "Halo.",
        },
    )

    assert "Email akan dikirim ke 2 pendaftar." in form
    assert "Hanya 2 pendaftar yang dipilih di daftar." in form
    assert sent.status_code == 302
    assert sorted(m.recipient for m in outbox("notice")) == sorted(
        [chosen.user.email, third.user.email]
    )


def test_group_email_without_a_status_goes_to_the_confirmed_and_says_so(
    db, client, login_as, make_workshop, make_participants
):
    workshop = make_workshop(capacity=1)
    register(db, workshop, *make_participants(2))  # one confirmed, one waitlisted
    login_as(workshop.organizers[0])
    base = f"/kelola/{workshop.slug}/pendaftar/email"

    default = page(client.get(base))
    everyone = page(client.get(f"{base}?status="))

    assert "Email akan dikirim ke 1 pendaftar." in default
    assert "hanya dikirim ke peserta berstatus Terdaftar" in default
    assert "Email akan dikirim ke 2 pendaftar." in everyone
    assert "hanya dikirim ke peserta berstatus Terdaftar" not in everyone


# --- walk-ins -------------------------------------------------------------------------------


def test_walk_in_by_email_of_a_new_person_makes_an_invited_account(
    db, client, login_as, make_workshop
):
    workshop = make_workshop()
    login_as(workshop.organizers[0])

    response = client.post(
        f"/kelola/{workshop.slug}/pendaftar/tambah",
        data={"email": "tamu@contoh.id", "name": "Tamu Pintu"},
        follow_redirects=True,
    )

    assert "tamu@contoh.id terdaftar di loka latih ini." in page(response)
    assert "undangan untuk mengatur sandi" in page(response)
    assert "Tamu Pintu" in page(response)
    assert statuses(workshop) == [CONFIRMED]
    assert [m.template for m in outbox()] == ["registration_confirmed", "notice"]
    assert "registration_walk_in" in db.session.scalars(sa.select(AuditEvent.action)).all()


def test_walk_in_errors_show_the_form_again_with_the_values(
    db, client, login_as, make_workshop, make_participants
):
    workshop = make_workshop(capacity=1)
    register(db, workshop, *make_participants(1))
    (late,) = make_participants(1)
    login_as(workshop.organizers[0])
    url = f"/kelola/{workshop.slug}/pendaftar/tambah"

    invalid = client.post(url, data={"email": "bukan-email", "name": "Nama Tetap"})
    full = client.post(url, data={"email": late.email})
    waitlisted = client.post(url, data={"email": late.email, "waitlist": "y"})

    assert invalid.status_code == 400
    assert 'value="Nama Tetap"' in page(invalid) and 'value="bukan-email"' in page(invalid)
    assert '<details class="card walk-in" open>' in page(invalid)
    assert full.status_code == 409
    assert "Kursi sudah penuh" in page(full)
    assert "Masukkan ke daftar tunggu" in page(full)
    assert f'value="{late.email}"' in page(full)
    assert waitlisted.status_code == 302
    assert statuses(workshop) == [CONFIRMED, WAITLISTED]


# --- with CSRF protection on, as in production ----------------------------------------------


def _token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def test_bulk_and_walk_in_forms_carry_a_working_csrf_token(
    database_url, make_workshop, make_participants
):
    workshop = make_workshop(requires_approval=True)
    slug, organizer_email = workshop.slug, workshop.organizers[0].email
    registration_ids = [
        r.id for r in [services.register_participant(workshop, u) for u in make_participants(2)]
    ]
    _db.session.commit()
    csrf_app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, WTF_CSRF_ENABLED=True)
    client = csrf_app.test_client()
    login_token = _token(page(client.get("/masuk")))
    client.post(
        "/masuk", data={"email": organizer_email, "password": PASSWORD, "csrf_token": login_token}
    )
    listing = page(client.get(f"/kelola/{slug}/pendaftar"))
    token = _token(listing)
    base = f"/kelola/{slug}/pendaftar"

    forged_bulk = client.post(f"{base}/massal", data={"action": "approve", "ids": registration_ids})
    forged_walk_in = client.post(f"{base}/tambah", data={"email": "tamu@contoh.id"})
    genuine = client.post(
        f"{base}/massal",
        data={"action": "approve", "ids": registration_ids, "csrf_token": token},
    )
    walk_in = client.post(f"{base}/tambah", data={"email": "tamu@contoh.id", "csrf_token": token})

    assert (forged_bulk.status_code, forged_walk_in.status_code) == (400, 400)
    assert (genuine.status_code, walk_in.status_code) == (302, 302)
    assert "2 disetujui." in page(client.get(genuine.location))
    with csrf_app.app_context():
        _db.session.remove()
        _db.engine.dispose()
