"""Account forms. The rules themselves live in `services` and `passwords`; these only apply them."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField
from wtforms.fields import EmailField
from wtforms.validators import EqualTo, InputRequired, Length, StopValidation, ValidationError

from ..errors import LokalatihError
from ..forms import BaseForm
from .passwords import MAX_LENGTH, MIN_LENGTH, password_problems
from .services import MAX_EMAIL_LENGTH, checked_email, normalize_email

NEW_PASSWORD_ATTRS = {"minlength": MIN_LENGTH, "maxlength": MAX_LENGTH}


class EmailAddress:
    """A well-formed address of at most 254 characters (no DNS lookup)."""

    def __call__(self, form: BaseForm, field: EmailField) -> None:
        if len(field.data or "") > MAX_EMAIL_LENGTH:
            raise StopValidation(
                _(
                    "Alamat email terlalu panjang (maksimal %(count)s karakter).",
                    count=MAX_EMAIL_LENGTH,
                )
            )
        try:
            checked_email(field.data)
        except LokalatihError as error:
            raise StopValidation(str(error.message)) from None


class AcceptablePassword:
    """The shared password rules; the email comes from the form's `email` field or `account_email`.

    `account_email` is set by the route for forms without an email field (reset, change).
    """

    def __call__(self, form: BaseForm, field: PasswordField) -> None:
        email = getattr(form, "account_email", None)
        if email is None and "email" in form:
            email = form["email"].data
        problems = password_problems(field.data or "", email)
        if problems:
            raise ValidationError(" ".join(problems))


def _email_field() -> EmailField:
    return EmailField(
        _l("Email"),
        filters=[normalize_email],
        validators=[InputRequired(message=_l("Isi alamat email Anda.")), EmailAddress()],
        render_kw={"maxlength": MAX_EMAIL_LENGTH},
    )


def _new_password_fields(label: str, confirm_label: str) -> tuple[PasswordField, PasswordField]:
    password = PasswordField(
        label,
        validators=[InputRequired(message=_l("Isi sandi.")), AcceptablePassword()],
        render_kw=NEW_PASSWORD_ATTRS,
    )
    confirm = PasswordField(
        confirm_label,
        validators=[
            InputRequired(message=_l("Ulangi sandi Anda.")),
            EqualTo("password", message=_l("Kedua sandi tidak sama.")),
        ],
        render_kw=NEW_PASSWORD_ATTRS,
    )
    return password, confirm


class SignupForm(BaseForm):
    email = _email_field()
    password, password_confirm = _new_password_fields(_l("Sandi"), _l("Ulangi sandi"))


class LoginForm(BaseForm):
    email = _email_field()
    password = PasswordField(
        _l("Sandi"),
        validators=[
            InputRequired(message=_l("Isi sandi Anda.")),
            Length(max=MAX_LENGTH, message=_l("Email atau sandi salah.")),
        ],
    )
    next = HiddenField()


class EmailOnlyForm(BaseForm):
    """Resend the verification email, or ask for a password-reset link."""

    email = _email_field()


class ConfirmForm(BaseForm):
    """Only a CSRF token behind a button: a link opened by a mail scanner must change nothing."""


class ResetPasswordForm(BaseForm):
    password, password_confirm = _new_password_fields(_l("Sandi baru"), _l("Ulangi sandi baru"))


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        _l("Sandi saat ini"),
        validators=[
            InputRequired(message=_l("Isi sandi Anda saat ini.")),
            Length(max=MAX_LENGTH, message=_l("Sandi saat ini salah.")),
        ],
    )
    password, password_confirm = _new_password_fields(_l("Sandi baru"), _l("Ulangi sandi baru"))
