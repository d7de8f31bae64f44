"""Forms of the consent page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SubmitField
from wtforms.validators import ValidationError

from ..forms import INVALID_CHOICE, BaseForm
from ..models import REQUIRED_PURPOSES, ConsentPurpose
from .consent import PURPOSE_DESCRIPTIONS, PURPOSE_LABELS


def _required_purpose(form, field) -> None:
    if not field.data:
        raise ValidationError(_l("Persetujuan ini wajib untuk mengikuti loka latih."))


def _purpose_field(purpose: ConsentPurpose) -> BooleanField:
    required = purpose in REQUIRED_PURPOSES
    return BooleanField(
        PURPOSE_LABELS[purpose],
        description=PURPOSE_DESCRIPTIONS[purpose],
        validators=[_required_purpose] if required else [],
        # Never pre-ticked: the form has no default and is never filled from saved consent.
        default=False,
    )


class ConsentForm(BaseForm):
    version = HiddenField()
    training = _purpose_field(ConsentPurpose.TRAINING)
    evaluation = _purpose_field(ConsentPurpose.EVALUATION)
    announcements = _purpose_field(ConsentPurpose.ANNOUNCEMENTS)
    submit = SubmitField(_l("Simpan persetujuan"))

    def purpose_fields(self) -> list:
        return [self[purpose.value] for purpose in ConsentPurpose]

    def chosen_purposes(self) -> list[ConsentPurpose]:
        return [purpose for purpose in ConsentPurpose if self[purpose.value].data]


class WithdrawConsentForm(BaseForm):
    purpose = HiddenField()

    def validate_purpose(self, field) -> None:
        if field.data not in {purpose.value for purpose in ConsentPurpose}:
            raise ValidationError(INVALID_CHOICE)

    @property
    def chosen_purpose(self) -> ConsentPurpose:
        return ConsentPurpose(self.purpose.data)
