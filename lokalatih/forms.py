"""The base form: WTForms' built-in messages in the visitor's language.

WTForms ships no Indonesian catalogue, so its English messages are listed here for extraction and
translated in lokalatih's own catalogues.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import g
from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

# Flask-WTF's WTF_CSRF_FIELD_NAME (config.py keeps its default): the form field, and the key of the
# token in `g` and of its secret in the session.
CSRF_FIELD = "csrf_token"


@contextmanager
def csrf_token_as(marker: str) -> Iterator[None]:
    """Within it, `csrf_token()` gives `marker`: a page rendered once for many visitors keeps the
    marker, and each visitor's own token is put in its place when the page is sent."""
    kept_token = g.pop(CSRF_FIELD, None)
    setattr(g, CSRF_FIELD, marker)
    try:
        yield
    finally:
        g.pop(CSRF_FIELD, None)
        if kept_token is not None:
            setattr(g, CSRF_FIELD, kept_token)


def N_(message: str) -> str:  # noqa: N802 (the conventional gettext no-op marker)
    return message


def N_plural(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802
    return singular, plural


WTFORMS_MESSAGES = (
    N_("This field is required."),
    N_("Not a valid choice."),
    N_("Not a valid integer value."),
    N_("Not a valid decimal value."),
    N_("Not a valid float value."),
    N_("Not a valid date value."),
    N_("Not a valid datetime value."),
    N_("Not a valid time value."),
    N_("Invalid Choice: could not coerce."),
    N_("Invalid email address."),
    N_("Invalid URL."),
    N_("Invalid input."),
    N_("Field must be equal to %(other_name)s."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Number must be between %(min)s and %(max)s."),
    N_plural(
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
    ),
    N_plural(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
    ),
    N_plural(
        "Field must be exactly %(max)d character long.",
        "Field must be exactly %(max)d characters long.",
    ),
    N_("Field must be between %(min)d and %(max)d characters long."),
    N_plural(
        "'%(value)s' is not a valid choice for this field.",
        "'%(value)s' are not valid choices for this field.",
    ),
)


class _BabelTranslations:
    # The catalogue objects directly: flask_babel's helpers would %-format before WTForms does.
    def gettext(self, string: str) -> str:
        return get_translations().gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ngettext(singular, plural, n)


# The largest value of PostgreSQL's `integer`: every id and count the forms take is stored in one
# (a larger number would make the database, or SQLite's driver, fail instead of the form).
DB_INTEGER_MAX = 2**31 - 1
# A select's value that is not one of its options (a tampered form).
INVALID_CHOICE = _l("Pilih salah satu pilihan yang tersedia.")
# What a date-and-time field takes: the browser's picker value, and the same typed by hand on a
# browser without the picker (with a space, with or without seconds).
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]
INVALID_DATETIME = _l(
    "Tulis tanggal dan jam dengan format TTTT-BB-HH JJ:MM, misalnya 2026-12-07 09:00."
)


def _fits_a_column(value: object) -> bool:
    return not isinstance(value, int) or -DB_INTEGER_MAX <= value <= DB_INTEGER_MAX


class BaseForm(FlaskForm):
    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return _BabelTranslations()

    def process(self, formdata=None, obj=None, data=None, extra_filters=None, **kwargs):
        super().process(formdata, obj, data, extra_filters, **kwargs)
        # Before validation: some routes look up a row by a field before validating the form.
        for field in self:
            values = field.data if isinstance(field.data, list) else [field.data]
            if not all(_fits_a_column(value) for value in values):
                field.data = [] if isinstance(field.data, list) else None
                field.process_errors.append(field.gettext("Not a valid integer value."))


class ActionForm(BaseForm):
    """A button that changes something (approve, delete, send): only the CSRF token."""
