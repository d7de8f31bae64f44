"""The benchmark's simulated browser and its figures, shared by loadgen.py (the scenarios),
hotpaths.py (the hot paths and the human pace) and wrkdrive.py (wrk): a participant with its own
cookies that reads CSRF tokens from pages as a browser does, the shared httpx client, arrival and
closed-loop drivers, and `Stats` (latencies, errors, percentiles per step)."""

from __future__ import annotations

import asyncio
import os
import random
import re
import time
from dataclasses import dataclass, field
from http.cookiejar import CookieJar, DefaultCookiePolicy

import httpx

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
ANSWER_INPUT = re.compile(r'name="q(\d+)" value="([^"]+)"')
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')
IN_FLIGHT = asyncio.Semaphore(int(os.environ.get("BENCH_IN_FLIGHT", "64")))


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


@dataclass
class Stats:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    resent: int = 0
    error_samples: list[str] = field(default_factory=list)
    started: float = 0.0
    finished: float = 0.0
    by_label: dict[str, list[float]] = field(default_factory=dict)

    def add(self, label: str, seconds: float, ok: bool, detail: str = "") -> None:
        self.latencies.append(seconds)
        self.by_label.setdefault(label, []).append(seconds)
        if not ok:
            self.errors += 1
            if len(self.error_samples) < 5:
                self.error_samples.append(f"{label}: {detail}")

    @property
    def duration(self) -> float:
        return self.finished - self.started

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.duration if self.duration else 0.0

    @property
    def request_count(self) -> int:
        return len(self.latencies)

    def row(self, ceiling: float | None) -> dict:
        ms = [v * 1000 for v in self.latencies]
        return {
            "scenario": self.name,
            "requests": len(ms),
            "seconds": round(self.duration, 1),
            "req_per_s": round(self.throughput, 1),
            "p50_ms": round(percentile(ms, 0.50), 1),
            "p95_ms": round(percentile(ms, 0.95), 1),
            "p99_ms": round(percentile(ms, 0.99), 1),
            "errors": self.errors,
            "resent": self.resent,
            "ratio_of_ceiling": round(self.throughput / ceiling, 2) if ceiling else None,
            "per_request": {
                label: {
                    "n": len(values),
                    "p50_ms": round(percentile(values, 0.5) * 1000, 1),
                    "p95_ms": round(percentile(values, 0.95) * 1000, 1),
                }
                for label, values in self.by_label.items()
            },
            "error_samples": self.error_samples,
        }


class Browser:
    """One participant: their own session cookie over the shared connection pool."""

    def __init__(self, client: httpx.AsyncClient, stats: Stats, cookie: str | None = None):
        self.client, self.stats, self.cookie = client, stats, cookie

    async def request(self, label: str, method: str, url: str, expect=(200, 302), **kwargs):
        headers = kwargs.pop("headers", {})
        if self.cookie:
            headers["Cookie"] = f"session={self.cookie}"
        # The clock starts before the wait for a connection: a participant's wait is part of their
        # latency. The cap keeps httpcore's pool from queueing thousands of requests (its
        # assignment is quadratic in the queue, which starves the generator of CPU).
        began = time.perf_counter()
        for attempt in (1, 2):
            try:
                async with IN_FLIGHT:
                    response = await self.client.request(method, url, headers=headers, **kwargs)
                break
            except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as error:
                # The server closed a kept-alive connection (a worker recycled by max_requests)
                # as this request went out on it, before any response: a browser sends it again
                # once on a new connection, and so does a participant here (counted, and the
                # wait stays in the latency). The app takes any request twice (one attempt,
                # one registration, upserted answers).
                if attempt == 1:
                    self.stats.resent += 1
                    continue
                self.stats.add(label, time.perf_counter() - began, False, repr(error))
                return None
            except httpx.HTTPError as error:
                self.stats.add(label, time.perf_counter() - began, False, repr(error))
                return None
        self.stats.add(
            label,
            time.perf_counter() - began,
            response.status_code in expect,
            f"{response.status_code} {url}",
        )
        for value in response.headers.get_list("set-cookie"):
            if value.startswith("session="):
                self.cookie = value.split(";", 1)[0].split("=", 1)[1] or None
        return response

    async def follow(self, label: str, response: httpx.Response | None) -> httpx.Response | None:
        if response is not None and response.status_code == 302:
            return await self.request(label, "GET", response.headers["location"], expect=(200,))
        return response


def csrf_token_of(response: httpx.Response | None) -> str | None:
    if response is None:
        return None
    match = CSRF_META.search(response.text) or CSRF_INPUT.search(response.text)
    return match.group(1) if match else None


def new_client(base_url: str, connections: int) -> httpx.AsyncClient:
    # A jar that refuses every cookie: each Browser carries its own.
    jar = CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))
    return httpx.AsyncClient(
        base_url=base_url,
        cookies=jar,
        timeout=httpx.Timeout(60.0),
        limits=httpx.Limits(max_connections=connections, max_keepalive_connections=connections),
    )


async def at(offset: float, start: float) -> None:
    await asyncio.sleep(max(0.0, start + offset - time.perf_counter()))


# --- the ceiling --------------------------------------------------------------------------------


async def arrive(people, window: float, participant, client, stats) -> None:
    """Each person starts at a random moment within `window` seconds; the scenario's clock runs
    from the first possible start to the last person's finish."""
    start = time.perf_counter()
    stats.started = start
    await asyncio.gather(
        *(participant(c, random.uniform(0, window), start, client) for c in people)
    )
    stats.finished = time.perf_counter()


async def closed_loop(client, stats, concurrency, seconds, make_request) -> None:
    deadline = time.perf_counter() + seconds

    async def worker():
        browser = Browser(client, stats)
        while time.perf_counter() < deadline:
            await make_request(browser)

    stats.started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    stats.finished = time.perf_counter()
