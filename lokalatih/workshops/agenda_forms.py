"""Organizer forms for the agenda (sessions and their order) and the seat quotas."""

from __future__ import annotations

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import DateTimeLocalField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, ValidationError

from .. import lessonhours
from ..forms import DATETIME_FORMATS, INVALID_CHOICE, INVALID_DATETIME, BaseForm
from ..labels import INSTITUTION_TYPE_LABELS
from ..models import InstitutionType, QuotaKind, WorkshopTimezone
from ..regions import list_provinces
from ..theme_tags import ThemesField
from . import agenda, services, timefmt
from .forms import length_limit, squeeze


class SessionForm(BaseForm):
    title = StringField(
        _l("Judul sesi"),
        filters=[squeeze],
        validators=[DataRequired(_l("Judul sesi wajib diisi.")), length_limit(services.TITLE_MAX)],
        render_kw={"maxlength": services.TITLE_MAX},
    )
    speakers = StringField(
        _l("Narasumber"),
        description=_l("Pisahkan dengan koma."),
        validators=[length_limit(agenda.SPEAKERS_MAX)],
        render_kw={"maxlength": agenda.SPEAKERS_MAX},
    )
    starts_at = DateTimeLocalField(
        _l("Waktu mulai"),
        validators=[InputRequired(_l("Waktu mulai wajib diisi."))],
        format=DATETIME_FORMATS,
        invalid_value_message=INVALID_DATETIME,
    )
    ends_at = DateTimeLocalField(
        _l("Waktu selesai"),
        validators=[InputRequired(_l("Waktu selesai wajib diisi."))],
        format=DATETIME_FORMATS,
        invalid_value_message=INVALID_DATETIME,
    )
    place = StringField(
        _l("Tempat atau tautan"),
        description=_l(
            "Ruangan, atau tautan khusus sesi ini. "
            "Tautan hanya ditampilkan kepada peserta terkonfirmasi."
        ),
        validators=[length_limit(agenda.PLACE_MAX)],
        render_kw={"maxlength": agenda.PLACE_MAX},
    )
    jp = StringField(
        _l("Jam pelajaran (JP)"),
        description=_l(
            "Kosongkan untuk memakai lama sesi dibagi 45 menit, dibulatkan ke bawah "
            "ke setengah JP. Tulis misalnya 2 atau 1,5."
        ),
        render_kw={"inputmode": "decimal", "maxlength": 5},
    )

    themes = ThemesField(
        description=_l("Tema Kabupaten/Kota Peduli HAM yang dibahas sesi ini (opsional).")
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.themes.fill_choices()

    def validate_jp(self, field) -> None:
        text = (field.data or "").strip().replace(",", ".")
        if not text:
            return
        try:
            doubled = float(text) * 2
        except ValueError:
            raise ValidationError(
                _l("Tulis jam pelajaran sebagai angka, misalnya 2 atau 1,5.")
            ) from None
        if doubled != int(doubled) or not 0 <= doubled <= 2 * lessonhours.MAX_SESSION_JP:
            raise ValidationError(
                _l(
                    "Jam pelajaran sesi antara 0 dan %(max)s JP, kelipatan setengah.",
                    max=lessonhours.MAX_SESSION_JP,
                )
            )

    def jp_halves(self) -> int | None:
        text = (self.jp.data or "").strip()
        return lessonhours.halves_from_jp(text) if text else None

    def session_data(self, timezone: WorkshopTimezone) -> agenda.SessionData:
        return agenda.SessionData(
            title=self.title.data,
            speakers=(self.speakers.data or "").strip(),
            starts_at=timefmt.to_utc(self.starts_at.data, timezone),
            ends_at=timefmt.to_utc(self.ends_at.data, timezone),
            place=(self.place.data or "").strip() or None,
            jp_halves=self.jp_halves(),
            theme_ids=list(self.themes.data or []),
        )


def session_form_values(session) -> dict:
    timezone = session.workshop.timezone
    return {
        "title": session.title,
        "speakers": session.speakers,
        "starts_at": timefmt.to_wall_clock(session.starts_at, timezone),
        "ends_at": timefmt.to_wall_clock(session.ends_at, timezone),
        "place": session.place,
        "jp": (
            lessonhours.format_jp(session.jp_halves, get_locale())
            if session.jp_halves is not None
            else ""
        ),
        "themes": [theme.id for theme in session.themes],
    }


QUOTA_KIND_LABELS = {
    QuotaKind.INSTITUTION_TYPE: _l("Jenis instansi"),
    QuotaKind.PROVINCE: _l("Provinsi"),
}


def _quota_group_choices() -> list[SelectChoice]:
    institution = [
        SelectChoice(
            f"{QuotaKind.INSTITUTION_TYPE.value}:{kind.value}",
            label,
            optgroup=str(QUOTA_KIND_LABELS[QuotaKind.INSTITUTION_TYPE]),
        )
        for kind, label in INSTITUTION_TYPE_LABELS.items()
    ]
    provinces = [
        SelectChoice(
            f"{QuotaKind.PROVINCE.value}:{region.code}",
            region.name,
            optgroup=str(QUOTA_KIND_LABELS[QuotaKind.PROVINCE]),
        )
        for region in list_provinces()
    ]
    return [SelectChoice("", _l("Pilih kelompok"))] + institution + provinces


class QuotaForm(BaseForm):
    group = SelectField(
        _l("Kelompok"),
        choices=_quota_group_choices,
        validators=[InputRequired(_l("Pilih kelompok yang mendapat kuota."))],
        invalid_choice_message=INVALID_CHOICE,
    )
    seats = IntegerField(
        _l("Jumlah kursi"),
        validators=[InputRequired(_l("Jumlah kursi wajib diisi."))],
        invalid_value_message=_l("Tulis jumlah kursi sebagai bilangan bulat, misalnya 5."),
        render_kw={"min": 1, "inputmode": "numeric"},
    )

    def validate_group(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Pilih kelompok yang mendapat kuota."))

    def validate_seats(self, field) -> None:
        if field.data is not None and field.data < 1:
            raise ValidationError(_l("Jumlah kursi paling sedikit 1."))

    def quota_data(self) -> agenda.QuotaData:
        kind, value = self.group.data.split(":", 1)
        return agenda.QuotaData(kind=QuotaKind(kind), value=value, seats=self.seats.data)


def quota_group_label(kind: QuotaKind, value: str, province_names: dict[str, str]) -> str:
    if kind == QuotaKind.INSTITUTION_TYPE:
        return str(INSTITUTION_TYPE_LABELS.get(InstitutionType(value), value))
    return province_names.get(value, value)


class MoveForm(BaseForm):
    direction = SelectField(
        choices=[SelectChoice("up", "up"), SelectChoice("down", "down")],
        invalid_choice_message=INVALID_CHOICE,
    )
