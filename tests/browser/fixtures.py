"""Browser tests: Debian's Chromium driven by Playwright against the app on a local port."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.pool import NullPool
from werkzeug.serving import make_server

from lokalatih import create_app
from lokalatih.auth.sessions import SESSION_KEY, start_login_session

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--no-sandbox",
]


AXE = Path(__file__).parent / ".axe" / "node_modules" / "axe-core" / "axe.min.js"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 768}}
# axe-core's findings a page must not have (its own impact scale).
BLOCKING_IMPACTS = ("serious", "critical")
AXE_FINDINGS = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations
    .filter((v) => IMPACTS.includes(v.impact))
    .map((v) => {
      const where = v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ");
      return `${v.impact} ${v.id}: ${v.help} @ ${where}`;
    });
}"""


@pytest.fixture
def check_page() -> Callable:
    """`check_page(page)`: the page does not scroll sideways and axe-core (scripts/ensure-browser.sh
    installs it from npm) finds no serious or critical violation. The context needs
    `bypass_csp=True` so the checker can be injected into the page."""

    def check(page) -> None:
        # A check right after a click that navigates could otherwise run in the new document
        # before it has an <html> element (CI saw "documentElement is null").
        page.wait_for_load_state()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"
        page.add_script_tag(path=str(AXE))
        script = AXE_FINDINGS.replace("IMPACTS", repr(list(BLOCKING_IMPACTS)))
        findings = page.evaluate(script)
        assert findings == [], f"{page.url}: {findings}"

    return check


@pytest.fixture(scope="session")
def base_url() -> None:
    # Replaces pytest-base-url's fixture (deprecated shape under pytest 9); tests use full URLs.
    return None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Playwright cannot download its own browsers here: use the system Chromium.
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture
def live_app(live_server):
    return live_server.app


@pytest.fixture
def signed_in_context(browser, live_server, db):
    """`signed_in_context(user, java_script_enabled=True)`: a browser context already logged in.

    The cookie carries a real login session, as the login form would have made.
    """
    contexts = []

    def make(user, *, java_script_enabled: bool = True, **options):
        token = start_login_session(user)
        db.session.commit()
        serializer = live_server.app.session_interface.get_signing_serializer(live_server.app)
        cookie = serializer.dumps({"_user_id": str(user.id), "_fresh": True, SESSION_KEY: token})
        context = browser.new_context(
            base_url=live_server.url, java_script_enabled=java_script_enabled, **options
        )
        context.add_cookies([{"name": "session", "value": cookie, "url": live_server.url}])
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


class LiveServer(str):
    """The base URL (a str, so `live_server + "/path"` works), with the served `app` attached."""

    app = None


@pytest.fixture
def live_server(app, database_url) -> Iterator[LiveServer]:
    """The real app, with CSRF on, served on a free localhost port in a thread."""
    served = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=database_url,
        WTF_CSRF_ENABLED=True,
        TESTING=False,
        # The run's demo signing certificate (tests/conftest.py `signing_p12`).
        CERTIFICATE_SIGNING_P12=app.config["CERTIFICATE_SIGNING_P12"],
        CERTIFICATE_SIGNING_PASSPHRASE=app.config["CERTIFICATE_SIGNING_PASSPHRASE"],
        # A request still in flight when the test ends (a page's polling or autosave) returns its
        # connection after the engine was disposed; a pool would then keep it open until garbage
        # collection, where psycopg warns "deleted while still open" in whichever test runs then.
        # Without a pool every connection closes when its request ends.
        SQLALCHEMY_ENGINE_OPTIONS={"poolclass": NullPool},
    )
    server = make_server("127.0.0.1", 0, served, threaded=True)
    # Closing the server must not wait for the browser's kept-alive connections.
    server.block_on_close = False
    base_url = f"http://127.0.0.1:{server.server_port}"
    # Links in emails must point at this server.
    served.config["PUBLIC_BASE_URL"] = base_url
    app.config["PUBLIC_BASE_URL"] = base_url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = LiveServer(base_url)
    url.app = served
    url.url = base_url
    yield url
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
    with served.app_context():
        from lokalatih.extensions import db

        db.session.remove()
        db.engine.dispose()
