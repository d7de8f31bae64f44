"""Ping a pooled database connection before a request uses it, but only when it sat idle.

SQLAlchemy's `pool_pre_ping` sends a round trip on every checkout. On a busy server that is one
round trip in six of an answer save (docs/PERFORMANCE.md, issue 21), spent on a connection
a request returned a few milliseconds earlier. A connection that was in use moments ago is
trusted; one idle for longer than `DATABASE_PING_AFTER_IDLE_SECONDS` is pinged, and a dead one is
replaced before the request sees it. As with `pool_pre_ping`, a failed ping raises
`InvalidatePoolError`: the pool reconnects this checkout and retires every connection it opened
before, so the recently used ones that died with the server are not handed out either. Connection
pools for Java skip validation the same way for a connection used within the last half second.

What is given up: when the database restarts while a process uses its connections steadily (no
connection idle for a second), the first statement on such a connection fails: a request gets the
503 page (`web.py`), a scheduler job fails its run and is run again. SQLAlchemy then retires every
connection the pool opened before the failure, so what follows reconnects
(tests/reliability/test_database_restart.py).
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
            raise exc.InvalidatePoolError(str(error)) from error
        if not alive:
            raise exc.InvalidatePoolError("the database did not answer the ping")
