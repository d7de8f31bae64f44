import re

import sqlalchemy as sa

from lokalatih.auth import tokens
from lokalatih.auth.sessions import SESSION_KEY
from lokalatih.models import LoginSession, Role, User
from tests.auth.auth_helpers import PASSWORD, STRONG_PASSWORD, link_path, user_by_email


def sign_up(client, email="siti@contoh.id", password=STRONG_PASSWORD, confirm=None):
    data = {"email": email, "password": password, "password_confirm": confirm or password}
    return client.post("/daftar", data=data)


def text(response) -> str:
    return response.get_data(as_text=True)


def is_signed_in(client) -> bool:
    return client.get("/akun/sandi").status_code == 200


# --- sign-up ----------------------------------------------------------------------------------


def test_signup_page_offers_the_right_autocomplete_and_links(client):
    page = text(client.get("/daftar"))

    assert 'autocomplete="email"' in page
    assert page.count('autocomplete="new-password"') == 2
    assert 'href="/masuk"' in page
    assert 'href="/lupa-sandi"' in page


def test_signup_queues_exactly_one_verification_email_and_shows_check_email(db, client, outbox):
    response = sign_up(client, email=" Siti@Contoh.id ")

    assert response.status_code == 302
    page = text(client.get(response.headers["Location"]))
    assert "Periksa email Anda" in page
    assert "siti@contoh.id" in page
    assert "Kirim ulang email verifikasi" in page
    [message] = outbox()
    assert message.subject == "Verifikasi email akun lokalatih Anda"
    assert message.recipient == "siti@contoh.id"
    assert link_path(message, "/akun/verifikasi/") in message.body_html
    user = user_by_email(db, "siti@contoh.id")
    assert (user.role, user.locale, user.is_verified) == (Role.PARTICIPANT, "id", False)


def test_signup_saves_the_language_the_visitor_chose(db, client):
    client.post("/bahasa", data={"lang": "en"}, headers={"Referer": "/"})

    sign_up(client)

    assert user_by_email(db, "siti@contoh.id").locale == "en"


def test_the_link_in_the_email_verifies_only_after_the_button(db, client, outbox):
    sign_up(client)
    path = link_path(outbox()[0], "/akun/verifikasi/")

    opened = client.get(path)
    assert opened.status_code == 200
    assert "Verifikasi email saya" in text(opened)
    assert not user_by_email(db, "siti@contoh.id").is_verified

    confirmed = client.post(path)
    assert confirmed.headers["Location"] == "/masuk"
    assert user_by_email(db, "siti@contoh.id").is_verified
    assert client.post("/masuk", data={"email": "siti@contoh.id", "password": STRONG_PASSWORD})


def test_a_replayed_verification_link_says_already_verified(client, outbox):
    sign_up(client)
    path = link_path(outbox()[0], "/akun/verifikasi/")
    client.post(path)

    for response in [client.get(path), client.post(path)]:
        assert response.status_code == 200
        assert "sudah terverifikasi. Silakan masuk." in text(response)


def test_an_expired_verification_link_offers_a_new_email(
    db, client, make_user, outbox, signed_in_the_past
):
    user = make_user(verified=False)
    token = signed_in_the_past(4 * 24 * 3600, lambda: tokens.make_verify_token(user))

    response = client.post(f"/akun/verifikasi/{token}")

    assert response.status_code == 400
    assert "sudah kedaluwarsa" in text(response)
    assert 'action="/akun/verifikasi/kirim-ulang"' in text(response)
    assert not user_by_email(db, user.email).is_verified


def test_a_tampered_verification_link_is_invalid(db, client, make_user):
    user = make_user(verified=False)
    token = tokens.make_verify_token(user)

    for path in [f"/akun/verifikasi/{token}x", "/akun/verifikasi/" + "a" * 3000]:
        response = client.post(path)
        assert response.status_code == 400
        assert "Tautan ini tidak sah" in text(response)
    # A NUL byte is refused before any view runs (the generic bad-request page).
    assert client.post("/akun/verifikasi/%00%ff").status_code == 400
    assert not user_by_email(db, user.email).is_verified


def test_resend_answers_the_same_for_every_address_and_mails_only_the_unverified(
    client, make_user, outbox
):
    unverified = make_user("belum@contoh.id", verified=False)
    make_user("sudah@contoh.id", verified=True)

    pages = []
    for email in ["belum@contoh.id", "sudah@contoh.id", "tidak.ada@contoh.id"]:
        response = client.post("/akun/verifikasi/kirim-ulang", data={"email": email})
        assert response.status_code == 302
        flashed = text(client.get(response.headers["Location"])).replace(email, "EMAIL")
        # A CSRF token carries the second it was signed in: the pages may straddle a second.
        pages.append(re.sub(r'"[\w-]+\.[\w-]+\.[\w-]+"', '"CSRF"', flashed))

    assert pages[0] == pages[1] == pages[2]
    assert "Jika alamat itu terdaftar dan belum diverifikasi" in pages[0]
    assert [m.recipient for m in outbox()] == [unverified.email]


