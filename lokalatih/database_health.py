"""Ping a pooled database connection before a request uses it, but only when it sat idle.

SQLAlchemy's `pool_pre_ping` sends a round trip on every checkout. On a busy server that is one
statement in four or five of an answer save (docs/PERFORMANCE.md, issue 21), spent on a connection
a request returned a few milliseconds earlier. A connection that was in use moments ago is
trusted; one idle for longer than `DATABASE_PING_AFTER_IDLE_SECONDS` is pinged, and a dead one is
replaced before the request sees it (the pool checks out again when a checkout listener raises
`DisconnectionError`). Connection pools for Java skip validation the same way for a connection
used within the last half second.

What is given up: when the database restarts while connections are in steady use, the first
statement on each such connection fails. It is reported as a lost database (the 503 page, see
`web.py`), and SQLAlchemy then discards every connection the pool opened before the failure, so
the requests after it reconnect (tests/reliability/test_database_restart.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy import exc

_CHECKED_IN_AT = "lokalatih_checked_in_at"


def ping_idle_connections(
    engine: sa.Engine, idle_seconds: float, clock: Callable[[], float] = time.monotonic
) -> None:
    """Install the idle ping on `engine`'s pool (instead of `pool_pre_ping`)."""
    dialect = engine.dialect

    @sa.event.listens_for(engine, "checkin")
    def _remember_checkin(dbapi_connection, connection_record) -> None:
        connection_record.info[_CHECKED_IN_AT] = clock()

    @sa.event.listens_for(engine, "checkout")
    def _ping_if_idle(dbapi_connection, connection_record, connection_proxy) -> None:
        checked_in_at = connection_record.info.get(_CHECKED_IN_AT)
        # None: a connection made for this checkout (its info is cleared on every reconnect).
        if checked_in_at is None or clock() - checked_in_at < idle_seconds:
            return
        try:
            alive = dialect.do_ping(dbapi_connection)
        except dialect.loaded_dbapi.Error as error:
            raise exc.DisconnectionError(str(error)) from error
        if not alive:
            raise exc.DisconnectionError("the database did not answer the ping")
