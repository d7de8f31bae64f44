"""The half-way state of signing in: the password was right, the second-factor code is due.

It lives in the signed Flask session for a few minutes and names the user and where to go next.
Nothing in it signs anyone in: Flask-Login's user id and the login-session token are only set
after the code (routes._start_session), so a browser holding just this state is not signed in.
"""

from __future__ import annotations

import time

from flask import session

from ..extensions import db
from ..models import User

PENDING_KEY = "login_pending"
PENDING_SECONDS = 300


def begin_second_step(user: User, target: str) -> None:
    session.clear()  # nothing planted before the password survives into the sign-in
    session[PENDING_KEY] = {
        "user_id": user.id,
        "since": int(time.time()),
        "next": target,
        # A password changed meanwhile (reset by email) ends the half-way state.
        "password_stamp": user.password_changed_at.timestamp(),
    }


def pending_login() -> tuple[User, str] | None:
    """The user half-way through signing in and their `next` target, while still fresh."""
    state = session.get(PENDING_KEY)
    if not isinstance(state, dict):
        return None
    try:
        user_id, since = int(state["user_id"]), int(state["since"])
        stamp, target = float(state["password_stamp"]), str(state["next"])
    except (KeyError, TypeError, ValueError):
        return None
    if not 0 <= time.time() - since <= PENDING_SECONDS:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.two_factor_enabled:
        return None
    if user.password_changed_at.timestamp() != stamp:
        return None
    return user, target


def end_second_step() -> None:
    session.pop(PENDING_KEY, None)
