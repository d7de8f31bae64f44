"""Forms of the survey's setup. The participant's answers are read by item key (see routes)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..forms import DATETIME_FORMATS, INVALID_DATETIME, BaseForm
from ..models import EvaluationItemKind, WorkshopTimezone
from ..workshops.timefmt import to_utc, to_wall_clock
from .items import KIND_LABELS


class WindowForm(BaseForm):
    opens_at = DateTimeLocalField(
        _l("Evaluasi dibuka"),
        format=DATETIME_FORMATS,
        validators=[Optional()],
        invalid_value_message=INVALID_DATETIME,
    )
    closes_at = DateTimeLocalField(
        _l("Evaluasi ditutup"),
        format=DATETIME_FORMATS,
        validators=[Optional()],
        invalid_value_message=INVALID_DATETIME,
    )

    def times(self, timezone: WorkshopTimezone) -> tuple[datetime | None, datetime | None]:
        """The wall-clock times in the workshop's zone as UTC; empty keeps the default."""
        return (
            to_utc(self.opens_at.data, timezone) if self.opens_at.data else None,
            to_utc(self.closes_at.data, timezone) if self.closes_at.data else None,
        )


def window_values(settings, timezone: WorkshopTimezone) -> dict:
    if settings is None:
        return {}
    return {
        "opens_at": to_wall_clock(settings.opens_at, timezone),
        "closes_at": to_wall_clock(settings.closes_at, timezone),
    }


class ItemForm(BaseForm):
    kind = SelectField(
        _l("Jenis butir"),
        choices=[SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()],
        validators=[InputRequired()],
    )
    text = StringField(
        _l("Pernyataan atau pertanyaan"),
        validators=[
            DataRequired(_l("Tulis pernyataan atau pertanyaannya.")),
            Length(max=300, message=_l("Paling panjang %(max)d karakter.", max=300)),
        ],
        render_kw={"maxlength": 300},
    )
    choices = TextAreaField(
        _l("Pilihan (satu per baris, khusus pilihan tunggal)"),
        validators=[Length(max=1000, message=_l("Paling panjang %(max)d karakter.", max=1000))],
        render_kw={"rows": 4},
    )

    @property
    def item_kind(self) -> EvaluationItemKind:
        return EvaluationItemKind(self.kind.data)

    @property
    def choice_lines(self) -> list[str]:
        return (self.choices.data or "").splitlines()


class DeleteItemForm(BaseForm):
    item_id = IntegerField(validators=[InputRequired()])
