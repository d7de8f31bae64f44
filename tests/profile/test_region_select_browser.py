"""The province/regency choice in a real Chromium, with and without JavaScript."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from lokalatih import create_app
from lokalatih.auth.sessions import SESSION_KEY, start_login_session
from lokalatih.models import Profile

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-sandbox",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture
def served(app, database_url) -> Iterator[tuple[str, object]]:
    served_app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, TESTING=False)
    server = make_server("127.0.0.1", 0, served_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", served_app
    server.shutdown()
    thread.join(timeout=5)
    with served_app.app_context():
        from lokalatih.extensions import db

        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def signed_in_context(browser, served, make_user, db):
    """A browser context whose cookie holds a live login session of a new participant."""

    def make(java_script_enabled: bool = True):
        base_url, served_app = served
        user = make_user()
        token = start_login_session(user)
        db.session.commit()
        serializer = served_app.session_interface.get_signing_serializer(served_app)
        cookie = serializer.dumps({"_user_id": str(user.id), "_fresh": True, SESSION_KEY: token})
        context = browser.new_context(base_url=base_url, java_script_enabled=java_script_enabled)
        context.add_cookies([{"name": "session", "value": cookie, "url": base_url}])
        return user, context

    return make


def saved_profile(db, user) -> Profile | None:
    db.session.expire_all()
    return db.session.get(Profile, user.id)


def test_changing_the_province_loads_its_regencies_with_javascript(signed_in_context, db):
    user, context = signed_in_context()
    page = context.new_page()
    page.goto("/profil")

    assert page.get_by_role("button", name="Tampilkan kabupaten/kota").is_hidden()
    page.select_option("#province_code", "31")
    page.wait_for_selector('#regency_code option[value="31.74"]', state="attached")
    page.select_option("#regency_code", "31.74")
    page.fill("#full_name", "Siti Rahmawati")
    page.get_by_role("button", name="Simpan profil").click()
    page.wait_for_url("**/profil")

    profile = saved_profile(db, user)
    assert (profile.province_code, profile.regency_code) == ("31", "31.74")
    assert page.locator("#regency_code option").count() == 7  # placeholder and six regions
    context.close()


def test_choosing_the_province_works_without_javascript(signed_in_context, db):
    user, context = signed_in_context(java_script_enabled=False)
    page = context.new_page()
    page.goto("/profil")
    page.fill("#full_name", "Siti Rahmawati")

    page.select_option("#province_code", "72")
    page.get_by_role("button", name="Tampilkan kabupaten/kota").click()
    page.wait_for_selector('#regency_code option[value="72.71"]', state="attached")

    assert saved_profile(db, user) is None
    assert page.input_value("#full_name") == "Siti Rahmawati"
    page.select_option("#regency_code", "72.71")
    page.get_by_role("button", name="Simpan profil").click()
    page.wait_for_selector("text=Profil disimpan")
    assert saved_profile(db, user).regency_code == "72.71"
    context.close()


def test_pressing_enter_in_a_text_field_saves_the_profile(signed_in_context, db):
    user, context = signed_in_context(java_script_enabled=False)
    page = context.new_page()
    page.goto("/profil")

    page.fill("#full_name", "Siti Rahmawati")
    page.press("#full_name", "Enter")
    page.wait_for_selector("text=Profil disimpan")

    assert saved_profile(db, user).full_name == "Siti Rahmawati"
    context.close()
