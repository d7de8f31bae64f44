"""CPU time and SQL statements of each step of the post-test and registration flows, in-process.

    python bench/load/profile_flow.py STATE.json [-n 30]

Runs the steps the load generator sends (overview, start, attempt page, 20 answers, submit, result;
workshop page, register, workshop page again) through Flask's test client for the last N
participants of the seeded benchmark database, and prints each step's median CPU milliseconds and
statement count. Without gunicorn, the network or a load generator in the way, a change to a hot
path shows here as a before/after figure that does not depend on how busy the machine is (CPU time,
not wall time). Same environment as bench/load/run.sh. It first removes those participants'
attempts and registrations for the race, so it can run again on the same database.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time
from collections import defaultdict
from pathlib import Path

import sqlalchemy as sa

from lokalatih import create_app
from lokalatih.extensions import db
from lokalatih.models import Attempt, LoginSession, Registration, Workshop, utcnow

TOKEN = re.compile(r'name="csrf-token" content="([^"]+)"|name="csrf_token"[^>]*value="([^"]+)"')
ANSWER = re.compile(r'name="q(\d+)" value="([^"]+)"')


class Steps:
    def __init__(self, app):
        self.cpu: dict[str, list[float]] = defaultdict(list)
        self.statements: dict[str, list[int]] = defaultdict(list)
        self._count = 0
        with app.app_context():
            sa.event.listen(db.engine, "before_cursor_execute", self._seen)

    def _seen(self, *args) -> None:
        self._count += 1

    def run(self, label: str, call):
        self._count, began = 0, time.process_time()
        response = call()
        self.cpu[label].append(time.process_time() - began)
        self.statements[label].append(self._count)
        if response.status_code not in (200, 302):
            raise SystemExit(f"{label}: status {response.status_code}")
        return response

    def print(self, title: str, labels: list[str], per: dict[str, int]) -> None:
        print(f"\n{title}\n| step | CPU ms (median) | SQL statements |\n| --- | ---: | ---: |")
        total = 0.0
        for label in labels:
            cpu = statistics.median(self.cpu[label]) * 1000
            total += cpu * per.get(label, 1)
            print(f"| {label} | {cpu:.2f} | {statistics.median(self.statements[label]):.0f} |")
        print(f"| whole flow of one participant | {total:.1f} | |")


def token(response) -> str:
    match = TOKEN.search(response.text)
    return match.group(1) or match.group(2)


def post_test(client, steps: Steps, quiz_id: int) -> None:
    page = steps.run("overview", lambda: client.get(f"/tes/{quiz_id}"))
    started = steps.run(
        "start", lambda: client.post(f"/tes/{quiz_id}/mulai", data={"csrf_token": token(page)})
    )
    path = started.headers["location"]
    page = steps.run("attempt page", lambda: client.get(path))
    csrf = token(page)
    for question_id, key in dict(ANSWER.findall(page.text)).items():
        steps.run(
            "save answer",
            lambda q=question_id, k=key: client.post(
                f"{path}/jawaban",
                json={"question_id": int(q), "selected": [k]},
                headers={"X-CSRFToken": csrf, "Accept": "application/json"},
            ),
        )
    done = steps.run("submit", lambda: client.post(f"{path}/kirim", data={"csrf_token": csrf}))
    steps.run("result page", lambda: client.get(done.headers["location"]))


def register(client, steps: Steps, slug: str) -> None:
    page = steps.run("workshop page", lambda: client.get(f"/loka-latih/{slug}"))
    done = steps.run(
        "register",
        lambda: client.post(f"/loka-latih/{slug}/daftar", data={"csrf_token": token(page)}),
    )
    steps.run("workshop page after", lambda: client.get(done.headers["location"]))


def reset(app, state: dict, cookies: list[str], race: list[str]) -> None:
    """Remove what an earlier run of this script left for these participants; mark their logins
    as just seen."""
    serializer = app.session_interface.get_signing_serializer(app)

    def user_ids(cookies: list[str]) -> list[int]:
        return [int(serializer.loads(cookie)["_user_id"]) for cookie in cookies]

    with app.app_context():
        class_users, race_users = user_ids(cookies), user_ids(race)
        db.session.execute(
            sa.delete(Attempt).where(
                Attempt.quiz_id == state["quiz_id"],
                Attempt.registration_id.in_(
                    sa.select(Registration.id).where(Registration.user_id.in_(class_users))
                ),
            )
        )
        race_workshop = db.session.scalar(
            sa.select(Workshop.id).where(Workshop.slug == state["race_slug"])
        )
        db.session.execute(
            sa.delete(Registration).where(
                Registration.workshop_id == race_workshop, Registration.user_id.in_(race_users)
            )
        )
        # A login session is touched at most every 5 minutes; leave that out of the figures.
        db.session.execute(
            sa.update(LoginSession)
            .where(LoginSession.user_id.in_(class_users + race_users))
            .values(last_seen_at=utcnow())
        )
        db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("state")
    parser.add_argument("-n", type=int, default=30)
    args = parser.parse_args()
    state = json.loads(Path(args.state).read_text())
    app = create_app()
    cookies, race = state["class"][-args.n :], state["race"][-args.n :]
    reset(app, state, cookies, race)
    steps = Steps(app)
    for class_cookie, race_cookie in zip(cookies, race, strict=True):
        client = app.test_client()
        client.set_cookie("session", class_cookie)
        post_test(client, steps, state["quiz_id"])
        client = app.test_client()
        client.set_cookie("session", race_cookie)
        register(client, steps, state["race_slug"])
    labels = ["overview", "start", "attempt page", "save answer", "submit", "result page"]
    steps.print(f"Post-test, {args.n} participants", labels, {"save answer": 20})
    labels = ["workshop page", "register", "workshop page after"]
    steps.print(f"Registration, {args.n} participants", labels, {})


if __name__ == "__main__":
    main()
