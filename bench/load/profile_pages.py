"""Profile one page or request in-process (pyinstrument) and count its SQL statements.

    python bench/load/profile_pages.py STATE.json PATH [--as class|race|organizer|anonymous] [-n N]

Uses the seeded benchmark database (same environment as bench/load/run.sh). The profile shows
where a request's time goes without gunicorn or the network; the statement count finds N+1 queries.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

import sqlalchemy as sa
from pyinstrument import Profiler

from lokalatih import create_app
from lokalatih.extensions import db


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("state")
    parser.add_argument("path")
    parser.add_argument("--as", dest="who", default="anonymous")
    parser.add_argument("-n", type=int, default=20)
    parser.add_argument("--method", default="GET")
    parser.add_argument("--show-sql", action="store_true")
    args = parser.parse_args()
    state = json.loads(Path(args.state).read_text())
    app = create_app()
    client = app.test_client()
    if args.who == "organizer":
        client.set_cookie("session", state["organizer_cookie"])
    elif args.who in ("class", "race"):
        client.set_cookie("session", state[args.who][-1])
    statements: Counter[str] = Counter()
    with app.app_context():
        sa.event.listen(
            db.engine,
            "before_cursor_execute",
            lambda conn, cursor, statement, *a: statements.update([statement]),
        )
    client.open(args.path, method=args.method)  # warm up
    statements.clear()
    profiler = Profiler(interval=0.0005)
    began = time.perf_counter()
    with profiler:
        for _ in range(args.n):
            response = client.open(args.path, method=args.method)
    elapsed = (time.perf_counter() - began) / args.n
    print(
        f"{args.path}: status {response.status_code}, {len(response.data)} bytes, "
        f"{elapsed * 1000:.1f} ms per request, "
        f"{sum(statements.values()) / args.n:.1f} SQL statements per request"
    )
    if args.show_sql:
        for statement, count in statements.most_common(15):
            print(f"{count / args.n:6.1f}x  {' '.join(statement.split())[:160]}")
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main()
