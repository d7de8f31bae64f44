"""Plain helpers for the account tests (fixtures are in conftest.py)."""

from __future__ import annotations

import re

import sqlalchemy as sa

from lokalatih.models import AuditEvent, OutboxMessage, User

PASSWORD = "Lokalatih#Uji2026"  # the default of `make_user` in tests/conftest.py
STRONG_PASSWORD = "Lereng Merapi 2026 hijau"
LINK = re.compile(r"http://localhost(/[^\s\"<>]+)")


def link_path(message: OutboxMessage, prefix: str) -> str:
    """The path of the first link in the text body that starts with `prefix`."""
    paths = [p for p in LINK.findall(message.body_text) if p.startswith(prefix)]
    assert paths, message.body_text
    return paths[0]


def user_by_email(db, email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.email == email))


def audit_actions(db) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))
