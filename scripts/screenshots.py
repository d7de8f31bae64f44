"""`make screenshots`: a gallery of the main pages, each role's, at a phone's and a laptop's size.

Builds a fresh SQLite database with the demo (`flask db upgrade`, `flask demo load`), serves the
app on a free local port, signs in as each demo account through the real login form in Debian's
Chromium, and writes docs/screenshots/<page>-<size>.png (full page). Look at them before saying a
page is done; the README shows a few.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from lokalatih import create_app  # noqa: E402
from lokalatih.auth.passwords import DEMO_PASSWORD  # noqa: E402
from lokalatih.demo.load import DEMO_WORKSHOP_SLUG  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
SIZES = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 768}}
SLUG = DEMO_WORKSHOP_SLUG
MAX_HEIGHT = 2400  # pixels of a full-page shot; longer pages are cut there
# (file name, who, path): who is a demo account's address, or None for a visitor.
PAGES = [
    ("beranda", None, "/"),
    ("katalog", None, "/loka-latih"),
    ("loka-latih", None, f"/loka-latih/{SLUG}"),
    ("verifikasi", None, "/verifikasi"),
    ("workshop-saya", "peserta@demo.lokalatih.example.org", "/workshop-saya"),
    ("profil", "peserta@demo.lokalatih.example.org", "/profil"),
    ("kelola", "penyelenggara@demo.lokalatih.example.org", "/kelola"),
    ("kelola-loka-latih", "penyelenggara@demo.lokalatih.example.org", f"/kelola/{SLUG}"),
    ("pendaftar", "penyelenggara@demo.lokalatih.example.org", f"/kelola/{SLUG}/pendaftar"),
    ("laporan", "peninjau@demo.lokalatih.example.org", "/laporan"),
    ("admin-pengguna", "admin@demo.lokalatih.example.org", "/admin/pengguna"),
    ("admin-audit", "admin@demo.lokalatih.example.org", "/admin/audit"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _prepare_database(url: str) -> None:
    env = os.environ | {"FLASK_APP": "wsgi", "DATABASE_URL": url, "MAIL_CONSOLE": "1"}
    for command in (["db", "upgrade"], ["demo", "load"]):
        subprocess.run(  # noqa: S603 (a fixed command: this interpreter running flask)
            [sys.executable, "-m", "flask", *command],
            cwd=ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        url = f"sqlite:///{Path(scratch) / 'screenshots.sqlite'}"
        _prepare_database(url)
        app = create_app("development", SQLALCHEMY_DATABASE_URI=url)
        port = _free_port()
        app.config["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{port}"
        server = make_server("127.0.0.1", port, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
                )
                for size, viewport in SIZES.items():
                    contexts: dict[str | None, object] = {}
                    for name, who, path in PAGES:
                        if who not in contexts:
                            context = browser.new_context(viewport=viewport, base_url=base)
                            if who is not None:
                                page = context.new_page()
                                page.goto("/masuk")
                                page.fill("#email", who)
                                page.fill("#password", DEMO_PASSWORD)
                                page.locator("form").filter(
                                    has=page.locator("#password")
                                ).get_by_role("button").click()
                                page.wait_for_load_state()
                                page.close()
                            contexts[who] = context
                        page = contexts[who].new_page()
                        page.goto(path)
                        target = OUT / f"{name}-{size}.png"
                        # Whole pages, but a very long one (the dashboard) only its first screens.
                        height = page.evaluate("document.documentElement.scrollHeight")
                        clip = {"x": 0, "y": 0, "width": viewport["width"], "height": MAX_HEIGHT}
                        page.screenshot(
                            path=str(target),
                            full_page=True,
                            clip=clip if height > MAX_HEIGHT else None,
                        )
                        page.close()
                        print(target.relative_to(ROOT))
                browser.close()
        finally:
            server.shutdown()


if __name__ == "__main__":
    main()