# --- bad sign-up input ------------------------------------------------------------------------


def test_short_common_and_email_like_passwords_are_refused_with_the_email_kept(db, client):
    cases = {
        "Ab3$xyz": "Sandi minimal 8 karakter.",
        "Merdeka45": "terlalu umum",
        "SitiKuat!2026x": "bagian awal alamat email",
        "x" * 129: "Sandi maksimal 128 karakter.",
    }
    for password, message in cases.items():
        response = sign_up(client, email="siti@contoh.id", password=password)

        assert response.status_code == 400
        assert message in text(response)
        assert 'value="siti@contoh.id"' in text(response)
    assert user_by_email(db, "siti@contoh.id") is None


def test_malformed_and_too_long_emails_are_refused_without_an_error_page(client):
    for email, message in [
        ("bukan-email", "Alamat email tidak valid."),
        ("siti@@contoh.id", "Alamat email tidak valid."),
        ("a" * 250 + "@contoh.id", "Alamat email terlalu panjang"),
    ]:
        response = sign_up(client, email=email)

        assert response.status_code == 400
        assert message in text(response)
        assert f'value="{email}"' in text(response)


def test_mismatched_confirmation_is_refused(client):
    response = sign_up(client, confirm="Lereng Merapi 2026 biru")

    assert response.status_code == 400
    assert "Kedua sandi tidak sama." in text(response)


def _without_tokens(page: str) -> str:
    # CSRF tokens carry the second they were made: equal pages differ only there.
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]*', r"\1", page)


def test_a_registered_email_is_answered_like_a_new_one_and_its_owner_is_told(
    client, make_user, outbox, db
):
    """Sign-up must not tell anyone which addresses have accounts."""
    make_user("siti@contoh.id")

    taken = sign_up(client, email="SITI@contoh.id")
    taken_page = _without_tokens(text(client.get(taken.headers["Location"])))
    fresh = sign_up(client, email="budi.baru@contoh.id")
    fresh_page = _without_tokens(text(client.get(fresh.headers["Location"])))

    assert (taken.status_code, taken.headers["Location"]) == (302, "/daftar/periksa-email")
    assert (fresh.status_code, fresh.headers["Location"]) == (302, "/daftar/periksa-email")
    assert "sudah terdaftar" not in taken_page
    assert taken_page.replace("siti@contoh.id", "X") == fresh_page.replace(
        "budi.baru@contoh.id", "X"
    )
    attempt, verify = outbox()
    assert (attempt.template, attempt.recipient) == ("signup_attempt", "siti@contoh.id")
    assert "sudah punya akun" in attempt.body_text
    assert (verify.template, verify.recipient) == ("verify_email", "budi.baru@contoh.id")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 2


def test_empty_and_missing_fields_never_give_a_server_error(client):
    for data in [{}, {"email": ""}, {"email": "  ", "password": ""}]:
        for path in ["/daftar", "/masuk", "/lupa-sandi", "/akun/verifikasi/kirim-ulang"]:
            assert client.post(path, data=data).status_code == 400, (path, data)


# --- login and logout -------------------------------------------------------------------------


def test_login_and_logout(client, make_user):
    user = make_user()

    response = client.post("/masuk", data={"email": user.email, "password": PASSWORD})
    assert response.headers["Location"] == "/"
    assert is_signed_in(client)

    response = client.post("/keluar")
    assert response.headers["Location"] == "/"
    assert "Anda sudah keluar." in text(client.get("/"))
    assert not is_signed_in(client)


def test_login_page_links_to_signup_and_forgot_password(client):
    page = text(client.get("/masuk"))

    assert 'autocomplete="current-password"' in page
    assert 'href="/daftar"' in page
    assert 'href="/lupa-sandi"' in page


def test_a_wrong_password_shows_a_neutral_message_and_keeps_the_email(client, make_user):
    user = make_user()

    response = client.post("/masuk", data={"email": user.email, "password": "bukan-sandinya"})

    assert response.status_code == 400
    assert "Email atau sandi salah." in text(response)
    assert f'value="{user.email}"' in text(response)
    assert "bukan-sandinya" not in text(response)


