from __future__ import annotations

import unicodedata

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from ..forms import BaseForm
from ..privacy.consent import CONSENT_TEXT_MAX_LENGTH

_ALLOWED_CONTROLS = frozenset("\n\r\t")


def _plain_text(form, field) -> None:
    if any(
        unicodedata.category(ch) in ("Cc", "Cs", "Co") and ch not in _ALLOWED_CONTROLS
        for ch in field.data or ""
    ):
        raise ValidationError(_l("Teks mengandung karakter yang tidak diizinkan."))


def _consent_text_field(label, lang: str) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[
            DataRequired(message=_l("Teks ini wajib diisi.")),
            Length(
                max=CONSENT_TEXT_MAX_LENGTH,
                message=_l("Teks paling banyak %(max)d karakter."),
            ),
            _plain_text,
        ],
        render_kw={"rows": 18, "lang": lang},
    )


class PublishConsentForm(BaseForm):
    body_id = _consent_text_field(_l("Teks dalam Bahasa Indonesia"), "id")
    body_en = _consent_text_field(_l("Teks dalam Bahasa Inggris"), "en")
    confirm = BooleanField(
        _l("Saya memahami bahwa semua pengguna harus membaca dan menyetujui versi baru ini."),
        validators=[DataRequired(message=_l("Centang konfirmasi ini untuk menerbitkan."))],
    )
    submit = SubmitField(_l("Terbitkan versi baru"))
