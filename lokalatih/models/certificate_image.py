"""Images printed on a workshop's certificates: an issuing institution's logo, a signatory's
signature. Stored as re-encoded PNG bytes in the database."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import UTCDateTime, enum_type, utcnow


class ImageKind(enum.StrEnum):
    LOGO = "logo"  # above the text, one per issuing institution (slot = its position)
    SIGNATURE = "signature"  # above a signatory's name (slot = the signatory's position)


class CertificateImage(db.Model):
    """One uploaded image. Its bytes never change: a new upload adds a row and retires the one it
    replaces, so a certificate issued with the old image (its attestation names the row's id and
    hash) still prints and verifies as issued. The image belongs to the name it was uploaded for
    (`label`): it follows that name when rows move, and leaves when the name does."""

    __tablename__ = "certificate_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ImageKind] = mapped_column(enum_type(ImageKind))
    slot: Mapped[int]  # 1 to 3: the position of its institution or signatory
    label: Mapped[str] = mapped_column(sa.String(200), default="")  # that name, at upload
    png: Mapped[bytes] = mapped_column(sa.LargeBinary)
    sha256: Mapped[str] = mapped_column(sa.String(64))
    width: Mapped[int]
    height: Mapped[int]
    uploaded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set when replaced or removed while an issued certificate still prints it.
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"<CertificateImage {self.id} {self.kind} {self.slot}>"
