"""The views a whole class calls at once (lokalatih/hot_paths.py): which they are, and that the
lighter login loader they get still signs the right person in, reads every column right and
ends an idle session as before."""

from __future__ import annotations

import json
from datetime import timedelta

import sqlalchemy as sa
from flask import session
from flask_limiter.util import get_qualified_name

from lokalatih.auth.sessions import SESSION_KEY, load_user, start_login_session
from lokalatih.extensions import limiter
from lokalatih.hot_paths import is_marked
from lokalatih.models import Role

from .support import recorded_statements


def test_only_the_attempt_page_and_the_answer_save_skip_the_limiter_and_the_full_user(app):
    """A marked view skips every rate limit: a view with a limit (sign-in, a check-in code) must
    never be among them."""
    marked = {endpoint for endpoint, view in app.view_functions.items() if is_marked(view)}
    assert marked == {"quizzes.attempt", "quizzes.save_answer"}
    # What the limiter holds a limit for: sign-in is there, no marked view may be (the request
    # filter would switch its limit off without a word).
    limited = {
        endpoint
        for endpoint, view in app.view_functions.items()
        if get_qualified_name(view) in limiter._marked_for_limiting
    }
    assert "auth.login" in limited
    assert marked & limited == set()


def test_a_hot_path_builds_only_what_every_request_reads_and_loads_the_rest_when_read(
    app, db, make_user
):
    user = make_user("hot@example.org", role=Role.ORGANIZER)
    token = start_login_session(user)
    db.session.commit()
    user_id = user.id

    db.session.remove()
    with app.test_request_context("/percobaan/7/jawaban", method="POST"):
        session[SESSION_KEY] = token
        lean = load_user(str(user_id))
        assert {"email", "password_hash", "created_at"} <= set(sa.inspect(lean).unloaded)
        assert (lean.id, lean.role, lean.locale, lean.two_factor_enabled) == (
            user_id,
            Role.ORGANIZER,
            "id",
            False,
        )
        with recorded_statements(db.engine) as statements:
            assert lean.email == "hot@example.org"
        assert len(statements) == 1  # read when first asked for, then kept

    db.session.remove()
    with app.test_request_context("/percobaan/7/kirim", method="POST"):
        session[SESSION_KEY] = token
        full = load_user(str(user_id))
        with recorded_statements(db.engine) as statements:
            assert full.email == "hot@example.org"
        assert statements == []


def test_a_hot_path_refuses_an_idle_session_as_every_page_does(
    app, db, client, make_user, login_as, clock
):
    login_as(make_user())

    def save():
        return client.post(
            "/percobaan/7/jawaban",
            data=json.dumps({"question_id": 1, "selected": ["a"]}),
            content_type="application/json",
        )

    assert save().status_code == 404  # signed in: no such attempt of theirs
    clock.advance(app.config["SESSION_IDLE_TIMEOUT"] + timedelta(minutes=1))

    refused = save()

    assert refused.status_code in (302, 401)
    assert client.get("/workshop-saya").status_code == 302  # and the session stays ended
