"""Rate limits and CSRF, each on an app built with the protection switched on."""

import re

from lokalatih.auth import tokens
from tests.auth.auth_helpers import PASSWORD, STRONG_PASSWORD, user_by_email

CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, path: str) -> str:
    return CSRF_FIELD.search(client.get(path).get_data(as_text=True)).group(1)


def test_too_many_logins_get_the_indonesian_429_page(make_app, make_user):
    user = make_user()
    client = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute").test_client()

    responses = [
        client.post("/masuk", data={"email": user.email, "password": "bukan-sandinya"})
        for _ in range(4)
    ]

    assert [r.status_code for r in responses] == [400, 400, 400, 429]
    assert "Terlalu banyak percobaan" in responses[-1].get_data(as_text=True)
    assert client.get("/masuk").status_code == 200  # opening the form is not limited


def test_too_many_signups_are_limited(make_app):
    client = make_app(RATELIMIT_ENABLED=True, SIGNUP_RATE_LIMIT="2 per minute").test_client()

    statuses = [
        client.post(
            "/daftar",
            data={
                "email": f"orang{n}@contoh.id",
                "password": STRONG_PASSWORD,
                "password_confirm": STRONG_PASSWORD,
            },
        ).status_code
        for n in range(3)
    ]

    assert statuses == [302, 302, 429]


def test_too_many_reset_requests_are_limited(make_app):
    client = make_app(RATELIMIT_ENABLED=True, RESET_RATE_LIMIT="2 per minute").test_client()

    statuses = [
        client.post("/lupa-sandi", data={"email": "siti@contoh.id"}).status_code for _ in range(3)
    ]
    resend = [
        client.post("/akun/verifikasi/kirim-ulang", data={"email": "siti@contoh.id"}).status_code
        for _ in range(3)
    ]

    assert statuses == [302, 302, 429]
    assert resend == [302, 302, 429]


def test_posts_without_a_csrf_token_are_refused_with_400(make_app, make_user):
    user = make_user()
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    data = {"email": user.email, "password": PASSWORD, "password_confirm": PASSWORD}

    for path in ["/masuk", "/daftar", "/keluar", "/lupa-sandi", "/akun/verifikasi/kirim-ulang"]:
        response = client.post(path, data=data)

        assert response.status_code == 400, path
        assert "<h1>400</h1>" in response.get_data(as_text=True)


def test_login_and_logout_work_with_the_token_and_logout_needs_it(make_app, make_user):
    user = make_user()
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    token = csrf_token(client, "/masuk")

    login = client.post(
        "/masuk", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
    )
    forged_logout = client.post("/keluar")

    assert login.status_code == 302
    assert forged_logout.status_code == 400
    assert client.get("/akun/sandi").status_code == 200
    logout = client.post("/keluar", data={"csrf_token": csrf_token(client, "/akun/sandi")})
    assert logout.status_code == 302
    assert client.get("/akun/sandi").status_code == 302


def test_the_verification_button_needs_the_csrf_token(db, make_app, make_user):
    user = make_user(verified=False)
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    path = "/akun/verifikasi/" + tokens.make_verify_token(user)

    forged = client.post(path)
    assert forged.status_code == 400
    assert not user_by_email(db, user.email).is_verified

    client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert user_by_email(db, user.email).is_verified
