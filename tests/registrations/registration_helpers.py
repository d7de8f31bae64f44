"""Small queries shared by the registration tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from lokalatih.extensions import db
from lokalatih.models import OutboxMessage, Registration, RegistrationStatus, Workshop


def statuses(workshop: Workshop) -> list[RegistrationStatus]:
    """The workshop's registration statuses in registration order."""
    return list(
        db.session.scalars(
            sa.select(Registration.status)
            .where(Registration.workshop_id == workshop.id)
            .order_by(Registration.id)
        )
    )


def count_status(workshop: Workshop, status: RegistrationStatus) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Registration)
        .where(Registration.workshop_id == workshop.id, Registration.status == status)
    )


def outbox(template: str | None = None) -> list[OutboxMessage]:
    query = sa.select(OutboxMessage).order_by(OutboxMessage.id)
    if template is not None:
        query = query.where(OutboxMessage.template == template)
    return list(db.session.scalars(query))


def hours_from_now(hours: float) -> datetime:
    return datetime.now(UTC) + timedelta(hours=hours)
