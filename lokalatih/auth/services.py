"""Accounts: sign-up, email verification, login with lockout, password reset and change.

Services add and flush, never commit; the route commits once. A failed login still changes the
database (the failure counter, the audit entry), so the login route commits on that error too.
Emails and audit entries never carry a password, and audit entries never carry an email.
"""

from __future__ import annotations

import hashlib
import math
from datetime import datetime, timedelta

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy.exc import IntegrityError

from ..audit import record_event
from ..errors import LokalatihError
from ..extensions import db
from ..models import AuditEvent, Role, User, utcnow
from ..outbox.services import external_url, queue_email
from . import tokens
from .errors import (
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
from .passwords import DEMO_PASSWORD, hash_password, password_problems, verify_password
from .sessions import revoke_all_login_sessions

MAX_EMAIL_LENGTH = 254


# --- email addresses --------------------------------------------------------------------------


def normalize_email(raw: str | None) -> str:
    return (raw or "").strip().lower()


def checked_email(raw: str | None) -> str:
    """The normalised address, or InvalidEmailError (too long or malformed)."""
    email = normalize_email(raw)
    if not email or len(email) > MAX_EMAIL_LENGTH:
        raise InvalidEmailError()
    try:
        result = validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        raise InvalidEmailError() from None
    return result.normalized.lower()


def find_user_by_email(raw: str | None) -> User | None:
    email = normalize_email(raw)
    if not email or len(email) > MAX_EMAIL_LENGTH:
        return None
    return db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email).limit(1))


def check_password_rules(password: str, email: str) -> None:
    problems = password_problems(password, email)
    if problems:
        raise WeakPasswordError(" ".join(problems))


# --- sign-up and verification -----------------------------------------------------------------


def sign_up(email: str, password: str, locale: str, *, ip: str | None = None) -> User | None:
    """Create an unverified participant and queue the verification email with it.

    For an address that already has an account, nothing is created: its owner is emailed that
    someone tried to sign up with it (at most once an hour), and None is returned. The caller
    answers both the same way, and both do the same work (one password hash, one email queued),
    so neither the page nor its timing tells anyone which addresses have accounts."""
    email = checked_email(email)
    check_password_rules(password, email)
    password_hash = hash_password(password)
    existing = find_user_by_email(email)
    if existing is not None:
        _tell_owner_of_signup_attempt(existing, ip)
        return None
    user = User(email=email, password_hash=password_hash, role=Role.PARTICIPANT, locale=locale)
    db.session.add(user)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        # Two sign-ups for one address at the same moment: the unique index decides, and the
        # other one's owner hears from that request.
        return None
    queue_verification_email(user)
    record_event("signup", actor=user, target=user, ip=ip)
    return user


def _tell_owner_of_signup_attempt(user: User, ip: str | None) -> None:
    hour = utcnow().strftime("%Y%m%d%H")
    queue_email(
        "signup_attempt",
        user,
        dedupe_key=f"signup-attempt:{user.id}:{hour}",
        login_url=external_url("auth.login"),
        reset_url=external_url("auth.forgot_password"),
    )
    record_event("signup_existing_address", target=user, ip=ip)


def queue_verification_email(user: User) -> None:
    queue_email(
        "verify_email",
        user,
        verify_url=external_url("auth.verify_email", token=tokens.make_verify_token(user)),
        valid_hours=current_app.config["VERIFY_TOKEN_MAX_AGE"] // 3600,
    )


def resend_verification(email: str) -> None:
    """Queue a new verification email when the account exists and is unverified; else nothing.

    The caller shows the same message either way, so nobody learns which addresses have accounts.
    """
    user = find_user_by_email(email)
    if user is not None and not user.is_verified:
        queue_verification_email(user)


def check_verification_token(token: str) -> User:
    """The user a verification link is for, without changing anything (safe for a GET)."""
    try:
        claims = tokens.read_verify_token(token)
    except tokens.TokenError as error:
        expired_claims = tokens.claims_of_expired(error)
        user = _verify_token_user(expired_claims) if expired_claims else None
        if user is not None and user.is_verified:
            raise AlreadyVerifiedError() from None
        if error.expired:
            raise VerifyLinkExpiredError() from None
        raise InvalidLinkError() from None
    user = _verify_token_user(claims)
    if user is None:
        raise InvalidLinkError()
    if user.is_verified:
        raise AlreadyVerifiedError()
    return user


def verify_email(token: str, *, ip: str | None = None) -> User:
    user = check_verification_token(token)
    user.email_verified_at = utcnow()
    record_event("email_verified", actor=user, target=user, ip=ip)
    return user


def _verify_token_user(claims: tokens.TokenClaims) -> User | None:
    # A link made for an address the account no longer has is not valid for it.
    user = db.session.get(User, claims.user_id)
    if user is None or not tokens.matches(claims, user.email):
        return None
    return user


# --- login ------------------------------------------------------------------------------------


def authenticate(email: str, password: str, ip: str | None = None) -> User:
    """The user behind these credentials, after the lock, password and verification checks.

    A locked account is refused before the password is checked, so the lock never confirms a
    guess. Verification is checked after the password, so only the owner learns it is missing.
    """
    user = find_user_by_email(email)
    if user is None:
        verify_password(None, password)
        record_event("login_failed", details={"reason": "unknown_account"}, ip=ip)
        raise InvalidCredentialsError()
    now = utcnow()
    locked = is_locked_for(user, ip, now)
    if locked:
        record_event("login_failed", target=user, details={"reason": "locked"}, ip=ip)
        raise AccountLockedError(_minutes_left(user, now))
    if not verify_password(user.password_hash, password) or _refused_demo_password(password):
        raise _failed_login(user, now, ip)
    if not user.is_verified:
        record_event("login_failed", target=user, details={"reason": "unverified"}, ip=ip)
        raise EmailNotVerifiedError()
    if user.two_factor_enabled:
        # Half-way: the failure count is reset only after the code (twofactor.complete_login),
        # or starting over with the password would reset the lock on guessing codes.
        record_event("login_password_ok", target=user, ip=ip)
        return user
    if not is_locked(user, now):
        # A sign-in from a client that did not fail leaves the lock for the one that did.
        user.failed_logins = 0
        user.locked_until = None
    user.last_login_at = now
    record_event("login", actor=user, target=user, ip=ip)
    return user


