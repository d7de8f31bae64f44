"""Forms of the registration pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..forms import INVALID_CHOICE, BaseForm
from ..labels import INSTITUTION_TYPE_LABELS
from ..models import InstitutionType, RegistrationStatus
from ..regions import list_provinces
from .registrants import SEARCH_MAX_LENGTH, STATUS_LABELS, RegistrantFilters, clean_search

REASON_MAX_LENGTH = 500
NAME_MAX_LENGTH = 150  # Profile.full_name
EMAIL_MAX_LENGTH = 254
MAX_SELECTED = 200  # a page shows 50; more is not a person ticking boxes
SUBJECT_MAX_LENGTH = 150
MESSAGE_MAX_LENGTH = 5000


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


def parse_ids(values: list[str]) -> list[int]:
    return [int(value) for value in values if value.isdigit() and len(value) < 10]


class IdsField(SelectMultipleField):
    """Registration ids ticked in the list (or carried along); anything not a number is
    dropped, so a mangled value selects nothing instead of failing the form."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, validate_choice=False, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = parse_ids(valuelist)

    def pre_validate(self, form) -> None:
        if len(self.data or []) > MAX_SELECTED:
            raise ValidationError(
                _l("Pilih paling banyak %(count)s pendaftar sekaligus.", count=MAX_SELECTED)
            )


class FilterFields:
    """Status, province, institution type and a search: the filters of the list, exports and
    group email."""

    q = StringField(
        _l("Cari nama, email, atau instansi"),
        filters=[clean_search],
        render_kw={"maxlength": SEARCH_MAX_LENGTH, "type": "search"},
    )

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
            search=self.q.data,
        )


class RegistrantFilterForm(FilterFields, BaseForm):
    """The filters above the registrant list: a GET form, so no CSRF token."""

    class Meta:
        csrf = False


class GroupEmailForm(FilterFields, BaseForm):
    # The registrants ticked in the list ("email the selected"); empty: the filters choose.
    ids = IdsField()
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


BULK_ACTIONS = {
    "approve": _l("Setujui yang dipilih"),
    "promote": _l("Naikkan yang dipilih dari daftar tunggu"),
    "reject": _l("Tolak yang dipilih…"),
    "email": _l("Kirim email ke yang dipilih"),
}


class BulkActionForm(BaseForm):
    """The ticked rows and what to do with them. `all_on_page` stands for every row of the page
    shown (`page_ids`), so "select all" works without JavaScript."""

    ids = IdsField()
    page_ids = IdsField()
    all_on_page = BooleanField(_l("Pilih semua di halaman ini"))
    action = SelectField(
        _l("Tindakan untuk yang dipilih"),
        choices=lambda: [SelectChoice(key, label) for key, label in BULK_ACTIONS.items()],
        invalid_choice_message=INVALID_CHOICE,
    )
    # Asked on the confirmation page, only for "reject".
    reason = TextAreaField(
        _l("Alasan penolakan"),
        description=_l("Alasan yang sama dikirim kepada setiap peserta yang dipilih."),
        validators=[Optional(), Length(max=REASON_MAX_LENGTH)],
        render_kw={"maxlength": REASON_MAX_LENGTH, "rows": 3},
    )
    confirmed = BooleanField()

    @property
    def selected(self) -> list[int]:
        chosen = self.page_ids.data if self.all_on_page.data else self.ids.data
        return list(dict.fromkeys(chosen or []))


class WalkInForm(BaseForm):
    email = EmailField(
        _l("Alamat email peserta"),
        validators=[DataRequired(), Length(max=EMAIL_MAX_LENGTH)],
        render_kw={"maxlength": EMAIL_MAX_LENGTH, "autocomplete": "off"},
    )
    name = StringField(
        _l("Nama (tidak wajib)"),
        filters=[lambda value: " ".join(value.split()) if value else value],
        validators=[Optional(), Length(max=NAME_MAX_LENGTH)],
        render_kw={"maxlength": NAME_MAX_LENGTH, "autocomplete": "off"},
    )
    # Set by the "put on the waitlist" button offered when the workshop is full.
    waitlist = BooleanField()
