"""Organizer forms for a workshop and its status, and the catalogue's filters."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ..forms import DATETIME_FORMATS, INVALID_CHOICE, INVALID_DATETIME, BaseForm
from ..models import Region, WorkshopMode, WorkshopTimezone
from ..overrides import OVERRIDE_REASON_MAX
from ..regions import list_provinces
from ..theme_tags import ThemesField
from . import labels, queries, services, states, timefmt
from .errors import WorkshopError

INVALID_DATE = _l("Tulis tanggal dengan format TTTT-BB-HH, misalnya 2026-12-07.")


def _mode_choices() -> list[SelectChoice]:
    return [SelectChoice(mode.value, label) for mode, label in labels.MODE_LABELS.items()]


def _timezone_choices() -> list[SelectChoice]:
    return [SelectChoice(tz.name, timefmt.timezone_label(tz)) for tz in WorkshopTimezone]


def _province_choices(empty_label) -> list[SelectChoice]:
    return [SelectChoice("", empty_label)] + [
        SelectChoice(region.code, region.name) for region in list_provinces()
    ]


class CommaListField(StringField):
    """Typed as 'a, b, c'; cleaned into a list; shown again as 'a, b, c' (never as a list repr)."""

    def _value(self) -> str:
        if isinstance(self.data, list | tuple):
            return ", ".join(self.data)
        return super()._value()


def length_limit(limit: int):
    return Length(max=limit, message=_l("Paling panjang %(max)d karakter.", max=limit))


def squeeze(value: str | None) -> str | None:
    """Surrounding and repeated spaces removed: '  Loka   Latih ' -> 'Loka Latih'."""
    return " ".join(value.split()) if isinstance(value, str) else value


def _clean(field, cleaner) -> None:
    """Run a service cleaner: its error becomes the field's message, its result the data."""
    try:
        field.data = cleaner(field.data)
    except WorkshopError as error:
        raise ValidationError(str(error.message)) from None


