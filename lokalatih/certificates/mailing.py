"""Sending certificates by email: to everyone in one action, again to one person, and the progress.

Queuing renders no PDF. Each email is an outbox row whose attachment is a reference
(`outbox.sources.AttachmentRef`, source "certificate", key the certificate id); the outbox sender
renders the PDF when it sends, so a thousand emails queue in seconds and no request waits on SMTP.
A PDF above `CERTIFICATE_ATTACH_MAX_BYTES` is not attached: the email then carries the download
link (the second set of bodies, rendered at queue time).

Exactly once: the first email of a certificate has the dedupe key
`certificate-pdf:w<workshop>:c<certificate>`; a resend is a new row `…:ulang-<n>`, so a second
"send to all" never writes a second first email. The keys also tie the rows to the workshop for
the progress summary.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import Flask, current_app
from flask_babel import gettext as _
from markupsafe import escape
from sqlalchemy.orm import contains_eager

from ..extensions import db
from ..models import Certificate, OutboxMessage, OutboxStatus, Registration, User, Workshop
from ..outbox.attachments import Attachment, AttachmentRef
from ..outbox.services import external_url, queue_prepared, render_email
from ..outbox.sources import AttachmentUnavailable, register_source
from . import documents
from .errors import CertificateError, NoValidCertificateError
from .services import (
    ISSUABLE_STATUSES,
    format_code,
    issue_certificate,
    lock_workshop,
    pending_registrations,
)

logger = logging.getLogger(__name__)

TEMPLATE = "certificate_sent"
SOURCE = "certificate"
KEY_PREFIX = "certificate-pdf"
_KEY = re.compile(rf"^{KEY_PREFIX}:w\d+:c(\d+)(?::ulang-\d+)?$")


def init_app(app: Flask) -> None:
    """Let the outbox sender make certificate PDFs (called by create_app)."""
    register_source(app, SOURCE, certificate_attachment)


def certificate_attachment(key: str) -> Attachment | None:
    """The PDF for the outbox sender; None when it is above the size limit (the link goes)."""
    certificate = db.session.get(Certificate, int(key))
    if certificate is None:
        raise AttachmentUnavailable(_("Sertifikat tidak ditemukan."))
    if not certificate.is_valid:
        raise AttachmentUnavailable(_("Sertifikat sudah dicabut."))
    pdf = documents.certificate_pdf(certificate)
    if len(pdf) > current_app.config["CERTIFICATE_ATTACH_MAX_BYTES"]:
        return None
    return Attachment(documents.pdf_filename(certificate), "application/pdf", pdf)


def _key_prefix(workshop_id: int) -> str:
    return f"{KEY_PREFIX}:w{workshop_id}:"


def first_key(certificate: Certificate) -> str:
    return f"{_key_prefix(certificate.registration.workshop_id)}c{certificate.id}"


# Bodies are rendered once per language with these tokens where each person's values go, then
# filled in per person: a thousand emails cost two renders, not two thousand. The templates print
# these values as they are (no filter), so the text and the escaped HTML can be substituted.
_TOKENS = {
    "name": "@@name@@",
    "number": "@@number@@",
    "code": "@@code@@",
    "download_url": "@@download_url@@",
    "verify_url": "@@verify_url@@",
}


@dataclass(frozen=True)
class _Bodies:
    subject: str
    text: str
    html: str
    link_text: str  # the bodies used when the PDF is too large to attach
    link_html: str


def _bodies(workshop: Workshop, language: str) -> _Bodies:
    subject, text, html = render_email(
        TEMPLATE, language, workshop=workshop, attached=True, **_TOKENS
    )
    _subject, link_text, link_html = render_email(
        TEMPLATE, language, workshop=workshop, attached=False, **_TOKENS
    )
    return _Bodies(subject, text, html, link_text, link_html)


def _fill(template: str, values: dict[str, str], *, html: bool) -> str:
    for field, token in _TOKENS.items():
        template = template.replace(token, str(escape(values[field])) if html else values[field])
    return template


def _message(certificate: Certificate, bodies: _Bodies, dedupe_key: str) -> dict:
    """The outbox row of one certificate email: the PDF only named, made by the sender."""
    values = {
        "name": certificate.name_on_certificate,
        "number": certificate.number,
        "code": format_code(certificate.code),
        "download_url": external_url("certificates.download", certificate_id=certificate.id),
        "verify_url": external_url("certificates.verify", code=certificate.code),
    }
    reference = AttachmentRef(
        SOURCE,
        str(certificate.id),
        _fill(bodies.link_text, values, html=False),
        _fill(bodies.link_html, values, html=True),
    )
    return {
        "recipient": certificate.registration.user.email,
        "subject": bodies.subject,
        "body_text": _fill(bodies.text, values, html=False),
        "body_html": _fill(bodies.html, values, html=True),
        "template": TEMPLATE,
        "dedupe_key": dedupe_key,
        "attachments": [reference.as_json()],
    }


def queue_certificate_emails(workshop: Workshop, items: list[tuple[Certificate, str]]) -> int:
    """Queue one email per (certificate, dedupe key), skipping keys already used and deleted
    accounts; returns how many were queued."""
    bodies: dict[str, _Bodies] = {}
    messages = []
    for certificate, key in items:
        if certificate.registration.user.erased_at is not None:
            continue  # a deleted account: nobody to write to
        language = certificate.language
        if language not in bodies:
            bodies[language] = _bodies(workshop, language)
        messages.append(_message(certificate, bodies[language], key))
    return queue_prepared(messages)


@dataclass(frozen=True)
class SendAllResult:
    issued: int  # certificates issued on the way (eligible participants who had none)
    queued: int  # emails queued


def send_all(workshop: Workshop, by: User | None, now: datetime | None = None) -> SendAllResult:
    """Issue to the eligible who have no certificate yet, then queue one email with the PDF to
    every valid certificate that never had one. Idempotent: a second click queues nothing."""
    lock_workshop(workshop)  # two organizers clicking at once: the second finds the first's rows
    issued = 0
    if workshop.status in ISSUABLE_STATUSES:
        for registration in pending_registrations(workshop):
            try:
                issue_certificate(registration, issued_by=by, now=now)
            except CertificateError as error:  # e.g. no name in the profile: the rest go on
                logger.info(
                    "certificates: registration %s skipped: %s", registration.id, error.code
                )
                continue
            issued += 1
    already = _keys_used(workshop)
    items = [
        (certificate, first_key(certificate))
        for certificate in _valid_certificates(workshop)
        if first_key(certificate) not in already
    ]
    return SendAllResult(issued=issued, queued=queue_certificate_emails(workshop, items))


def _valid_certificates(workshop: Workshop) -> list[Certificate]:
    """The workshop's valid certificates with their registrations and holders, in one query."""
    return list(
        db.session.scalars(
            sa.select(Certificate)
            .join(Registration, Registration.id == Certificate.registration_id)
            .join(User, User.id == Registration.user_id)
            .where(Registration.workshop_id == workshop.id, Certificate.revoked_at.is_(None))
            .options(contains_eager(Certificate.registration).contains_eager(Registration.user))
            .order_by(Certificate.number)
        )
    )


