"""Language choice and formatting: Bahasa Indonesia first, English second."""

from __future__ import annotations

from babel.support import NullTranslations, Translations
from flask import Flask, current_app, g, request, session
from flask_babel import get_locale, get_translations
from flask_babel import lazy_gettext as _l
from flask_login import current_user

LOGIN_REQUIRED_MESSAGE = _l("Silakan masuk untuk membuka halaman ini.")
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
_KEPT_TRANSLATIONS = "lokalatih_translations"


def select_locale() -> str:
    """The user's saved language, else the visitor's choice, else Indonesian."""
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("lang") if request else None
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def install_template_gettext(app: Flask) -> None:
    """Templates translate through `request_translations`: Flask-Babel's own template callables
    look the translations up again on every call (the domain, the context, the locale's name),
    and a page makes about thirty calls (docs/PERFORMANCE.md, issue 21)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )


def request_translations() -> Translations | NullTranslations:
    """Flask-Babel's translations for the current locale, kept in `g` next to the locale object
    they belong to: `force_locale` (an email in its recipient's language) sets another locale
    object, so it is never answered from the page's translations."""
    locale = get_locale()
    kept = g.get(_KEPT_TRANSLATIONS)
    if kept is None or kept[0] is not locale:
        kept = (locale, get_translations())
        setattr(g, _KEPT_TRANSLATIONS, kept)
    return kept[1]
