"""Forms of two-factor sign-in: a code, the password, or both."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length

from ..forms import BaseForm
from .errors import WrongCodeError
from .passwords import MAX_LENGTH
from .twofactor import MAX_CODE_LENGTH

CODE_ATTRS = {"maxlength": MAX_CODE_LENGTH, "autocomplete": "one-time-code", "spellcheck": "false"}


def _code_field(label: str, **render_kw) -> StringField:
    return StringField(
        label,
        filters=[lambda value: value.strip() if isinstance(value, str) else value],
        validators=[
            InputRequired(message=_l("Isi kode.")),
            Length(max=MAX_CODE_LENGTH, message=WrongCodeError.message),
        ],
        render_kw={**CODE_ATTRS, **render_kw},
    )


def _password_field() -> PasswordField:
    return PasswordField(
        _l("Sandi Anda"),
        validators=[
            InputRequired(message=_l("Isi sandi Anda.")),
            Length(max=MAX_LENGTH, message=_l("Sandi saat ini salah.")),
        ],
        render_kw={"autocomplete": "current-password"},
    )


class EnableTwoFactorForm(BaseForm):
    code = _code_field(_l("Kode 6 angka dari aplikasi"), inputmode="numeric")


class LoginCodeForm(BaseForm):
    code = _code_field(_l("Kode verifikasi atau kode pemulihan"))


class RegenerateCodesForm(BaseForm):
    password = _password_field()


class DisableTwoFactorForm(BaseForm):
    password = _password_field()
    code = _code_field(_l("Kode dari aplikasi atau kode pemulihan"))
