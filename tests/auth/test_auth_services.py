from datetime import timedelta

import pytest
import sqlalchemy as sa

from lokalatih.auth import services, tokens
from lokalatih.auth.errors import (
    AccountLockedError,
    AlreadyVerifiedError,
    EmailNotVerifiedError,
    InvalidCredentialsError,
    InvalidEmailError,
    InvalidLinkError,
    ResetLinkExpiredError,
    ResetLinkUsedError,
    SamePasswordError,
    VerifyLinkExpiredError,
    WeakPasswordError,
    WrongPasswordError,
)
from lokalatih.auth.sessions import start_login_session
from lokalatih.models import AuditEvent, LoginSession, Role, utcnow
from tests.auth.auth_helpers import PASSWORD, STRONG_PASSWORD, audit_actions, link_path


def test_sign_up_creates_an_unverified_participant_with_one_verification_email(db, outbox):
    user = services.sign_up("  Siti.Rahma@Contoh.ID ", STRONG_PASSWORD, "en")
    db.session.commit()

    assert user.email == "siti.rahma@contoh.id"
    assert user.role == Role.PARTICIPANT
    assert user.locale == "en"
    assert not user.is_verified
    assert STRONG_PASSWORD not in user.password_hash
    assert user.password_hash.startswith("scrypt:")
    [message] = outbox()
    assert message.template == "verify_email"
    assert message.recipient == "siti.rahma@contoh.id"
    assert link_path(message, "/akun/verifikasi/")


def test_sign_up_with_an_address_already_registered_in_any_case_tells_its_owner(
    db, make_user, outbox
):
    owner = make_user("siti@contoh.id")
    before = owner.password_hash

    assert services.sign_up("SITI@contoh.id", STRONG_PASSWORD, "id") is None
    assert services.sign_up("siti@contoh.id", STRONG_PASSWORD, "id") is None  # within the hour

    [message] = outbox()
    assert (message.template, message.recipient) == ("signup_attempt", "siti@contoh.id")
    db.session.refresh(owner)
    assert owner.password_hash == before


def test_sign_up_refuses_a_common_password_and_queues_nothing(db, outbox):
    with pytest.raises(WeakPasswordError) as caught:
        services.sign_up("budi@contoh.id", "Indonesia123", "id")

    assert "terlalu umum" in caught.value.message
    assert outbox() == []


def test_sign_up_refuses_a_malformed_or_too_long_address(db):
    for email in ["bukan-email", "budi@", "a" * 250 + "@contoh.id"]:
        with pytest.raises(InvalidEmailError):
            services.sign_up(email, STRONG_PASSWORD, "id")


def test_verify_email_marks_the_account_verified_once(db, make_user):
    user = make_user(verified=False)
    token = tokens.make_verify_token(user)

    services.verify_email(token)
    db.session.commit()

    assert user.is_verified
    with pytest.raises(AlreadyVerifiedError):
        services.verify_email(token)


def test_checking_a_verification_link_changes_nothing(db, make_user):
    user = make_user(verified=False)

    services.check_verification_token(tokens.make_verify_token(user))

    assert not user.is_verified


def test_an_expired_verification_link_is_refused_as_expired(db, make_user, signed_in_the_past):
    user = make_user(verified=False)
    token = signed_in_the_past(4 * 24 * 3600, lambda: tokens.make_verify_token(user))

    with pytest.raises(VerifyLinkExpiredError):
        services.verify_email(token)
    assert not user.is_verified


def test_an_expired_link_of_a_verified_account_says_already_verified(
    db, make_user, signed_in_the_past
):
    user = make_user(verified=True)
    token = signed_in_the_past(4 * 24 * 3600, lambda: tokens.make_verify_token(user))

    with pytest.raises(AlreadyVerifiedError):
        services.check_verification_token(token)


