"""The admin pages for users and roles and for the email outbox."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from lokalatih import create_app
from lokalatih.extensions import db as database
from lokalatih.models import AuditEvent, OutboxMessage, OutboxStatus, Role, User, utcnow
from tests import factories

PASSWORD = "Pelatihan-HAM-Kupang-26"
STAFF_ROLES = [Role.PARTICIPANT, Role.ORGANIZER, Role.REVIEWER]


@pytest.fixture
def admin(make_user, login_as) -> User:
    user = make_user("admin@contoh.id", role=Role.ADMIN)
    login_as(user)
    return user


def _admin_urls(app) -> list[tuple[str, str]]:
    """Every (method, url) of the admin blueprint, with placeholder ids filled in."""
    urls = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin."):
            continue
        url = re.sub(r"<(?:int:)?[^>]+>", "1", rule.rule)
        urls += [(method, url) for method in sorted(rule.methods & {"GET", "POST"})]
    return urls


def _rows(html: str) -> int:
    return html.count('name="role" aria-label=')


def _csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*?value="([^"]+)"', html).group(1)


def _reload(user: User) -> User:
    database.session.expire_all()
    return database.session.get(User, user.id)


# --- access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", STAFF_ROLES, ids=lambda role: role.value)
def test_every_admin_page_is_forbidden_to_other_roles(app, client, make_user, login_as, role):
    login_as(make_user(role=role))
    urls = _admin_urls(app)
    assert ("GET", "/admin/pengguna") in urls and ("POST", "/admin/email/1/ulang") in urls

    statuses = {(method, url): client.open(url, method=method).status_code for method, url in urls}

    assert set(statuses.values()) == {403}, statuses


def test_every_admin_page_sends_anonymous_visitors_to_the_login_page(app, client):
    for method, url in _admin_urls(app):
        response = client.open(url, method=method)

        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/masuk"), (method, url)


def test_a_role_change_by_a_non_admin_changes_nothing(client, make_user, login_as):
    organizer = make_user(role=Role.ORGANIZER)
    login_as(organizer)

    client.post(f"/admin/pengguna/{organizer.id}/peran", data={"confirmed": "ya", "role": "admin"})

    assert _reload(organizer).role == Role.ORGANIZER


# --- the users page ----------------------------------------------------------------------------


def test_admin_sees_each_user_with_name_role_and_verification(client, db, admin, make_user):
    siti = make_user("siti@contoh.id", complete_profile=True)
    make_user("belum@contoh.id", verified=False, role=Role.ORGANIZER)

    html = client.get("/admin/pengguna").get_data(as_text=True)

    assert "siti@contoh.id" in html and "Siti Rahmawati" in html
    assert "belum@contoh.id" in html and "Belum" in html
    assert f'action="/admin/pengguna/{siti.id}/peran"' in html
    assert 'value="organizer" selected' in html
    assert _rows(html) == 3


def test_search_finds_users_by_email_or_by_name(client, db, admin, make_user):
    make_user("siti@contoh.id", complete_profile=True)  # Siti Rahmawati
    make_user("budi@contoh.id")

    by_email = client.get("/admin/pengguna?q=BUDI").get_data(as_text=True)
    by_name = client.get("/admin/pengguna?q=rahma").get_data(as_text=True)

    assert "budi@contoh.id" in by_email and "siti@contoh.id" not in by_email
    assert "siti@contoh.id" in by_name and "budi@contoh.id" not in by_name


def test_search_treats_wildcards_as_plain_text(client, admin, make_user):
    make_user("budi@contoh.id")

    html = client.get("/admin/pengguna?q=%25").get_data(as_text=True)

    assert "budi@contoh.id" not in html


def test_filter_shows_only_one_role(client, admin, make_user):
    make_user("rina@contoh.id", role=Role.REVIEWER)
    make_user("budi@contoh.id")

    html = client.get("/admin/pengguna?role=reviewer").get_data(as_text=True)

    assert "rina@contoh.id" in html
    assert "budi@contoh.id" not in html and "admin@contoh.id" not in html


def test_an_unknown_role_filter_is_a_400_with_the_page(client, admin):
    response = client.get("/admin/pengguna?role=raja")

    assert response.status_code == 400
    assert "Pengguna" in response.get_data(as_text=True)


def test_users_are_listed_fifty_per_page(client, db, admin):
    db.session.execute(
        sa.insert(User),
        [{"email": f"massal{n:03}@contoh.id", "password_hash": "x"} for n in range(54)],
    )
    db.session.commit()

    first = client.get("/admin/pengguna").get_data(as_text=True)
    second = client.get("/admin/pengguna?page=2").get_data(as_text=True)

    assert _rows(first) == 50
    assert _rows(second) == 5
    assert 'href="/admin/pengguna?page=2"' in first


def test_admin_pages_link_to_each_other(client, admin):
    html = client.get("/admin/pengguna").get_data(as_text=True)

    assert 'href="/admin/email"' in html
    assert 'href="/admin/persetujuan"' in html


# --- changing roles ----------------------------------------------------------------------------


def test_admin_changes_a_role_and_the_change_is_audited(client, db, admin, make_user):
    rina = make_user("rina@contoh.id")

    response = client.post(
        f"/admin/pengguna/{rina.id}/peran",
        data={"confirmed": "ya", "role": "organizer", "next": "/admin/pengguna?q=rina"},
        environ_base={"REMOTE_ADDR": "203.0.113.7"},
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/pengguna?q=rina"
    assert _reload(rina).role == Role.ORGANIZER
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "role_changed"))
    assert event.actor_id == admin.id
    assert event.object_id == str(rina.id)
    assert event.details == {"old_role": "participant", "new_role": "organizer"}
    assert event.ip == "203.0.113.7"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Peran rina@contoh.id sekarang Penyelenggara." in page


def test_a_role_change_asks_first_and_changes_nothing_until_confirmed(client, db, admin, make_user):
    rina = make_user("rina@contoh.id")

    asked = client.post(
        f"/admin/pengguna/{rina.id}/peran", data={"role": "reviewer", "next": "/admin/pengguna"}
    )

    page = asked.get_data(as_text=True)
    assert asked.status_code == 200
    assert "Peran rina@contoh.id akan diubah dari Peserta menjadi Peninjau." in page
    assert 'name="confirmed" value="ya"' in page
    assert "Ya, ubah menjadi Peninjau" in page
    assert _reload(rina).role == Role.PARTICIPANT
    assert (
        db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "role_changed")) is None
    )


def test_admin_cannot_remove_their_own_admin_role(client, db, admin):
    response = client.post(
        f"/admin/pengguna/{admin.id}/peran", data={"confirmed": "ya", "role": "participant"}
    )

    assert _reload(admin).role == Role.ADMIN
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "tidak dapat mencabut peran admin Anda sendiri" in page
    assert (
        db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "role_changed")) is None
    )


def test_an_admin_can_demote_another_admin(client, admin, make_user):
    other = make_user("admin2@contoh.id", role=Role.ADMIN)

    client.post(f"/admin/pengguna/{other.id}/peran", data={"confirmed": "ya", "role": "reviewer"})

    assert _reload(other).role == Role.REVIEWER


def test_an_unknown_role_is_refused_with_a_400(client, admin, make_user):
    rina = make_user("rina@contoh.id")

    response = client.post(
        f"/admin/pengguna/{rina.id}/peran", data={"confirmed": "ya", "role": "raja"}
    )

    assert response.status_code == 400
    assert "Pilih salah satu peran" in response.get_data(as_text=True)
    assert _reload(rina).role == Role.PARTICIPANT


def test_the_next_address_never_leaves_the_site(client, admin, make_user):
    rina = make_user("rina@contoh.id")

    response = client.post(
        f"/admin/pengguna/{rina.id}/peran",
        data={"confirmed": "ya", "role": "reviewer", "next": "https://jahat.example/"},
    )

    assert response.headers["Location"] == "/admin/pengguna"


def test_role_change_needs_the_csrf_token(database_url, make_user):
    csrf_app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, WTF_CSRF_ENABLED=True)
    admin = make_user("admin@contoh.id", role=Role.ADMIN, password=PASSWORD)
    rina = make_user("rina@contoh.id")
    client = csrf_app.test_client()
    login_page = client.get("/masuk").get_data(as_text=True)
    credentials = {"email": admin.email, "password": PASSWORD}
    client.post("/masuk", data=credentials | {"csrf_token": _csrf_token(login_page)})
    users_page = client.get("/admin/pengguna").get_data(as_text=True)
    url = f"/admin/pengguna/{rina.id}/peran"

    forged = client.post(url, data={"confirmed": "ya", "role": "admin"})

    assert forged.status_code == 400
    assert _reload(rina).role == Role.PARTICIPANT

    genuine = client.post(
        url, data={"confirmed": "ya", "role": "admin", "csrf_token": _csrf_token(users_page)}
    )

    assert genuine.status_code == 302
    assert _reload(rina).role == Role.ADMIN
    with csrf_app.app_context():
        database.engine.dispose()


# --- the outbox page ---------------------------------------------------------------------------


def _message(db, **values) -> OutboxMessage:
    defaults = {"recipient": "siti@contoh.id", "subject": "Pendaftaran dikonfirmasi"}
    message = OutboxMessage(body_text="Isi", template="notice", **(defaults | values))
    db.session.add(message)
    db.session.commit()
    return message


def test_outbox_page_lists_dead_and_pending_messages(client, db, admin):
    _message(db, status=OutboxStatus.DEAD, attempts=8, last_error="ConnectionRefusedError: x")
    _message(db, subject="Pengingat sesi", attempts=2, next_attempt_at=utcnow())
    _message(db, subject="Sudah terkirim", status=OutboxStatus.SENT, sent_at=utcnow())

    html = client.get("/admin/email").get_data(as_text=True)

    assert "Pendaftaran dikonfirmasi" in html and "ConnectionRefusedError: x" in html
    assert "Pengingat sesi" in html and "siti@contoh.id" in html
    assert "Sudah terkirim" not in html
    assert html.count('action="/admin/email/') == 1  # a retry button for the dead one only


def test_admin_retries_a_dead_email_from_the_page(client, db, admin):
    dead = _message(db, status=OutboxStatus.DEAD, attempts=8, last_error="timeout")

    response = client.post(f"/admin/email/{dead.id}/ulang")

    assert response.status_code == 302
    db.session.expire_all()
    dead = db.session.get(OutboxMessage, dead.id)
    assert (dead.status, dead.attempts) == (OutboxStatus.PENDING, 0)
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "email_retried"))
    assert event.actor_id == admin.id
    page = client.get("/admin/email").get_data(as_text=True)
    assert "Email dijadwalkan untuk dikirim ulang." in page


def test_retrying_a_message_that_is_not_dead_explains_why(client, db, admin):
    pending = _message(db)

    response = client.post(f"/admin/email/{pending.id}/ulang")

    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Hanya email yang gagal terkirim" in page


def test_profile_name_is_shown_when_there_is_one(client, db, admin, make_user):
    user = make_user("tanpa.nama@contoh.id")
    db.session.add(factories.profile(complete=False, user=user))
    db.session.commit()

    html = client.get("/admin/pengguna?q=tanpa").get_data(as_text=True)

    assert "tanpa.nama@contoh.id" in html and "—" in html
