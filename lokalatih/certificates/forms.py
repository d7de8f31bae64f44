"""Forms of the certificate pages: the rule, the organizer's actions, and the public code box."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import BooleanField, Form, IntegerField, StringField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ..forms import BaseForm
from ..models import ImageKind, Workshop
from .branding import MAX_INSTITUTIONS, Upload
from .services import MAX_SIGNATORIES, CertificateRule
from .upload_check import MAX_UPLOAD_BYTES

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


IMAGE_ACCEPT = ".png,.jpg,.jpeg,image/png,image/jpeg"


def _image_field(label) -> FileField:
    # Checked by decoding in branding.prepare_image, which names the field in its error.
    return FileField(label, render_kw={"accept": IMAGE_ACCEPT})


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
    signatory_1_signature = _image_field(_l("Gambar tanda tangan penanda tangan 1"))
    signatory_2_signature = _image_field(_l("Gambar tanda tangan penanda tangan 2"))
    signatory_3_signature = _image_field(_l("Gambar tanda tangan penanda tangan 3"))
    institution_1 = _text_field(_l("Instansi penerbit 1"))
    institution_2 = _text_field(_l("Instansi penerbit 2"))
    institution_3 = _text_field(_l("Instansi penerbit 3"))
    institution_1_logo = _image_field(_l("Logo instansi penerbit 1"))
    institution_2_logo = _image_field(_l("Logo instansi penerbit 2"))
    institution_3_logo = _image_field(_l("Logo instansi penerbit 3"))

    def signatory_rows(self) -> list[tuple]:
        """(name field, position field) per row, for the template and the checks."""
        return [
            (self[f"signatory_{n}_name"], self[f"signatory_{n}_position"])
            for n in range(1, MAX_SIGNATORIES + 1)
        ]

    def institution_rows(self) -> list[tuple]:
        """(name field, logo field) per issuing institution."""
        return [
            (self[f"institution_{n}"], self[f"institution_{n}_logo"])
            for n in range(1, MAX_INSTITUTIONS + 1)
        ]

    def signature_fields(self) -> list:
        return [self[f"signatory_{n}_signature"] for n in range(1, MAX_SIGNATORIES + 1)]

    def institutions(self) -> list[str]:
        return [_clean(name.data) for name, _logo in self.institution_rows()]

    def uploads(self) -> list[Upload]:
        """The files chosen, each for the slot its row takes once blank rows are dropped (the
        rows are saved without gaps, so row 3 under a blank row 2 becomes the second)."""
        found: list[Upload] = []
        rows = [(ImageKind.LOGO, name, logo) for name, logo in self.institution_rows()] + [
            (ImageKind.SIGNATURE, name, signature)
            for (name, _position), signature in zip(
                self.signatory_rows(), self.signature_fields(), strict=True
            )
        ]
        slots = {ImageKind.LOGO: 0, ImageKind.SIGNATURE: 0}
        for kind, name, file_field in rows:
            if not _clean(name.data):
                continue
            slots[kind] += 1
            if _has_file(file_field):
                found.append(Upload(kind, slots[kind], file_field.data.read(), file_field.name))
        return found

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for name, logo in self.institution_rows():
            if _has_file(logo) and not _clean(name.data):
                logo.errors.append(_l("Isi nama instansi penerbit untuk logo ini."))
                valid = False
        for (name, _position), signature in zip(
            self.signatory_rows(), self.signature_fields(), strict=True
        ):
            if _has_file(signature) and not _clean(name.data):
                signature.errors.append(_l("Isi nama penanda tangan untuk tanda tangan ini."))
                valid = False
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
    for number, name in enumerate(
        (workshop.issuing_institutions or [])[:MAX_INSTITUTIONS], start=1
    ):
        values[f"institution_{number}"] = name
    for number, item in enumerate((workshop.signatories or [])[:MAX_SIGNATORIES], start=1):
        values[f"signatory_{number}_name"] = item.get("name", "")
        values[f"signatory_{number}_position"] = item.get("position", "")
    return values


def _clean(value: str | None) -> str:
    return " ".join((value or "").split())


def _has_file(file_field) -> bool:
    """A file was chosen (a form sent without one carries an empty part with no name)."""
    data = file_field.data
    return bool(data is not None and getattr(data, "filename", None))


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