def test_a_tampered_or_foreign_token_is_invalid(db, make_user):
    user = make_user(verified=False)
    token = tokens.make_verify_token(user)

    for bad in [token[:-2] + "xx", "abc", tokens.make_reset_token(user)]:
        with pytest.raises(InvalidLinkError):
            services.verify_email(bad)
    assert not user.is_verified


def test_a_verification_link_stops_working_when_the_address_changes(db, make_user):
    user = make_user("lama@contoh.id", verified=False)
    token = tokens.make_verify_token(user)
    user.email = "baru@contoh.id"

    with pytest.raises(InvalidLinkError):
        services.verify_email(token)


def test_authenticate_returns_the_user_and_resets_the_failure_count(db, make_user):
    user = make_user()
    user.failed_logins = 3

    result = services.authenticate(user.email.upper(), PASSWORD, ip="203.0.113.5")

    assert result is user
    assert user.failed_logins == 0
    assert user.last_login_at is not None
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "login"))
    assert (event.actor_id, event.ip) == (user.id, "203.0.113.5")


def test_a_wrong_password_is_counted_and_logged_against_the_account(db, make_user):
    user = make_user()

    with pytest.raises(InvalidCredentialsError):
        services.authenticate(user.email, "salah-sandi-sekali", ip=None)

    assert user.failed_logins == 1
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "login_failed"))
    assert event.object_id == str(user.id)
    assert event.details == {"reason": "wrong_password"}


def test_an_unknown_address_is_refused_like_a_wrong_password(db):
    with pytest.raises(InvalidCredentialsError):
        services.authenticate("tidak.ada@contoh.id", PASSWORD)

    assert audit_actions(db) == ["login_failed"]


def test_the_account_locks_after_the_threshold_and_refuses_even_the_right_password(
    app, db, make_user
):
    app.config["LOGIN_LOCK_THRESHOLD"] = 3
    user = make_user()
    for _ in range(2):
        with pytest.raises(InvalidCredentialsError):
            services.authenticate(user.email, "salah-sandi-lagi")

    with pytest.raises(AccountLockedError) as third:
        services.authenticate(user.email, "salah-sandi-lagi")
    with pytest.raises(AccountLockedError) as right_password:
        services.authenticate(user.email, PASSWORD)

    assert third.value.minutes == app.config["LOGIN_LOCK_MINUTES"]
    assert right_password.value.message == third.value.message
    assert "account_locked" in audit_actions(db)


def test_login_works_again_once_the_lock_has_ended(db, make_user):
    user = make_user()
    user.locked_until = utcnow() - timedelta(seconds=1)

    assert services.authenticate(user.email, PASSWORD) is user
    assert user.locked_until is None


def test_an_unverified_account_cannot_log_in_even_with_the_right_password(db, make_user):
    user = make_user(verified=False)

    with pytest.raises(EmailNotVerifiedError):
        services.authenticate(user.email, PASSWORD)
    with pytest.raises(InvalidCredentialsError):
        services.authenticate(user.email, "bukan-sandinya-1")


def test_a_reset_request_for_an_unknown_address_queues_a_note_once_an_hour(db, outbox):
    """The same work as for an account (one email, one audit entry), so timing reveals nothing."""
    services.request_password_reset("Tidak.Ada@contoh.id")
    services.request_password_reset("tidak.ada@contoh.id")

    [message] = outbox()
    assert (message.template, message.recipient) == ("reset_no_account", "tidak.ada@contoh.id")
    assert "tidak memiliki akun" in message.body_text
    assert "/atur-ulang-sandi/" not in message.body_text


def test_a_reset_request_queues_one_link_for_an_existing_account(db, make_user, outbox):
    user = make_user()

    services.request_password_reset(user.email.upper())

    [message] = outbox()
    assert (message.template, message.recipient) == ("reset_password", user.email)
    assert link_path(message, "/atur-ulang-sandi/")


