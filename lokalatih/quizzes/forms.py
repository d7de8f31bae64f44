"""Forms of the quiz setup and of the attempt pages (the answers themselves are read by name)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..forms import DATETIME_FORMATS, INVALID_DATETIME, BaseForm
from ..models import WorkshopTimezone
from ..workshops.timefmt import to_utc, to_wall_clock
from .services import DRAW_MAX, TIME_LIMIT_MAX, TIME_LIMIT_MIN, QuizSettings


class QuizSettingsForm(BaseForm):
    title = StringField(
        _l("Judul tes"),
        validators=[
            DataRequired(_l("Judul tes wajib diisi.")),
            Length(max=200, message=_l("Paling panjang %(max)d karakter.", max=200)),
        ],
        render_kw={"maxlength": 200},
    )
    time_limit_minutes = IntegerField(
        _l("Batas waktu (menit)"),
        default=20,
        validators=[
            InputRequired(_l("Batas waktu wajib diisi.")),
            NumberRange(
                TIME_LIMIT_MIN,
                TIME_LIMIT_MAX,
                _l(
                    "Batas waktu antara %(min)s dan %(max)s menit.",
                    min=TIME_LIMIT_MIN,
                    max=TIME_LIMIT_MAX,
                ),
            ),
        ],
        invalid_value_message=_l("Tulis batas waktu sebagai bilangan bulat, misalnya 20."),
        render_kw={"min": TIME_LIMIT_MIN, "max": TIME_LIMIT_MAX, "inputmode": "numeric"},
    )
    opens_at = DateTimeLocalField(
        _l("Tes dibuka"),
        format=DATETIME_FORMATS,
        validators=[Optional()],
        invalid_value_message=INVALID_DATETIME,
    )
    closes_at = DateTimeLocalField(
        _l("Tes ditutup"),
        format=DATETIME_FORMATS,
        validators=[Optional()],
        invalid_value_message=INVALID_DATETIME,
    )
    shuffle_questions = BooleanField(_l("Acak urutan soal untuk setiap peserta"), default=True)
    shuffle_choices = BooleanField(_l("Acak urutan pilihan jawaban"), default=True)
    show_answers_after_close = BooleanField(
        _l("Tampilkan kunci jawaban dan pembahasan kepada peserta setelah tes ditutup"),
        default=True,
    )

    def settings(self, timezone: WorkshopTimezone) -> QuizSettings:
        """The values, with the wall-clock times in the workshop's zone turned into UTC."""
        return QuizSettings(
            title=" ".join(self.title.data.split()),
            time_limit_minutes=self.time_limit_minutes.data,
            opens_at=to_utc(self.opens_at.data, timezone) if self.opens_at.data else None,
            closes_at=to_utc(self.closes_at.data, timezone) if self.closes_at.data else None,
            shuffle_questions=self.shuffle_questions.data,
            shuffle_choices=self.shuffle_choices.data,
            show_answers_after_close=self.show_answers_after_close.data,
        )


def settings_values(quiz, timezone: WorkshopTimezone) -> dict:
    """A saved quiz as the form's initial data."""
    return {
        "title": quiz.title,
        "time_limit_minutes": quiz.time_limit_minutes,
        "opens_at": to_wall_clock(quiz.opens_at, timezone),
        "closes_at": to_wall_clock(quiz.closes_at, timezone),
        "shuffle_questions": quiz.shuffle_questions,
        "shuffle_choices": quiz.shuffle_choices,
        "show_answers_after_close": quiz.show_answers_after_close,
    }


class AddQuestionsForm(BaseForm):
    # The checkboxes are drawn by the template from the bank; the service checks every id.
    question_ids = SelectMultipleField(
        _l("Soal"),
        coerce=int,
        validate_choice=False,
        validators=[DataRequired(_l("Pilih setidaknya satu soal."))],
    )


class DrawForm(BaseForm):
    topics = SelectMultipleField(
        _l("Topik"),
        validate_choice=False,
        validators=[DataRequired(_l("Pilih setidaknya satu topik."))],
    )
    per_topic = IntegerField(
        _l("Jumlah soal per topik"),
        default=3,
        validators=[
            InputRequired(_l("Jumlah soal wajib diisi.")),
            NumberRange(1, DRAW_MAX, _l("Jumlah soal antara 1 dan %(max)s.", max=DRAW_MAX)),
        ],
        invalid_value_message=_l("Tulis jumlah soal sebagai bilangan bulat, misalnya 3."),
        render_kw={"min": 1, "max": DRAW_MAX, "inputmode": "numeric"},
    )


class QuestionListForm(BaseForm):
    """The up/down/remove buttons of the quiz's question list: `action` is e.g. 'up-12'."""

    action = StringField(validators=[DataRequired()])

    def parsed(self) -> tuple[str, int] | None:
        verb, _, number = (self.action.data or "").partition("-")
        if verb not in {"up", "down", "remove"} or not number.isdigit():
            return None
        return verb, int(number)


class CloneWorkshopForm(BaseForm):
    start_date = DateField(
        _l("Tanggal mulai salinan"),
        description=_l(
            "Semua sesi, jendela tes dan waktu pendaftaran bergeser sebanyak hari yang sama."
        ),
        validators=[InputRequired(_l("Tanggal mulai wajib diisi."))],
        invalid_value_message=_l("Tulis tanggal dengan format TTTT-BB-HH, misalnya 2026-12-07."),
    )
