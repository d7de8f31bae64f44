"""Forms of the certificate pages: the rule, the organizer's actions, and the public code box."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import BooleanField, Form, IntegerField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ..forms import BaseForm
from ..models import Workshop
from .services import MAX_SIGNATORIES, CertificateRule
from .signing import MAX_UPLOAD_BYTES

TEXT_MAX = 100
HOURS_MIN, HOURS_MAX = 1, 200


def _percent_field(label, message, *, required: bool, default=None) -> IntegerField:
    validators = [InputRequired(_l("Wajib diisi."))] if required else [Optional()]
    return IntegerField(
        label,
        default=default,
        validators=[*validators, NumberRange(0, 100, message)],
        invalid_value_message=_l("Tulis sebagai bilangan bulat antara 0 dan 100."),
        render_kw={"min": 0, "max": 100, "inputmode": "numeric"},
    )


def _text_field(label) -> StringField:
    return StringField(
        label,
        validators=[
            Optional(),
            Length(max=TEXT_MAX, message=_l("Paling panjang %(max)d karakter.", max=TEXT_MAX)),
        ],
        render_kw={"maxlength": TEXT_MAX},
    )


class CertificateRuleForm(BaseForm):
    min_attendance_pct = _percent_field(
        _l("Kehadiran minimal (persen dari jumlah sesi)"),
        _l("Kehadiran minimal antara 0 dan 100 persen."),
        required=True,
        default=80,
    )
    requires_post_test = BooleanField(_l("Wajib mengirim pasca-tes"), default=True)
    min_post_score = _percent_field(
        _l("Nilai pasca-tes minimal (boleh kosong)"),
        _l("Nilai minimal antara 0 dan 100."),
        required=False,
    )
    requires_evaluation = BooleanField(_l("Wajib mengisi evaluasi loka latih"), default=False)
    training_hours = IntegerField(
        _l("Jumlah jam pelajaran (JP)"),
        validators=[
            Optional(),
            NumberRange(
                HOURS_MIN,
                HOURS_MAX,
                _l("Jam pelajaran antara %(min)s dan %(max)s JP.", min=HOURS_MIN, max=HOURS_MAX),
            ),
        ],
        invalid_value_message=_l("Tulis jam pelajaran sebagai bilangan bulat, misalnya 32."),
        render_kw={"min": HOURS_MIN, "max": HOURS_MAX, "inputmode": "numeric"},
    )
    signatory_1_name = _text_field(_l("Nama penanda tangan 1"))
    signatory_1_position = _text_field(_l("Jabatan penanda tangan 1"))
    signatory_2_name = _text_field(_l("Nama penanda tangan 2"))
    signatory_2_position = _text_field(_l("Jabatan penanda tangan 2"))
    signatory_3_name = _text_field(_l("Nama penanda tangan 3"))
    signatory_3_position = _text_field(_l("Jabatan penanda tangan 3"))

    def signatory_rows(self) -> list[tuple]:
        """(name field, position field) per row, for the template and the checks."""
        return [
            (self[f"signatory_{n}_name"], self[f"signatory_{n}_position"])
            for n in range(1, MAX_SIGNATORIES + 1)
        ]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for name, position in self.signatory_rows():
            has_name, has_position = bool(_clean(name.data)), bool(_clean(position.data))
            if has_name and not has_position:
                position.errors.append(_l("Isi jabatan penanda tangan ini."))
                valid = False
            elif has_position and not has_name:
                name.errors.append(_l("Isi nama penanda tangan ini."))
                valid = False
        if self.min_post_score.data is not None and not self.requires_post_test.data:
            self.min_post_score.errors.append(
                _l("Nilai minimal hanya berlaku bila pasca-tes wajib dikirim.")
            )
            valid = False
        return valid

    def rule(self) -> CertificateRule:
        return CertificateRule(
            min_attendance_pct=self.min_attendance_pct.data,
            requires_post_test=self.requires_post_test.data,
            min_post_score=self.min_post_score.data,
            requires_evaluation=self.requires_evaluation.data,
            training_hours=self.training_hours.data,
            signatories=[
                {"name": _clean(name.data), "position": _clean(position.data)}
                for name, position in self.signatory_rows()
                if _clean(name.data)
            ],
        )


def rule_values(workshop: Workshop) -> dict:
    """The saved rule as the form's initial data."""
    values = {
        "min_attendance_pct": workshop.cert_min_attendance_pct,
        "requires_post_test": workshop.cert_requires_post_test,
        "min_post_score": workshop.cert_min_post_score,
        "requires_evaluation": workshop.cert_requires_evaluation,
        "training_hours": workshop.training_hours,
    }
    for number, item in enumerate((workshop.signatories or [])[:MAX_SIGNATORIES], start=1):
        values[f"signatory_{number}_name"] = item.get("name", "")
        values[f"signatory_{number}_position"] = item.get("position", "")
    return values


def _clean(value: str | None) -> str:
    return " ".join((value or "").split())


class ActionForm(BaseForm):
    """A button that changes something: the form carries only the CSRF token."""


class ReasonForm(BaseForm):
    reason = StringField(
        _l("Alasan"),
        validators=[
            InputRequired(_l("Alasan wajib diisi.")),
            Length(max=400, message=_l("Paling panjang %(max)d karakter.", max=400)),
        ],
        render_kw={"maxlength": 400},
    )

    def validate_reason(self, field) -> None:
        if not _clean(field.data):
            raise ValidationError(_l("Alasan wajib diisi."))


class VerifyForm(Form):
    """The public code box: a GET form, so no CSRF token and no session."""

    kode = StringField(
        _l("Kode verifikasi"),
        validators=[InputRequired(_l("Tulis kode verifikasi yang tertera pada sertifikat."))],
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"},
    )


class VerifyUploadForm(BaseForm):
    """The public PDF check: a POST form with its CSRF token."""

    berkas = FileField(
        _l("Berkas PDF sertifikat"),
        description=_l("Paling besar 5 MB."),
        validators=[
            FileRequired(_l("Pilih berkas PDF sertifikat yang akan diperiksa.")),
            FileSize(MAX_UPLOAD_BYTES, message=_l("Berkas lebih besar dari 5 MB.")),
        ],
        render_kw={"accept": ".pdf,application/pdf"},
    )
