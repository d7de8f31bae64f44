"""A participant's place in a workshop."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, enum_type, utcnow
from .user import Gender, InstitutionType


class RegistrationStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for the organizer's approval
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


ACTIVE_STATUSES = (
    RegistrationStatus.PENDING,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITLISTED,
)


class Registration(db.Model):
    __tablename__ = "registrations"
    __table_args__ = (
        sa.UniqueConstraint("workshop_id", "user_id"),
        # Who and where too: the theme reach counts them from the index alone (0021).
        sa.Index(
            "ix_registrations_workshop_status", "workshop_id", "status", "user_id", "regency_code"
        ),
        sa.Index(
            "ix_registrations_cells",
            "province_code",
            "regency_code",
            "institution_type",
            "gender",
            "status",
            "user_id",
            "workshop_id",
            "sessions_attended",
            "certificates_earned",
            "pre_score",
            "post_score",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    status: Mapped[RegistrationStatus] = mapped_column(enum_type(RegistrationStatus))
    # The reserved seat this registration holds, when it holds one of a quota.
    quota_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("quotas.id", ondelete="SET NULL"), index=True
    )
    # Waitlist order is arrival order: (waitlisted_at, id). Positions are computed, so never gapped.
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_reason: Mapped[str | None] = mapped_column(sa.String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The participant's personal QR (for offline check-in by an organizer's scanner).
    checkin_token: Mapped[str] = mapped_column(
        sa.String(32), unique=True, default=lambda: secrets.token_urlsafe(16)
    )
    # Tallies for the review dashboard, kept by database triggers on checkins, certificates and
    # attempts (migration 0009): the application reads them in reports and never writes them.
    sessions_attended: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))
    certificates_earned: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))
    pre_score: Mapped[float | None] = mapped_column(sa.Float)
    post_score: Mapped[float | None] = mapped_column(sa.Float)
    # The participant's profile dimensions, copied by triggers (migration 0009) so that the
    # figures group one covering index (ix_registrations_cells) instead of joining the profiles.
    province_code: Mapped[str | None] = mapped_column(sa.String(8))
    regency_code: Mapped[str | None] = mapped_column(sa.String(8))
    institution_type: Mapped[InstitutionType | None] = mapped_column(
        enum_type(InstitutionType, checked=False)
    )
    gender: Mapped[Gender | None] = mapped_column(enum_type(Gender, checked=False))

    workshop: Mapped[Workshop] = relationship()  # noqa: F821
    user: Mapped[User] = relationship()  # noqa: F821

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    def __repr__(self) -> str:
        return f"<Registration {self.id} {self.status}>"
