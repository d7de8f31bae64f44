"""The outbox sender: claims due messages, sends them over one SMTP connection, retries failures.

Every step commits on its own, so the job can be killed at any point and run again: a claim is
committed before SMTP is touched (two senders never hold one message), the hand-over of each
message is committed just before the server sees it, and each message is marked sent as soon as the
server accepted it. A sender that dies while holding a claim leaves rows in SENDING; after
`OUTBOX_LEASE_SECONDS` the ones never handed over are claimed again, and the one the server may
have accepted (handed over, answer not recorded) waits `OUTBOX_UNCERTAIN_RETRY_SECONDS` before
one more attempt with the same Message-ID: at most once in practice, never silently dropped.
"""

from __future__ import annotations

import base64
import logging
import random
import smtplib
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr

import flask_mail
import sqlalchemy as sa
from flask import current_app

from ..extensions import db, mail
from ..models import OutboxMessage, OutboxStatus, utcnow
from .headers import Message
from .services import outbox_stats, retry_dead_message
from .sources import AttachmentUnavailable, resolve

__all__ = [
    "SendReport",
    "backoff_delay",
    "claim_due_messages",
    "message_id",
    "outbox_stats",
    "retry_dead_message",
    "send_due_messages",
]

logger = logging.getLogger(__name__)

FIRST_RETRY = timedelta(minutes=1)
LONGEST_RETRY = timedelta(hours=1)
ERROR_LENGTH = 300
# This one message was refused or cannot be encoded; the connection is still good for the next.
MESSAGE_ERRORS = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
    flask_mail.BadHeaderError,
    ValueError,
)
# The server or the network failed: nothing more can go out over this connection.
CONNECTION_ERRORS = (smtplib.SMTPException, OSError)


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    dead: int = 0
    released: int = 0  # handed back unsent because this sender ran out of lease time

    def __str__(self) -> str:
        return f"sent={self.sent} retried={self.retried} dead={self.dead}"


@dataclass(frozen=True)
class _Claimed:
    id: int
    attempts: int
    message: flask_mail.Message | None


def send_due_messages(limit: int | None = None, *, now: datetime | None = None) -> SendReport:
    """Send one batch of due messages; `now` lets tests step past a backoff without sleeping."""
    now = now or utcnow()
    ids = claim_due_messages(limit or current_app.config["OUTBOX_BATCH_SIZE"], now)
    db.session.commit()
    report = SendReport()
    if not ids:
        return report
    claimed = _load(ids, now, report)
    if current_app.config.get("MAIL_CONSOLE"):
        _print_all(claimed, now, report)
    else:
        _deliver(claimed, now, report)
    logger.info("outbox: %s", report)
    return report


def claim_due_messages(limit: int, now: datetime) -> list[int]:
    """Mark up to `limit` due messages as SENDING in one statement and return their ids.

    On PostgreSQL the subquery locks its rows with SKIP LOCKED, so concurrent senders take
    disjoint batches; SQLite ignores the lock clause, and its single writer makes the UPDATE
    atomic anyway.
    """
    lease = timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    _hold_uncertain(now - lease, now)
    due = sa.or_(
        sa.and_(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now),
        sa.and_(
            OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_at < now - lease
        ),
    )
    candidates = (
        sa.select(OutboxMessage.id)
        .where(due)
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    claim = (
        sa.update(OutboxMessage)
        .where(OutboxMessage.id.in_(candidates.scalar_subquery()))
        .values(status=OutboxStatus.SENDING, claimed_at=now)
        .returning(OutboxMessage.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(db.session.scalars(claim).all())


UNCERTAIN = "uncertain: handed to the SMTP server, its answer was never recorded"


def _hold_uncertain(lease_expired_before: datetime, now: datetime) -> None:
    """Messages whose sender died (or lost the database) while the SMTP server had them: the
    server may have delivered them, so they wait OUTBOX_UNCERTAIN_RETRY_SECONDS before one more
    attempt, which carries the same Message-ID (receivers drop the copy). Messages claimed but
    never handed over are not held: the claim below takes them at once."""
    delay = timedelta(seconds=current_app.config["OUTBOX_UNCERTAIN_RETRY_SECONDS"])
    db.session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.status == OutboxStatus.SENDING,
            OutboxMessage.claimed_at < lease_expired_before,
            OutboxMessage.handed_at.is_not(None),
        )
        .values(
            status=OutboxStatus.PENDING,
            attempts=OutboxMessage.attempts + 1,
            next_attempt_at=now + delay,
            claimed_at=None,
            handed_at=None,
            last_error=UNCERTAIN,
        )
        .execution_options(synchronize_session=False)
    )


def backoff_delay(attempts: int) -> timedelta:
    """1 minute after the first failure, doubling up to an hour, plus up to 10% jitter."""
    delay = min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)
    return delay + delay * random.uniform(0, 0.1)


def _load(ids: list[int], now: datetime, report: SendReport) -> list[_Claimed]:
    # Built before sending: commits after each message expire ORM objects, plain data does not.
    rows = db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)
    ).all()
    claimed, broken = [], []
    for row in rows:
        try:
            claimed.append(_Claimed(row.id, row.attempts, _mail_message(row)))
        except (ValueError, TypeError, KeyError) as error:  # e.g. a corrupt attachment
            broken.append((_Claimed(row.id, row.attempts, None), error))
    for item, error in broken:  # counted as a failed attempt, so it ends dead, not looping
        _record_failure(item, error, now, report, final=isinstance(error, AttachmentUnavailable))
    return claimed