# How far back a client's failed sign-ins make a lock apply to it.
FAILURES_REMEMBERED = timedelta(hours=24)


def is_locked(user: User, now: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def is_locked_for(user: User, ip: str | None, now: datetime) -> bool:
    """The lock stops the clients that failed, not the owner: a client with no failed sign-in
    of this account in the last day is let through (a stranger's guesses cannot lock the owner
    out). Without a known address every client is held by the lock."""
    if not is_locked(user, now):
        return False
    if ip is None:
        return True
    failed_here = sa.select(AuditEvent.id).where(
        AuditEvent.at >= now - FAILURES_REMEMBERED,
        AuditEvent.action.in_(("login_failed", "two_factor_failed")),
        AuditEvent.object_type == "User",
        AuditEvent.object_id == str(user.id),
        AuditEvent.ip == ip,
    )
    return db.session.scalar(sa.select(failed_here.exists())) or False


def _refused_demo_password(password: str) -> bool:
    """Production refuses the published demo password like a wrong one: demo accounts loaded by
    mistake (`flask demo load --force`) cannot be signed in to with it."""
    return current_app.config.get("REFUSE_DEMO_PASSWORD", False) and password == DEMO_PASSWORD


def _failed_login(user: User, now: datetime, ip: str | None) -> LokalatihError:
    """Count a wrong password; the error to raise says whether the account is now locked."""
    user.failed_logins = (user.failed_logins or 0) + 1
    record_event("login_failed", target=user, details={"reason": "wrong_password"}, ip=ip)
    if user.failed_logins < current_app.config["LOGIN_LOCK_THRESHOLD"]:
        return InvalidCredentialsError()
    # Lock, and start the count afresh for when the lock ends.
    user.failed_logins = 0
    user.locked_until = now + timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
    record_event("account_locked", target=user, ip=ip)
    return AccountLockedError(_minutes_left(user, now))


def _minutes_left(user: User, now: datetime) -> int:
    return max(1, math.ceil((user.locked_until - now).total_seconds() / 60))


def record_logout(user: User, ip: str | None = None) -> None:
    record_event("logout", actor=user, target=user, ip=ip)


# --- password reset and change ----------------------------------------------------------------


def request_password_reset(email: str, *, ip: str | None = None) -> None:
    """Queue a reset link when the account exists, else a note that the address has no account.

    The caller answers the same either way, and both ways do the same work (one email queued, one
    audit entry), so the time the answer takes does not tell whether the address has an account.
    The note goes out at most once an hour per address."""
    user = find_user_by_email(email)
    if user is None:
        _tell_address_without_account(email, ip)
        return
    queue_email(
        "reset_password",
        user,
        reset_url=external_url("auth.reset_password", token=tokens.make_reset_token(user)),
        valid_minutes=current_app.config["RESET_TOKEN_MAX_AGE"] // 60,
    )
    record_event("password_reset_requested", target=user, ip=ip)


def _tell_address_without_account(email: str, ip: str | None) -> None:
    try:
        address = checked_email(email)
    except InvalidEmailError:
        return
    hour = utcnow().strftime("%Y%m%d%H")
    digest = hashlib.sha256(address.encode()).hexdigest()[:16]
    queue_email(
        "reset_no_account",
        address,
        dedupe_key=f"reset-no-account:{digest}:{hour}",
        signup_url=external_url("auth.signup"),
    )
    record_event("password_reset_requested", details={"account": False}, ip=ip)


def check_reset_token(token: str) -> User:
    """The user a reset link is for, while it is unused and fresh; changes nothing."""
    try:
        claims = tokens.read_reset_token(token)
    except tokens.TokenError as error:
        if error.expired:
            raise ResetLinkExpiredError() from None
        raise InvalidLinkError() from None
    user = db.session.get(User, claims.user_id)
    if user is None:
        raise InvalidLinkError()
    if not tokens.matches(claims, user.password_hash):
        raise ResetLinkUsedError()
    return user


def reset_password(token: str, new_password: str, *, ip: str | None = None) -> User:
    """Set a new password from a reset link; every login session of the account ends."""
    user = check_reset_token(token)
    check_password_rules(new_password, user.email)
    _set_password(user, new_password)
    if not user.is_verified:
        user.email_verified_at = utcnow()  # the link reached the mailbox: it is theirs
    user.failed_logins = 0
    user.locked_until = None
    record_event("password_reset", actor=user, target=user, ip=ip)
    return user


def change_password(user: User, current: str, new: str, *, ip: str | None = None) -> None:
    """Change a signed-in user's password; all their login sessions end (the route starts one)."""
    if not verify_password(user.password_hash, current):
        record_event("password_change_failed", actor=user, target=user, ip=ip)
        raise WrongPasswordError()
    if verify_password(user.password_hash, new):
        raise SamePasswordError()
    check_password_rules(new, user.email)
    _set_password(user, new)
    record_event("password_changed", actor=user, target=user, ip=ip)


def _set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    revoke_all_login_sessions(user)
    queue_email(
        "password_changed",
        user,
        changed_at=user.password_changed_at,
        reset_url=external_url("auth.forgot_password"),
    )