class WorkshopForm(BaseForm):
    title = StringField(
        _l("Judul"),
        filters=[squeeze],
        validators=[DataRequired(_l("Judul wajib diisi.")), length_limit(services.TITLE_MAX)],
        render_kw={"maxlength": services.TITLE_MAX},
    )
    summary = TextAreaField(
        _l("Ringkasan"),
        description=_l("Satu atau dua kalimat yang tampil di katalog."),
        validators=[length_limit(services.SUMMARY_MAX)],
        render_kw={"maxlength": services.SUMMARY_MAX, "rows": 3},
    )
    description = TextAreaField(
        _l("Deskripsi"),
        description=_l(
            "Boleh memakai Markdown: **tebal**, *miring*, daftar dengan tanda -, [tautan](https://...)."
        ),
        validators=[length_limit(services.DESCRIPTION_MAX)],
        render_kw={"rows": 12},
    )
    topics = CommaListField(
        _l("Topik"),
        description=_l("Pisahkan dengan koma, paling banyak 10, misalnya: kkpham, duham, sdg 11."),
    )
    themes = ThemesField()
    partners = StringField(
        _l("Mitra penyelenggara"),
        description=_l("Pisahkan dengan koma, misalnya: INFID, Komnas HAM."),
        validators=[length_limit(services.PARTNERS_MAX)],
        render_kw={"maxlength": services.PARTNERS_MAX},
    )
    target_audience = TextAreaField(
        _l("Sasaran peserta"),
        description=_l("Misalnya: aparatur OPD, anggota DPRD, dan aktivis masyarakat sipil."),
        validators=[length_limit(services.AUDIENCE_MAX)],
        render_kw={"rows": 3},
    )
    mode = SelectField(
        _l("Bentuk kegiatan"), choices=_mode_choices, invalid_choice_message=INVALID_CHOICE
    )
    venue = StringField(
        _l("Alamat tempat"),
        description=_l("Wajib untuk kegiatan luring dan hibrida."),
        validators=[length_limit(services.VENUE_MAX)],
        render_kw={"maxlength": services.VENUE_MAX},
    )
    meeting_url = StringField(
        _l("Tautan pertemuan daring"),
        description=_l(
            "Wajib untuk kegiatan daring dan hibrida. "
            "Hanya ditampilkan kepada peserta terkonfirmasi."
        ),
        validators=[length_limit(services.MEETING_URL_MAX)],
        render_kw={"maxlength": services.MEETING_URL_MAX, "inputmode": "url"},
    )
    province_code = SelectField(
        _l("Provinsi"),
        choices=lambda: _province_choices(_l("Tidak terikat provinsi")),
        default="",
        invalid_choice_message=INVALID_CHOICE,
    )
    timezone = SelectField(
        _l("Zona waktu"),
        choices=_timezone_choices,
        default=WorkshopTimezone.WIB.name,
        invalid_choice_message=INVALID_CHOICE,
    )
    start_date = DateField(
        _l("Tanggal mulai"),
        validators=[InputRequired(_l("Tanggal mulai wajib diisi."))],
        invalid_value_message=INVALID_DATE,
    )
    end_date = DateField(
        _l("Tanggal selesai"),
        validators=[InputRequired(_l("Tanggal selesai wajib diisi."))],
        invalid_value_message=INVALID_DATE,
    )
    registration_opens_at = DateTimeLocalField(
        _l("Pendaftaran dibuka pada"),
        description=_l("Kosongkan agar pendaftaran dibuka saat loka latih diterbitkan."),
        format=DATETIME_FORMATS,
        validators=[Optional()],  # a browser sends an empty string for an empty field
        invalid_value_message=INVALID_DATETIME,
    )
    registration_closes_at = DateTimeLocalField(
        _l("Pendaftaran ditutup pada"),
        description=_l("Kosongkan agar pendaftaran ditutup saat sesi pertama dimulai."),
        format=DATETIME_FORMATS,
        validators=[Optional()],  # a browser sends an empty string for an empty field
        invalid_value_message=INVALID_DATETIME,
    )
    capacity = IntegerField(
        _l("Kapasitas (jumlah kursi)"),
        validators=[InputRequired(_l("Kapasitas wajib diisi."))],
        invalid_value_message=_l("Tulis kapasitas sebagai bilangan bulat, misalnya 40."),
        render_kw={"min": 1, "max": services.CAPACITY_MAX, "inputmode": "numeric"},
    )
    requires_approval = BooleanField(_l("Pendaftaran perlu disetujui penyelenggara"))
    waitlist_enabled = BooleanField(_l("Aktifkan daftar tunggu saat kursi penuh"), default=True)
    follow_up_days = IntegerField(
        _l("Tindak lanjut rencana aksi (hari setelah sesi terakhir)"),
        default=services.FOLLOW_UP_DAYS_DEFAULT,
        validators=[
            Optional(),  # left out: the default
            NumberRange(
                services.FOLLOW_UP_DAYS_MIN,
                services.FOLLOW_UP_DAYS_MAX,
                _l(
                    "Antara %(min)s dan %(max)s hari.",
                    min=services.FOLLOW_UP_DAYS_MIN,
                    max=services.FOLLOW_UP_DAYS_MAX,
                ),
            ),
        ],
        invalid_value_message=_l("Tulis jumlah hari sebagai bilangan bulat, misalnya 90."),
        render_kw={
            "min": services.FOLLOW_UP_DAYS_MIN,
            "max": services.FOLLOW_UP_DAYS_MAX,
            "inputmode": "numeric",
        },
    )

    def validate_topics(self, field) -> None:
        _clean(field, services.clean_topics)

    def validate_partners(self, field) -> None:
        _clean(field, services.clean_partners)

    def validate_meeting_url(self, field) -> None:
        _clean(field, services.clean_meeting_url)

    def validate_capacity(self, field) -> None:
        if field.data is not None and not 1 <= field.data <= services.CAPACITY_MAX:
            raise ValidationError(
                _(
                    "Kapasitas harus antara 1 dan %(max)s kursi.",
                    max=format_decimal(services.CAPACITY_MAX),
                )
            )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return self._check_together() and valid

    def _check_together(self) -> bool:
        """Checks that involve several fields, each message on the field to correct."""
        modes = {mode.value: mode for mode in WorkshopMode}
        mode = modes.get(self.mode.data)
        if mode and states.needs_venue(mode) and not (self.venue.data or "").strip():
            self.venue.errors.append(
                _l("Alamat tempat wajib diisi untuk kegiatan luring dan hibrida.")
            )
        url_missing = not self.meeting_url.errors and not (self.meeting_url.data or "").strip()
        if mode and states.needs_meeting_url(mode) and url_missing:
            self.meeting_url.errors.append(
                _l("Tautan pertemuan wajib diisi untuk kegiatan daring dan hibrida.")
            )
        start, end = self.start_date.data, self.end_date.data
        if start and end and end < start:
            self.end_date.errors.append(_l("Tanggal selesai tidak boleh sebelum tanggal mulai."))
        opens, closes = self.registration_opens_at.data, self.registration_closes_at.data
        if opens and closes and opens >= closes:
            self.registration_closes_at.errors.append(
                _l("Pendaftaran harus ditutup setelah waktu dibuka.")
            )
        if closes and end and closes >= datetime.combine(end + timedelta(days=1), time()):
            self.registration_closes_at.errors.append(
                _l("Pendaftaran harus ditutup paling lambat pada tanggal selesai loka latih.")
            )
        return not any(field.errors for field in self)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.themes.fill_choices()

    def workshop_data(self) -> services.WorkshopData:
        timezone = WorkshopTimezone[self.timezone.data]
        return services.WorkshopData(
            title=self.title.data,
            summary=(self.summary.data or "").strip(),
            description=(self.description.data or "").strip(),
            topics=self.topics.data or [],
            partners=self.partners.data or "",
            target_audience=(self.target_audience.data or "").strip(),
            mode=WorkshopMode(self.mode.data),
            venue=(self.venue.data or "").strip() or None,
            meeting_url=self.meeting_url.data or None,
            province_code=self.province_code.data or None,
            timezone=timezone,
            start_date=self.start_date.data,
            end_date=self.end_date.data,
            registration_opens_at=_utc(self.registration_opens_at.data, timezone),
            registration_closes_at=_utc(self.registration_closes_at.data, timezone),
            capacity=self.capacity.data,
            requires_approval=self.requires_approval.data,
            waitlist_enabled=self.waitlist_enabled.data,
            follow_up_days=self.follow_up_days.data or services.FOLLOW_UP_DAYS_DEFAULT,
            theme_ids=list(self.themes.data or []),
        )


