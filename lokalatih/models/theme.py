"""KKPHAM themes: the one list that actions (and later workshops, sessions, questions) are tagged
with. Seeded by migration 0016; admins rename, reorder, deactivate and add."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class Theme(db.Model):
    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(60), unique=True)
    name_id: Mapped[str] = mapped_column(sa.String(200))
    name_en: Mapped[str] = mapped_column(sa.String(200))
    position: Mapped[int] = mapped_column(default=0)
    # An inactive theme is offered for no new tag; what was tagged with it keeps it.
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())

    def name_for(self, locale: str | None) -> str:
        return self.name_en if (locale or "").startswith("en") else self.name_id

    def __repr__(self) -> str:
        return f"<Theme {self.code}>"


def _tag_table(name: str, column: str, target: str) -> sa.Table:
    """Which themes a workshop, session or bank question is tagged with (issue 17 section 4)."""
    return sa.Table(
        name,
        db.Model.metadata,
        sa.Column(
            column,
            sa.ForeignKey(target, ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column(
            "theme_id", sa.ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True, index=True
        ),
    )


workshop_themes = _tag_table("workshop_themes", "workshop_id", "workshops.id")
session_themes = _tag_table("session_themes", "session_id", "workshop_sessions.id")
question_themes = _tag_table("question_themes", "question_id", "questions.id")
