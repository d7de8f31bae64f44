"""Visitor preferences."""

from __future__ import annotations

from ..models import User


def set_user_language(user: User, language: str) -> None:
    user.locale = language