def test_the_account_locks_after_repeated_failures(app, client, make_user):
    app.config["LOGIN_LOCK_THRESHOLD"] = 3
    user = make_user()
    for _ in range(2):
        client.post("/masuk", data={"email": user.email, "password": "bukan-sandinya"})

    wrong = client.post("/masuk", data={"email": user.email, "password": "bukan-sandinya"})
    right = client.post("/masuk", data={"email": user.email, "password": PASSWORD})

    # Locked, but answered like any wrong password: nothing tells the guesser the lock worked.
    assert "dikunci" not in text(wrong)
    assert "Email atau sandi salah." in text(wrong)
    assert right.status_code == 400
    assert _without_tokens(text(right)) == _without_tokens(text(wrong))
    assert not is_signed_in(client)


def test_the_lock_holds_the_client_that_failed_not_the_owner_elsewhere(app, make_user):
    """Anyone can type ten wrong passwords for a chosen address; the owner must still get in."""
    app.config["LOGIN_LOCK_THRESHOLD"] = 3
    user = make_user()
    attacker, owner = app.test_client(), app.test_client()
    attacker.environ_base["REMOTE_ADDR"] = "203.0.113.66"
    owner.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    for _ in range(4):
        attacker.post("/masuk", data={"email": user.email, "password": "tebakan-salah"})

    from_attacker = attacker.post("/masuk", data={"email": user.email, "password": PASSWORD})
    from_owner = owner.post("/masuk", data={"email": user.email, "password": PASSWORD})

    assert from_attacker.status_code == 400
    assert from_owner.status_code == 302 and is_signed_in(owner)
    again = attacker.post("/masuk", data={"email": user.email, "password": PASSWORD})
    assert again.status_code == 400  # the owner's sign-in did not lift the attacker's lock


def test_an_unverified_account_is_refused_with_a_resend_button(client, make_user):
    user = make_user(verified=False)

    response = client.post("/masuk", data={"email": user.email, "password": PASSWORD})

    assert response.status_code == 400
    assert "belum diverifikasi" in text(response)
    assert 'action="/akun/verifikasi/kirim-ulang"' in text(response)
    assert not is_signed_in(client)


def test_a_stranger_without_the_cookie_is_not_signed_in(client, make_user, login_as):
    login_as(make_user())

    assert is_signed_in(client)
    assert not is_signed_in(client.application.test_client())


def test_login_starts_a_fresh_session(client, make_user):
    user = make_user()
    with client.session_transaction() as session:
        session["ditanam"] = "oleh penyerang"
        session[SESSION_KEY] = "token-tanaman"
    before = client.get_cookie("session").value

    client.post("/masuk", data={"email": user.email, "password": PASSWORD})

    assert client.get_cookie("session").value != before
    with client.session_transaction() as session:
        assert "ditanam" not in session
        assert session[SESSION_KEY] != "token-tanaman"


def test_a_cookie_copied_before_logout_no_longer_signs_in(client, make_user, login_as):
    login_as(make_user())
    copied = client.get_cookie("session").value

    client.post("/keluar")
    client.set_cookie("session", copied)

    response = client.get("/akun/sandi")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/masuk")


def test_logout_is_post_only(client, make_user, login_as):
    login_as(make_user())

    assert client.get("/keluar").status_code == 405
    assert is_signed_in(client)


def test_login_follows_a_local_next_and_ignores_an_offsite_one(client, make_user):
    user = make_user()
    credentials = {"email": user.email, "password": PASSWORD}

    local = client.post("/masuk?next=/akun/sandi", data=credentials)
    client.post("/keluar")
    for target in ["https://jahat.example/", "//jahat.example/", "javascript:alert(1)"]:
        offsite = client.post("/masuk", data={**credentials, "next": target})
        client.post("/keluar")
        assert offsite.headers["Location"] == "/", target

    assert local.headers["Location"] == "/akun/sandi"


def test_the_login_redirect_carries_next_through_the_form(client, make_user):
    user = make_user()

    page = client.get("/akun/sandi", follow_redirects=True)
    response = client.post(
        "/masuk", data={"email": user.email, "password": PASSWORD, "next": "/akun/sandi"}
    )

    assert 'name="next" type="hidden" value="/akun/sandi"' in text(page)
    assert response.headers["Location"] == "/akun/sandi"


def test_after_login_pages_use_the_saved_language(client, make_user):
    user = make_user(locale="en")

    client.post("/masuk", data={"email": user.email, "password": PASSWORD})

    assert 'lang="en"' in text(client.get("/"))


# --- password reset ---------------------------------------------------------------------------


def forgot(client, email):
    return client.post("/lupa-sandi", data={"email": email})


def new_password_data(password=STRONG_PASSWORD):
    return {"password": password, "password_confirm": password}


