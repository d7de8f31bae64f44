"""A pooled connection is pinged before use only after it sat idle, and a dead idle connection
is replaced before a request sees it (lokalatih/database_health.py), on the suite's database."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import QueuePool

from lokalatih.database_health import ping_idle_connections
from lokalatih.extensions import db

IDLE_SECONDS = 1.0


class Clock:
    """The pool's clock, moved by the test."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


def _counting_pings(engine: sa.Engine) -> list[int]:
    """Every ping the engine's dialect sends (the real ping runs)."""
    pings: list[int] = []
    real_ping = engine.dialect.do_ping

    def ping(dbapi_connection) -> bool:
        pings.append(1)
        return real_ping(dbapi_connection)

    engine.dialect.do_ping = ping
    return pings


def _pooled_engine(database_url: str, clock: Clock, size: int = 1) -> tuple[sa.Engine, list[int]]:
    # A pool of `size` connections and no overflow, so checkouts reuse them.
    engine = sa.create_engine(database_url, poolclass=QueuePool, pool_size=size, max_overflow=0)
    pings = _counting_pings(engine)
    ping_idle_connections(engine, IDLE_SECONDS, clock)
    return engine, pings


def _backend_of(connection: sa.Connection) -> object:
    return connection.connection.dbapi_connection


def _server_pid(connection: sa.Connection) -> int | None:
    if connection.dialect.name != "postgresql":
        return None
    return connection.execute(sa.text("SELECT pg_backend_pid()")).scalar()


def _end_sessions(database_url: str, pids: list, backends: list) -> None:
    """The pooled connections die, as in a database restart: PostgreSQL ends their sessions;
    SQLite has no server, so their file handles go, as the pool holds them."""
    if sa.make_url(database_url).get_backend_name() == "postgresql":
        killer = sa.create_engine(database_url, poolclass=sa.pool.NullPool)
        with killer.connect() as other:
            for pid in pids:
                other.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        killer.dispose()
    else:
        for backend in backends:
            backend.close()


@pytest.mark.parametrize(
    ("idle_for", "pings_expected"),
    [(IDLE_SECONDS / 2, []), (IDLE_SECONDS + 0.1, [1])],
    ids=["returned-moments-ago-no-ping", "idle-for-longer-pinged-once"],
)
def test_a_connection_is_pinged_before_use_only_after_sitting_idle(
    database_url, idle_for, pings_expected
):
    clock = Clock()
    engine, pings = _pooled_engine(database_url, clock)
    try:
        with engine.connect() as connection:
            first = _backend_of(connection)
        clock.now += idle_for
        with engine.connect() as connection:
            assert connection.execute(sa.text("SELECT 1")).scalar() == 1
            assert _backend_of(connection) is first
        assert pings == pings_expected
    finally:
        engine.dispose()


def test_a_dead_idle_connection_is_replaced_before_the_request_uses_it(database_url):
    clock = Clock()
    engine, pings = _pooled_engine(database_url, clock)
    try:
        with engine.connect() as connection:
            dead = _backend_of(connection)
            pid = _server_pid(connection)
        _end_sessions(database_url, [pid], [dead])
        clock.now += IDLE_SECONDS + 0.1
        with engine.connect() as connection:
            # No error reaches the caller: the pool replaced the connection first.
            assert connection.execute(sa.text("SELECT 1")).scalar() == 1
            assert _backend_of(connection) is not dead
        assert pings == [1]
    finally:
        engine.dispose()


def test_the_app_pings_after_the_configured_idle_time_and_not_on_every_checkout(make_app):
    for idle_seconds, pings_expected in ((3_600.0, 0), (0.0, 1)):
        app = make_app(DATABASE_PING_AFTER_IDLE_SECONDS=idle_seconds)
        with app.app_context():
            pings = _counting_pings(db.engine)
            for _ in range(2):
                with db.engine.connect() as connection:
                    connection.execute(sa.text("SELECT 1"))
            # The first checkout made the connection; only the second could have pinged.
            assert len(pings) == pings_expected, idle_seconds


def test_a_failed_idle_ping_also_retires_the_recently_used_connections(database_url):
    """The server restarted: the idle connection's ping fails, and the connection used moments
    ago, dead too, is replaced as well instead of failing the next request."""
    clock = Clock()
    engine, pings = _pooled_engine(database_url, clock, size=2)
    try:
        idle, busy = engine.connect(), engine.connect()
        backends = [_backend_of(idle), _backend_of(busy)]
        assert [c.execute(sa.text("SELECT 1")).scalar() for c in (idle, busy)] == [1, 1]
        pids = [_server_pid(c) for c in (idle, busy)]
        idle.close()  # back in the pool first: checked out first again (the pool is FIFO)
        clock.now += IDLE_SECONDS + 0.1
        busy.close()  # used a moment ago
        _end_sessions(database_url, pids, backends)
        with engine.connect() as first, engine.connect() as second:
            for connection in (first, second):
                assert connection.execute(sa.text("SELECT 1")).scalar() == 1
                assert _backend_of(connection) not in backends
        assert pings == [1]  # only the idle one was pinged
    finally:
        engine.dispose()