def test_reset_password_sets_the_password_ends_sessions_and_works_once(db, make_user, outbox):
    user = make_user(verified=False)
    start_login_session(user)
    token = tokens.make_reset_token(user)

    services.reset_password(token, STRONG_PASSWORD)
    db.session.commit()

    assert services.authenticate(user.email, STRONG_PASSWORD) is user
    assert user.is_verified
    assert db.session.scalar(sa.select(LoginSession.revoked_at)) is not None
    assert [m.template for m in outbox()] == ["password_changed"]
    with pytest.raises(ResetLinkUsedError):
        services.reset_password(token, "Sandi Lain Yang Kuat 77")


def test_an_expired_reset_link_is_refused(db, make_user, signed_in_the_past):
    user = make_user()
    token = signed_in_the_past(3 * 3600, lambda: tokens.make_reset_token(user))

    with pytest.raises(ResetLinkExpiredError):
        services.check_reset_token(token)


def test_reset_password_applies_the_password_rules(db, make_user):
    user = make_user()

    with pytest.raises(WeakPasswordError):
        services.reset_password(tokens.make_reset_token(user), "qwerty123")


def test_change_password_needs_the_current_one(db, make_user):
    user = make_user()

    with pytest.raises(WrongPasswordError):
        services.change_password(user, "bukan-sandinya", STRONG_PASSWORD)


def test_change_password_refuses_the_same_password(db, make_user):
    user = make_user()

    with pytest.raises(SamePasswordError):
        services.change_password(user, PASSWORD, PASSWORD)


def test_change_password_revokes_sessions_and_old_reset_links(db, make_user, outbox):
    user = make_user()
    start_login_session(user)
    old_reset = tokens.make_reset_token(user)

    services.change_password(user, PASSWORD, STRONG_PASSWORD)
    db.session.commit()

    assert db.session.scalar(sa.select(LoginSession.revoked_at)) is not None
    assert [m.template for m in outbox()] == ["password_changed"]
    with pytest.raises(ResetLinkUsedError):
        services.check_reset_token(old_reset)


def test_audit_entries_never_hold_the_email_or_the_password(db, make_user):
    user = services.sign_up("rahasia.sekali@contoh.id", STRONG_PASSWORD, "id")
    services.verify_email(tokens.make_verify_token(user))
    with pytest.raises(InvalidCredentialsError):
        services.authenticate("rahasia.sekali@contoh.id", "sandi-yang-salah")
    with pytest.raises(InvalidCredentialsError):
        services.authenticate("orang.lain@contoh.id", "sandi-yang-salah")
    services.authenticate("rahasia.sekali@contoh.id", STRONG_PASSWORD)
    db.session.commit()

    events = db.session.scalars(sa.select(AuditEvent)).all()
    dumped = " ".join(repr((e.details, e.object_id, e.object_type)) for e in events)
    assert len(events) == 5
    for secret in ["rahasia.sekali", "orang.lain", "sandi-yang-salah", STRONG_PASSWORD]:
        assert secret not in dumped


def test_the_published_demo_password_signs_no_one_in_where_it_is_refused(app, db, make_user):
    """Production sets REFUSE_DEMO_PASSWORD: demo accounts loaded there by mistake stay shut."""
    from lokalatih.auth.passwords import DEMO_PASSWORD, password_problems

    user = make_user("demo@contoh.id", password=DEMO_PASSWORD)
    assert services.authenticate(user.email, DEMO_PASSWORD) == user  # development: the demo works

    app.config["REFUSE_DEMO_PASSWORD"] = True
    with pytest.raises(InvalidCredentialsError):
        services.authenticate(user.email, DEMO_PASSWORD)
    assert user.failed_logins == 1  # counted like any wrong password
    assert password_problems(DEMO_PASSWORD, "siapa@contoh.id")  # and nobody may choose it


def test_production_refuses_the_demo_password():
    from config import ProductionConfig

    assert ProductionConfig.REFUSE_DEMO_PASSWORD is True