def _mail_message(row: OutboxMessage) -> flask_mail.Message:
    body_text, body_html = row.body_text, row.body_html
    attachments = []
    for item in row.attachments or []:
        if "source" in item:  # made now, not at queue time (see sources.py)
            made = resolve(item)
            if made is None:
                body_text, body_html = item["fallback"]["body_text"], item["fallback"]["body_html"]
                continue
            attachments.append(flask_mail.Attachment(made.filename, made.content_type, made.data))
            continue
        attachments.append(
            flask_mail.Attachment(
                filename=item["filename"],
                content_type=item["content_type"],
                data=base64.b64decode(item["data"], validate=True),
            )
        )
    message = Message(
        subject=row.subject,
        recipients=[row.recipient],
        body=body_text,
        html=body_html,
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
        attachments=attachments,
    )
    message.msgId = message_id(row)
    return message


def message_id(row: OutboxMessage) -> str:
    """The same Message-ID on every attempt at one outbox row.

    If a sender dies after the server stored a message but before it heard the 250, the message
    goes out a second time (SMTP cannot ask whether the first arrived). With one Message-ID both
    copies are one message to the recipient's mail system, which keeps only one (Gmail does, as
    do servers with duplicate suppression). The creation time keeps ids unique across databases.
    """
    domain = parseaddr(current_app.config["MAIL_DEFAULT_SENDER"])[1].rpartition("@")[2]
    stamp = row.created_at.strftime("%Y%m%d%H%M%S%f")
    return f"<outbox.{row.id}.{stamp}@{domain or 'lokalatih.invalid'}>"


def _deliver(claimed: list[_Claimed], now: datetime, report: SendReport) -> None:
    remaining = list(claimed)
    # Stop well before the lease runs out, or another sender would claim and resend the rest.
    deadline = time.monotonic() + current_app.config["OUTBOX_LEASE_SECONDS"] / 2
    try:
        with _smtp_connection() as connection:
            while remaining and time.monotonic() < deadline:
                item = remaining[0]
                _update(item.id, handed_at=now)  # committed before the server sees it
                try:
                    connection.send(item.message)
                except MESSAGE_ERRORS as error:
                    _record_failure(item, error, now, report)
                else:
                    _mark_sent(item, now, report)
                remaining.pop(0)
    except CONNECTION_ERRORS as error:
        logger.warning("outbox: SMTP failed: %s", _describe(error))
        for item in remaining:
            _record_failure(item, error, now, report)
        return
    _release(remaining, report)


@contextmanager
def _smtp_connection() -> Iterator[flask_mail.Connection]:
    """One SMTP session for a batch, closed whatever happens.

    Opened here rather than by Flask-Mail's `Connection.__enter__`, which sets no timeout (a hung
    server would hang the scheduler) and leaks the socket when STARTTLS or the login fails.
    """
    connection = mail.connect()
    settings = connection.mail
    if settings.suppress:
        yield connection
        return
    smtp_class = smtplib.SMTP_SSL if settings.use_ssl else smtplib.SMTP
    timeout = current_app.config.get("MAIL_TIMEOUT", 30)
    host = smtp_class(settings.server, settings.port, timeout=timeout)
    try:
        if settings.use_tls:
            host.starttls()
        if settings.username and settings.password:
            host.login(settings.username, settings.password)
        connection.host = host
        yield connection
    finally:
        _close(host)


def _close(host: smtplib.SMTP) -> None:
    try:
        host.quit()
    except CONNECTION_ERRORS:
        host.close()


def _print_all(claimed: list[_Claimed], now: datetime, report: SendReport) -> None:
    for item in claimed:
        message = item.message
        sys.stdout.write(
            f"--- email (MAIL_CONSOLE) ---\nTo: {', '.join(message.recipients)}\n"
            f"Subject: {message.subject}\n\n{message.body}\n"
            f"[{len(message.attachments)} attachment(s)]\n---\n"
        )
        sys.stdout.flush()
        _mark_sent(item, now, report)


def _mark_sent(item: _Claimed, now: datetime, report: SendReport) -> None:
    _update(
        item.id,
        status=OutboxStatus.SENT,
        sent_at=now,
        claimed_at=None,
        handed_at=None,
        last_error=None,
    )
    report.sent += 1


def _record_failure(
    item: _Claimed, error: Exception, now: datetime, report: SendReport, *, final: bool = False
) -> None:
    attempts = item.attempts + 1
    values = {
        "attempts": attempts,
        "last_error": _describe(error),
        "claimed_at": None,
        "handed_at": None,
    }
    if final or attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
        _update(item.id, status=OutboxStatus.DEAD, **values)
        logger.warning("outbox: message %s is dead after %s attempts", item.id, attempts)
        report.dead += 1
    else:
        next_at = now + backoff_delay(attempts)
        _update(item.id, status=OutboxStatus.PENDING, next_attempt_at=next_at, **values)
        report.retried += 1


def _release(items: list[_Claimed], report: SendReport) -> None:
    for item in items:
        _update(item.id, status=OutboxStatus.PENDING, claimed_at=None, handed_at=None)
        report.released += 1


def _update(message_id: int, **values) -> None:
    # One commit per message: what the server accepted stays marked sent whatever happens next.
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == OutboxStatus.SENDING)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _describe(error: Exception) -> str:
    """A short, single-line error: the exception type and the server's reply, never credentials."""
    if isinstance(error, smtplib.SMTPResponseException):
        detail = f"{error.smtp_code} {_text(error.smtp_error)}"
    elif isinstance(error, smtplib.SMTPRecipientsRefused):
        detail = "; ".join(f"{code} {_text(reply)}" for code, reply in error.recipients.values())
    else:
        detail = str(error)
    return " ".join(f"{type(error).__name__}: {detail}".split())[:ERROR_LENGTH]


def _text(reply: bytes | str) -> str:
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
