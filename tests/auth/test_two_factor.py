"""Two-factor sign-in through the real pages: set-up, the code step, replay, recovery codes,
disabling, the staff rule and the rate limit.

Codes are computed from the secret the set-up page shows, with an RFC 6238 implementation of
the tests' own (two_factor_helpers), so the app's TOTP is checked against the standard, not
against itself.
"""

from __future__ import annotations

import base64
import re
import time

import pytest
import sqlalchemy as sa

from config import DevelopmentConfig, ProductionConfig, TestingConfig
from lokalatih.auth import totp
from lokalatih.auth.pending import PENDING_KEY
from lokalatih.auth.sessions import SESSION_KEY
from lokalatih.models import AuditEvent, RecoveryCode, Role
from lokalatih.outbox.tasks import send_due_messages
from tests.auth.auth_helpers import PASSWORD, audit_actions, user_by_email
from tests.auth.two_factor_helpers import (
    RECOVERY_CODE,
    SECRET_ON_PAGE,
    STEP,
    rfc6238,
    wrong_code,
)
from tests.support import login, text_body


def text(response) -> str:
    return response.get_data(as_text=True)


def is_signed_in(client) -> bool:
    return client.get("/akun/sandi").status_code == 200


def set_up_two_factor(db, client, user) -> tuple[str, list[str]]:
    """Enable 2FA through the pages for a signed-in `user`; returns the secret and the recovery
    codes. The last accepted step is then moved back, as if the set-up was a minute ago, so the
    test may sign in with a code of the current step."""
    secret = SECRET_ON_PAGE.search(text(client.get("/akun/dua-langkah"))).group(1)
    page = client.post("/akun/dua-langkah", data={"code": rfc6238(secret)})
    assert page.status_code == 200, text(page)
    codes = RECOVERY_CODE.findall(text(page))
    fresh = user_by_email(db, user.email)
    fresh.totp_last_step = int(time.time() // STEP) - 2
    db.session.commit()
    return secret, codes


@pytest.fixture
def two_factor_user(db, client, make_user, login_as):
    """A participant with 2FA on, signed out again; `.secret` and `.codes` are attached."""
    user = make_user()
    login_as(user)
    user.secret, user.codes = set_up_two_factor(db, client, user)
    client.post("/keluar")
    return user


# --- the algorithm and the sealing --------------------------------------------------------------


def test_totp_gives_the_rfc_6238_test_vectors():
    secret = b"12345678901234567890"

    codes = [totp.hotp(secret, totp.current_step(t), 8) for t in (59, 1111111109, 2000000000)]

    assert codes == ["94287082", "07081804", "69279037"]


def test_a_sealed_secret_opens_only_with_its_key_and_owner():
    secret = totp.new_secret()
    old_key, new_key = totp.new_key(), totp.new_key()
    sealed = totp.seal(secret, 7, old_key)

    assert totp.unseal(sealed, 7, [new_key, old_key]) == (secret, 1)
    assert totp.to_base32(secret) not in sealed
    for keys, owner in [([new_key], 7), ([old_key], 8)]:
        with pytest.raises(totp.SealError):
            totp.unseal(sealed, owner, keys)


def test_an_altered_sealed_secret_does_not_open():
    key = totp.new_key()
    sealed = totp.seal(totp.new_secret(), 7, key)
    altered = sealed[:-6] + ("A" if sealed[-6] != "A" else "B") + sealed[-5:]

    with pytest.raises(totp.SealError):
        totp.unseal(altered, 7, [key])


# --- set-up ------------------------------------------------------------------------------------


def test_setup_shows_the_secret_and_an_inline_svg_qr_and_enables_with_a_real_code(
    db, client, make_user, login_as
):
    user = make_user()
    login_as(user)

    page = text(client.get("/akun/dua-langkah"))
    secret = SECRET_ON_PAGE.search(page).group(1)
    assert '<svg width="' in page and 'class="totp-qr"' in page
    assert "<script>" not in page
    uri = re.search(r'href="(otpauth://totp/[^"]+)"', page).group(1).replace("&amp;", "&")
    assert f"secret={secret.replace(' ', '')}" in uri
    assert "issuer=lokalatih" in uri and "digits=6" in uri and "period=30" in uri
    assert SECRET_ON_PAGE.search(text(client.get("/akun/dua-langkah"))).group(1) == secret

    refused = client.post("/akun/dua-langkah", data={"code": wrong_code(secret)})
    assert refused.status_code == 400
    assert "Kode salah atau sudah dipakai" in text(refused)
    assert not user_by_email(db, user.email).two_factor_enabled

    enabled = client.post("/akun/dua-langkah", data={"code": rfc6238(secret)})
    assert enabled.status_code == 200
    assert enabled.headers["Cache-Control"] == "no-store"
    codes = RECOVERY_CODE.findall(text(enabled))
    assert len(codes) == 10 and len(set(codes)) == 10
    assert user_by_email(db, user.email).two_factor_enabled
    stored = " ".join(db.session.scalars(sa.select(RecoveryCode.code_hash)))
    assert all(code not in stored for code in codes)
    assert user_by_email(db, user.email).totp_secret.startswith("v2.")
    assert secret.replace(" ", "") not in user_by_email(db, user.email).totp_secret
    assert audit_actions(db)[-2:] == ["two_factor_failed", "two_factor_enabled"]
    # The codes are shown once: the page now manages 2FA and shows none.
    manage = text(client.get("/akun/dua-langkah"))
    assert "Sisa kode pemulihan yang belum dipakai: 10." in manage
    assert codes[0] not in manage


def test_the_profile_page_links_to_the_setup(client, make_user, login_as):
    login_as(make_user())

    page = text(client.get("/profil"))

    assert 'href="/akun/dua-langkah"' in page
    assert "Belum aktif" in page


def test_bad_input_on_every_two_factor_form_is_a_400_never_a_500(
    client, make_user, login_as, two_factor_user
):
    hostile = ["x" * 5000, "<script>alert(1)</script>", "１２３４５６", "' OR 1=1 --", ""]
    login(client, two_factor_user)
    for value in hostile:
        response = client.post("/masuk/kode", data={"code": value})
        assert response.status_code == 400, value
        assert "<script>alert" not in text(response)
    other = make_user()
    login_as(other)
    for value in hostile:
        assert client.post("/akun/dua-langkah", data={"code": value}).status_code == 400


# --- signing in --------------------------------------------------------------------------------


def test_the_password_alone_does_not_sign_in_a_user_with_two_factor(db, client, two_factor_user):
    response = login(client, two_factor_user)

    assert response.headers["Location"] == "/masuk/kode"
    with client.session_transaction() as session:
        assert SESSION_KEY not in session and "_user_id" not in session
        assert PENDING_KEY in session
    assert not is_signed_in(client)
    assert client.get("/profil").headers["Location"].startswith("/masuk")
    assert "login" not in audit_actions(db)[-1:]

    done = client.post("/masuk/kode", data={"code": rfc6238(two_factor_user.secret)})

    assert done.headers["Location"] == "/"
    assert is_signed_in(client)
    with client.session_transaction() as session:
        assert PENDING_KEY not in session
    login_event = db.session.scalar(sa.select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1))
    assert (login_event.action, login_event.details) == ("login", {"second_factor": "totp"})


