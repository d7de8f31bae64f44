"""Drive one hot path with wrk (C, one thread), as issue 21 measured it (`wrk -t1 -c32`).

The asyncio + httpx generator spends 1.2-1.9 ms of CPU per request on this machine, more on a
save (JSON, a cookie, a bigger response) than on the ceiling's bare insert, and it shares the two
cores with the server: the ratios then measured the generator's costs as much as the server's.
wrk spends a small fraction of that, and the same for every request kind. `hot.lua` builds the
requests and counts every answer other than 200 as an error.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from client import Stats

SCRIPT = Path(__file__).with_name("hot.lua")


def available() -> bool:
    return shutil.which("wrk") is not None


def _lua_string(text: str) -> str:
    return json.dumps(text)  # a JSON string of ASCII is a valid Lua string literal


def write_seats(seats: list, folder: Path) -> Path:
    """The prepared participants as a Lua file hot.lua reads."""
    lines = ["return {"]
    for seat in seats:
        answers = ", ".join(f"{{{qid}, {_lua_string(key)}}}" for qid, key in seat.answers)
        lines.append(
            f"  {{cookie = {_lua_string(seat.cookie)}, path = {_lua_string(seat.path)}, "
            f"token = {_lua_string(seat.token)}, answers = {{{answers}}}}},"
        )
    lines.append("}")
    path = folder / "seats.lua"
    path.write_text("\n".join(lines) + "\n")
    return path


class WrkStats(Stats):
    """A wrk run's summary in the shape of the generator's Stats (no per-request samples)."""

    def __init__(self, name: str, summary: dict):
        super().__init__(name)
        self.summary = summary
        self.errors = summary["errors"]
        self.started = 0.0
        self.finished = summary["duration_us"] / 1e6

    @property
    def throughput(self) -> float:
        return self.summary["requests"] / self.duration if self.duration else 0.0

    def row(self, ceiling: float | None) -> dict:
        summary = self.summary
        return {
            "scenario": self.name,
            "requests": summary["requests"],
            "seconds": round(self.duration, 1),
            "req_per_s": round(self.throughput, 1),
            "p50_ms": round(summary["p50_us"] / 1000, 1),
            "p95_ms": round(summary["p95_us"] / 1000, 1),
            "p99_ms": round(summary["p99_us"] / 1000, 1),
            "errors": self.errors,
            "resent": 0,
            "ratio_of_ceiling": round(self.throughput / ceiling, 2) if ceiling else None,
            "per_request": {},
            "error_samples": [],
        }

    @property
    def request_count(self) -> int:
        return self.summary["requests"]


def run(
    name: str,
    url: str,
    kind: str,
    *,
    connections: int,
    seconds: float,
    seats_file: Path | None = None,
    path: str = "",
) -> WrkStats:
    command = [
        "wrk", "-t1", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "10s",
        "-s", str(SCRIPT), url, "--", kind, str(seats_file or ""), path,
    ]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed ({done.returncode}): {done.stderr or done.stdout}")
    output = done.stdout
    line = next((x for x in output.splitlines() if x.startswith("WRK ")), None)
    if line is None:
        took = time.perf_counter() - started
        raise RuntimeError(f"wrk printed no summary after {took:.1f} s:\n{output}")
    return WrkStats(name, json.loads(line[4:]))


def seats_folder() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="bench-wrk-")
