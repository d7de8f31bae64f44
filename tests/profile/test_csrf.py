"""The real forms carry their CSRF token: saving works with CSRF on, forging does not."""

import re

import pytest
import sqlalchemy as sa

from lokalatih import create_app
from lokalatih.auth.sessions import SESSION_KEY, start_login_session
from lokalatih.models import ConsentRecord, Profile, Role


@pytest.fixture
def csrf_client(database_url, db):
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, WTF_CSRF_ENABLED=True)
    client = app.test_client()

    def sign_in(user):
        token = start_login_session(user)
        db.session.commit()
        with client.session_transaction() as session:
            session.update({"_user_id": str(user.id), "_fresh": True, SESSION_KEY: token})
        return client

    yield sign_in
    with app.app_context():
        from lokalatih.extensions import db as app_db

        app_db.session.remove()
        app_db.engine.dispose()


def token_in(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_profile_form_saves_with_its_token_and_refuses_without(csrf_client, make_user, db):
    user = make_user()
    client = csrf_client(user)
    token = token_in(client.get("/profil").get_data(as_text=True))

    forged = client.post("/profil", data={"full_name": "Siti Rahmawati"})
    saved = client.post("/profil", data={"full_name": "Siti Rahmawati", "csrf_token": token})

    assert forged.status_code == 400
    assert saved.status_code == 302
    db.session.expire_all()
    assert db.session.get(Profile, user.id).full_name == "Siti Rahmawati"


def test_consent_and_withdrawal_forms_work_with_their_tokens(
    csrf_client, make_user, db, consent_version
):
    user = make_user()
    client = csrf_client(user)
    page = client.get("/persetujuan").get_data(as_text=True)
    data = {"csrf_token": token_in(page), "version": "1", "training": "y", "evaluation": "y"}

    assert client.post("/persetujuan", data=data).status_code == 302
    page = client.get("/persetujuan").get_data(as_text=True)
    withdraw_token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    withdrawn = client.post(
        "/persetujuan/tarik", data={"csrf_token": withdraw_token, "purpose": "evaluation"}
    )

    assert withdrawn.status_code == 302
    db.session.expire_all()
    withdrawn_at = db.session.scalars(
        sa.select(ConsentRecord.withdrawn_at).where(ConsentRecord.purpose == "evaluation")
    ).all()
    assert withdrawn_at[0] is not None


def test_publish_form_works_with_its_token(csrf_client, make_user, consent_version):
    client = csrf_client(make_user(role=Role.ADMIN))
    token = token_in(client.get("/admin/persetujuan/baru").get_data(as_text=True))

    response = client.post(
        "/admin/persetujuan/baru",
        data={"csrf_token": token, "body_id": "Baru.", "body_en": "New.", "confirm": "y"},
    )

    assert response.status_code == 302
