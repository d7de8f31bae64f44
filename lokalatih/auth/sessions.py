"""Server-side login sessions: the cookie holds a random token whose hash is stored.

Logout or a password change revokes the row, so a copied or replayed cookie is refused; an idle
session ends by itself, and every session ends a fixed time after it began.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, has_request_context, request, session
from sqlalchemy.orm import load_only

from ..extensions import db
from ..hot_paths import is_hot_path
from ..models import LoginSession, Role, User, has_current_consent_expression, utcnow
from ..request_memo import forget_request_memo, request_memo

SESSION_KEY = "sid"
_CONSENT_FOUND_CURRENT = "consent_found_current"
TOUCH_EVERY = timedelta(minutes=5)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_login_session(user: User) -> str:
    token = secrets.token_urlsafe(32)
    db.session.add(LoginSession(user_id=user.id, token_hash=_hash(token)))
    return token


def revoke_login_session(token: str | None) -> None:
    if not token:
        return
    db.session.execute(
        sa.update(LoginSession)
        .where(LoginSession.token_hash == _hash(token), LoginSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def revoke_all_login_sessions(user: User) -> None:
    db.session.execute(
        sa.update(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.revoked_at.is_(None))
        .values(revoked_at=utcnow())
    )


def _max_age(user: User) -> timedelta:
    """The absolute lifetime of a login session, whatever its activity."""
    staff = user.role != Role.PARTICIPANT
    return current_app.config["STAFF_SESSION_MAX_AGE" if staff else "SESSION_MAX_AGE"]


# What every request reads of the signed-in user: Flask-Login (the id), the session's lifetime and
# the two-step check (the role, the second factor), the language.
_READ_BY_EVERY_REQUEST = (User.id, User.role, User.locale, User.totp_enabled_at)


@functools.cache
def _loader_statement(with_consent: bool, lean: bool) -> sa.Select:
    """Built once: the user and their login session's times in one round trip, without making a
    LoginSession object (this runs on every signed-in request). `with_consent` also asks whether
    the user's consent is current: every page's layout asks it (the consent notice), and asked
    here it costs no statement of its own (docs/PERFORMANCE.md, issue 21). `lean` (a hot path)
    builds only the columns every request reads; another is loaded when first read."""
    columns = [User, LoginSession.id, LoginSession.created_at, LoginSession.last_seen_at]
    if with_consent:
        columns.append(has_current_consent_expression(User.id))
    statement = (
        sa.select(*columns)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(
            LoginSession.token_hash == sa.bindparam("token_hash"),
            LoginSession.user_id == sa.bindparam("user_id"),
            LoginSession.revoked_at.is_(None),
        )
    )
    return statement.options(load_only(*_READ_BY_EVERY_REQUEST)) if lean else statement


def _touch(session_id: int, **values) -> None:
    db.session.execute(
        sa.update(LoginSession).where(LoginSession.id == session_id).values(**values)
    )
    # Safe to commit here: the loader runs in before_request, before any view has changes.
    db.session.commit()


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the user only while their login session is alive."""
    token = session.get(SESSION_KEY)
    if not token or not user_id.isdigit() or len(user_id) > 10:
        return None
    # A page (GET) shows the layout, which asks about consent; a save or a form post may not.
    with_consent = has_request_context() and request.method in ("GET", "HEAD")
    row = db.session.execute(
        _loader_statement(with_consent, is_hot_path()),
        {"token_hash": _hash(token), "user_id": int(user_id)},
    ).one_or_none()
    if row is None:
        return None
    user, session_id, created_at, last_seen_at, *consent_current = row
    now = utcnow()
    if now - last_seen_at > current_app.config["SESSION_IDLE_TIMEOUT"] or (
        now - created_at > _max_age(user)
    ):
        _touch(session_id, revoked_at=now)
        return None
    if now - last_seen_at > TOUCH_EVERY:
        _touch(session_id, last_seen_at=now)
    if consent_current and consent_current[0]:
        request_memo(_CONSENT_FOUND_CURRENT)[user.id] = True
    return user


def consent_found_current(user_id: int) -> bool:
    """True when this request's loader found the user's consent current and nothing in the request
    changed consent since (`forget_consent_found`). False means "not asked", not "not current"."""
    found = request_memo(_CONSENT_FOUND_CURRENT)
    return bool(found and found.get(user_id))


def forget_consent_found() -> None:
    forget_request_memo(_CONSENT_FOUND_CURRENT)
