"""CPU time per process group during a scenario, read from /proc (Linux).

The load generator, gunicorn, PostgreSQL and Redis share the machine's cores, so a scenario's
throughput depends on how much CPU each of them takes per request. A group is a process and all
its descendants, live or exited: an exited child's time is in its parent's cutime/cstime, so
gunicorn workers recycled by max_requests and PostgreSQL backends that closed are still counted.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def tree_seconds(pid: int) -> float:
    """CPU seconds of the process, its reaped children and its live descendants."""
    fields = _stat_fields(pid)
    if fields is None:
        return 0.0
    # After "(comm)": utime, stime, cutime, cstime are fields 11-14.
    own = sum(int(value) for value in fields[11:15]) / TICK
    return own + sum(tree_seconds(child) for child in _children(pid))


def machine_busy_seconds() -> float:
    """Non-idle CPU seconds of all cores since boot (/proc/stat)."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    user, nice, system, idle, iowait, irq, softirq, steal = (values + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / TICK


def postmaster_pid() -> int | None:
    """The PostgreSQL server process: a `postgres` whose parent is not one."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat_fields(int(entry.name))
        try:
            comm = (entry / "comm").read_text().strip()
        except OSError:
            continue
        if comm == "postgres" and fields is not None:
            parent = Path(f"/proc/{fields[1]}/comm")
            if not parent.exists() or parent.read_text().strip() != "postgres":
                return int(entry.name)
    return None


class CpuMeter:
    """Snapshots of CPU seconds per named group; `split` turns two into ms per request."""

    def __init__(self, groups: dict[str, int | None]):
        self.groups = {name: pid for name, pid in groups.items() if pid}

    def snapshot(self) -> dict[str, float]:
        taken = {name: tree_seconds(pid) for name, pid in self.groups.items()}
        taken["machine"] = machine_busy_seconds()
        return taken

    def split(self, before: dict[str, float], after: dict[str, float], requests: int) -> dict:
        seconds = {name: max(0.0, after[name] - before[name]) for name in after}
        machine = seconds.pop("machine")
        seconds["other"] = max(0.0, machine - sum(seconds.values()))
        per = max(1, requests)
        busy = machine or 1.0
        return {
            "machine_seconds": round(machine, 1),
            "ms_per_request": {name: round(s * 1000 / per, 2) for name, s in seconds.items()},
            "share": {name: round(s / busy, 2) for name, s in seconds.items()},
        }


def wait_until_idle(pid: int | None, share: float = 0.05, timeout: float = 120.0) -> float:
    """Wait until the process tree uses under `share` of a core over a second (at most `timeout`
    seconds); returns the seconds waited. After a fresh seed the scheduler's first jobs (the
    class's reminder emails, the outbox) take seconds of CPU that must not fall into the ceiling's
    measurement."""
    began = time.monotonic()
    if not pid:
        return 0.0
    while time.monotonic() - began < timeout:
        before = tree_seconds(pid)
        time.sleep(1.0)
        if tree_seconds(pid) - before < share:
            break
    return time.monotonic() - began
