"""The reaction survey of a workshop: its window, the organizer's own items, who has answered
(submissions) and what was answered (responses), kept apart so that no row joins the two."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, enum_type, utcnow


class EvaluationItemKind(enum.StrEnum):
    LIKERT = "likert"  # 1..5, from "sangat tidak setuju" to "sangat setuju"
    CHOICE = "choice"  # one of the organizer's options
    TEXT = "text"  # a short free text


def response_id() -> str:
    """Random, not sequential: the order of the ids tells nothing about the order of answers."""
    return secrets.token_urlsafe(16)


class EvaluationSettings(db.Model):
    """The organizer's window for the survey; a row only when they changed the defaults."""

    __tablename__ = "evaluation_settings"

    workshop_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True
    )
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())  # None: the default
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class EvaluationItem(db.Model):
    """An item the organizer added after the standard ones."""

    __tablename__ = "evaluation_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[EvaluationItemKind] = mapped_column(enum_type(EvaluationItemKind))
    text: Mapped[str] = mapped_column(sa.String(300))
    choices: Mapped[list] = mapped_column(sa.JSON, default=list)  # ["...", ...] for CHOICE
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class EvaluationSubmission(db.Model):
    """That a registration has answered: its primary key allows one per registration. It holds
    no response id and no time, so it cannot be matched to a response."""

    __tablename__ = "evaluation_submissions"

    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True
    )
    workshop_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )


class EvaluationResponse(db.Model):
    """What one participant answered, without who or when: a random id, the workshop, the
    language of the form and the answers ({item key: 1..5, a choice or a text})."""

    __tablename__ = "evaluation_responses"

    id: Mapped[str] = mapped_column(sa.String(32), primary_key=True, default=response_id)
    workshop_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(sa.String(5), default="id")
    answers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
