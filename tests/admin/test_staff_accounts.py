"""Staff accounts made by an admin (with an invitation to set a password) and verification
emails sent again from the users page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from lokalatih.admin import staff
from lokalatih.admin.errors import (
    AlreadyVerifiedError,
    DuplicateEmailError,
    NotStaffRoleError,
    ResendTooSoonError,
)
from lokalatih.auth import tokens
from lokalatih.extensions import db as _db
from lokalatih.models import AuditEvent, OutboxMessage, Role, User
from lokalatih.outbox.tasks import send_due_messages
from tests.support import at_once, login, text_body

NEW_PASSWORD = "Lereng Merapi 2026 hijau"
LINK = re.compile(r"http://localhost(/undangan/[^\s\"<>]+)")


@pytest.fixture
def admin(make_user, login_as) -> User:
    user = make_user("admin@contoh.id", role=Role.ADMIN)
    login_as(user)
    return user


def _outbox(db, template: str | None = None) -> list[OutboxMessage]:
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id)
    if template is not None:
        query = query.where(OutboxMessage.template == template)
    return list(db.session.scalars(query))


def _events(db, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def _user(db, email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.email == email))


def _invite(db, admin: User, email: str = "rina@contoh.id", role: Role = Role.ORGANIZER) -> User:
    user = staff.invite_staff(admin, "Rina Wulandari", email, role, ip="203.0.113.9")
    db.session.commit()
    return user


def _text(response) -> str:
    return response.get_data(as_text=True)


# --- services ----------------------------------------------------------------------------------


def test_an_invited_account_waits_for_its_owner_to_set_a_password(db, client, make_user):
    admin = make_user("admin@contoh.id", role=Role.ADMIN)

    user = _invite(db, admin, email="  Rina@Contoh.ID ")

    assert user.email == "rina@contoh.id"
    assert user.role == Role.ORGANIZER and not user.is_verified
    assert user.profile.full_name == "Rina Wulandari"
    [message] = _outbox(db)
    assert (message.template, message.recipient) == ("staff_invitation", "rina@contoh.id")
    assert "Penyelenggara" in message.body_text and "Rina Wulandari" in message.body_text
    [event] = _events(db, "staff_invited")
    assert (event.actor_id, event.object_id) == (admin.id, str(user.id))
    assert event.details == {"role": "organizer"}  # never the address
    # Nobody knows the password it was made with.
    assert login(client, "rina@contoh.id", "Lokalatih#Uji2026").status_code == 400


def test_only_staff_roles_can_be_invited(db, make_user):
    admin = make_user(role=Role.ADMIN)

    with pytest.raises(NotStaffRoleError):
        staff.invite_staff(admin, "Budi", "budi@contoh.id", Role.PARTICIPANT)

    assert _user(db, "budi@contoh.id") is None


def test_an_address_with_an_account_is_refused_and_nothing_is_sent(db, make_user):
    admin = make_user(role=Role.ADMIN)
    make_user("siti@contoh.id")

    with pytest.raises(DuplicateEmailError):
        staff.invite_staff(admin, "Siti", "SITI@contoh.id", Role.REVIEWER)

    assert _outbox(db) == []
    assert _user(db, "siti@contoh.id").role == Role.PARTICIPANT


def test_resending_queues_a_verification_email_at_most_every_five_minutes(db, make_user, clock):
    admin = make_user(role=Role.ADMIN)
    budi = make_user("budi@contoh.id", verified=False)

    assert staff.resend_verification(admin, budi) is False
    clock.advance(minutes=3)
    with pytest.raises(ResendTooSoonError) as refused:
        staff.resend_verification(admin, budi)
    clock.advance(minutes=2, seconds=1)
    staff.resend_verification(admin, budi)

    assert refused.value.minutes == 2
    assert "2 menit" in str(refused.value.message)
    assert [m.template for m in _outbox(db)] == ["verify_email", "verify_email"]
    assert [e.details for e in _events(db, "verification_resent")] == [{"invitation": False}] * 2


def test_the_limit_is_per_user(db, make_user):
    admin = make_user(role=Role.ADMIN)
    first, second = make_user(verified=False), make_user(verified=False)

    staff.resend_verification(admin, first)
    staff.resend_verification(admin, second)

    assert len(_outbox(db, "verify_email")) == 2


def test_a_verified_user_gets_nothing(db, make_user):
    admin = make_user(role=Role.ADMIN)

    with pytest.raises(AlreadyVerifiedError):
        staff.resend_verification(admin, make_user())

    assert _outbox(db) == []


def test_an_invited_person_gets_a_new_invitation_not_a_verification(db, make_user, clock):
    admin = make_user(role=Role.ADMIN)
    rina = _invite(db, admin)
    with pytest.raises(ResendTooSoonError):  # the invitation itself was just sent
        staff.resend_verification(admin, rina)

    clock.advance(minutes=6)
    assert staff.resend_verification(admin, rina) is True

    assert [m.template for m in _outbox(db)] == ["staff_invitation", "staff_invitation"]


# --- pages -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.ORGANIZER, Role.REVIEWER])
def test_only_admins_may_add_staff_or_resend(db, client, make_user, login_as, role):
    login_as(make_user(role=role))
    budi = make_user("budi@contoh.id", verified=False)
    form = {"name": "Rina", "email": "rina@contoh.id", "role": "admin"}

    assert client.get("/admin/pengguna/tambah").status_code == 403
    assert client.post("/admin/pengguna/tambah", data=form).status_code == 403
    assert client.post(f"/admin/pengguna/{budi.id}/kirim-ulang-verifikasi").status_code == 403
    assert _user(db, "rina@contoh.id") is None
    assert _outbox(db) == []


def test_the_invitation_arrives_and_lets_the_person_set_a_password_and_log_in(
    app, db, client, admin, smtp_server
):
    page = client.get("/admin/pengguna")
    assert 'href="/admin/pengguna/tambah"' in _text(page)
    form = client.get("/admin/pengguna/tambah")
    assert form.status_code == 200 and 'name="email"' in _text(form)

    done = client.post(
        "/admin/pengguna/tambah",
        data={"name": "Rina Wulandari", "email": "rina@contoh.id", "role": "reviewer"},
    )

    assert done.status_code == 302
    assert done.headers["Location"] == "/admin/pengguna?q=rina@contoh.id"
    assert "Undangan untuk membuat sandi" in _text(client.get(done.headers["Location"]))
    assert send_due_messages().sent == 1
    [email] = smtp_server.inbox.to("rina@contoh.id")
    assert email["Subject"] == "Undangan ke akun staf lokalatih"
    body = text_body(email)
    assert "Peninjau" in body
    path = LINK.search(body).group(1)
    assert path in email.get_body(preferencelist=("html",)).get_content()

    client.post("/keluar")
    welcome = client.get(path)
    assert welcome.status_code == 200
    assert "Selamat datang di lokalatih" in _text(welcome)
    assert "Anda diundang sebagai Peninjau" in _text(welcome) and "rina@contoh.id" in _text(welcome)
    assert "berlaku selama 7 hari" in body
    set_password = client.post(
        path, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
    )

    assert set_password.headers["Location"] == "/masuk"
    rina = _user(db, "rina@contoh.id")
    assert rina.is_verified and rina.role == Role.REVIEWER
    assert login(client, rina, NEW_PASSWORD).status_code == 302
    used = client.get(path)  # the link worked once
    assert used.status_code == 400 and "Undangan ini sudah dipakai" in _text(used)
    [accepted] = _events(db, "invitation_accepted")
    assert accepted.actor_id == rina.id


def _invitation_path(db) -> str:
    [message] = _outbox(db, "staff_invitation")
    return LINK.search(message.body_text).group(1)


def test_an_invitation_read_after_a_long_weekend_still_works_and_expires_after_a_week(
    db, client, make_user, clock
):
    """A reset link lives two hours; an invited person may open the email days later."""
    admin = make_user("admin@contoh.id", role=Role.ADMIN)
    _invite(db, admin)
    path = _invitation_path(db)

    clock.advance(days=6, hours=23)
    assert client.get(path).status_code == 200
    clock.advance(hours=2)
    expired = client.get(path)

    assert expired.status_code == 400
    assert "Undangan ini sudah kedaluwarsa" in _text(expired)
    assert (
        client.post(
            path, data={"password": NEW_PASSWORD, "password_confirm": NEW_PASSWORD}
        ).status_code
        == 400
    )
    assert not _user(db, "rina@contoh.id").is_verified


def test_an_invitation_and_a_reset_link_are_not_interchangeable(db, client, make_user):
    admin = make_user("admin@contoh.id", role=Role.ADMIN)
    _invite(db, admin)
    token = _invitation_path(db).removeprefix("/undangan/")

    assert client.get(f"/atur-ulang-sandi/{token}").status_code == 400
    reset = tokens.make_reset_token(_user(db, "rina@contoh.id"))
    assert client.get(f"/undangan/{reset}").status_code == 400


def test_a_weak_password_on_the_welcome_page_is_refused_and_the_link_keeps_working(
    db, client, make_user
):
    admin = make_user("admin@contoh.id", role=Role.ADMIN)
    _invite(db, admin)
    path = _invitation_path(db)

    weak = client.post(path, data={"password": "12345678", "password_confirm": "12345678"})

    assert weak.status_code == 400 and "Selamat datang di lokalatih" in _text(weak)
    assert not _user(db, "rina@contoh.id").is_verified
    assert client.get(path).status_code == 200


def test_the_welcome_page_speaks_english_to_a_visitor_who_chose_english(db, client, make_user):
    admin = make_user("admin@contoh.id", role=Role.ADMIN)
    _invite(db, admin)
    with client.session_transaction() as session:
        session["lang"] = "en"

    page = client.get(_invitation_path(db))

    assert "Welcome to lokalatih" in _text(page)
    assert "You have been invited as" in _text(page)


def test_an_address_with_an_account_is_named_and_the_values_stay(db, client, admin, make_user):
    make_user("siti@contoh.id")

    response = client.post(
        "/admin/pengguna/tambah",
        data={"name": "Siti Aminah", "email": "Siti@contoh.id", "role": "admin"},
    )

    html = _text(response)
    assert response.status_code == 400
    assert "Alamat email ini sudah terdaftar." in html
    assert 'value="Siti Aminah"' in html and 'value="siti@contoh.id"' in html
    assert '<option selected value="admin">' in html
    assert _outbox(db) == []


def test_an_empty_form_says_what_is_missing(db, client, admin):
    response = client.post("/admin/pengguna/tambah", data={"role": "organizer"})

    assert response.status_code == 400
    assert "Nama wajib diisi." in _text(response) and "Isi alamat email." in _text(response)


def test_a_participant_role_cannot_be_posted(db, client, admin):
    response = client.post(
        "/admin/pengguna/tambah",
        data={"name": "Budi", "email": "budi@contoh.id", "role": "participant"},
    )

    assert response.status_code == 400
    assert _user(db, "budi@contoh.id") is None


def test_the_resend_button_is_on_unverified_rows_only_and_is_limited(db, client, admin, make_user):
    budi = make_user("budi@contoh.id", verified=False)
    siti = make_user("siti@contoh.id")
    url = f"/admin/pengguna/{budi.id}/kirim-ulang-verifikasi"

    html = _text(client.get("/admin/pengguna"))
    first = client.post(url, data={"next": "/admin/pengguna?q=budi"})
    first_page = _text(client.get(first.headers["Location"]))
    second = client.post(url, data={"next": "/admin/pengguna?q=budi"})
    second_page = _text(client.get(second.headers["Location"]))

    assert f'action="{url}"' in html
    assert f"/admin/pengguna/{siti.id}/kirim-ulang-verifikasi" not in html
    assert first.headers["Location"] == second.headers["Location"] == "/admin/pengguna?q=budi"
    assert "Email verifikasi baru dijadwalkan ke budi@contoh.id." in first_page
    assert "baru saja dikirim" in second_page and "5 menit" in second_page
    assert len(_outbox(db, "verify_email")) == 1
    assert len(_events(db, "verification_resent")) == 1


def test_resending_to_a_verified_user_says_so(db, client, admin, make_user):
    siti = make_user("siti@contoh.id")

    response = client.post(f"/admin/pengguna/{siti.id}/kirim-ulang-verifikasi")

    assert response.headers["Location"] == "/admin/pengguna"
    assert "sudah terverifikasi" in _text(client.get("/admin/pengguna"))
    assert _outbox(db) == []


def test_the_audit_log_names_both_actions(db, client, admin, make_user, clock):
    _invite(db, admin)
    clock.advance(timedelta(minutes=6))
    staff.resend_verification(admin, _user(db, "rina@contoh.id"))
    db.session.commit()

    html = _text(client.get("/admin/audit"))

    assert "Akun staf dibuat oleh admin, undangan dikirim" in html
    assert "Email verifikasi dikirim ulang oleh admin" in html
    assert "Undangan: ya" in html


def test_five_simultaneous_resend_clicks_send_one_email(app, db, make_user):
    """The limit holds under a double click: the database lock makes the clicks wait in turn."""
    admin = make_user("admin@contoh.id", role=Role.ADMIN)
    budi = make_user("budi@contoh.id", verified=False)
    admin_id, budi_id = admin.id, budi.id
    db.session.commit()
    db.session.remove()

    def click(_index: int) -> bool:
        sent = staff.resend_verification(
            _db.session.get(User, admin_id), _db.session.get(User, budi_id)
        )
        _db.session.commit()
        return sent

    results = at_once(app, 5, click)

    assert [kind for kind, _ in results].count("ok") == 1
    refused = [value for kind, value in results if kind == "error"]
    assert len(refused) == 4 and all(isinstance(error, ResendTooSoonError) for error in refused)
    assert len(_outbox(db, "verify_email")) == 1
    assert len(_events(db, "verification_resent")) == 1
