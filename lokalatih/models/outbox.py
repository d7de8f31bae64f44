"""Email outbox: written in the request's transaction, sent later by a job."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, enum_type, utcnow


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"  # claimed by a sender; claimable again after the lease
    SENT = "sent"
    DEAD = "dead"  # gave up after too many attempts; an admin can retry


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (sa.Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(255))
    body_text: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str | None] = mapped_column(sa.Text)
    # [{"filename", "content_type", "data" (base64)}]
    attachments: Mapped[list | None] = mapped_column(sa.JSON)
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(200), unique=True)
    template: Mapped[str] = mapped_column(sa.String(100))
    status: Mapped[OutboxStatus] = mapped_column(
        enum_type(OutboxStatus), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Committed just before the message goes to the SMTP server, cleared with the answer: a row
    # still SENDING with it set after its lease is one whose outcome nobody heard (the server may
    # have accepted it). It is not sent again at once (lokalatih.outbox.tasks).
    handed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
