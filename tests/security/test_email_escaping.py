"""Emails carry what people typed (names, titles, reasons, an organizer's message) as text: the
HTML part shows markup escaped, and nothing typed can add a header or a recipient."""

from __future__ import annotations

import pytest

from lokalatih.certificates.services import notify_issued
from lokalatih.models import RegistrationStatus
from lokalatih.outbox.tasks import send_due_messages
from lokalatih.registrations.notifications import (
    queue_group_message,
    queue_reminder,
    queue_status_email,
)
from tests.support import text_body

MARKUP = "<script>fz()</script><img src=x onerror=fz()>\"'&"
ESCAPED = "&lt;script&gt;fz()&lt;/script&gt;&lt;img src=x onerror=fz()&gt;"
INJECTED_HEADER = "Halo\r\nBcc: penyusup@evil.contoh\r\nX-Evil: 1"


@pytest.fixture
def hostile(db, world):
    owned = world.participant
    owned.user.profile.full_name = f"Siti {MARKUP}"
    owned.certificate.name_on_certificate = f"Siti {MARKUP}"
    owned.registration.decision_reason = f"Alasan {MARKUP}"
    world.workshop.title = f"Loka Latih {MARKUP}"
    world.session.title = f"Sesi {MARKUP}"
    db.session.commit()
    return world


def _send_all(smtp_server) -> list:
    report = send_due_messages(limit=100)
    assert report.dead == report.retried == 0
    return smtp_server.messages


def _html(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def test_every_registration_email_shows_typed_markup_escaped(app, db, hostile, smtp_server):
    owned = hostile.participant
    for status in RegistrationStatus:
        owned.registration.status = status
        queue_status_email(owned.registration, position=3)
    queue_status_email(owned.registration, promoted=True)
    queue_reminder(owned.registration, hostile.session, "day")
    notify_issued(owned.certificate)
    db.session.commit()

    messages = _send_all(smtp_server)

    subjects = {str(message["Subject"]) for message in messages}
    assert len(messages) == len(RegistrationStatus) + 3, subjects
    for message in messages:
        html = _html(message)
        assert "<script" not in html and "<img src=x" not in html, message["Subject"]
        assert ESCAPED in html, message["Subject"]  # the text is shown, not dropped
        assert MARKUP.split("<img")[0] in text_body(message)  # the plain part keeps it literally
        assert message.get_all("To") == [owned.user.email]
    assert smtp_server.inbox.envelope_recipients == [[owned.user.email]] * len(messages)


def test_an_organizer_message_cannot_add_headers_or_recipients(app, db, hostile, smtp_server):
    user = hostile.participant.user
    queue_group_message(user, hostile.workshop, INJECTED_HEADER, f"Paragraf {MARKUP}\n\nDua")
    db.session.commit()

    (message,) = _send_all(smtp_server)

    assert message["Bcc"] is None and message["X-Evil"] is None
    assert message.get_all("To") == [user.email]
    assert smtp_server.inbox.envelope_recipients == [[user.email]]
    assert str(message["Subject"]).startswith("Halo")
    assert "<script" not in _html(message) and ESCAPED in _html(message)
