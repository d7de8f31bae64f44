"""A participant's action plan after a workshop, and what they later report about each action."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, enum_type, utcnow


class ActionStatus(enum.StrEnum):
    DONE = "done"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"
    DROPPED = "dropped"


class ActionPlanItem(db.Model):
    """One action (of one to three) a participant commits to at the end of a workshop."""

    __tablename__ = "action_plan_items"
    __table_args__ = (sa.UniqueConstraint("registration_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=1)
    action: Mapped[str] = mapped_column(sa.String(300))  # what they will do in their institution
    due_date: Mapped[date] = mapped_column(sa.Date)  # by when
    # Null: "lainnya / tidak terkait tema".
    theme_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("themes.id", ondelete="SET NULL"), index=True
    )
    partners: Mapped[str] = mapped_column(sa.String(200), default="")  # who else is involved
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The follow-up: the participant's report, and when the emails asking for it were queued.
    status: Mapped[ActionStatus | None] = mapped_column(enum_type(ActionStatus))
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    evidence_url: Mapped[str | None] = mapped_column(sa.String(500))
    reported_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    followed_up_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    registration: Mapped[Registration] = relationship()  # noqa: F821
    theme: Mapped[Theme | None] = relationship()  # noqa: F821

    def __repr__(self) -> str:
        return f"<ActionPlanItem {self.id} {self.status}>"
