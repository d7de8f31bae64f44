"""No personal data in logs or in the URLs the app redirects to.

A person with a seeded email address and phone number goes through everything that touches them:
signing up, verifying, a failed and a good login, a password-reset request, editing the profile,
consenting, registering for a workshop, downloading their data; then every scheduled job runs, as
`flask scheduler` would, and the outbox sends their emails to a real SMTP server. Every log record
of every logger, at DEBUG, is searched for the address and the phone number.
"""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
import sqlalchemy as sa
from aiosmtpd.controller import Controller

from lokalatih.models import OutboxMessage, Registration, Role, WorkshopStatus
from lokalatih.outbox.services import queue_email
from lokalatih.scheduler import JOBS, new_keeper, run_job
from tests.support import free_port

from .fixtures import make_workshop

EMAIL = "Rahasia.Pribadi@Contoh.id"
PASSWORD = "Lereng Merapi 2026 hijau"
PHONE = "0813-9876-5432"
PHONE_DIGITS = "81398765432"  # in every form the app may store or show: 0813…, +62813…, 62813…
# The test's own SMTP server (aiosmtpd) logs the envelope it receives: that is the test's
# stand-in for the mail relay, not the application.
TEST_SERVER_LOGGERS = ("mail.log",)
LINK = re.compile(r"http://localhost(/[^\s\"<>]+)")


def leaks(text: str) -> bool:
    plain = unquote(text).lower()
    digits = re.sub(r"\D", "", plain)
    return EMAIL.lower() in plain or "rahasia.pribadi" in plain or PHONE_DIGITS in digits


class Visitor:
    """A test client that remembers every Location header it was sent to."""

    def __init__(self, client) -> None:
        self.client = client
        self.locations: list[str] = []

    def request(self, method: str, url: str, **kwargs):
        response = self.client.open(url, method=method, **kwargs)
        if "Location" in response.headers:
            self.locations.append(response.headers["Location"])
        return response

    def get(self, url: str, **kwargs):
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs):
        return self.request("POST", url, **kwargs)


def send_outbox(app) -> None:
    keeper = new_keeper(app)
    assert keeper.renew()
    for job in JOBS:
        run_job(app, job, keeper)
    keeper.release()


def link_in(message, prefix: str) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    return next(path for path in LINK.findall(body) if path.startswith(prefix))


@pytest.fixture
def captured(caplog):
    caplog.set_level(logging.DEBUG)
    for name in ("lokalatih", "sqlalchemy", "werkzeug", "flask_mail", "apscheduler"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def everything_a_participant_does(app, db, client, smtp_server, make_user) -> Visitor:
    visitor = Visitor(client)
    organizer = make_user(role=Role.ORGANIZER)
    workshop = make_workshop(organizer, WorkshopStatus.PUBLISHED, starts_in=timedelta(days=7))
    db.session.add(workshop)
    db.session.commit()

    visitor.post(
        "/daftar", data={"email": EMAIL, "password": PASSWORD, "password_confirm": PASSWORD}
    )
    send_outbox(app)
    verify = link_in(smtp_server.messages[-1], "/akun/verifikasi/")
    visitor.get(verify)
    visitor.post(verify)
    visitor.post("/masuk", data={"email": EMAIL, "password": "sandi yang salah sekali"})
    visitor.post("/lupa-sandi", data={"email": EMAIL})
    visitor.post("/masuk", data={"email": EMAIL, "password": PASSWORD})
    visitor.post("/persetujuan", data={"version": "1", "training": "y", "evaluation": "y"})
    visitor.post("/profil", data=full_profile())
    visitor.get("/profil")
    visitor.post(f"/loka-latih/{workshop.slug}/daftar", data={})
    visitor.get("/workshop-saya")
    visitor.post("/data-saya/unduh")
    send_outbox(app)
    return visitor


def full_profile() -> dict[str, str]:
    return {
        "full_name": "Siti Rahmawati",
        "gender": "female",
        "institution_type": "local_government",
        "institution_name": "Dinas Sosial Kota Palu",
        "position": "Analis Kebijakan",
        "phone": PHONE,
        "province_code": "72",
        "regency_code": "72.71",
        "save": "1",
    }


def test_the_whole_journey_really_happened(
    app, db, client, smtp_server, make_user, consent_version
):
    everything_a_participant_does(app, db, client, smtp_server, make_user)

    registration = db.session.scalar(sa.select(Registration))
    assert registration is not None and registration.user.email == EMAIL.lower()
    assert registration.user.profile.phone.endswith(PHONE_DIGITS)
    assert len(smtp_server.inbox.to(EMAIL.lower())) >= 3  # verification, reset, registration


def test_no_log_record_carries_the_email_or_phone(
    app, db, client, smtp_server, make_user, consent_version, captured
):
    everything_a_participant_does(app, db, client, smtp_server, make_user)

    records = [r for r in captured.records if not r.name.startswith(TEST_SERVER_LOGGERS)]
    assert records, "nothing was logged: the capture does not work"
    leaked = [f"{r.name}: {r.getMessage()}" for r in records if leaks(r.getMessage())]
    assert leaked == []


def test_no_redirect_carries_the_email_or_phone(
    app, db, client, smtp_server, make_user, consent_version
):
    visitor = everything_a_participant_does(app, db, client, smtp_server, make_user)

    assert visitor.locations, "no redirects were seen"
    assert [location for location in visitor.locations if leaks(location)] == []


class RefusingInbox:
    """An SMTP handler that refuses every recipient, naming the address as real relays do."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"


def test_a_refused_address_is_not_logged_even_when_the_relay_repeats_it(
    app, db, make_user, captured
):
    port = free_port()
    controller = Controller(RefusingInbox(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_SUPPRESS_SEND=False)
        mail = app.extensions["mail"]
        mail.server, mail.port, mail.suppress = "127.0.0.1", port, False
        user = make_user(email=EMAIL.lower())
        queue_email("notice", user, subject="Uji", heading="Uji", paragraphs=["Uji"])
        db.session.commit()

        send_outbox(app)
    finally:
        controller.stop()

    message = db.session.scalar(sa.select(OutboxMessage))
    assert "Recipient address rejected" in message.last_error  # the refusal really happened
    records = [r for r in captured.records if not r.name.startswith(TEST_SERVER_LOGGERS)]
    assert [r.getMessage() for r in records if leaks(r.getMessage())] == []
