from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from ..forms import INVALID_CHOICE, BaseForm
from ..labels import GENDER_LABELS, INSTITUTION_TYPE_LABELS
from ..models import Gender, InstitutionType
from ..regions import list_provinces, list_regencies
from . import services
from .errors import ProfileError


def _gender_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("Pilih jenis kelamin"))] + [
        SelectChoice(gender.value, label) for gender, label in GENDER_LABELS.items()
    ]


def _institution_type_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("Pilih jenis instansi"))] + [
        SelectChoice(kind.value, label) for kind, label in INSTITUTION_TYPE_LABELS.items()
    ]


def _province_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("Pilih provinsi"))] + [
        SelectChoice(region.code, region.name) for region in list_provinces()
    ]


def regency_choices(province_code: str | None) -> list[SelectChoice]:
    """The kabupaten/kota of one province only; none until a province is chosen."""
    province = services.get_province(province_code)
    if province is None:
        return [SelectChoice("", _l("Pilih provinsi terlebih dahulu"))]
    return [SelectChoice("", _l("Pilih kabupaten/kota"))] + [
        SelectChoice(region.code, region.name) for region in list_regencies(province.code)
    ]


class OptionalSelectField(SelectField):
    """A select whose first option is empty: a missing or empty value means "not chosen yet"."""

    def process_data(self, value) -> None:
        super().process_data(value)
        if self.data is None:
            self.data = ""


def _check(field, cleaner) -> None:
    """Run a service cleaner; its error becomes the field's message, its result the data."""
    try:
        field.data = cleaner(field.data)
    except ProfileError as error:
        raise ValidationError(str(error.message)) from None


class ProfileForm(BaseForm):
    full_name = StringField(
        _l("Nama untuk sertifikat"),
        description=_l(
            "Tulis persis seperti yang harus tercetak di sertifikat, termasuk gelar, misalnya "
            "Dr. Siti Rahmawati, S.H., M.H."
        ),
        render_kw={"maxlength": services.NAME_MAX_LENGTH, "autocomplete": "name"},
    )
    gender = OptionalSelectField(
        _l("Jenis kelamin"), choices=_gender_choices, invalid_choice_message=INVALID_CHOICE
    )
    institution_type = OptionalSelectField(
        _l("Jenis instansi"),
        choices=_institution_type_choices,
        invalid_choice_message=INVALID_CHOICE,
    )
    institution_name = StringField(
        _l("Nama instansi"),
        description=_l("Misalnya Dinas Sosial Kota Palu atau LBH Jakarta."),
        render_kw={
            "maxlength": services.INSTITUTION_NAME_MAX_LENGTH,
            "autocomplete": "organization",
        },
    )
    position = StringField(
        _l("Jabatan"),
        render_kw={"maxlength": services.POSITION_MAX_LENGTH, "autocomplete": "organization-title"},
    )
    phone = StringField(
        _l("Nomor telepon"),
        description=_l("Nomor ponsel atau telepon kantor, misalnya 0812-3456-7890."),
        render_kw={"maxlength": 32, "inputmode": "tel"},
    )
    province_code = OptionalSelectField(
        _l("Provinsi"), choices=_province_choices, invalid_choice_message=INVALID_CHOICE
    )
    # Checked against the province in validate_regency_code, with a message that says why.
    regency_code = OptionalSelectField(_l("Kabupaten/kota"), validate_choice=False)
    choose_province = SubmitField(_l("Tampilkan kabupaten/kota"))
    save = SubmitField(_l("Simpan profil"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.regency_code.choices = regency_choices(self.province_code.data)

    def keep_regency_only_if_in_province(self) -> None:
        """After a province change without saving: drop a kabupaten/kota from another province."""
        offered = {choice.value for choice in self.regency_code.choices}
        if self.regency_code.data not in offered:
            self.regency_code.data = ""

    def validate_full_name(self, field) -> None:
        _check(field, services.clean_full_name)

    def validate_institution_name(self, field) -> None:
        _check(field, services.clean_text)
        if field.data and len(field.data) > services.INSTITUTION_NAME_MAX_LENGTH:
            raise ValidationError(_l("Nama instansi paling banyak 200 karakter."))

    def validate_position(self, field) -> None:
        _check(field, services.clean_text)
        if field.data and len(field.data) > services.POSITION_MAX_LENGTH:
            raise ValidationError(_l("Jabatan paling banyak 150 karakter."))

    def validate_phone(self, field) -> None:
        _check(field, services.normalize_phone)

    def validate_regency_code(self, field) -> None:
        if self.province_code.errors:
            return
        try:
            services.check_region(self.province_code.data or None, field.data or None)
        except ProfileError as error:
            raise ValidationError(str(error.message)) from None

    def profile_data(self) -> services.ProfileData:
        return services.ProfileData(
            full_name=self.full_name.data or None,
            gender=Gender(self.gender.data) if self.gender.data else None,
            institution_type=(
                InstitutionType(self.institution_type.data) if self.institution_type.data else None
            ),
            institution_name=self.institution_name.data or None,
            position=self.position.data or None,
            phone=self.phone.data or None,
            province_code=self.province_code.data or None,
            regency_code=self.regency_code.data or None,
        )