def test_next_survives_the_code_step(client, two_factor_user):
    client.post("/masuk?next=/profil", data={"email": two_factor_user.email, "password": PASSWORD})

    response = client.post("/masuk/kode", data={"code": rfc6238(two_factor_user.secret)})

    assert response.headers["Location"] == "/profil"


def test_the_code_step_without_a_password_step_goes_back_to_login(client, two_factor_user):
    assert client.get("/masuk/kode").headers["Location"] == "/masuk"
    response = client.post("/masuk/kode", data={"code": rfc6238(two_factor_user.secret)})
    assert response.headers["Location"] == "/masuk"
    assert not is_signed_in(client)


def test_the_half_way_state_expires(client, two_factor_user):
    login(client, two_factor_user)
    with client.session_transaction() as session:
        session[PENDING_KEY] = {**session[PENDING_KEY], "since": int(time.time()) - 301}

    response = client.post("/masuk/kode", data={"code": rfc6238(two_factor_user.secret)})

    assert response.headers["Location"] == "/masuk"
    assert not is_signed_in(client)


def test_a_wrong_code_is_refused_and_counts_as_a_failed_login(db, client, two_factor_user):
    login(client, two_factor_user)

    response = client.post("/masuk/kode", data={"code": wrong_code(two_factor_user.secret)})

    assert response.status_code == 400
    assert "Kode salah atau sudah dipakai" in text(response)
    assert not is_signed_in(client)
    assert user_by_email(db, two_factor_user.email).failed_logins == 1
    assert audit_actions(db)[-1] == "two_factor_failed"


