"""Issue 21's measurements: each hot path in a closed loop next to the ceiling, and the class at
human pace (`make bench-quick`, docs/PERFORMANCE.md).

- Hot paths: saving one answer (JSON, signed in), the attempt page (signed in), the catalogue and
  a workshop page (anonymous, the browser sending back no validator, so the server answers in
  full every time), each with `concurrency` clients for `seconds` seconds.
- Human pace: N participants keep their attempt page open and each saves an answer every 10 s
  +/- 50 % (uniform between 5 and 15 s), as `quiz.js` does when someone clicks a choice, for
  `seconds` seconds; p95 and errors per N. The seeded class has 1,000 participants: above that,
  virtual participants share attempts (each save is still one request and one upsert).
"""

from __future__ import annotations

import asyncio
import random
import time

import rawhttp
from client import ANSWER_INPUT, Browser, Stats, closed_loop, csrf_token_of, new_client

PACE_MIN, PACE_MAX = 5.0, 15.0
# Connections the paced class shares, as nginx keeps a few kept-alive connections to gunicorn for
# thousands of browsers (`keepalive 16`, docs/DEPLOY.md). The paced class goes through the lean
# client of rawhttp.py: with httpx, whose pool scans every connection for every queued request,
# the generator took a whole core at 2,000 participants and decided the result (py-spy:
# `_assign_requests_to_connections`), not the server.
PACE_CONNECTIONS = 16


class Seat:
    """One prepared participant: their cookie, attempt page, CSRF token and answers."""

    def __init__(self, cookie: str, path: str, token: str, answers: list[tuple[int, str]]):
        self.cookie, self.path, self.token, self.answers = cookie, path, token, answers


async def prepare(url: str, state: dict, count: int) -> list[Seat]:
    """Open the overview, start the attempt and load its page for `count` participants (not
    measured: this is the class sitting down)."""
    quiz_id = state["quiz_id"]
    stats = Stats("preparation")
    seats: list[Seat] = []

    async def one(cookie: str, client) -> None:
        browser = Browser(client, stats, cookie)
        page = await browser.request("overview", "GET", f"/tes/{quiz_id}", expect=(200,))
        started = await browser.request(
            "start", "POST", f"/tes/{quiz_id}/mulai", data={"csrf_token": csrf_token_of(page)}
        )
        page = await browser.follow("attempt page", started)
        if page is None or "/percobaan/" not in str(page.url):
            return
        answers = {}
        for qid, key in ANSWER_INPUT.findall(page.text):
            answers.setdefault(int(qid), key)
        seats.append(
            Seat(browser.cookie, page.url.path, csrf_token_of(page), list(answers.items()))
        )

    async with new_client(url, 32) as client:
        await asyncio.gather(*(one(cookie, client) for cookie in state["class"][:count]))
    if stats.errors:
        print(f"preparation: {stats.errors} errors {stats.error_samples}", flush=True)
    return seats


def _save(browser: Browser, seat: Seat, label: str = "save answer"):
    question_id, key = random.choice(seat.answers)
    return browser.request(
        label,
        "POST",
        f"{seat.path}/jawaban",
        json={"question_id": question_id, "selected": [key]},
        headers={"X-CSRFToken": seat.token, "Accept": "application/json"},
        expect=(200,),
    )


def hot_paths(
    url: str, state: dict, seats: list[Seat], concurrency: int, seconds: float
) -> list[tuple[str, object]]:
    """(name, coroutine) per hot path, for the caller to measure one after the other."""
    slug = state["class_slug"]

    def signed_in(make):
        async def request(browser: Browser):
            seat = seats[random.randrange(len(seats))]
            browser.cookie = seat.cookie
            return await make(browser, seat)

        return request

    paths = [
        ("save one answer", signed_in(lambda b, s: _save(b, s, "save"))),
        (
            "attempt page",
            signed_in(lambda b, s: b.request("page", "GET", s.path, expect=(200,))),
        ),
        ("catalogue page", lambda b: b.request("page", "GET", "/loka-latih", expect=(200,))),
        (
            "workshop page",
            lambda b: b.request("page", "GET", f"/loka-latih/{slug}", expect=(200,)),
        ),
    ]
    return [
        (name, _closed(url, f"hot: {name}, {concurrency} concurrent", concurrency, seconds, make))
        for name, make in paths
    ]


def hot_paths_wrk(
    url: str, state: dict, seats: list[Seat], concurrency: int, seconds: float, folder
) -> list[tuple[str, object]]:
    """The same hot paths driven by wrk (wrkdrive.py): (name, awaitable) per path."""
    import wrkdrive

    seats_file = wrkdrive.write_seats(seats, folder)
    paths = [
        ("save one answer", "save", ""),
        ("attempt page", "attempt", ""),
        ("catalogue page", "page", "/loka-latih"),
        ("workshop page", "page", f"/loka-latih/{state['class_slug']}"),
    ]
    return [
        (
            name,
            asyncio.to_thread(
                wrkdrive.run,
                f"hot: {name}, {concurrency} concurrent (wrk)",
                url,
                kind,
                connections=concurrency,
                seconds=seconds,
                seats_file=seats_file,
                path=path,
            ),
        )
        for name, kind, path in paths
    ]


async def _closed(url: str, name: str, concurrency: int, seconds: float, make) -> Stats:
    stats = Stats(name)

    async def request(browser: Browser):
        browser.cookie = None  # anonymous unless `make` sets the participant's
        return await make(browser)

    async with new_client(url, concurrency) as client:
        await closed_loop(client, stats, concurrency, seconds, request)
    return stats


async def human_pace(url: str, seats: list[Seat], people: int, seconds: float) -> Stats:
    stats = Stats(f"human pace: {people} participants, an answer every 10 s +/- 50 %")
    stats.started = time.perf_counter()
    deadline = stats.started + seconds

    pool = rawhttp.Pool(url, PACE_CONNECTIONS)

    async def participant(seat: Seat) -> None:
        headers = {
            "Cookie": f"session={seat.cookie}",
            "X-CSRFToken": seat.token,
            "Accept": "application/json",
        }
        await asyncio.sleep(random.uniform(0, PACE_MAX))
        while time.perf_counter() < deadline:
            question_id, key = random.choice(seat.answers)
            request = pool.post_json(
                f"{seat.path}/jawaban", {"question_id": question_id, "selected": [key]}, headers
            )
            await pool.send(stats, "save answer", request)
            await asyncio.sleep(random.uniform(PACE_MIN, PACE_MAX))

    try:
        await asyncio.gather(*(participant(seats[i % len(seats)]) for i in range(people)))
    finally:
        pool.close()
    stats.finished = time.perf_counter()
    return stats


def pace_table(rows: list[dict]) -> list[str]:
    """The capacity table: holds = p95 under 300 ms and no error."""
    if not rows:
        return []
    lines = [
        "",
        "Human pace (each participant saves an answer every 10 s +/- 50 %; holds = p95 < 300 ms"
        " and 0 errors):",
        "",
        "| participants | saves | req/s | p50 ms | p95 ms | p99 ms | errors | holds |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    held = []
    for r in rows:
        people = int(r["scenario"].split(": ")[1].split(" ")[0])
        holds = r["p95_ms"] < 300 and r["errors"] == 0
        if holds:
            held.append(people)
        lines.append(
            f"| {people} | {r['requests']} | {r['req_per_s']} | {r['p50_ms']} | {r['p95_ms']} | "
            f"{r['p99_ms']} | {r['errors']} | {'yes' if holds else '**no**'} |"
        )
    lines += ["", f"Largest number that holds: {max(held) if held else 'none'}."]
    return lines
