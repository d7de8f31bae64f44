"""Fixtures: one real database per run (built by the migrations), emptied after each test."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
import sqlalchemy as sa
import time_machine
from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient

from lokalatih import create_app
from lokalatih.extensions import db as _db
from lokalatih.models import ConsentVersion, User
from tests import factories
from tests.support import PASSWORD, FreshRequestClient, free_port, login

KEPT_TABLES = {"regions", "themes", "alembic_version"}  # reference data loaded by the migrations

# `LOKALATIH_TEST_NOW=2027-12-31T17:30:00+00:00 make test` runs the whole suite with the clock moved
# there (and ticking): .ci/run does one of its two runs so, on a boundary (the last day of a year,
# when it is already tomorrow in WIB), so that a test assuming what day "today" is fails at once.
MOVED_CLOCK_ENV = "LOKALATIH_TEST_NOW"
_moved_clock: time_machine.travel | None = None


def pytest_configure(config) -> None:
    global _moved_clock
    if moment := os.environ.get(MOVED_CLOCK_ENV):
        _moved_clock = time_machine.travel(datetime.fromisoformat(moment), tick=True)
        _moved_clock.start()


def pytest_unconfigure(config) -> None:
    if _moved_clock is not None:
        _moved_clock.stop()


def pytest_report_header(config) -> str:
    moment = os.environ.get(MOVED_CLOCK_ENV)
    return f"clock: moved to {moment} (ticking)" if moment else "clock: real"


@pytest.fixture(autouse=True)
def _real_clock_where_marked(request) -> Iterator[None]:
    """`@pytest.mark.real_clock`: tests whose other side cannot be moved (the database server's
    `now()` that the scheduler lease is judged by, a `flask scheduler` subprocess) run on the
    real clock even in the moved-clock run."""
    if _moved_clock is None or request.node.get_closest_marker("real_clock") is None:
        yield
        return
    _moved_clock.stop()
    try:
        yield
    finally:
        _moved_clock.start()


class Clock:
    """A clock the test owns: frozen at `now()` until the test moves it."""

    def __init__(self, traveller: time_machine.Coordinates) -> None:
        self._traveller = traveller

    def now(self) -> datetime:
        return datetime.now(UTC)

    def advance(self, delta: timedelta | None = None, **parts: float) -> datetime:
        self._traveller.shift(delta if delta is not None else timedelta(**parts))
        return self.now()

    def set(self, moment: datetime) -> datetime:
        self._traveller.move_to(moment)
        return self.now()


@pytest.fixture
def clock() -> Iterator[Clock]:
    """Stops time where it is (the real or the moved clock); `clock.advance(days=90)` moves it."""
    with time_machine.travel(datetime.now(UTC), tick=False) as traveller:
        yield Clock(traveller)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("LOKALATIH_TEST_DATABASE_URL")
    if not url:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    engine = sa.create_engine(url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        _db.session.remove()
        # Every test starts from the reference data alone (the seeded consent text is removed;
        # the `consent_version` fixture makes one where a test needs it).
        _empty_tables()
        _db.engine.dispose()
    return url


_signing: dict[str, str] = {}


@pytest.fixture(scope="session", autouse=True)
def signing_p12(tmp_path_factory) -> str:
    """One demo signing certificate for the run (an RSA key is made in a fraction of a second);
    every test app signs certificate PDFs with it."""
    from lokalatih.certificates.signing import DEMO_PASSPHRASE, write_demo_p12

    path = tmp_path_factory.mktemp("signing") / "demo-signing.p12"
    write_demo_p12(path)
    _signing.update(
        CERTIFICATE_SIGNING_P12=str(path), CERTIFICATE_SIGNING_PASSPHRASE=DEMO_PASSPHRASE
    )
    return str(path)


def build_app(database_url: str, **overrides) -> Flask:
    """An app on the test database; `overrides` switch on CSRF, rate limits and the like."""
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=database_url, **{**_signing, **overrides})
    app.test_client_class = FreshRequestClient
    return app


@pytest.fixture
def app(database_url: str, tmp_path) -> Iterator[Flask]:
    app = build_app(database_url)
    with app.app_context():
        yield app
        _db.session.remove()
        _empty_tables()
        _db.engine.dispose()


@pytest.fixture
def make_app(database_url: str) -> Iterator:
    """Build an extra app on the test database, e.g. `make_app(RATELIMIT_ENABLED=True)`."""
    apps = []

    def make(**overrides) -> Flask:
        extra = build_app(database_url, **overrides)
        apps.append(extra)
        return extra

    yield make
    for extra in apps:
        with extra.app_context():
            _db.session.remove()
            _db.engine.dispose()


def _empty_tables() -> None:
    with _db.engine.begin() as connection:
        for table in reversed(_db.metadata.sorted_tables):
            if table.name not in KEPT_TABLES:
                connection.execute(table.delete())


@pytest.fixture
def db(app: Flask):
    return _db


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def consent_version(db) -> ConsentVersion:
    version = db.session.scalar(sa.select(ConsentVersion).order_by(ConsentVersion.version.desc()))
    if version is None:
        version = ConsentVersion(
            version=1,
            body_id="Kami mengolah data pribadi Anda untuk penyelenggaraan loka latih.",
            body_en="We process your personal data to run the workshops.",
        )
        db.session.add(version)
        db.session.commit()
    return version


@pytest.fixture
def make_user(db):
    """Factory: `make_user(role=Role.ORGANIZER, verified=True, complete_profile=False)`."""

    def make(email: str | None = None, *, complete_profile: bool = False, **options) -> User:
        return factories.user(
            email, profile=factories.profile() if complete_profile else None, **options
        )

    return make


@pytest.fixture
def login_as(client):
    def do(user: User, password: str = PASSWORD):
        response = login(client, user, password)
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    return do


# --- a real SMTP server ----------------------------------------------------------------------


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelope_recipients: list[list[str]] = []  # RCPT TO of each message, Bcc included
        self.raw: list[bytes] = []  # as the server received them, for parsers stricter than ours
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        with self._lock:
            self.messages.append(message)
            self.raw.append(envelope.original_content)
            self.envelope_recipients.append(list(envelope.rcpt_tos))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in m["To"]]


class SMTPServer:
    """aiosmtpd on a free localhost port; `stop()` and `start()` simulate an outage."""

    def __init__(self) -> None:
        self.inbox = _Inbox()
        self.port = free_port()
        self.controller: Controller | None = None

    def start(self) -> None:
        # Controller(port=0) cannot report its port: bind a free one first and pass it.
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self) -> list[EmailMessage]:
        return self.inbox.messages


@pytest.fixture
def smtp_server(app: Flask) -> Iterator[SMTPServer]:
    server = SMTPServer()
    server.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port, MAIL_SUPPRESS_SEND=False)
    app.extensions["mail"].server = "127.0.0.1"
    app.extensions["mail"].port = server.port
    app.extensions["mail"].suppress = False
    yield server
    server.stop()
