"""The "Hapus akun" page: who may use it, what it asks for, and that it acts only on oneself."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from lokalatih.models import AuditEvent, Role, User
from tests.support import PASSWORD

from .test_csrf import csrf_client, token_in  # noqa: F401 (the fixture)

CONFIRMED = {"password": PASSWORD, "confirm": "y"}


def _erased(db, user: User) -> bool:
    db.session.expire_all()
    return db.session.get(User, user.id).erased_at is not None


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    for response in (client.get("/akun/hapus"), client.post("/akun/hapus", data=CONFIRMED)):
        assert response.status_code == 302
        assert "/masuk" in response.headers["Location"]


def test_the_page_explains_what_is_erased_and_what_is_kept(client, participant):
    response = client.get("/akun/hapus")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Yang dihapus" in page and "Yang disimpan dalam bentuk anonim" in page
    assert 'name="password"' in page and 'name="confirm"' in page
    assert "checked" not in page  # the confirmation is never pre-ticked
    assert response.headers["Cache-Control"] == "no-store"


def test_get_never_erases(client, db, participant):
    client.get("/akun/hapus?password=x&confirm=y")

    assert not _erased(db, participant)


def test_without_the_confirmation_nothing_is_erased(client, db, participant):
    response = client.post("/akun/hapus", data={"password": PASSWORD})

    assert response.status_code == 400
    assert "Centang kotak ini" in response.get_data(as_text=True)
    assert not _erased(db, participant)


def test_a_wrong_password_erases_nothing(client, db, participant):
    response = client.post("/akun/hapus", data={"password": "salah-sandi-123", "confirm": "y"})

    assert response.status_code == 400
    assert "Sandi salah" in response.get_data(as_text=True)
    assert not _erased(db, participant)


def test_erasing_signs_out_and_the_old_session_is_dead(client, db, participant):
    with client.session_transaction() as session:
        copied = dict(session)

    response = client.post("/akun/hapus", data=CONFIRMED)

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/")
    assert _erased(db, participant)
    assert "Akun Anda telah dihapus" in client.get("/").get_data(as_text=True)
    with client.session_transaction() as session:
        session.update(copied)  # a copy of the cookie from before
    assert client.get("/profil").status_code == 302


def test_one_user_cannot_erase_another(client, db, make_user, sign_in):
    me = sign_in(make_user())
    other = make_user()

    # Another person's password does not work, and an id in the form is ignored.
    refused = client.post("/akun/hapus", data={**CONFIRMED, "user_id": other.id, "password": "x"})
    assert refused.status_code == 400
    client.post("/akun/hapus", data={**CONFIRMED, "user_id": other.id})

    assert _erased(db, me)
    assert not _erased(db, other)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.ORGANIZER, Role.REVIEWER])
def test_staff_accounts_are_told_to_ask_an_admin_and_are_not_erased(
    client, db, make_user, sign_in, role
):
    staff = sign_in(make_user(role=role))

    page = client.get("/akun/hapus").get_data(as_text=True)
    refused = client.post("/akun/hapus", data=CONFIRMED)

    assert "Minta admin" in page and 'name="password"' not in page
    assert refused.status_code == 403
    assert not _erased(db, staff)


def test_withdrawing_a_required_consent_offers_account_deletion(
    client, db, participant, consent_version
):
    client.post("/persetujuan", data={"version": "1", "training": "y", "evaluation": "y"})

    withdrawn = client.post("/persetujuan/tarik", data={"purpose": "training"})

    assert withdrawn.headers["Location"].endswith("/akun/hapus?karena=persetujuan")
    page = client.get(withdrawn.headers["Location"]).get_data(as_text=True)
    assert "menghapus akun" in page
    assert not _erased(db, participant)  # withdrawing alone erases nothing
    client.post("/akun/hapus", data={**CONFIRMED, "reason": "persetujuan"})
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "account_erased"))
    assert event.details["erasure_reason"] == "consent_withdrawn"


def test_withdrawing_the_optional_consent_stays_on_the_consent_page(
    client, participant, consent_version
):
    client.post(
        "/persetujuan",
        data={"version": "1", "training": "y", "evaluation": "y", "announcements": "y"},
    )

    withdrawn = client.post("/persetujuan/tarik", data={"purpose": "announcements"})

    assert withdrawn.headers["Location"].endswith("/persetujuan")


def test_the_form_needs_its_csrf_token(csrf_client, make_user, db):  # noqa: F811
    user = make_user()
    client = csrf_client(user)
    token = token_in(client.get("/akun/hapus").get_data(as_text=True))

    forged = client.post("/akun/hapus", data=CONFIRMED)
    assert forged.status_code == 400
    assert not _erased(db, user)

    done = client.post("/akun/hapus", data={**CONFIRMED, "csrf_token": token})
    assert done.status_code == 302
    assert _erased(db, user)