def test_forgot_password_answers_the_same_whether_or_not_the_account_exists(
    client, make_user, outbox
):
    user = make_user()

    known = forgot(client, user.email)
    known_page = _without_tokens(text(client.get(known.headers["Location"])))
    unknown = forgot(client, "tidak.ada@contoh.id")
    unknown_page = _without_tokens(text(client.get(unknown.headers["Location"])))

    assert known.headers["Location"] == unknown.headers["Location"] == "/masuk"
    assert known_page == unknown_page
    assert "Jika alamat itu terdaftar" in known_page
    # The same work either way: one email each (a link, or a note that there is no account).
    assert [(m.template, m.recipient) for m in outbox()] == [
        ("reset_password", user.email),
        ("reset_no_account", "tidak.ada@contoh.id"),
    ]


def test_password_reset_end_to_end(db, client, make_user, outbox):
    user = make_user(verified=False)
    forgot(client, user.email)
    path = link_path(outbox("reset_password")[0], "/atur-ulang-sandi/")

    form = client.get(path)
    done = client.post(path, data=new_password_data())

    assert form.status_code == 200
    assert 'autocomplete="new-password"' in text(form)
    assert done.headers["Location"] == "/masuk"
    assert "Sandi Anda sudah diganti" in text(client.get("/masuk"))
    assert [m.template for m in outbox()] == ["reset_password", "password_changed"]
    assert user_by_email(db, user.email).is_verified  # the link proved the mailbox
    assert login(client, user, PASSWORD).status_code == 400
    assert login(client, user, STRONG_PASSWORD).status_code == 302
    assert is_signed_in(client)


def test_a_reset_link_works_once(client, make_user, outbox):
    user = make_user()
    forgot(client, user.email)
    path = link_path(outbox()[0], "/atur-ulang-sandi/")
    data = new_password_data()
    client.post(path, data=data)

    for again in [client.get(path), client.post(path, data=data)]:
        assert again.status_code == 400
        assert "sudah dipakai atau tidak berlaku lagi" in text(again)
        assert 'href="/lupa-sandi"' in text(again)


def test_an_expired_reset_link_asks_for_a_new_one(client, make_user, signed_in_the_past):
    user = make_user()
    token = signed_in_the_past(3 * 3600, lambda: tokens.make_reset_token(user))

    response = client.get(f"/atur-ulang-sandi/{token}")

    assert response.status_code == 400
    assert "sudah kedaluwarsa" in text(response)


def test_a_reset_ends_every_login_session_of_the_account(db, client, make_user, login_as):
    user = make_user()
    login_as(user)
    path = "/atur-ulang-sandi/" + tokens.make_reset_token(user)
    stranger = client.application.test_client()

    stranger.post(path, data=new_password_data())

    assert not is_signed_in(client)
    assert (
        db.session.scalar(sa.select(sa.func.count()).where(LoginSession.revoked_at.is_(None))) == 0
    )


def test_a_reset_with_a_weak_password_shows_the_form_again(client, make_user):
    user = make_user()
    path = "/atur-ulang-sandi/" + tokens.make_reset_token(user)

    response = client.post(path, data=new_password_data("qwerty123"))

    assert response.status_code == 400
    assert "terlalu umum" in text(response)
    assert client.get(path).status_code == 200  # the link still works


# --- change password --------------------------------------------------------------------------


def change(client, current=PASSWORD, new=STRONG_PASSWORD):
    data = {"current_password": current, "password": new, "password_confirm": new}
    return client.post("/akun/sandi", data=data)


def test_change_password_needs_login(client):
    response = client.get("/akun/sandi")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/masuk?next=")


def test_change_password_ends_other_sessions_and_keeps_this_one(
    client, make_user, login_as, outbox
):
    user = make_user()
    other_device = client.application.test_client()
    login(other_device, user)
    login_as(user)
    before = client.get_cookie("session").value

    response = change(client)

    assert response.headers["Location"] == "/akun/sandi"
    assert "Sandi Anda sudah diganti" in text(client.get("/akun/sandi"))
    assert client.get_cookie("session").value != before
    assert is_signed_in(client)
    assert not is_signed_in(other_device)
    assert [m.template for m in outbox()] == ["password_changed"]


def test_change_password_with_a_wrong_current_password_is_refused(client, make_user, login_as):
    login_as(make_user())

    response = change(client, current="bukan-sandinya")

    assert response.status_code == 400
    assert "Sandi saat ini salah." in text(response)
    assert is_signed_in(client)


def test_change_password_applies_the_rules(client, make_user, login_as):
    login_as(make_user())

    response = change(client, new="password123")

    assert response.status_code == 400
    assert "terlalu umum" in text(response)


def login(client, user, password=PASSWORD):
    return client.post("/masuk", data={"email": user.email, "password": password})
