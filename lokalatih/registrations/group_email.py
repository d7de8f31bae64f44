"""Emailing a group of registrants, within a daily quota.

A crawl of the group email form once queued 6,374 messages in 15 minutes. Each workshop may send
a few group emails a day and each organizer a bounded number of messages; both are counted from
the audit log (`registrants_emailed`, which also lets admins see who sent what to how many)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from ..audit import record_event
from ..extensions import db
from ..models import AuditEvent, User, Workshop, utcnow
from .errors import GroupEmailQuotaError
from .notifications import queue_group_message
from .registrants import RegistrantFilters, list_registrants

QUOTA_WINDOW = timedelta(hours=24)
ACTION = "registrants_emailed"


def _sent_in_window(*conditions) -> list[dict]:
    rows = db.session.scalars(
        sa.select(AuditEvent.details).where(
            AuditEvent.action == ACTION, AuditEvent.at >= utcnow() - QUOTA_WINDOW, *conditions
        )
    )
    return [details or {} for details in rows]


def check_quota(workshop: Workshop, sender: User, recipients: int) -> None:
    """Refuse a send that would pass the workshop's sends or the sender's messages in 24 hours."""
    sends = current_app.config["GROUP_EMAIL_SENDS_PER_WORKSHOP_DAY"]
    if len(_sent_in_window(AuditEvent.object_id == str(workshop.id))) >= sends:
        raise GroupEmailQuotaError(
            _(
                "Loka latih ini sudah mengirim %(count)s email kelompok dalam 24 jam terakhir, "
                "batas hariannya. Coba lagi besok.",
                count=sends,
            )
        )
    limit = current_app.config["GROUP_EMAIL_RECIPIENTS_PER_SENDER_DAY"]
    sent = sum(
        int(d.get("recipients", 0)) for d in _sent_in_window(AuditEvent.actor_id == sender.id)
    )
    if sent + recipients > limit:
        raise GroupEmailQuotaError(
            _(
                "Email ini akan melewati batas %(limit)s penerima per hari untuk Anda (sudah "
                "%(sent)s dalam 24 jam terakhir). Persempit penerima atau coba lagi besok.",
                limit=limit,
                sent=sent,
            )
        )


def send_group_email(
    workshop: Workshop,
    sender: User,
    filters: RegistrantFilters,
    subject: str,
    message: str,
    *,
    ip: str | None = None,
) -> int:
    """Queue the message to every registrant the filters choose; how many. Within the quota."""
    rows = list_registrants(workshop, filters)
    check_quota(workshop, sender, len(rows))
    for row in rows:
        queue_group_message(row.user, workshop, subject, message)
    record_event(
        ACTION,
        actor=sender,
        target=workshop,
        details={"recipients": len(rows), **filters.as_details()},
        ip=ip,
    )
    return len(rows)