def unsent_count(workshop: Workshop) -> int:
    """How many people "send to all" would write to now (for the question before it)."""
    already = _keys_used(workshop)
    valid = [
        c
        for c in _valid_certificates(workshop)
        if first_key(c) not in already and c.registration.user.erased_at is None
    ]
    to_issue = len(pending_registrations(workshop)) if workshop.status in ISSUABLE_STATUSES else 0
    return len(valid) + to_issue


def resend(registration: Registration) -> OutboxMessage:
    """A new email with the registration's valid certificate (its own dedupe key): the first
    email, if it was never sent, otherwise a resend numbered after the earlier ones."""
    certificate = db.session.scalar(
        sa.select(Certificate).where(
            Certificate.registration_id == registration.id, Certificate.revoked_at.is_(None)
        )
    )
    if certificate is None or registration.user.erased_at is not None:
        raise NoValidCertificateError()
    key = first_key(certificate)
    earlier = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(OutboxMessage)
        .where(
            sa.or_(
                OutboxMessage.dedupe_key == key,
                OutboxMessage.dedupe_key.startswith(f"{key}:", autoescape=True),
            )
        )
    )
    if earlier:
        key = f"{key}:ulang-{earlier}"
    # Written once even if the same resend is clicked twice at once: the first one stands.
    queue_certificate_emails(registration.workshop, [(certificate, key)])
    return db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.dedupe_key == key))


def _keys_used(workshop: Workshop) -> set[str]:
    return set(
        db.session.scalars(
            sa.select(OutboxMessage.dedupe_key).where(
                OutboxMessage.dedupe_key.startswith(_key_prefix(workshop.id), autoescape=True)
            )
        )
    )


# --- progress --------------------------------------------------------------------------------


@dataclass(frozen=True)
class EmailState:
    """The latest certificate email of one person."""

    status: str  # "queued", "sent", "failed"
    error: str | None  # the reason of a failure, or of the last failed try of a queued one
    sent_at: datetime | None
    count: int  # certificate emails written to this person (first and resends)


@dataclass(frozen=True)
class Progress:
    counts: Counter  # of each person's latest email: queued, sent, failed
    by_registration: dict[int, EmailState]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


_STATE = {
    OutboxStatus.PENDING: "queued",
    OutboxStatus.SENDING: "queued",
    OutboxStatus.SENT: "sent",
    OutboxStatus.DEAD: "failed",
}


def progress(workshop: Workshop) -> Progress:
    """Per person the state of their latest certificate email, and the counts of those states."""
    rows = db.session.execute(
        sa.select(
            OutboxMessage.id,
            OutboxMessage.dedupe_key,
            OutboxMessage.status,
            OutboxMessage.last_error,
            OutboxMessage.sent_at,
        )
        .where(OutboxMessage.dedupe_key.startswith(_key_prefix(workshop.id), autoescape=True))
        .order_by(OutboxMessage.id)
    ).all()
    certificate_ids = {int(_KEY.match(row.dedupe_key).group(1)) for row in rows}
    owner = dict(
        db.session.execute(
            sa.select(Certificate.id, Certificate.registration_id).where(
                Certificate.id.in_(certificate_ids)
            )
        ).all()
    )
    latest: dict[int, tuple] = {}
    counts: Counter = Counter()
    for row in rows:  # in id order: the last one seen is the latest
        registration_id = owner[int(_KEY.match(row.dedupe_key).group(1))]
        counts[registration_id] += 1
        latest[registration_id] = row
    states = {
        registration_id: EmailState(
            status=_STATE[row.status],
            error=row.last_error,
            sent_at=row.sent_at,
            count=counts[registration_id],
        )
        for registration_id, row in latest.items()
    }
    return Progress(Counter(state.status for state in states.values()), states)
