"""Fixtures for the profile and consent tests."""

from __future__ import annotations

import pytest

from lokalatih.auth.sessions import SESSION_KEY, start_login_session
from lokalatih.extensions import db as _db
from lokalatih.models import User


@pytest.fixture
def sign_in(client):
    """Open a real server-side login session for `user` on the test client.

    It bypasses the login form on purpose: these tests are about the profile, not about logging in.
    """

    def do(user: User) -> User:
        token = start_login_session(user)
        _db.session.commit()
        with client.session_transaction() as session:
            session["_user_id"] = str(user.id)
            session["_fresh"] = True
            session[SESSION_KEY] = token
        return user

    return do


@pytest.fixture
def participant(make_user, sign_in) -> User:
    return sign_in(make_user())
