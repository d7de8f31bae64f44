"""Browser tests: Debian's Chromium driven by Playwright against the app on a local port."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from lokalatih import create_app

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


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Playwright cannot download its own browsers here: use the system Chromium.
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture
def live_server(app, database_url) -> Iterator[str]:
    """The real app, with CSRF on, served on a free localhost port in a thread."""
    served = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=database_url,
        WTF_CSRF_ENABLED=True,
        TESTING=False,
    )
    server = make_server("127.0.0.1", 0, served, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    # Links in emails must point at this server.
    served.config["PUBLIC_BASE_URL"] = base_url
    app.config["PUBLIC_BASE_URL"] = base_url
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield base_url
    server.shutdown()
    thread.join(timeout=5)
    with served.app_context():
        from lokalatih.extensions import db

        db.session.remove()
        db.engine.dispose()
