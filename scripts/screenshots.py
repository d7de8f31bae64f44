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
from lokalatih.demo.journeys import DONE_SLUG, PARTICIPANT_EMAIL, TODAY_SLUG  # noqa: E402
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
PARTICIPANT = PARTICIPANT_EMAIL
ORGANIZER = "penyelenggara@demo.lokalatih.example.org"
ADMIN = "admin@demo.lokalatih.example.org"
START_ATTEMPT = "start"  # an action: open the test's page and press its start button


def _journey_pages(app) -> list[tuple[str, str | None, str]]:
    """The pages whose address holds an id of the demo: the participant's open pre-test, the
    projector view of the session running today, the finished workshop's back office, and the
    verification page of the participant's certificate."""
    import sqlalchemy as sa

    from lokalatih.extensions import db
    from lokalatih.models import (
        ActionPlanItem,
        Certificate,
        EvaluationResponse,
        Quiz,
        QuizKind,
        Registration,
        User,
        Workshop,
    )

    with app.app_context():

        def workshop(slug: str) -> Workshop:
            return db.session.scalar(sa.select(Workshop).where(Workshop.slug == slug))

        upcoming, today = workshop(SLUG), workshop(TODAY_SLUG)
        pre_test = db.session.scalar(
            sa.select(Quiz.id).where(Quiz.workshop_id == upcoming.id, Quiz.kind == QuizKind.PRE)
        )
        session_id = today.sessions[0].id
        # The past demo workshop most answered its evaluation: its results and plans have figures.
        evaluated = db.session.scalar(
            sa.select(Workshop.slug)
            .join(EvaluationResponse, EvaluationResponse.workshop_id == Workshop.id)
            .group_by(Workshop.id)
            .order_by(sa.func.count().desc(), Workshop.id)
            .limit(1)
        )
        planned = db.session.scalar(
            sa.select(Workshop.slug)
            .join(Registration, Registration.workshop_id == Workshop.id)
            .join(ActionPlanItem, ActionPlanItem.registration_id == Registration.id)
            .group_by(Workshop.id)
            .order_by(sa.func.count().desc(), Workshop.id)
            .limit(1)
        )
        code = db.session.scalar(
            sa.select(Certificate.code)
            .join(Registration, Registration.id == Certificate.registration_id)
            .join(User, User.id == Registration.user_id)
            .where(User.email == PARTICIPANT, Certificate.revoked_at.is_(None))
        )
    return [
        ("tes-awal", PARTICIPANT, f"/tes/{pre_test}"),
        ("tes-percobaan", PARTICIPANT, f"{START_ATTEMPT}:/tes/{pre_test}"),
        ("riwayat-pelatihan", PARTICIPANT, "/riwayat-pelatihan"),
        ("layar-presensi", ORGANIZER, f"/kelola/{TODAY_SLUG}/sesi/{session_id}/presensi"),
        ("sertifikat-kelola", ORGANIZER, f"/kelola/{DONE_SLUG}/sertifikat"),
        ("hasil-tes", ORGANIZER, f"/kelola/{DONE_SLUG}/hasil-tes"),
        ("evaluasi-hasil", ADMIN, f"/kelola/{evaluated}/evaluasi/hasil"),
        ("rencana-aksi", ADMIN, f"/kelola/{planned}/rencana-aksi"),
        ("bank-soal", ORGANIZER, "/bank-soal"),
        ("laporan-loka-latih", "peninjau@demo.lokalatih.example.org", "/laporan/loka-latih"),
        ("verifikasi-sertifikat", None, f"/verifikasi/{code}"),
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
        pages = PAGES + _journey_pages(app)
        base = f"http://127.0.0.1:{port}"
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
                )
                for size, viewport in SIZES.items():
                    contexts: dict[str | None, object] = {}
                    for name, who, path in pages:
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
                        if path.startswith(f"{START_ATTEMPT}:"):
                            # The same attempt on both sizes: the second press resumes it.
                            page.goto(path.removeprefix(f"{START_ATTEMPT}:"))
                            start = "main form button[type=submit], main a.button"
                            page.locator(start).first.click()
                            page.wait_for_load_state()
                        else:
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
