"""Accounts, roles, profiles and server-side login sessions."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, enum_type, utcnow


class Role(enum.StrEnum):
    PARTICIPANT = "participant"
    ORGANIZER = "organizer"
    REVIEWER = "reviewer"
    ADMIN = "admin"


class Gender(enum.StrEnum):
    FEMALE = "female"
    MALE = "male"


class InstitutionType(enum.StrEnum):
    LOCAL_GOVERNMENT = "local_government"  # pemerintah daerah / OPD
    DPRD = "dprd"
    MINISTRY = "ministry"  # kantor wilayah / kementerian
    KOMNAS_HAM = "komnas_ham"
    CIVIL_SOCIETY = "civil_society"
    ACADEMIA = "academia"
    OTHER = "other"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[Role] = mapped_column(enum_type(Role), default=Role.PARTICIPANT, index=True)
    locale: Mapped[str] = mapped_column(sa.String(5), default="id")
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Changes when the password changes: signed links made before then stop working.
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Set when the account's personal data was erased (lokalatih.privacy.erasure); the row stays
    # so that registrations, attendance and scores still count in the statistics.
    erased_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    # Two-factor sign-in (lokalatih.auth.twofactor): the TOTP secret, sealed with Fernet under
    # TWO_FACTOR_KEYS; the last accepted step, so that a code is never accepted twice.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(255))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger())

    profile: Mapped[Profile | None] = relationship(back_populates="user", uselist=False)

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def two_factor_enabled(self) -> bool:
        return self.totp_enabled_at is not None

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.ADMIN, Role.ORGANIZER, Role.REVIEWER)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class Profile(db.Model):
    __tablename__ = "profiles"
    __table_args__ = (
        sa.CheckConstraint(
            "regency_code IS NULL OR province_code IS NOT NULL", name="regency_needs_province"
        ),
    )

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), primary_key=True)
    full_name: Mapped[str | None] = mapped_column(sa.String(150))
    gender: Mapped[Gender | None] = mapped_column(enum_type(Gender))
    institution_type: Mapped[InstitutionType | None] = mapped_column(
        enum_type(InstitutionType), index=True
    )
    institution_name: Mapped[str | None] = mapped_column(sa.String(200))
    position: Mapped[str | None] = mapped_column(sa.String(150))
    phone: Mapped[str | None] = mapped_column(sa.String(20))
    province_code: Mapped[str | None] = mapped_column(sa.ForeignKey("regions.code"), index=True)
    regency_code: Mapped[str | None] = mapped_column(sa.ForeignKey("regions.code"), index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(back_populates="profile")

    REQUIRED_FIELDS = (
        "full_name",
        "gender",
        "institution_type",
        "institution_name",
        "position",
        "phone",
        "province_code",
        "regency_code",
    )

    @property
    def missing_fields(self) -> list[str]:
        return [name for name in self.REQUIRED_FIELDS if not getattr(self, name)]

    @property
    def is_complete(self) -> bool:
        return not self.missing_fields


class LoginSession(db.Model):
    """One row per login: logout or a password change revokes it, so a copied cookie is dead."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()
