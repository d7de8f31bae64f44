"""Check-ins to sessions and certificates of attendance."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, enum_type, utcnow


class CheckInMethod(enum.StrEnum):
    QR = "qr"  # the rotating QR on the venue screen
    CODE = "code"  # the typed short code
    MANUAL = "manual"  # marked by an organizer
    PERSONAL_QR = "personal_qr"  # the organizer scanned the participant's own QR


class CheckIn(db.Model):
    __tablename__ = "checkins"
    __table_args__ = (sa.UniqueConstraint("session_id", "registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workshop_sessions.id", ondelete="CASCADE"), index=True
    )
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    method: Mapped[CheckInMethod] = mapped_column(enum_type(CheckInMethod))
    checked_in_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    note: Mapped[str | None] = mapped_column(sa.String(500))

    session: Mapped[WorkshopSession] = relationship()  # noqa: F821
    registration: Mapped[Registration] = relationship()  # noqa: F821


class Certificate(db.Model):
    __tablename__ = "certificates"
    __table_args__ = (
        # At most one valid (not revoked) certificate per registration, enforced by the database.
        sa.Index(
            "uq_certificates_valid_per_registration",
            "registration_id",
            unique=True,
            postgresql_where=sa.text("revoked_at IS NULL"),
            sqlite_where=sa.text("revoked_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[str] = mapped_column(sa.String(60), unique=True)
    code: Mapped[str] = mapped_column(sa.String(32), unique=True)  # >= 64 random bits
    name_on_certificate: Mapped[str] = mapped_column(sa.String(150))
    language: Mapped[str] = mapped_column(sa.String(5), default="id")
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    issued_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoke_reason: Mapped[str | None] = mapped_column(sa.String(500))
    # Revoked because the holder deleted their account: the verification page says so, no name.
    revoked_by_holder: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # What the certificate attests, frozen at issue (title, dates, JP, place, organizers,
    # partners, signatories): later edits of the workshop do not change it.
    attested: Mapped[dict | None] = mapped_column(sa.JSON)

    registration: Mapped[Registration] = relationship()  # noqa: F821

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None
