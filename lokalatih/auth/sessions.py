"""Server-side login sessions: the cookie holds a random token whose hash is stored.

Logout or a password change revokes the row, so a copied or replayed cookie is refused; an idle
session ends by itself, and every session ends a fixed time after it began.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, session
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import LoginSession, Role, User, utcnow

SESSION_KEY = "sid"
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


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the user only while their login session is alive."""
    token = session.get(SESSION_KEY)
    if not token or not user_id.isdigit():
        return None
    # Runs on every signed-in request: the user comes in the same query.
    row = db.session.scalar(
        sa.select(LoginSession)
        .options(joinedload(LoginSession.user))
        .where(
            LoginSession.token_hash == _hash(token),
            LoginSession.user_id == int(user_id),
            LoginSession.revoked_at.is_(None),
        )
    )
    if row is None:
        return None
    now = utcnow()
    if now - row.last_seen_at > current_app.config["SESSION_IDLE_TIMEOUT"] or (
        now - row.created_at > _max_age(row.user)
    ):
        row.revoked_at = now
        db.session.commit()
        return None
    if now - row.last_seen_at > TOUCH_EVERY:
        # Safe to commit here: the loader runs in before_request, before any view has changes.
        row.last_seen_at = now
        db.session.commit()
    return row.user
