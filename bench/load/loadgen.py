"""Load generator for `make bench`: asyncio + httpx, run as its own process against gunicorn.

Each virtual participant does what a browser does: it opens the page, reads the CSRF token from the
form (or the csrf-token meta tag), posts it back and follows the redirect; cookies are kept per
participant (the shared client keeps none). Real CSRF tokens are used; nothing is switched off.

    python bench/load/loadgen.py --state STATE.json --app URL --ceiling URL --gunicorn-pid PID \
        --database-url URL --out docs/PERFORMANCE.md
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import multiprocessing
import os
import platform
import random
import re
import subprocess
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import sqlalchemy as sa
from client import (
    ANSWER_INPUT,
    ASSET,
    Browser,
    Stats,
    arrive,
    at,
    closed_loop,
    csrf_token_of,
    new_client,
)
from cpuaccount import CpuMeter, postmaster_pid, wait_until_idle

MARK_START, MARK_END = "<!-- bench:figures:start -->", "<!-- bench:figures:end -->"
CEILING = "ceiling: bare Flask, one INSERT"


async def _ceiling_clients(url: str, concurrency: int, seconds: float) -> Stats:
    stats = Stats(CEILING)
    async with new_client(url, concurrency) as client:
        await closed_loop(
            client,
            stats,
            concurrency,
            seconds,
            lambda b: b.request("hit", "POST", "/hit", expect=(200,)),
        )
    return stats


def _ceiling_process(url: str, concurrency: int, seconds: float) -> Stats:
    return asyncio.run(_ceiling_clients(url, concurrency, seconds))


async def ceiling(url: str, concurrency: int, seconds: float, processes: int) -> Stats:
    """The bare endpoint's rate with `concurrency` clients spread over `processes` processes.

    One asyncio process spends about 2.7 ms of its own CPU per request here, so alone it tops out
    at one core's worth of requests, below what gunicorn serves the bare endpoint at: the ceiling
    would be the generator's, not the server's. The scenarios do not need this (the server side
    saturates the machine first)."""
    loop = asyncio.get_running_loop()
    context = multiprocessing.get_context("spawn")
    share = max(1, concurrency // processes)
    with ProcessPoolExecutor(processes, mp_context=context) as pool:
        parts = await asyncio.gather(
            *(
                loop.run_in_executor(pool, _ceiling_process, url, share, seconds)
                for _ in range(processes)
            )
        )
    merged = Stats(CEILING)
    for part in parts:
        for label, values in part.by_label.items():
            for value in values:
                merged.add(label, value, True)
        merged.errors += part.errors
        merged.resent += part.resent
        merged.error_samples += part.error_samples[: 5 - len(merged.error_samples)]
    # perf_counter is CLOCK_MONOTONIC: the same clock in every process.
    merged.started = min(part.started for part in parts)
    merged.finished = max(part.finished for part in parts)
    return merged


# --- 1. post-test burst -------------------------------------------------------------------------


async def post_test(url: str, state: dict, window: float, think: float, size: int) -> Stats:
    people = state["class"][:size]
    stats = Stats(f"1. post-test burst, {len(people)} participants in {window:.0f} s")
    quiz_id = state["quiz_id"]

    async def participant(cookie: str, offset: float, start: float, client) -> None:
        await at(offset, start)
        browser = Browser(client, stats, cookie)
        page = await browser.request("overview", "GET", f"/tes/{quiz_id}", expect=(200,))
        token = csrf_token_of(page)
        started = await browser.request(
            "start", "POST", f"/tes/{quiz_id}/mulai", data={"csrf_token": token}, expect=(302,)
        )
        page = await browser.follow("attempt page", started)
        if page is None or "/percobaan/" not in str(page.url):
            stats.add("attempt page", 0, False, "no attempt page")
            return
        attempt_path = page.url.path
        token = csrf_token_of(page)
        answers: dict[str, str] = {}
        for qid, key in ANSWER_INPUT.findall(page.text):
            answers.setdefault(qid, key)
        for qid, key in answers.items():
            await asyncio.sleep(think)
            await browser.request(
                "save answer",
                "POST",
                f"{attempt_path}/jawaban",
                json={"question_id": int(qid), "selected": [key]},
                headers={"X-CSRFToken": token, "Accept": "application/json"},
                expect=(200,),
            )
        submitted = await browser.request(
            "submit", "POST", f"{attempt_path}/kirim", data={"csrf_token": token}, expect=(302,)
        )
        await browser.follow("result page", submitted)

    async with new_client(url, 64) as client:
        await arrive(people, window, participant, client, stats)
    return stats


# --- 2. registration race -----------------------------------------------------------------------


async def registration_race(url: str, state: dict, window: float, size: int) -> Stats:
    people = state["race"][:size]
    stats = Stats(f"2. registration race, {len(people)} participants in {window:.0f} s")
    slug = state["race_slug"]

    async def participant(cookie: str, offset: float, start: float, client) -> None:
        await at(offset, start)
        browser = Browser(client, stats, cookie)
        page = await browser.request("workshop page", "GET", f"/loka-latih/{slug}", expect=(200,))
        done = await browser.request(
            "register",
            "POST",
            f"/loka-latih/{slug}/daftar",
            data={"csrf_token": csrf_token_of(page)},
            expect=(302,),
        )
        await browser.follow("workshop page after", done)

    async with new_client(url, 64) as client:
        await arrive(people, window, participant, client, stats)
    return stats


# --- 3. check-in --------------------------------------------------------------------------------


async def check_in(url: str, state: dict, window: float, size: int) -> Stats:
    people = state["class"][:size]
    stats = Stats(f"3. check-in, {len(people)} participants in {window:.0f} s")
    session_id = state["checkin_session_id"]
    screen = f"/kelola/{state['class_slug']}/sesi/{session_id}/presensi/status.json"
    current = {"code": None}
    running = True

    async def projector(client) -> None:
        # The venue screen polls its state; participants scan the code it shows.
        organizer = Browser(client, Stats("projector"), state["organizer_cookie"])
        while running:
            response = await organizer.request("screen", "GET", screen, expect=(200,))
            if response is not None and response.status_code == 200:
                current["code"] = response.json()["code"]
            await asyncio.sleep(5)

    async def participant(cookie: str, offset: float, start: float, client) -> None:
        await at(offset, start)
        browser = Browser(client, stats, cookie)
        page = await browser.request(
            "scan page", "GET", f"/hadir/{session_id}/{current['code']}", expect=(200,)
        )
        done = await browser.request(
            "check in",
            "POST",
            f"/hadir/{session_id}",
            data={"csrf_token": csrf_token_of(page), "code": current["code"]},
            expect=(302,),
        )
        await browser.follow("checked-in page", done)

    async with new_client(url, 64) as client:
        poller = asyncio.create_task(projector(client))
        while current["code"] is None:
            await asyncio.sleep(0.1)
        await arrive(people, window, participant, client, stats)
        running = False
        await poller
    return stats


# --- 4. catalogue and workshop pages ------------------------------------------------------------


async def catalogue(url: str, state: dict, levels: list[int], seconds: float) -> list[Stats]:
    pages = ["/loka-latih"] + [f"/loka-latih/{slug}" for slug in state["catalogue_slugs"]]
    results = []
    for concurrency in levels:
        stats = Stats(f"4. catalogue, {concurrency} concurrent")
        async with new_client(url, concurrency) as client:
            counter = {"n": 0}

            def next_page(browser, counter=counter):
                counter["n"] += 1
                # Every other request is the catalogue itself, the rest workshop pages.
                path = pages[0] if counter["n"] % 2 else random.choice(pages[1:])
                return browser.request("page", "GET", path, expect=(200,))

            await closed_loop(client, stats, concurrency, seconds, next_page)
        results.append(stats)
    return results


async def page_weight(url: str, paths: list[str]) -> list[dict]:
    rows = []
    async with new_client(url, 4) as client:
        for path in paths:
            page = await client.get(path, headers={"Accept-Encoding": "identity"})
            assets = sorted(set(ASSET.findall(page.text)))
            raw = len(page.content)
            compressed = len(gzip.compress(page.content, 6))
            served_gzip = False
            for asset in assets:
                body = await client.get(asset, headers={"Accept-Encoding": "identity"})
                raw += len(body.content)
                compressed += len(gzip.compress(body.content, 6))
            probe = await client.get(path, headers={"Accept-Encoding": "gzip"})
            served_gzip = probe.headers.get("content-encoding") == "gzip"
            rows.append(
                {
                    "path": path,
                    "assets": assets,
                    "raw_bytes": raw,
                    "gzip_bytes": compressed,
                    "app_serves_gzip": served_gzip,
                }
            )
    return rows


# --- checks, memory and the machine ---------------------------------------------------------------


def database_checks(database_url: str, state: dict) -> dict:
    engine = sa.create_engine(database_url)
    with engine.connect() as c:
        submitted = c.scalar(
            sa.text(
                "SELECT count(*) FROM attempts WHERE quiz_id = :q AND submitted_at IS NOT NULL"
            ),
            {"q": state["quiz_id"]},
        )
        answers = c.scalar(
            sa.text(
                "SELECT count(*) FROM answers a JOIN attempts t ON t.id = a.attempt_id "
                "WHERE t.quiz_id = :q"
            ),
            {"q": state["quiz_id"]},
        )
        statuses = dict(
            c.execute(
                sa.text(
                    "SELECT r.status, count(*) FROM registrations r JOIN workshops w "
                    "ON w.id = r.workshop_id WHERE w.slug = :s GROUP BY r.status"
                ),
                {"s": state["race_slug"]},
            ).all()
        )
        checkins = c.scalar(
            sa.text("SELECT count(*) FROM checkins WHERE session_id = :s"),
            {"s": state["checkin_session_id"]},
        )
    engine.dispose()
    return {
        "results_stored": submitted,
        "answers_stored": answers,
        "registrations": statuses,
        "checkins": checkins,
    }


def worker_memory(master_pid: int) -> list[dict]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    rows = []
    for pid in [master_pid, *map(int, children)]:
        status = Path(f"/proc/{pid}/status").read_text()
        rss = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        pss = int(re.search(r"Pss:\s+(\d+)", rollup).group(1))
        rows.append(
            {
                "pid": pid,
                "role": "master" if pid == master_pid else "worker",
                "rss_mb": round(rss / 1024, 1),
                "pss_mb": round(pss / 1024, 1),
            }
        )
    return rows


def machine(database_url: str) -> dict:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    engine = sa.create_engine(database_url)
    with engine.connect() as c:
        pg = c.scalar(sa.text("SHOW server_version"))
    engine.dispose()
    gunicorn = subprocess.run(["gunicorn", "--version"], capture_output=True, text=True)
    return {
        "nproc": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "postgresql": pg,
        "python": platform.python_version(),
        "gunicorn": (gunicorn.stdout or gunicorn.stderr).strip(),
    }


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


# --- report -------------------------------------------------------------------------------------


def table(rows: list[dict]) -> str:
    head = "| scenario | requests | s | req/s | p50 ms | p95 ms | p99 ms | errors | × ceiling |"
    lines = [head, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        lines.append(
            f"| {r['scenario']} | {r['requests']} | {r['seconds']} | {r['req_per_s']} | "
            f"{r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | {r['errors']} | "
            f"{r['ratio_of_ceiling'] if r['ratio_of_ceiling'] is not None else '—'} |"
        )
    return "\n".join(lines)


def cpu_table(rows: list[dict]) -> list[str]:
    measured = [r for r in rows if "cpu" in r]
    if not measured:
        return []
    groups = list(measured[0]["cpu"]["ms_per_request"])
    lines = [
        "",
        "CPU per request (ms of CPU time, all cores, from /proc; share of the machine's busy time"
        " in brackets):",
        "",
        "| scenario | cores busy | " + " | ".join(groups) + " |",
        "| --- | ---: | " + " | ".join("---:" for _ in groups) + " |",
    ]
    for r in measured:
        cpu = r["cpu"]
        busy = cpu["machine_seconds"] / r["seconds"] if r["seconds"] else 0.0
        cells = [f"{cpu['ms_per_request'][g]} ({cpu['share'][g]:.0%})" for g in groups]
        lines.append(f"| {r['scenario']} | {busy:.2f} | " + " | ".join(cells) + " |")
    return lines


def report(result: dict) -> str:
    m = result["machine"]
    checks = result["checks"]
    lines = [
        MARK_START,
        f"Run of {result['when']} (`{result.get('command') or 'make bench'}`), label: "
        f"{result['label']}.",
        "",
        f"Machine: {m['nproc']} cores ({m['cpu']}), {m['memory_gb']} GB, PostgreSQL "
        f"{m['postgresql']}, Python {m['python']}, {m['gunicorn']}; gunicorn "
        f"{result['server']}. The load generator ran on the same {m['nproc']} cores as gunicorn "
        f"and PostgreSQL; the load average says what else ran (1/5/15 min) before: "
        f"{result['load_before']}, during: {', '.join(result['load_during'])}, after: "
        f"{result['load_after']}.",
        "",
        result.get("driver_note", ""),
        "",
        table(result["rows"]),
        "",
        "Per request (p50 / p95 ms):",
        "",
    ]
    for r in result["rows"]:
        parts = [
            f"{k} {v['p50_ms']}/{v['p95_ms']} (n={v['n']})" for k, v in r["per_request"].items()
        ]
        lines.append(f"- {r['scenario']}: " + "; ".join(parts))
        if r.get("resent"):
            lines.append(
                f"  - sent again once after the server closed a kept-alive connection: "
                f"{r['resent']} requests"
            )
        for sample in r["error_samples"]:
            lines.append(f"  - error sample: `{sample}`")
    lines += cpu_table(result["rows"])
    if result.get("pace"):
        from hotpaths import pace_table

        lines += pace_table(result["pace"])
    lines += [
        "",
        f"Database afterwards: {checks['results_stored']} post-test results stored "
        f"({checks['answers_stored']} answers); registrations {checks['registrations']}; "
        f"{checks['checkins']} check-ins.",
        "",
        f"Catalogue: best rate with p95 < 200 ms: {result['catalogue_best']}.",
        "",
        "| page | assets | raw KB | gzip KB | app sends gzip |",
        "| --- | --- | ---: | ---: | --- |",
    ]
    for w in result["weights"]:
        lines.append(
            f"| `{w['path']}` | {len(w['assets'])} | {w['raw_bytes'] / 1024:.1f} | "
            f"{w['gzip_bytes'] / 1024:.1f} | {'yes' if w['app_serves_gzip'] else 'no'} |"
        )
    lines += ["", "| process | RSS MB | PSS MB |", "| --- | ---: | ---: |"]
    for p in result["memory"]:
        lines.append(f"| {p['role']} {p['pid']} | {p['rss_mb']} | {p['pss_mb']} |")
    lines.append(MARK_END)
    return "\n".join(lines)


def write_report(path: Path, text: str) -> None:
    current = path.read_text() if path.exists() else "# Performance\n\n" + MARK_START + MARK_END
    if MARK_START in current:
        before = current.split(MARK_START)[0]
        after = current.split(MARK_END, 1)[1] if MARK_END in current else ""
        path.write_text(before + text + after)
    else:
        path.write_text(current.rstrip() + "\n\n" + text + "\n")


async def main(args) -> dict:
    state = json.loads(Path(args.state).read_text())
    only = set(args.only.split(",")) if args.only else None
    load_before, load_during = load_average(), []
    rows, catalogue_rows = [], []
    meter = CpuMeter(
        {
            "load generator": os.getpid(),
            "lokalatih": args.gunicorn_pid,
            "ceiling app": args.ceiling_pid,
            "scheduler": args.scheduler_pid,
            "PostgreSQL": postmaster_pid(),
        }
    )

    waited = wait_until_idle(args.scheduler_pid)
    print(f"scheduler idle after {waited:.0f} s", flush=True)

    async def measured(scenario, ceil):
        before = meter.snapshot()
        stats = await scenario
        row = stats.row(ceil)
        row["cpu"] = meter.split(before, meter.snapshot(), stats.request_count)
        rows.append(row)
        load_during.append(load_average())
        print(table(rows[-1:]), flush=True)
        return stats

    use_wrk = args.driver == "wrk"
    if use_wrk:
        import wrkdrive

        if not wrkdrive.available():
            raise SystemExit("--driver wrk: wrk is not installed (bash scripts/ensure-wrk.sh)")
        wrk_folder = wrkdrive.seats_folder()

    async def measure_ceiling() -> float:
        if use_wrk:
            scenario = asyncio.to_thread(
                wrkdrive.run, CEILING, args.ceiling, "hit",
                connections=args.hot_concurrency, seconds=args.ceiling_seconds,
            )  # fmt: skip
        else:
            scenario = ceiling(args.ceiling, 16, args.ceiling_seconds, args.ceiling_processes)
        return (await measured(scenario, None)).throughput

    ceilings = [await measure_ceiling()]
    pace_rows = []
    if not only or "hot" in only or "pace" in only:
        import hotpaths  # issue 21's hot paths and the class at human pace

        seats = await hotpaths.prepare(args.app, state, len(state["class"]))
        print(f"prepared {len(seats)} attempts", flush=True)
        if not only or "hot" in only:
            # Alternating: the ceiling is measured again after each hot path, and each ratio is
            # against the mean of the ceilings just before and just after it. On a shared
            # machine the ceiling moved by a third within a quarter of an hour; a ratio against
            # one ceiling at the start measured that drift as much as the code.
            if use_wrk:
                paths = hotpaths.hot_paths_wrk(
                    args.app, state, seats, args.hot_concurrency, args.hot_seconds,
                    Path(wrk_folder.name),
                )  # fmt: skip
            else:
                paths = hotpaths.hot_paths(
                    args.app, state, seats, args.hot_concurrency, args.hot_seconds
                )
            for _, scenario in paths:
                stats = await measured(scenario, ceilings[-1])
                hot_row = rows[-1]
                ceilings.append(await measure_ceiling())
                hot_row["ratio_of_ceiling"] = round(
                    stats.throughput / ((ceilings[-2] + ceilings[-1]) / 2), 2
                )
                print(
                    f"{hot_row['scenario']}: {hot_row['ratio_of_ceiling']} x the ceilings "
                    f"around it ({ceilings[-2]:.0f} and {ceilings[-1]:.0f} req/s)",
                    flush=True,
                )
        if not only or "pace" in only:
            for people in [int(n) for n in args.pace.split(",")]:
                scenario = hotpaths.human_pace(args.app, seats, people, args.pace_seconds)
                await measured(scenario, sum(ceilings) / len(ceilings))
                pace_rows.append(rows[-1])
    ceil = sum(ceilings) / len(ceilings)
    if not only or "race" in only:
        await measured(registration_race(args.app, state, 10.0, args.race_participants), ceil)
    if not only or "checkin" in only:
        await measured(
            check_in(args.app, state, args.checkin_window, args.checkin_participants), ceil
        )
    if not only or "posttest" in only:
        await measured(
            post_test(args.app, state, args.post_window, args.think, args.posttest_participants),
            ceil,
        )
    if not only or "catalogue" in only:
        levels = [int(n) for n in args.levels.split(",")]
        for stats in await catalogue(args.app, state, levels, args.catalogue_seconds):
            catalogue_rows.append(stats.row(ceil))
            print(table(catalogue_rows[-1:]), flush=True)
        load_during.append(load_average())
        rows += catalogue_rows
    good = [r for r in catalogue_rows if r["p95_ms"] < 200]
    best = max(good, key=lambda r: r["req_per_s"]) if good else None
    weights = await page_weight(args.app, ["/loka-latih", f"/loka-latih/{state['class_slug']}"])
    result = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "label": args.label,
        "server": args.server_description,
        "machine": machine(args.database_url),
        "load_before": load_before,
        "load_during": load_during,
        "load_after": load_average(),
        "rows": rows,
        "catalogue_best": (
            f"{best['req_per_s']} req/s at {best['scenario'].split(', ')[1]} "
            f"(p95 {best['p95_ms']} ms)"
        )
        if best
        else "none under 200 ms",
        "weights": weights,
        "pace": pace_rows,
        "command": args.command,
        "driver_note": (
            f"The ceiling and the hot paths: wrk -t1 -c{args.hot_concurrency}, as issue 21"
            " measured them, each request saying it accepts gzip as a browser does."
            if use_wrk
            else "The ceiling and the hot paths: the asyncio + httpx generator (--driver httpx)."
        ),
        "checks": database_checks(args.database_url, state),
        "memory": worker_memory(args.gunicorn_pid),
    }
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--state", required=True)
    parser.add_argument("--app", required=True)
    parser.add_argument("--ceiling", required=True)
    parser.add_argument("--gunicorn-pid", type=int, required=True)
    parser.add_argument("--ceiling-pid", type=int, default=None)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--out", default="docs/PERFORMANCE.md")
    parser.add_argument("--json", default="instance/bench-last.json")
    parser.add_argument("--label", default="")
    parser.add_argument("--server-description", default="")
    parser.add_argument(
        "--only", default="", help="hot,pace,posttest,race,checkin,catalogue (comma-separated)"
    )
    parser.add_argument(
        "--post-window",
        type=float,
        default=40.0,
        help="participants start within this many seconds",
    )
    parser.add_argument("--think", type=float, default=0.2, help="seconds between answers")
    parser.add_argument("--checkin-window", type=float, default=120.0)
    parser.add_argument("--catalogue-seconds", type=float, default=8.0)
    parser.add_argument("--posttest-participants", type=int, default=1000)
    parser.add_argument("--race-participants", type=int, default=2000)
    parser.add_argument("--checkin-participants", type=int, default=1000)
    parser.add_argument("--levels", default="1,4,8,16,32", help="catalogue concurrency levels")
    parser.add_argument("--ceiling-seconds", type=float, default=10.0)
    parser.add_argument(
        "--ceiling-processes", type=int, default=os.cpu_count() or 1, help="client processes"
    )
    parser.add_argument("--scheduler-pid", type=int, default=None)
    parser.add_argument("--command", default="make bench", help="named in the report")
    parser.add_argument(
        "--driver",
        choices=("wrk", "httpx"),
        default="wrk",
        help="what drives the ceiling and the hot paths (wrk as issue 21 measured; httpx without)",
    )
    parser.add_argument("--hot-concurrency", type=int, default=32)
    parser.add_argument("--hot-seconds", type=float, default=8.0)
    parser.add_argument("--pace", default="250,500,1000,2000,2500,3000", help="participants")
    parser.add_argument("--pace-seconds", type=float, default=40.0)
    arguments = parser.parse_args()
    outcome = asyncio.run(main(arguments))
    Path(arguments.json).parent.mkdir(parents=True, exist_ok=True)
    Path(arguments.json).write_text(json.dumps(outcome, indent=2, default=str))
    text = report(outcome)
    print(text)
    if arguments.out:
        write_report(Path(arguments.out), text)
