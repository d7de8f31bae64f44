"""The dashboard's filter form (GET parameters, no CSRF: it changes nothing)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Optional

from ..forms import BaseForm
from ..labels import GENDER_LABELS, INSTITUTION_TYPE_LABELS
from ..models import Gender, InstitutionType
from ..regions import list_provinces, list_regencies
from . import services
from .figures import Filters


def _any() -> SelectChoice:
    return SelectChoice("", _l("Semua"))


class FilterForm(BaseForm):
    class Meta:
        csrf = False

    date_from = DateField(_l("Mulai tanggal"), validators=[Optional()])
    date_to = DateField(_l("Sampai tanggal"), validators=[Optional()])
    province = SelectField(_l("Provinsi"), validators=[Optional()])
    regency = SelectField(_l("Kabupaten/kota"), validators=[Optional()])
    institution_type = SelectField(_l("Jenis instansi"), validators=[Optional()])
    gender = SelectField(_l("Jenis kelamin"), validators=[Optional()])
    organizer = SelectField(_l("Penyelenggara"), validators=[Optional()])
    topic = SelectField(_l("Topik"), validators=[Optional()])

    def fill_choices(self, *, with_organizers: bool) -> None:
        self.province.choices = [_any()] + [
            SelectChoice(r.code, f"{r.code} {r.name}") for r in list_provinces()
        ]
        regencies = list_regencies(self.province.data) if self.province.data else []
        self.regency.choices = [_any()] + [
            SelectChoice(r.code, f"{r.code} {r.name}") for r in regencies
        ]
        self.institution_type.choices = [_any()] + [
            SelectChoice(t.value, INSTITUTION_TYPE_LABELS[t]) for t in InstitutionType
        ]
        self.gender.choices = [_any()] + [SelectChoice(g.value, GENDER_LABELS[g]) for g in Gender]
        self.topic.choices = [_any()] + [SelectChoice(t, t) for t in services.topic_choices()]
        organizers = services.organizer_choices() if with_organizers else []
        self.organizer.choices = [_any()] + [
            SelectChoice(str(user_id), label) for user_id, label in organizers
        ]

    def filters(self) -> Filters:
        """The valid filters; an unknown value (e.g. a stale link) is ignored, not an error."""
        return Filters(
            date_from=self.date_from.data,
            date_to=self.date_to.data,
            province=self._choice(self.province),
            regency=self._choice(self.regency),
            institution_type=_enum(InstitutionType, self._choice(self.institution_type)),
            gender=_enum(Gender, self._choice(self.gender)),
            organizer_id=int(value) if (value := self._choice(self.organizer)) else None,
            topic=self._choice(self.topic),
        )

    def _choice(self, field) -> str | None:
        if not field.data:
            return None
        allowed = {choice.value for choice in field.choices}
        return field.data if field.data in allowed else None


def _enum(enum_cls, value: str | None):
    return enum_cls(value) if value else None
