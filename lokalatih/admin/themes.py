"""The KKPHAM theme list (issue 17 section 4): rename, reorder, deactivate, add; each audited."""

from __future__ import annotations

import re

import sqlalchemy as sa

from ..audit import record_event
from ..extensions import db
from ..models import Theme, User
from .errors import ThemeCodeTakenError, ThemeNotFoundError

CODE_PATTERN = re.compile(r"^[a-z0-9_]{2,60}$")


def list_themes() -> list[Theme]:
    return list(db.session.scalars(sa.select(Theme).order_by(Theme.position, Theme.id)))


def get_theme(theme_id: int) -> Theme:
    theme = db.session.get(Theme, theme_id)
    if theme is None:
        raise ThemeNotFoundError()
    return theme


def add_theme(code: str, name_id: str, name_en: str, actor: User, ip: str | None = None) -> Theme:
    """A new active theme at the end of the list."""
    code = code.strip().lower()
    if db.session.scalar(sa.select(Theme.id).where(Theme.code == code)) is not None:
        raise ThemeCodeTakenError()
    last = db.session.scalar(sa.select(sa.func.max(Theme.position))) or 0
    theme = Theme(code=code, name_id=name_id.strip(), name_en=name_en.strip(), position=last + 1)
    db.session.add(theme)
    db.session.flush()
    record_event("theme_created", actor=actor, target=theme, details={"code": code}, ip=ip)
    return theme


def rename_theme(
    theme: Theme, name_id: str, name_en: str, actor: User, ip: str | None = None
) -> None:
    old = {"name_id": theme.name_id, "name_en": theme.name_en}
    theme.name_id, theme.name_en = name_id.strip(), name_en.strip()
    new = {"name_id": theme.name_id, "name_en": theme.name_en}
    changed = {key: [old[key], new[key]] for key in old if old[key] != new[key]}
    if changed:
        record_event("theme_renamed", actor=actor, target=theme, details=changed, ip=ip)


def move_theme(theme: Theme, step: int, actor: User, ip: str | None = None) -> None:
    """Swap the theme with its neighbour above (step -1) or below (+1); positions are renumbered
    1..n so that gaps and ties from earlier edits disappear."""
    themes = list_themes()
    index = next(i for i, t in enumerate(themes) if t.id == theme.id)
    other = index + step
    if not 0 <= other < len(themes):
        return
    themes[index], themes[other] = themes[other], themes[index]
    for position, each in enumerate(themes, start=1):
        each.position = position
    record_event("theme_moved", actor=actor, target=theme, details={"to": theme.position}, ip=ip)


def set_active(theme: Theme, active: bool, actor: User, ip: str | None = None) -> None:
    """An inactive theme is no longer offered; actions tagged with it keep it."""
    if theme.active == active:
        return
    theme.active = active
    action = "theme_activated" if active else "theme_deactivated"
    record_event(action, actor=actor, target=theme, ip=ip)
