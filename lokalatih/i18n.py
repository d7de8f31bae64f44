"""Language choice and formatting: Bahasa Indonesia first, English second."""

from __future__ import annotations

from flask import current_app, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user

LOGIN_REQUIRED_MESSAGE = _l("Silakan masuk untuk membuka halaman ini.")
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}


def select_locale() -> str:
    """The user's saved language, else the visitor's choice, else Indonesian."""
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("lang") if request else None
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]
