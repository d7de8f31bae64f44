"""Forms of the check-in pages."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..forms import BaseForm
from ..models import WorkshopSession
from ..overrides import OVERRIDE_REASON_MAX

CODE_MAX_LENGTH = 20  # six characters, with room for the spaces and hyphens people type
REASON_MAX_LENGTH = 300
TOKEN_MAX_LENGTH = 100


def _code_field() -> StringField:
    return StringField(
        _l("Kode presensi"),
        description=_l("Enam karakter yang tampil di layar penyelenggara, misalnya ACE 379."),
        validators=[DataRequired(), Length(max=CODE_MAX_LENGTH)],
        render_kw={
            "maxlength": CODE_MAX_LENGTH,
            "autocomplete": "off",
            "autocapitalize": "characters",
            "spellcheck": "false",
            "inputmode": "text",
        },
    )


class CheckInForm(BaseForm):
    """The confirmation after scanning the QR: the code travels along, visible and editable."""

    code = _code_field()


class EnterCodeForm(BaseForm):
    """For online participants: choose one of the sessions open now and type the code."""

    session_id = SelectField(
        _l("Sesi"),
        coerce=int,
        validators=[InputRequired()],
        invalid_choice_message=_l("Pilih salah satu sesi yang sedang membuka presensi."),
    )
    code = _code_field()

    def __init__(
        self,
        *args,
        sessions: Iterable[WorkshopSession] = (),
        label: Callable[[WorkshopSession], str] = str,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.session_id.choices = [SelectChoice(session.id, label(session)) for session in sessions]


class ReasonForm(BaseForm):
    """Mark or unmark one participant by hand: the reason goes into the audit log."""

    registration_id = IntegerField(validators=[InputRequired()])
    reason = TextAreaField(
        _l("Alasan"),
        validators=[DataRequired(), Length(max=REASON_MAX_LENGTH)],
        render_kw={"maxlength": REASON_MAX_LENGTH, "rows": 1},
    )
    # Shown only before check-in opens; the service requires it then.
    override_reason = TextAreaField(
        _l("Alasan menandai sebelum presensi dibuka"),
        validators=[Optional(), Length(max=OVERRIDE_REASON_MAX)],
        render_kw={"maxlength": OVERRIDE_REASON_MAX, "rows": 1},
    )


class ScanTokenForm(BaseForm):
    """The scanner page without JavaScript: paste (or let a handheld scanner type) one QR text."""

    token = StringField(
        _l("Isi QR pribadi peserta"),
        validators=[DataRequired(), Length(max=TOKEN_MAX_LENGTH)],
        render_kw={"maxlength": TOKEN_MAX_LENGTH, "autocomplete": "off"},
    )
