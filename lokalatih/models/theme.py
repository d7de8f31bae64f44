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
