"""Queue an email in the current transaction; `tasks.send_due_messages` sends it later."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import OutboxMessage, OutboxStatus, User, utcnow
from .attachments import Attachment, AttachmentRef
from .errors import MessageNotDeadError, MessageNotFoundError


def external_url(endpoint: str, **values) -> str:
    """An absolute link for an email, always on the configured public address.

    Never taken from the request's Host header: a forged Host would otherwise put an attacker's
    address into a password-reset email.
    """
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, **values)
    with current_app.test_request_context(base_url=base):
        return base + url_for(endpoint, **values)


def render_email(template: str, locale: str, **context) -> tuple[str, str, str]:
    """Subject, text body and HTML body of `templates/email/<template>.*` in `locale`."""
    with force_locale(locale):
        subject = render_template(f"email/{template}.subject.txt", **context).strip()
        text = render_template(f"email/{template}.txt", **context)
        html = render_template(f"email/{template}.html", **context)
    return " ".join(subject.split()), text, html


def queue_email(
    template: str,
    to: User | str,
    *,
    locale: str | None = None,
    dedupe_key: str | None = None,
    attachments: list[Attachment | AttachmentRef] | None = None,
    **context,
) -> OutboxMessage | None:
    """Write one email to the outbox; with a `dedupe_key` already queued, write nothing.

    An `AttachmentRef` stores only a name for a document the sender makes at send time.
    """
    if isinstance(to, User):
        if to.erased_at is not None:
            return None  # a deleted account: nobody to write to, and no address to keep
        recipient, locale = to.email, locale or to.locale
    else:
        recipient = to
    locale = locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    subject, text, html = render_email(template, locale, **context)
    values = {
        "recipient": recipient,
        "subject": subject,
        "body_text": text,
        "body_html": html,
        "template": template,
        "dedupe_key": dedupe_key,
        "attachments": [a.as_json() for a in attachments] if attachments else None,
    }
    if dedupe_key is None:
        message = OutboxMessage(**values)
        db.session.add(message)
        db.session.flush()
        return message
    return _insert_once(values)


def queue_prepared(messages: list[dict], chunk: int = 500) -> int:
    """Write many already-rendered emails at once (keys as `OutboxMessage` columns, each with a
    `dedupe_key`); a key already queued is skipped. Returns how many were written.

    For bulk sends: one INSERT per `chunk` rows instead of one statement and one object each.
    """
    now = utcnow()
    defaults = {
        "body_html": None,
        "attachments": None,
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }
    rows = [defaults | message for message in messages]  # one multi-row VALUES: the same keys
    written = 0
    for start in range(0, len(rows), chunk):
        written += len(_insert_ignoring_duplicates(rows[start : start + chunk]))
    return written


def _insert_ignoring_duplicates(rows: list[dict]) -> list[int]:
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(OutboxMessage)
        .values(rows)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(OutboxMessage.id)
    )
    return list(db.session.execute(statement).scalars())


def _insert_once(values: dict) -> OutboxMessage | None:
    # Insert-or-nothing in one statement, so two jobs queuing one reminder cannot both succeed.
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = (
        insert(OutboxMessage)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(OutboxMessage.id)
    )
    new_id = db.session.execute(statement).scalar()
    return db.session.get(OutboxMessage, new_id) if new_id is not None else None


def count_pending() -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(OutboxMessage)
        .where(OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]))
    )


def retry_dead_message(message_id: int) -> OutboxMessage:
    """Give a message that the sender gave up on a fresh start: due now, attempts back to zero."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        raise MessageNotFoundError()
    if message.status != OutboxStatus.DEAD:
        raise MessageNotDeadError()
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = utcnow()
    message.claimed_at = None
    db.session.flush()
    return message


@dataclass(frozen=True)
class OutboxStats:
    counts: dict[OutboxStatus, int]
    oldest_due_at: datetime | None  # the longest-waiting pending message: a stuck sender shows here

    def __getitem__(self, status: OutboxStatus) -> int:
        return self.counts[status]


def outbox_stats() -> OutboxStats:
    rows = db.session.execute(
        sa.select(OutboxMessage.status, sa.func.count()).group_by(OutboxMessage.status)
    ).all()
    counts = dict.fromkeys(OutboxStatus, 0) | dict(rows)
    oldest = db.session.scalar(
        sa.select(sa.func.min(OutboxMessage.next_attempt_at)).where(
            OutboxMessage.status == OutboxStatus.PENDING
        )
    )
    return OutboxStats(counts=counts, oldest_due_at=oldest)