class EditWorkshopForm(WorkshopForm):
    co_organizer_email = StringField(
        _l("Tambah penyelenggara lain (email)"),
        description=_l("Opsional: email pengguna yang sudah berperan penyelenggara."),
        validators=[length_limit(254)],
        render_kw={"autocomplete": "off", "inputmode": "email"},
    )


def _utc(local: datetime | None, timezone: WorkshopTimezone) -> datetime | None:
    return timefmt.to_utc(local, timezone) if local is not None else None


def workshop_form_values(workshop) -> dict:
    """The stored workshop as form values (times as the wall clock of its zone)."""
    return {
        "title": workshop.title,
        "summary": workshop.summary,
        "description": workshop.description,
        "topics": ", ".join(workshop.topic_tags),
        "themes": [theme.id for theme in workshop.themes],
        "partners": workshop.partners,
        "target_audience": workshop.target_audience,
        "mode": workshop.mode.value,
        "venue": workshop.venue,
        "meeting_url": workshop.meeting_url,
        "province_code": workshop.province_code or "",
        "timezone": workshop.timezone.name,
        "start_date": workshop.start_date,
        "end_date": workshop.end_date,
        "registration_opens_at": timefmt.to_wall_clock(
            workshop.registration_opens_at, workshop.timezone
        ),
        "registration_closes_at": timefmt.to_wall_clock(
            workshop.registration_closes_at, workshop.timezone
        ),
        "capacity": workshop.capacity,
        "requires_approval": workshop.requires_approval,
        "waitlist_enabled": workshop.waitlist_enabled,
        "follow_up_days": workshop.follow_up_days,
    }


class TransitionForm(BaseForm):
    to = StringField(validators=[InputRequired()])
    reason = TextAreaField(
        _l("Alasan pembatalan"),
        description=_l("Wajib untuk pembatalan; dikirim kepada semua pendaftar."),
        validators=[length_limit(services.CANCEL_REASON_MAX)],
        render_kw={"rows": 3, "maxlength": services.CANCEL_REASON_MAX},
    )
    # Shown only while completing would cut the last session short; the service requires it then.
    override_reason = TextAreaField(
        _l("Alasan menandai selesai sebelum sesi terakhir berakhir"),
        description=_l("Wajib; dicatat di log audit."),
        validators=[length_limit(OVERRIDE_REASON_MAX)],
        render_kw={"rows": 2, "maxlength": OVERRIDE_REASON_MAX},
    )


class CatalogueFilterForm(BaseForm):
    class Meta:
        csrf = False

    mode = SelectField(
        _l("Bentuk kegiatan"),
        choices=lambda: [SelectChoice("", _l("Semua bentuk"))] + _mode_choices(),
        default="",
        validators=[Optional()],
        invalid_choice_message=INVALID_CHOICE,
    )
    provinsi = SelectField(
        _l("Provinsi"),
        default="",
        validators=[Optional()],
        invalid_choice_message=INVALID_CHOICE,
    )
    topik = SelectField(
        _l("Topik"), default="", validators=[Optional()], invalid_choice_message=INVALID_CHOICE
    )

    def __init__(self, *args, topics: list[str], provinces: list[Region], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.provinsi.choices = [SelectChoice("", _l("Semua provinsi"))] + [
            SelectChoice(region.code, region.name) for region in provinces
        ]
        self.topik.choices = [SelectChoice("", _l("Semua topik"))] + [
            SelectChoice(tag, tag) for tag in topics
        ]

    def filters(self, past: bool) -> queries.CatalogueFilters:
        def valid(field) -> str | None:
            return None if field.errors else (field.data or None)

        mode = valid(self.mode)
        return queries.CatalogueFilters(
            mode=WorkshopMode(mode) if mode else None,
            province_code=valid(self.provinsi),
            topic=valid(self.topik),
            past=past,
        )
