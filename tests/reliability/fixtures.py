"""Fixtures for the fault tests: a dedicated PostgreSQL database, scheduler subprocesses, and an
SMTP server that can refuse an address or stall at a chosen message."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from pathlib import Path

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy.engine import make_url

from lokalatih import create_app
from lokalatih.extensions import db as _db
from tests.support import FreshRequestClient, free_port

ROOT = Path(__file__).resolve().parents[2]
# Its own database whatever LOKALATIH_TEST_DATABASE_URL says, so these tests run on PostgreSQL in
# the SQLite pass too, and restarting the server or killing processes touches no one's data.
PROCS_URL = os.environ.get(
    "LOKALATIH_LEASE_PROCS_DATABASE_URL",
    "postgresql+psycopg://postgres@127.0.0.1:5432/lokalatih_lease_procs",
)
PG_VERSION = sorted(os.listdir("/etc/postgresql"))[0] if os.path.isdir("/etc/postgresql") else ""


def pg_isready(url: str = PROCS_URL) -> bool:
    parsed = make_url(url)
    host, port = parsed.host or "127.0.0.1", str(parsed.port or 5432)
    return subprocess.run(["pg_isready", "-q", "-h", host, "-p", port], check=False).returncode == 0


def wait_for_postgres(timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not pg_isready():
        if time.monotonic() > deadline:
            pytest.fail(f"PostgreSQL did not answer within {timeout}s")
        time.sleep(0.2)


def ensure_postgres() -> None:
    """As `.ci/run` does before the PostgreSQL pass: start the local cluster when it is down."""
    if not pg_isready():
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", PG_VERSION, "main", "start"],
            check=False,
        )
    wait_for_postgres()


@pytest.fixture(scope="session")
def procs_database_url() -> str:
    """The dedicated database, made anew from empty by `flask db upgrade` each session.

    Never reused: a database left by a run of another branch may stand at a revision this
    checkout does not know, and `flask db upgrade` would then refuse to start."""
    ensure_postgres()
    url = make_url(PROCS_URL)
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{url.database}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()
    rendered = url.render_as_string(hide_password=False)
    upgrade = subprocess.run(
        [sys.executable, "-m", "flask", "db", "upgrade"],
        cwd=ROOT,
        env=os.environ | {"FLASK_APP": "wsgi", "DATABASE_URL": rendered},
        check=False,
        capture_output=True,
        text=True,
    )
    if upgrade.returncode != 0:
        pytest.fail(f"flask db upgrade failed on {url.database}:\n{upgrade.stderr[-4000:]}")
    return rendered


@pytest.fixture
def procs_app(procs_database_url: str) -> Iterator[Flask]:
    """An app on the dedicated database, emptied (but for reference data) afterwards."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=procs_database_url)
    app.test_client_class = FreshRequestClient  # requests in this thread must not share `g`
    with app.app_context():
        _empty()  # whatever an interrupted earlier run left
        yield app
        _db.session.remove()
        wait_for_postgres()
        _empty()
        _db.engine.dispose()


def _empty() -> None:
    with _db.engine.begin() as connection:
        for table in reversed(_db.metadata.sorted_tables):
            if table.name not in {"regions", "alembic_version", "consent_versions"}:
                connection.execute(table.delete())


# --- SMTP -------------------------------------------------------------------------------------


@dataclass
class MailServer:
    """aiosmtpd that records subjects; `refuse` addresses get 550, `stall_at` pauses one message.

    `stall_at=(n, "RCPT")` holds the n-th message (from 1) before the server has it; `(n, "DATA")`
    holds it after the server has stored it but before it answers 250. Either way `stalled` is
    set, so a test can kill the sender at exactly that point.
    """

    port: int = field(default_factory=free_port)
    refuse: set[str] = field(default_factory=set)
    stall_at: tuple[int, str] | None = None
    stall_seconds: float = 5.0
    subjects: list[str] = field(default_factory=list)
    message_ids: list[str] = field(default_factory=list)
    stalled: threading.Event = field(default_factory=threading.Event)
    _rcpts: int = 0
    _controller: Controller | None = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        self._rcpts += 1
        if self.stall_at == (self._rcpts, "RCPT"):
            self.stalled.set()
            await asyncio.sleep(self.stall_seconds)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        self.subjects.append(str(message["Subject"]))
        self.message_ids.append(str(message["Message-ID"]))
        if self.stall_at == (len(self.subjects), "DATA"):
            self.stalled.set()
            await asyncio.sleep(self.stall_seconds)
        return "250 Message accepted for delivery"

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def counts(self) -> Counter:
        return Counter(self.subjects)

    def mailbox(self) -> Counter:
        """Subjects as a mailbox that keeps one copy per Message-ID shows them."""
        return Counter(dict(zip(self.message_ids, self.subjects, strict=True)).values())


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    server = MailServer()
    yield server
    server.stop()


def point_app_at(app: Flask, server: MailServer) -> None:
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_SUPPRESS_SEND=False)
    mail = app.extensions["mail"]
    mail.server, mail.port, mail.suppress = "127.0.0.1", server.port, False


# --- `flask scheduler` in a subprocess ----------------------------------------------------------


class SchedulerProcess:
    """A real `flask scheduler`, configured through the environment; its log is kept with the
    time each line arrived."""

    def __init__(self, database_url: str, mail_port: int, **settings: object) -> None:
        env = os.environ | {
            "FLASK_APP": "wsgi",
            "LOKALATIH_CONFIG": "development",
            "DATABASE_URL": database_url,
            "MAIL_CONSOLE": "0",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": str(mail_port),
            "OUTBOX_INTERVAL_SECONDS": "1",
            "SCHEDULER_LEASE_SECONDS": "4",
        }
        env |= {key: str(value) for key, value in settings.items()}
        self.lines: list[tuple[float, str]] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flask", "scheduler"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stderr:
            self.lines.append((time.monotonic(), line))

    @property
    def log(self) -> str:
        return "".join(line for _, line in self.lines)

    def wait_for(self, text: str, timeout: float = 20) -> float:
        """Wait until a line containing `text` is logged; returns when it arrived."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for at, line in list(self.lines):
                if text in line:
                    return at
            time.sleep(0.05)
        pytest.fail(f"{text!r} not logged within {timeout}s:\n{self.log}")

    def times_of(self, text: str) -> list[float]:
        return [at for at, line in self.lines if text in line]

    @property
    def holder(self) -> str:
        self.wait_for("scheduler: starting as ")
        line = next(line for _, line in self.lines if "scheduler: starting as " in line)
        return line.rsplit("scheduler: starting as ", 1)[1].strip()

    def kill(self) -> float:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)
        return time.monotonic()

    def terminate(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=20)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self._reader.join(timeout=5)
        self.process.stderr.close()


@pytest.fixture
def start_scheduler() -> Iterator[Callable[..., SchedulerProcess]]:
    started: list[SchedulerProcess] = []

    def start(database_url: str, mail_port: int, **settings: object) -> SchedulerProcess:
        process = SchedulerProcess(database_url, mail_port, **settings)
        started.append(process)
        return process

    yield start
    for process in started:
        process.close()


def wait_until(condition: Callable[[], bool], timeout: float, message: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(message)
        time.sleep(0.1)
