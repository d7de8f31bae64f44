"""Versioned consent text (UU No. 27 Tahun 2022) and each user's consent per purpose."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, enum_type, utcnow


class ConsentPurpose(enum.StrEnum):
    TRAINING = "training"  # registration, attendance, tests, certificates (required)
    EVALUATION = "evaluation"  # pseudonymous results for Komnas HAM evaluation (required)
    ANNOUNCEMENTS = "announcements"  # news of future workshops (optional)


REQUIRED_PURPOSES = (ConsentPurpose.TRAINING, ConsentPurpose.EVALUATION)


class ConsentVersion(db.Model):
    __tablename__ = "consent_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(unique=True)
    body_id: Mapped[str] = mapped_column(sa.Text)
    body_en: Mapped[str] = mapped_column(sa.Text)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)

    def body_for(self, locale: str) -> str:
        return self.body_en if locale == "en" else self.body_id


class ConsentRecord(db.Model):
    __tablename__ = "consent_records"
    __table_args__ = (sa.UniqueConstraint("user_id", "version_id", "purpose"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("consent_versions.id"), index=True)
    purpose: Mapped[ConsentPurpose] = mapped_column(enum_type(ConsentPurpose))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    version: Mapped[ConsentVersion] = relationship()


def has_current_consent_expression(user_id: sa.ColumnElement[int]) -> sa.ColumnElement[bool]:
    """SQL for "the user gave every required purpose on the latest text and withdrew none", to be
    asked inside another statement (the login loader asks it along with the user)."""
    latest = sa.select(sa.func.max(ConsentVersion.version)).scalar_subquery()
    required_given = (
        sa.select(sa.func.count(ConsentRecord.purpose))
        .join(ConsentVersion, ConsentRecord.version_id == ConsentVersion.id)
        .where(
            ConsentRecord.user_id == user_id,
            ConsentRecord.withdrawn_at.is_(None),
            ConsentRecord.purpose.in_(REQUIRED_PURPOSES),
            ConsentVersion.version == latest,
        )
        .scalar_subquery()
    )
    # One record per user, text and purpose (the unique constraint): counting them is enough.
    return required_given == len(REQUIRED_PURPOSES)
