"""Who may open organizer pages: 403 for the wrong role, 404 for another organizer's workshop."""

import re

import pytest
import sqlalchemy as sa

from lokalatih import create_app
from lokalatih.extensions import db as _db
from lokalatih.models import Quota, QuotaKind, Role, Workshop, WorkshopStatus
from tests.support import PASSWORD


def organizer_routes(workshop: Workshop, quota_id: int) -> list[tuple[str, str]]:
    slug, session_id = workshop.slug, workshop.sessions[0].id
    return [
        ("GET", "/kelola"),
        ("GET", "/kelola/baru"),
        ("POST", "/kelola/baru"),
        ("GET", f"/kelola/{slug}"),
        ("GET", f"/kelola/{slug}/ubah"),
        ("POST", f"/kelola/{slug}/ubah"),
        ("POST", f"/kelola/{slug}/status"),
        ("GET", f"/kelola/{slug}/sesi/baru"),
        ("POST", f"/kelola/{slug}/sesi/baru"),
        ("GET", f"/kelola/{slug}/sesi/{session_id}/ubah"),
        ("POST", f"/kelola/{slug}/sesi/{session_id}/ubah"),
        ("POST", f"/kelola/{slug}/sesi/{session_id}/hapus"),
        ("POST", f"/kelola/{slug}/sesi/{session_id}/pindah"),
        ("POST", f"/kelola/{slug}/kuota"),
        ("POST", f"/kelola/{slug}/kuota/{quota_id}/hapus"),
    ]


# Routes of one workshop (the list and the new-workshop page belong to no workshop).
def workshop_routes(workshop: Workshop, quota_id: int) -> list[tuple[str, str]]:
    return [route for route in organizer_routes(workshop, quota_id) if workshop.slug in route[1]]


@pytest.fixture
def workshop(db, make_workshop) -> Workshop:
    workshop = make_workshop(status=WorkshopStatus.PUBLISHED, sessions=2, capacity=10)
    db.session.add(Quota(workshop=workshop, kind=QuotaKind.PROVINCE, value="73", seats=2))
    db.session.commit()
    return workshop


def _quota_id(db) -> int:
    return db.session.scalar(sa.select(Quota.id))


def _open(client, method: str, url: str):
    data = {"to": "cancelled", "reason": "x", "direction": "up"} if method == "POST" else None
    return client.open(url, method=method, data=data)


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.REVIEWER])
def test_participants_and_reviewers_get_403_everywhere(
    db, client, login_as, make_user, workshop, role
):
    login_as(make_user(role=role))

    for method, url in organizer_routes(workshop, _quota_id(db)):
        assert _open(client, method, url).status_code == 403, (method, url)

    db.session.expire_all()
    assert db.session.get(Workshop, workshop.id).status == WorkshopStatus.PUBLISHED


def test_organizer_of_another_workshop_gets_404_everywhere(
    db, client, login_as, make_user, workshop
):
    login_as(make_user(role=Role.ORGANIZER))

    for method, url in workshop_routes(workshop, _quota_id(db)):
        assert _open(client, method, url).status_code == 404, (method, url)

    db.session.expire_all()
    assert db.session.get(Workshop, workshop.id).status == WorkshopStatus.PUBLISHED
    assert len(db.session.get(Workshop, workshop.id).sessions) == 2


def test_anonymous_visitors_are_sent_to_the_login_page(db, client, workshop):
    for method, url in organizer_routes(workshop, _quota_id(db)):
        response = _open(client, method, url)
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/masuk"), (method, url)


def test_admin_manages_every_workshop(db, client, login_as, make_user, workshop):
    login_as(make_user(role=Role.ADMIN))
    slug, session_id = workshop.slug, workshop.sessions[0].id

    for url in [
        "/kelola",
        f"/kelola/{slug}",
        f"/kelola/{slug}/ubah",
        f"/kelola/{slug}/sesi/baru",
        f"/kelola/{slug}/sesi/{session_id}/ubah",
    ]:
        assert client.get(url).status_code == 200, url
    response = client.post(f"/kelola/{slug}/status", data={"to": "registration_closed"})

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Workshop, workshop.id).status == WorkshopStatus.REGISTRATION_CLOSED
    assert workshop.title in client.get("/kelola").get_data(as_text=True)


def test_co_organizer_manages_the_workshop(db, client, login_as, make_user, make_workshop):
    colleague = make_user(role=Role.ORGANIZER)
    workshop = make_workshop(organizers=[make_user(role=Role.ORGANIZER), colleague])
    login_as(colleague)

    assert client.get(f"/kelola/{workshop.slug}").status_code == 200


def test_organizer_forms_carry_a_working_csrf_token(database_url, db, make_workshop):
    workshop = make_workshop(status=WorkshopStatus.PUBLISHED, sessions=2)
    csrf_app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, WTF_CSRF_ENABLED=True)
    client = csrf_app.test_client()
    login_page = client.get("/masuk").get_data(as_text=True)
    credentials = {"email": workshop.organizers[0].email, "password": PASSWORD}
    client.post("/masuk", data=credentials | {"csrf_token": _csrf_token(login_page)})
    manage_page = client.get(f"/kelola/{workshop.slug}").get_data(as_text=True)
    url = f"/kelola/{workshop.slug}/status"

    forged = client.post(url, data={"to": "registration_closed"})
    genuine = client.post(
        url, data={"to": "registration_closed", "csrf_token": _csrf_token(manage_page)}
    )

    assert forged.status_code == 400
    assert genuine.status_code == 302
    db.session.expire_all()
    assert db.session.get(Workshop, workshop.id).status == WorkshopStatus.REGISTRATION_CLOSED
    with csrf_app.app_context():
        _db.session.remove()
        _db.engine.dispose()


def _csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)