def test_a_code_is_accepted_once_and_an_earlier_one_never_after_it(db, client, two_factor_user):
    secret = two_factor_user.secret
    login(client, two_factor_user)
    assert client.post("/masuk/kode", data={"code": rfc6238(secret, 1)}).status_code == 302
    client.post("/keluar")

    login(client, two_factor_user)
    replay = client.post("/masuk/kode", data={"code": rfc6238(secret, 1)})
    earlier = client.post("/masuk/kode", data={"code": rfc6238(secret)})

    assert replay.status_code == 400
    assert earlier.status_code == 400
    assert not is_signed_in(client)


def test_a_code_two_steps_away_is_refused(client, two_factor_user):
    login(client, two_factor_user)

    response = client.post("/masuk/kode", data={"code": rfc6238(two_factor_user.secret, 3)})

    assert response.status_code == 400


def test_a_recovery_code_signs_in_once(db, client, two_factor_user):
    code = two_factor_user.codes[3]
    login(client, two_factor_user)

    first = client.post("/masuk/kode", data={"code": code.upper().replace("-", " ")})

    assert first.headers["Location"] == "/"
    assert "Sisa kode pemulihan: 9" in text(client.get("/"))
    assert "two_factor_recovery_code_used" in audit_actions(db)
    client.post("/keluar")
    login(client, two_factor_user)
    again = client.post("/masuk/kode", data={"code": code})
    assert again.status_code == 400
    assert not is_signed_in(client)


def test_wrong_codes_lock_the_account_and_the_password_does_not_reset_the_count(
    app, db, client, two_factor_user
):
    app.config["LOGIN_LOCK_THRESHOLD"] = 3
    bad = wrong_code(two_factor_user.secret)
    login(client, two_factor_user)
    client.post("/masuk/kode", data={"code": bad})
    login(client, two_factor_user)  # starting over with the right password...
    client.post("/masuk/kode", data={"code": bad})

    locked = client.post("/masuk/kode", data={"code": bad})  # ...still counts towards the lock

    assert "dikunci" not in text(locked)  # answered like any wrong code
    assert "Kode salah atau sudah dipakai." in text(locked)
    assert (
        client.post("/masuk/kode", data={"code": rfc6238(two_factor_user.secret)}).status_code
        == 400
    )
    assert not is_signed_in(client)
    assert "account_locked" in audit_actions(db)


# --- key rotation ------------------------------------------------------------------------------


def test_a_new_two_factor_key_with_the_old_one_behind_it_keeps_codes_working(
    db, make_app, two_factor_user
):
    old_key = TestingConfig.TWO_FACTOR_KEYS[0]
    new_key = totp.new_key()
    client = make_app(TWO_FACTOR_KEYS=(new_key, old_key)).test_client()
    sealed_before = user_by_email(db, two_factor_user.email).totp_secret

    login(client, two_factor_user)
    response = client.post("/masuk/kode", data={"code": rfc6238(two_factor_user.secret)})

    assert response.headers["Location"] == "/"
    user = user_by_email(db, two_factor_user.email)
    assert user.totp_secret != sealed_before  # sealed again with the new key
    assert totp.unseal(user.totp_secret, user.id, [new_key])[0] == base64_secret(
        two_factor_user.secret
    )


def test_the_rotate_command_seals_every_secret_with_the_first_key(db, make_app, two_factor_user):
    new_key = totp.new_key()
    rotated = make_app(TWO_FACTOR_KEYS=(new_key, TestingConfig.TWO_FACTOR_KEYS[0]))

    with rotated.app_context():  # the command runs in the context it finds
        result = rotated.test_cli_runner().invoke(args=["two-factor", "rotate-key"])

    assert result.exit_code == 0, result.output
    assert "sealed again with the first key: 1" in result.output
    # The old key can now leave: codes work with the new key alone.
    client = make_app(TWO_FACTOR_KEYS=(new_key,)).test_client()
    login(client, two_factor_user)
    response = client.post("/masuk/kode", data={"code": rfc6238(two_factor_user.secret)})
    assert response.headers["Location"] == "/"


