"""Workshops (loka latih), their agenda sessions, organizers, topics and seat quotas."""

from __future__ import annotations

import enum
import secrets
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, enum_type, utcnow
from .theme import Theme, session_themes, workshop_themes


class WorkshopStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"  # registration open (within its window)
    REGISTRATION_CLOSED = "registration_closed"
    RUNNING = "running"
    COMPLETED = "completed"
    ARCHIVED = "archived"
    CANCELLED = "cancelled"


class WorkshopMode(enum.StrEnum):
    OFFLINE = "offline"  # luring
    ONLINE = "online"  # daring
    HYBRID = "hybrid"


class WorkshopTimezone(enum.StrEnum):
    WIB = "Asia/Jakarta"
    WITA = "Asia/Makassar"
    WIT = "Asia/Jayapura"

    @property
    def abbreviation(self) -> str:
        return self.name

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.value)


class QuotaKind(enum.StrEnum):
    INSTITUTION_TYPE = "institution_type"
    PROVINCE = "province"


workshop_organizers = sa.Table(
    "workshop_organizers",
    db.metadata,
    sa.Column("workshop_id", sa.ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id"), primary_key=True, index=True),
)


class Workshop(db.Model):
    __tablename__ = "workshops"
    __table_args__ = (
        sa.CheckConstraint("capacity >= 1", name="capacity_positive"),
        sa.CheckConstraint("end_date >= start_date", name="dates_ordered"),
        sa.CheckConstraint(
            "cert_min_attendance_pct BETWEEN 0 AND 100", name="cert_attendance_percentage"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(120), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    summary: Mapped[str] = mapped_column(sa.String(300), default="")
    description: Mapped[str] = mapped_column(sa.Text, default="")  # Markdown, rendered safely
    partners: Mapped[str] = mapped_column(sa.String(300), default="")  # comma-separated names
    target_audience: Mapped[str] = mapped_column(sa.Text, default="")
    mode: Mapped[WorkshopMode] = mapped_column(enum_type(WorkshopMode), index=True)
    venue: Mapped[str | None] = mapped_column(sa.String(300))
    meeting_url: Mapped[str | None] = mapped_column(sa.String(500))
    province_code: Mapped[str | None] = mapped_column(sa.ForeignKey("regions.code"), index=True)
    timezone: Mapped[WorkshopTimezone] = mapped_column(enum_type(WorkshopTimezone))
    start_date: Mapped[date] = mapped_column(sa.Date, index=True)  # in the workshop's zone
    end_date: Mapped[date] = mapped_column(sa.Date)
    registration_opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    registration_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    capacity: Mapped[int]
    requires_approval: Mapped[bool] = mapped_column(default=False)
    waitlist_enabled: Mapped[bool] = mapped_column(default=True)
    status: Mapped[WorkshopStatus] = mapped_column(
        enum_type(WorkshopStatus), default=WorkshopStatus.DRAFT, index=True
    )
    cancel_reason: Mapped[str | None] = mapped_column(sa.String(500))
    # The certificate rule and what the certificate says.
    cert_min_attendance_pct: Mapped[int] = mapped_column(default=80)
    cert_requires_post_test: Mapped[bool] = mapped_column(default=True)
    cert_min_post_score: Mapped[int | None]
    # The certificate also waits for the reaction survey (evaluation_submissions).
    cert_requires_evaluation: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    training_hours: Mapped[int | None]  # JP (jam pelajaran)
    # Days after the last session at which participants are asked how their action plan went.
    follow_up_days: Mapped[int] = mapped_column(default=90, server_default=sa.text("90"))
    signatories: Mapped[list | None] = mapped_column(sa.JSON)  # [{"name", "position"}, ...]
    # The institutions that issue the certificate (one to three names); empty: the organizers'.
    issuing_institutions: Mapped[list | None] = mapped_column(sa.JSON)
    # Bumped by every seat-changing transaction: the UPDATE is the lock (row lock on PostgreSQL,
    # the write lock on SQLite), so seat decisions are made one at a time.
    seat_lock_version: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    sessions: Mapped[list[WorkshopSession]] = relationship(
        back_populates="workshop",
        order_by="(WorkshopSession.position, WorkshopSession.id)",
        cascade="all, delete-orphan",
    )
    organizers: Mapped[list[User]] = relationship(secondary=workshop_organizers)  # noqa: F821
    topics: Mapped[list[WorkshopTopic]] = relationship(
        cascade="all, delete-orphan", order_by="WorkshopTopic.tag"
    )
    quotas: Mapped[list[Quota]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan", order_by="Quota.id"
    )
    # KKPHAM themes; the workshop "covers" these and its sessions' (docs/REPORTS.md).
    themes: Mapped[list[Theme]] = relationship(
        secondary=workshop_themes, order_by="(Theme.position, Theme.id)"
    )

    @property
    def partner_list(self) -> list[str]:
        return [name.strip() for name in self.partners.split(",") if name.strip()]

    @property
    def covered_themes(self) -> list[Theme]:
        """Its own themes and its sessions', once each, in the admins' order."""
        found = {theme.id: theme for theme in self.themes}
        for session in self.sessions:
            found.update((theme.id, theme) for theme in session.themes)
        return sorted(found.values(), key=lambda theme: (theme.position, theme.id))

    @property
    def topic_tags(self) -> list[str]:
        return [topic.tag for topic in self.topics]

    @property
    def zone(self) -> ZoneInfo:
        return self.timezone.zone

    def __repr__(self) -> str:
        return f"<Workshop {self.slug} {self.status}>"


class WorkshopTopic(db.Model):
    __tablename__ = "workshop_topics"

    workshop_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(sa.String(60), primary_key=True, index=True)


class WorkshopSession(db.Model):
    """One agenda item; times are stored in UTC and shown in the workshop's zone."""

    __tablename__ = "workshop_sessions"
    __table_args__ = (
        sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        sa.CheckConstraint("jp_halves >= 0", name="jp_halves_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(sa.String(200))
    speakers: Mapped[str] = mapped_column(sa.String(300), default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    place: Mapped[str | None] = mapped_column(sa.String(500))  # a room, or a link for online
    # Seeds the rotating check-in codes of this session; never shown.
    checkin_secret: Mapped[str] = mapped_column(
        sa.String(64), default=lambda: secrets.token_hex(20)
    )
    checkin_opens_minutes_before: Mapped[int] = mapped_column(default=30)
    # The iCalendar SEQUENCE: raised each time participants are told the session changed, so
    # their calendars replace the event (same UID) instead of keeping the old one.
    sequence: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))
    # Lesson hours (JP) in halves (7 = 3.5 JP) when the organizer set them; None means the
    # default from the session's length (lokalatih/lessonhours.py), so it follows time edits.
    jp_halves: Mapped[int | None]

    workshop: Mapped[Workshop] = relationship(back_populates="sessions")
    themes: Mapped[list[Theme]] = relationship(
        secondary=session_themes, order_by="(Theme.position, Theme.id)"
    )


class Quota(db.Model):
    """Seats reserved for one group (an institution type or a province)."""

    __tablename__ = "quotas"
    __table_args__ = (
        sa.UniqueConstraint("workshop_id", "kind", "value"),
        sa.CheckConstraint("seats >= 1", name="seats_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(
        sa.ForeignKey("workshops.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[QuotaKind] = mapped_column(enum_type(QuotaKind))
    value: Mapped[str] = mapped_column(sa.String(32))  # an InstitutionType value or a province code
    seats: Mapped[int]

    workshop: Mapped[Workshop] = relationship(back_populates="quotas")
