"""Forms of the registration pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from ..forms import BaseForm
from ..models import InstitutionType, RegistrationStatus
from ..profile.services import INSTITUTION_TYPE_LABELS
from ..regions import list_provinces
from .registrants import STATUS_LABELS, RegistrantFilters

REASON_MAX_LENGTH = 500
SUBJECT_MAX_LENGTH = 150
MESSAGE_MAX_LENGTH = 5000
INVALID_CHOICE = _l("Pilih salah satu pilihan yang tersedia.")


class ActionForm(BaseForm):
    """Only the CSRF token: register, cancel, approve and promote carry nothing else."""


class RejectForm(BaseForm):
    reason = TextAreaField(
        _l("Alasan penolakan"),
        description=_l("Alasan ini dikirim kepada peserta."),
        validators=[DataRequired(), Length(max=REASON_MAX_LENGTH)],
        render_kw={"maxlength": REASON_MAX_LENGTH, "rows": 2},
    )


def _status_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("Semua status"))] + [
        SelectChoice(status.value, label) for status, label in STATUS_LABELS.items()
    ]


def _province_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("Semua provinsi"))] + [
        SelectChoice(region.code, region.name) for region in list_provinces()
    ]


def _institution_type_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("Semua jenis instansi"))] + [
        SelectChoice(kind.value, label) for kind, label in INSTITUTION_TYPE_LABELS.items()
    ]


class FilterFields:
    """Status, province and institution type: the filters of the list, exports and group email."""

    status = SelectField(
        _l("Status"),
        choices=_status_choices,
        validators=[Optional()],
        invalid_choice_message=INVALID_CHOICE,
    )
    province = SelectField(
        _l("Provinsi"),
        choices=_province_choices,
        validators=[Optional()],
        invalid_choice_message=INVALID_CHOICE,
    )
    institution_type = SelectField(
        _l("Jenis instansi"),
        choices=_institution_type_choices,
        validators=[Optional()],
        invalid_choice_message=INVALID_CHOICE,
    )

    @property
    def filters(self) -> RegistrantFilters:
        return RegistrantFilters(
            status=RegistrationStatus(self.status.data) if self.status.data else None,
            province_code=self.province.data or None,
            institution_type=(
                InstitutionType(self.institution_type.data) if self.institution_type.data else None
            ),
        )


class RegistrantFilterForm(FilterFields, BaseForm):
    """The filters above the registrant list: a GET form, so no CSRF token."""

    class Meta:
        csrf = False


class GroupEmailForm(FilterFields, BaseForm):
    subject = StringField(
        _l("Subjek"),
        validators=[DataRequired(), Length(max=SUBJECT_MAX_LENGTH)],
        render_kw={"maxlength": SUBJECT_MAX_LENGTH},
    )
    message = TextAreaField(
        _l("Pesan"),
        description=_l("Pisahkan paragraf dengan satu baris kosong."),
        validators=[DataRequired(), Length(max=MESSAGE_MAX_LENGTH)],
        render_kw={"maxlength": MESSAGE_MAX_LENGTH, "rows": 10},
    )
