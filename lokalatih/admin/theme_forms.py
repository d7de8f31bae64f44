"""Forms of the theme list page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Regexp

from ..forms import BaseForm
from .themes import CODE_PATTERN

NAME_MAX = 200


def _name(label) -> StringField:
    return StringField(
        label,
        validators=[
            DataRequired(_l("Nama wajib diisi.")),
            Length(max=NAME_MAX, message=_l("Paling panjang %(max)d karakter.", max=NAME_MAX)),
        ],
        render_kw={"maxlength": NAME_MAX},
    )


class RenameThemeForm(BaseForm):
    name_id = _name(_l("Nama (Indonesia)"))
    name_en = _name(_l("Nama (Inggris)"))


class AddThemeForm(RenameThemeForm):
    code = StringField(
        _l("Kode"),
        validators=[
            DataRequired(_l("Kode wajib diisi.")),
            Regexp(
                CODE_PATTERN,
                message=_l("Kode: 2 sampai 60 huruf kecil, angka atau garis bawah."),
            ),
        ],
        render_kw={"maxlength": 60, "autocomplete": "off"},
    )


class ThemeActionForm(BaseForm):
    """Only the CSRF token: the theme and the action are in the URL."""