def test_rotating_the_secret_key_does_not_touch_two_step_secrets(make_app, two_factor_user):
    client = make_app(SECRET_KEY="a-new-secret").test_client()
    login(client, two_factor_user)

    response = client.post("/masuk/kode", data={"code": rfc6238(two_factor_user.secret)})

    assert response.headers["Location"] == "/"


def test_a_lost_two_factor_key_leaves_only_the_recovery_codes(make_app, two_factor_user):
    client = make_app(TWO_FACTOR_KEYS=(totp.new_key(),)).test_client()
    login(client, two_factor_user)

    refused = client.post("/masuk/kode", data={"code": rfc6238(two_factor_user.secret)})
    recovered = client.post("/masuk/kode", data={"code": two_factor_user.codes[0]})

    assert refused.status_code == 400
    assert recovered.headers["Location"] == "/"


def test_new_key_prints_a_key_that_seals(app):
    result = app.test_cli_runner().invoke(args=["two-factor", "new-key"])

    key = result.output.strip()
    assert totp.unseal(totp.seal(b"x" * 20, 1, key), 1, [key]) == (b"x" * 20, 0)


def base64_secret(grouped: str) -> bytes:
    compact = grouped.replace(" ", "")
    return base64.b32decode(compact + "=" * (-len(compact) % 8))


# --- recovery codes and disabling --------------------------------------------------------------


def test_new_recovery_codes_need_the_password_and_replace_the_old(db, client, two_factor_user):
    login(client, two_factor_user)
    client.post("/masuk/kode", data={"code": rfc6238(two_factor_user.secret)})

    refused = client.post("/akun/dua-langkah/kode-pemulihan", data={"codes-password": "salah"})
    assert refused.status_code == 400
    assert "Sandi saat ini salah." in text(refused)

    page = client.post("/akun/dua-langkah/kode-pemulihan", data={"codes-password": PASSWORD})
    new_codes = RECOVERY_CODE.findall(text(page))
    assert len(new_codes) == 10 and not set(new_codes) & set(two_factor_user.codes)
    client.post("/keluar")
    login(client, two_factor_user)
    assert client.post("/masuk/kode", data={"code": two_factor_user.codes[0]}).status_code == 400
    assert client.post("/masuk/kode", data={"code": new_codes[0]}).status_code == 302


def test_disabling_needs_the_password_and_a_code(db, client, two_factor_user):
    secret = two_factor_user.secret
    login(client, two_factor_user)
    client.post("/masuk/kode", data={"code": rfc6238(secret)})

    wrong_password = client.post(
        "/akun/dua-langkah/nonaktifkan",
        data={"disable-password": "salah", "disable-code": rfc6238(secret, 1)},
    )
    bad_code = client.post(
        "/akun/dua-langkah/nonaktifkan",
        data={"disable-password": PASSWORD, "disable-code": wrong_code(secret)},
    )
    assert (wrong_password.status_code, bad_code.status_code) == (400, 400)
    assert user_by_email(db, two_factor_user.email).two_factor_enabled

    done = client.post(
        "/akun/dua-langkah/nonaktifkan",
        data={"disable-password": PASSWORD, "disable-code": rfc6238(secret, 1)},
    )

    assert done.headers["Location"] == "/akun/dua-langkah"
    user = user_by_email(db, two_factor_user.email)
    assert (user.two_factor_enabled, user.totp_secret) == (False, None)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(RecoveryCode)) == 0
    assert audit_actions(db)[-1] == "two_factor_disabled"
    client.post("/keluar")
    assert login(client, two_factor_user).headers["Location"] == "/"


# --- required for staff ------------------------------------------------------------------------


def test_staff_roles_need_two_factor_in_production_only():
    assert ProductionConfig.TWO_FACTOR_REQUIRED_ROLES == ("admin", "organizer", "reviewer")
    assert DevelopmentConfig.TWO_FACTOR_REQUIRED_ROLES == ()
    assert TestingConfig.TWO_FACTOR_REQUIRED_ROLES == ()


