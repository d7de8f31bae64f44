"""Helpers the tests share: the test password, logging in, reading emails, counting SQL
statements and rows, a scratch database. Fixtures are in conftest.py; tests import from here."""

from __future__ import annotations

import functools
import os
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage

import sqlalchemy as sa
from flask import g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy.engine import make_url

from lokalatih.extensions import db
from lokalatih.models import User

PASSWORD = "Lokalatih#Uji2026"


@contextmanager
def scratch_database(tmp_path, name: str) -> Iterator[str]:
    """An empty database of its own (SQLite file, or `<suite database>_<name>` on PostgreSQL), so
    a test that migrates down and up does not disturb the suite's database."""
    url = os.environ.get("LOKALATIH_TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path / f'{name}.sqlite'}"
        return
    scratch = make_url(url).set(database=f"{make_url(url).database}_{name}")
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{scratch.database}"'))
        connection.execute(sa.text(f'CREATE DATABASE "{scratch.database}"'))
    try:
        yield scratch.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(
                sa.text(f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)')
            )
        admin.dispose()


class FreshRequestClient(FlaskClient):
    """Gives each request an empty `g`, as a real server does.

    The `app` fixture keeps one app context pushed for the whole test and requests reuse it, so
    `g` (Flask-Login's current user, Flask-Babel's locale) would otherwise leak from one request,
    or one client, into the next: a stranger would look signed in.
    """

    def open(self, *args, **kwargs):
        _clear_globals()
        try:
            return super().open(*args, **kwargs)
        finally:
            _clear_globals()


def _clear_globals() -> None:
    if has_app_context():
        vars(g).clear()


@functools.cache
def password_hash(password: str = PASSWORD) -> str:
    # A real scrypt hash, computed once per password: hashing is slow by design.
    from werkzeug.security import generate_password_hash

    return generate_password_hash(password)


@contextmanager
def recorded_statements(engine: sa.Engine) -> Iterator[list[str]]:
    """Every SQL statement the engine sends inside the block, for tests that bound query counts."""
    statements: list[str] = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)


def row_counts(engine: sa.Engine, tables: tuple[str, ...]) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table: connection.scalar(sa.text(f"SELECT count(*) FROM {table}"))  # noqa: S608
            for table in tables
        }


def login(client: FlaskClient, user_or_email: User | str, password: str = PASSWORD):
    """Log in through the real login form; returns the response."""
    email = user_or_email.email if isinstance(user_or_email, User) else user_or_email
    return client.post("/masuk", data={"email": email, "password": password})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def text_body(message: EmailMessage) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


BURST_TIMEOUT = 120  # seconds for a whole burst of threads


def at_once(app, count: int, work, stagger: float = 0.0) -> list[tuple[str, object]]:
    """Run `work(index)` for index in range(count) in threads released together, each in its own
    app context and database session: ("ok", result) or ("error", exception) per thread, in
    order. `stagger` seconds between the threads' starts after the release spread them out."""
    barrier = threading.Barrier(count, timeout=BURST_TIMEOUT)
    results: list[tuple[str, object]] = [("missing", None)] * count

    def run(index: int) -> None:
        with app.app_context():
            try:
                barrier.wait()
                time.sleep(index * stagger)
                results[index] = ("ok", work(index))
            except Exception as error:  # noqa: BLE001 (the test reports every failure)
                db.session.rollback()
                results[index] = ("error", error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(BURST_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a thread is stuck"
    return results
