"""Benchmark: the review dashboard (/laporan) on the large demo data set.

    .venv/bin/python bench/dashboard.py [DATABASE_URL] [--participants 100000] [--workshops 200]
                                        [--reuse] [--repeat 3]

Without DATABASE_URL a temporary SQLite file is used. The database is migrated (which loads the
regions), the large demo is generated (`lokalatih.demo.large`; skipped with --reuse on a
database that already holds it) and its workshops, sessions and questions get KKPHAM themes when
they have none yet (`lokalatih.demo.themes`, as `flask demo load` does), then a reviewer opens
the dashboard through Flask's test client with and without filters. For each page it prints the
wall time (best and median of --repeat) and the number of SQL statements (counted with a
`before_cursor_execute` listener).
The target (issues 6 and 18) is under 1 second per page and 5 seconds per PDF report on 100,000
participants, SQLite and PostgreSQL.
For PostgreSQL, use an empty database of your own, e.g.
    createdb -h 127.0.0.1 -U postgres lokalatih_bench
    .venv/bin/python bench/dashboard.py postgresql+psycopg://postgres@127.0.0.1:5432/lokalatih_bench
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from flask import g

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lokalatih import create_app  # noqa: E402
from lokalatih.auth.sessions import SESSION_KEY, start_login_session  # noqa: E402
from lokalatih.demo.large import load_large_demo  # noqa: E402
from lokalatih.demo.themes import load_demo_themes  # noqa: E402
from lokalatih.extensions import db  # noqa: E402
from lokalatih.models import Role, User, Workshop, utcnow  # noqa: E402

TARGET_SECONDS = 1.0
PAGES = [
    ("tanpa filter", "/laporan"),
    ("provinsi 31", "/laporan?province=31"),
    ("kab/kota 32.73", "/laporan?province=32&regency=32.73"),
    ("instansi + gender", "/laporan?institution_type=civil_society&gender=female"),
    ("periode + topik", "/laporan?date_from=2026-01-01&date_to=2026-06-30&topic=disabilitas"),
    ("halaman peserta 100", "/laporan?halaman=100"),
    ("peta: kehadiran", "/laporan?peta=attendance"),
    ("daftar loka latih", "/laporan/loka-latih"),
    ("daftar, provinsi 31", "/laporan/loka-latih?province=31"),
]
# The PDF report (issue 18): under 5 s.
PDF_PAGES = [
    ("PDF tanpa filter", "/laporan.pdf"),
    ("PDF provinsi 31", "/laporan.pdf?province=31"),
    ("PDF English", "/laporan.pdf?bahasa=en"),
]
PDF_TARGET_SECONDS = 5.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("database_url", nargs="?")
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--workshops", type=int, default=200)
    parser.add_argument("--reuse", action="store_true", help="do not generate: reuse the data")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/dashboard-bench.sqlite"
    print(f"Database: {url}")
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        if not args.reuse or not db.session.scalar(sa.select(sa.func.count(Workshop.id))):
            started = time.perf_counter()
            counts = load_large_demo(args.workshops, args.participants, progress=print)
            print(f"Generated in {time.perf_counter() - started:.0f} s: {counts}")
        started = time.perf_counter()
        if tagged := load_demo_themes():  # as `flask demo load --size large` does, after it
            print(f"KKPHAM themes on {tagged} workshops in {time.perf_counter() - started:.0f} s")
        _refresh_statistics()
        reviewer = _reviewer()
        _measure(app, reviewer, args.repeat)


def _refresh_statistics() -> None:
    """On PostgreSQL, what autovacuum does on a live database after a bulk load: without it the
    planner still believes the tables hold a few hundred rows (and the tally triggers' updates
    leave dead rows behind), and picks plans no production database would run."""
    if db.engine.dialect.name != "postgresql":
        return
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(sa.text("VACUUM ANALYZE"))


def _reviewer() -> User:
    user = db.session.scalar(sa.select(User).where(User.email == "peninjau@bench.example.org"))
    if user is None:
        user = User(
            email="peninjau@bench.example.org",
            password_hash="!",
            role=Role.REVIEWER,
            email_verified_at=utcnow(),
        )
        db.session.add(user)
        db.session.commit()
    return user


def _measure(app, reviewer: User, repeat: int) -> None:
    client = app.test_client()
    token = start_login_session(reviewer)
    db.session.commit()
    with client.session_transaction() as session:
        session.update({"_user_id": str(reviewer.id), "_fresh": True, SESSION_KEY: token})
    statements = []
    sa.event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    print(f"\n{'page':<22} {'best s':>7} {'median s':>9} {'queries':>8}  status")
    slow = False
    for label, path in PAGES + PDF_PAGES:
        times = []
        for _ in range(repeat):
            statements.clear()
            started = time.perf_counter()
            response = client.get(path)
            times.append(time.perf_counter() - started)
            db.session.remove()
            # The bench's app context outlives each request: drop Flask-Login's cached user,
            # detached by the session's removal, so the next request loads it again.
            g.pop("_login_user", None)
        best, median = min(times), statistics.median(times)
        slow |= median >= (
            PDF_TARGET_SECONDS if path.startswith("/laporan.pdf") else TARGET_SECONDS
        )
        print(f"{label:<22} {best:7.3f} {median:9.3f} {len(statements):8d}  {response.status_code}")
    verdict = "MISSED" if slow else "met"
    print(
        f"\nTarget: under {TARGET_SECONDS:.0f} s per page, "
        f"{PDF_TARGET_SECONDS:.0f} s per PDF: {verdict}."
    )


if __name__ == "__main__":
    main()