def test_staff_without_two_factor_are_sent_to_setup_when_required(db, make_app, make_user):
    app = make_app(TWO_FACTOR_REQUIRED_ROLES=("admin", "organizer", "reviewer"))
    organizer = make_user(role=Role.ORGANIZER)
    client = app.test_client()
    assert login(client, organizer).status_code == 302

    for path in ["/kelola", "/profil", "/", "/akun/sandi", "/data-saya"]:
        response = client.get(path)
        assert response.headers.get("Location") == "/akun/dua-langkah", path
    assert client.post("/akun/sandi", data={}).headers["Location"] == "/akun/dua-langkah"
    setup = client.get("/akun/dua-langkah")
    assert setup.status_code == 200
    assert "Peran Anda mewajibkan verifikasi dua langkah" in text(setup)
    with client.get("/static/css/app.css") as stylesheet:
        assert stylesheet.status_code == 200
    language = client.post("/bahasa", data={"lang": "en", "next": "/akun/dua-langkah"})
    assert language.headers["Location"] == "/akun/dua-langkah"

    secret = SECRET_ON_PAGE.search(text(client.get("/akun/dua-langkah"))).group(1)
    assert client.post("/akun/dua-langkah", data={"code": rfc6238(secret)}).status_code == 200
    assert client.get("/kelola").status_code == 200
    assert client.post("/keluar").headers["Location"] == "/"


def test_participants_are_not_sent_to_setup_when_staff_need_two_factor(make_app, make_user):
    client = make_app(TWO_FACTOR_REQUIRED_ROLES=("admin", "organizer", "reviewer")).test_client()
    login(client, make_user(role=Role.PARTICIPANT))

    assert client.get("/profil").status_code == 200


def test_logout_works_before_the_setup_when_required(make_app, make_user):
    client = make_app(TWO_FACTOR_REQUIRED_ROLES=("admin",)).test_client()
    login(client, make_user(role=Role.ADMIN))

    assert client.post("/keluar").headers["Location"] == "/"
    assert client.get("/akun/sandi").headers["Location"].startswith("/masuk")


# --- rate limit --------------------------------------------------------------------------------


def test_the_code_step_is_rate_limited_like_login(make_app, two_factor_user):
    client = make_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute").test_client()
    login(client, two_factor_user)
    bad = wrong_code(two_factor_user.secret)

    statuses = [client.post("/masuk/kode", data={"code": bad}).status_code for _ in range(4)]

    assert statuses == [400, 400, 400, 429]
    assert client.get("/masuk/kode").status_code == 200  # opening the form is not limited


# --- operator reset ----------------------------------------------------------------------------


def test_the_operator_can_turn_off_two_factor_for_a_locked_out_user(
    app, db, client, two_factor_user
):
    result = app.test_cli_runner().invoke(
        args=["users", "reset-two-factor", two_factor_user.email, "--yes"]
    )

    assert result.exit_code == 0, result.output
    assert not user_by_email(db, two_factor_user.email).two_factor_enabled
    assert audit_actions(db)[-1] == "two_factor_reset"
    assert login(client, two_factor_user).headers["Location"] == "/"


def test_the_owner_is_emailed_about_every_change_to_their_second_factor(
    app, db, client, smtp_server, two_factor_user
):
    secret = two_factor_user.secret
    login(client, two_factor_user)
    client.post("/masuk/kode", data={"code": rfc6238(secret)})
    client.post("/akun/dua-langkah/kode-pemulihan", data={"codes-password": PASSWORD})
    client.post(
        "/akun/dua-langkah/nonaktifkan",
        data={"disable-password": PASSWORD, "disable-code": rfc6238(secret, 1)},
    )

    send_due_messages()

    mail = smtp_server.inbox.to(two_factor_user.email)
    assert [str(message["Subject"]) for message in mail] == [
        "Verifikasi dua langkah diaktifkan",
        "Kode pemulihan baru dibuat; kode lama tidak berlaku lagi",
        "Verifikasi dua langkah dinonaktifkan",
    ]
    body = text_body(mail[-1])
    assert "segera ganti kata sandi" in body and "/akun/dua-langkah" in body


def test_an_english_speaking_owner_is_told_in_english_when_the_operator_resets_it(
    app, db, smtp_server, two_factor_user
):
    user = user_by_email(db, two_factor_user.email)
    user.locale = "en"
    db.session.commit()

    app.test_cli_runner().invoke(args=["users", "reset-two-factor", user.email, "--yes"])
    send_due_messages()

    subjects = [str(m["Subject"]) for m in smtp_server.inbox.to(user.email)]
    assert subjects[-1] == "Two-step verification turned off by an administrator"
