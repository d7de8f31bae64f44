"""One unit of work per request (lokalatih/unit_of_work.py): what a view's services change is kept
when the view answers normally, and nothing is kept when it refuses, aborts or fails, except a
failure the service recorded on purpose."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import abort, redirect

from lokalatih.errors import LokalatihError, RecordedFailure
from lokalatih.extensions import db
from lokalatih.models import Role, User
from lokalatih.unit_of_work import refuse, show_error
from tests.support import password_hash, row_counts

LOKALATIH = Path(__file__).resolve().parents[1] / "lokalatih"


def _add_user(email: str) -> None:
    db.session.add(User(email=email, password_hash=password_hash(), role=Role.PARTICIPANT))
    db.session.flush()


def _users() -> int:
    return row_counts(db.engine, ("users",))["users"]


@pytest.fixture
def views(app):
    """Views that add a user, then end in each of the ways a real view can."""

    @app.post("/_uji/simpan")
    def saved():
        _add_user("simpan@contoh.id")
        return redirect("/")

    @app.post("/_uji/ditolak")
    def refused():
        _add_user("ditolak@contoh.id")
        try:
            raise LokalatihError("Tidak bisa.")
        except LokalatihError as error:
            show_error(error)
        return "formulir dengan pesan", 200  # a form shown again answers 200 or 400

    @app.post("/_uji/dicatat")
    def recorded():
        _add_user("dicatat@contoh.id")  # stands for the failure counter the service raised
        try:
            raise RecordedFailure("Sandi salah.")
        except LokalatihError as error:
            return refuse(error), 400

    @app.post("/_uji/dibatalkan")
    def aborted():
        _add_user("dibatalkan@contoh.id")
        abort(403)

    @app.post("/_uji/galat")
    def server_error():
        _add_user("galat@contoh.id")
        return "galat", 500

    return app.test_client()


def test_a_view_that_answers_normally_has_its_changes_committed_once_after_it(views):
    assert views.post("/_uji/simpan").status_code == 302
    assert _users() == 1


def test_a_domain_error_shown_to_the_user_keeps_nothing_the_view_changed(views):
    response = views.post("/_uji/ditolak")
    assert response.status_code == 200
    assert _users() == 0


def test_a_recorded_failure_is_kept_although_the_request_answers_400(views):
    response = views.post("/_uji/dicatat")
    assert (response.status_code, response.text) == (400, "Sandi salah.")
    assert _users() == 1


@pytest.mark.parametrize("path", ["/_uji/dibatalkan", "/_uji/galat"])
def test_an_aborted_or_failed_request_keeps_nothing(views, path):
    assert views.post(path).status_code in (403, 500)
    assert _users() == 0


def test_a_wrong_password_is_still_counted_and_a_right_one_signs_in(client, make_user):
    """The real case of a recorded failure: the sign-in counter survives the refused request."""
    user = make_user("hitung@contoh.id")
    response = client.post("/masuk", data={"email": user.email, "password": "bukan-sandinya"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(User, user.id).failed_logins == 1


def test_route_modules_leave_committing_to_the_request():
    """The one commit point is `unit_of_work`; a view that commits itself splits the request."""
    commits = {
        str(path.relative_to(LOKALATIH)): len(re.findall(r"\.commit\(\)", path.read_text()))
        for path in LOKALATIH.glob("*/*routes.py")
    }
    assert sum(commits.values()) == 0, {name: n for name, n in commits.items() if n}
