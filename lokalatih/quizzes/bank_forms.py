"""Forms of the question bank: a question, the bank's filters, the import upload, an action."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from ..forms import BaseForm
from ..models import QuestionKind
from ..theme_tags import ThemesField
from . import bank

INVALID_CHOICE = _l("Pilih salah satu pilihan yang tersedia.")
RETIRED_FILTERS = {
    "": _l("Hanya soal aktif"),
    "semua": _l("Soal aktif dan yang dipensiunkan"),
    "ya": _l("Hanya soal yang dipensiunkan"),
}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _kind_choices() -> list[SelectChoice]:
    return [SelectChoice(kind.value, label) for kind, label in bank.KIND_LABELS.items()]


def _correct_choices() -> list[SelectChoice]:
    return [SelectChoice(key, _l("Pilihan %(key)s benar", key=key.upper())) for key in bank.KEYS]


def _choice_field(key: str) -> StringField:
    return StringField(
        _l("Pilihan %(key)s", key=key.upper()),
        filters=[_strip],
        render_kw={"maxlength": bank.CHOICE_MAX},
    )


class QuestionForm(BaseForm):
    """All checks live in `bank.question_problems`, shared with the import and the starter bank."""

    topic = StringField(
        _l("Topik"),
        description=_l("Pilih topik yang sudah ada atau tulis topik baru."),
        filters=[_strip],
        render_kw={"maxlength": bank.TOPIC_MAX, "list": "bank-topics", "autocomplete": "off"},
    )
    text = TextAreaField(
        _l("Teks soal"), filters=[_strip], render_kw={"maxlength": bank.TEXT_MAX, "rows": 4}
    )
    kind = SelectField(
        _l("Jenis soal"),
        choices=_kind_choices,
        default=QuestionKind.SINGLE.value,
        invalid_choice_message=INVALID_CHOICE,
    )
    choice_a = _choice_field("a")
    choice_b = _choice_field("b")
    choice_c = _choice_field("c")
    choice_d = _choice_field("d")
    choice_e = _choice_field("e")
    choice_f = _choice_field("f")
    correct = SelectMultipleField(
        _l("Jawaban benar"),
        choices=_correct_choices,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validate_choice=False,  # an unknown key is reported by the shared validator
    )
    explanation = TextAreaField(
        _l("Pembahasan"),
        description=_l("Ditampilkan kepada peserta setelah jendela tes ditutup, bila diizinkan."),
        filters=[_strip],
        render_kw={"maxlength": bank.EXPLANATION_MAX, "rows": 4},
    )
    source = StringField(
        _l("Sumber"),
        description=_l(
            "Pasal atau peraturan yang menjadi dasar, misalnya Pasal 28I ayat (1) UUD 1945."
        ),
        filters=[_strip],
        render_kw={"maxlength": bank.SOURCE_MAX},
    )

    themes = ThemesField(
        description=_l("Tema Kabupaten/Kota Peduli HAM yang diuji soal ini (opsional).")
    )

    choice_problems: list[str]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.themes.fill_choices()

    def question_data(self) -> bank.QuestionData:
        return bank.question_data(
            topic=self.topic.data,
            kind=self.kind.data,
            text=self.text.data,
            choices={key: self[f"choice_{key}"].data for key in bank.KEYS},
            correct_keys=self.correct.data or [],
            explanation=self.explanation.data,
            source=self.source.data,
        )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        self.choice_problems = []
        for name, message in bank.question_problems(self.question_data()):
            if name == "choices":
                self.choice_problems.append(message)
            elif not (name == "kind" and self.kind.errors) and message not in self[name].errors:
                self[name].errors.append(message)
            valid = False
        return valid

    def fill(self, data: bank.QuestionData) -> None:
        """Show a saved question in the form (GET of the edit page)."""
        self.topic.data = data.topic
        self.kind.data = data.kind
        self.text.data = data.text
        for key in bank.KEYS:
            self[f"choice_{key}"].data = data.choices.get(key, "")
        self.correct.data = list(data.correct_keys)
        self.explanation.data = data.explanation
        self.source.data = data.source


class BankFilterForm(BaseForm):
    class Meta:
        csrf = False

    # SQLite refuses a LIKE pattern over 50,000 bytes; no search needs more than a sentence.
    q = StringField(
        _l("Cari dalam teks soal"),
        filters=[_strip],
        validators=[Optional(), Length(max=200)],
        render_kw={"maxlength": 200},
    )
    topik = SelectField(
        _l("Topik"), default="", validators=[Optional()], invalid_choice_message=INVALID_CHOICE
    )
    jenis = SelectField(
        _l("Jenis soal"),
        choices=lambda: [SelectChoice("", _l("Semua jenis")), *_kind_choices()],
        default="",
        validators=[Optional()],
        invalid_choice_message=INVALID_CHOICE,
    )
    pensiun = SelectField(
        _l("Status"),
        choices=lambda: [SelectChoice(value, label) for value, label in RETIRED_FILTERS.items()],
        default="",
        validators=[Optional()],
        invalid_choice_message=INVALID_CHOICE,
    )

    def __init__(self, *args, topics: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.topik.choices = [SelectChoice("", _l("Semua topik"))] + [
            SelectChoice(topic, topic) for topic in topics
        ]

    def filters(self) -> dict:
        """Keyword arguments for `bank.filtered_select`; a field with an error is ignored."""

        def valid(field) -> str:
            return "" if field.errors else (field.data or "")

        retired = valid(self.pensiun)
        return {
            "q": valid(self.q) or None,
            "topic": valid(self.topik) or None,
            "kind": QuestionKind(valid(self.jenis)) if valid(self.jenis) else None,
            "include_retired": retired == "semua",
            "only_retired": retired == "ya",
        }


class ImportForm(BaseForm):
    file = FileField(
        _l("Berkas XLSX atau CSV"),
        description=_l("Paling besar 2 MB."),
        validators=[FileRequired(_l("Pilih berkas yang akan diimpor."))],
        render_kw={"accept": ".xlsx,.csv"},
    )


class MoodleImportForm(BaseForm):
    file = FileField(
        _l("Berkas Moodle XML atau GIFT"),
        description=_l("Paling besar 2 MB: .xml, .gift atau .txt."),
        validators=[FileRequired(_l("Pilih berkas yang akan diimpor."))],
        render_kw={"accept": ".xml,.gift,.txt"},
    )
    default_topic = StringField(
        _l("Topik untuk soal tanpa kategori"),
        description=_l("Dipakai hanya bila berkas tidak menyebut kategori soal."),
        filters=[_strip],
        validators=[Optional(), Length(max=bank.TOPIC_MAX)],
        render_kw={"maxlength": bank.TOPIC_MAX},
    )
    default_source = StringField(
        _l("Sumber untuk soal tanpa sumber"),
        description=_l(
            "Moodle tidak punya kolom sumber. Isi pasal atau peraturan yang menjadi dasar bila "
            'umpan balik umum soal tidak diakhiri baris "Sumber: …".'
        ),
        filters=[_strip],
        validators=[Optional(), Length(max=bank.SOURCE_MAX)],
        render_kw={"maxlength": bank.SOURCE_MAX},
    )


class MoodleConfirmForm(BaseForm):
    """The previewed file travels in a signed token (moodle_io.pending_token)."""

    token = HiddenField()


class ActionForm(BaseForm):
    """A button that changes something: only the CSRF token, and where to go back to."""

    next = HiddenField()
