"""Small helpers shared by the attendance tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)


def now_utc() -> datetime:
    return datetime.now(UTC)
