"""Forms of the action plan: the plan (three rows, blanks ignored) and the follow-up report."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional, ValidationError

from ..forms import BaseForm
from ..models import ActionPlanItem, ActionStatus, Theme
from .services import MAX_ACTIONS, STATUS_LABELS, ActionInput, ReportInput

ACTION_MAX, PARTNERS_MAX, NOTE_MAX, URL_MAX = 300, 200, 500, 500
INVALID_DATE = _l("Tulis tanggal dengan format TTTT-BB-HH, misalnya 2027-03-31.")


def _length(limit: int):
    return Length(max=limit, message=_l("Paling panjang %(max)d karakter.", max=limit))


class PlanForm(BaseForm):
    """Rows 1..3: `action_<n>`, `due_<n>`, `theme_<n>`, `partners_<n>`."""

    def fill_choices(self, themes: list[Theme], locale: str) -> None:
        choices = [SelectChoice("", _l("Lainnya / tidak terkait tema"))] + [
            SelectChoice(str(theme.id), theme.name_for(locale)) for theme in themes
        ]
        for n in range(1, MAX_ACTIONS + 1):
            self[f"theme_{n}"].choices = choices

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        for n in range(1, MAX_ACTIONS + 1):
            written = (self[f"action_{n}"].data or "").strip()
            if written and self[f"due_{n}"].data is None and not self[f"due_{n}"].errors:
                self[f"due_{n}"].errors.append(_l("Tulis kapan aksi ini akan selesai."))
                valid = False
        return valid

    def actions(self) -> list[ActionInput]:
        return [
            ActionInput(
                action=self[f"action_{n}"].data or "",
                due_date=self[f"due_{n}"].data,
                theme_id=int(self[f"theme_{n}"].data) if self[f"theme_{n}"].data else None,
                partners=self[f"partners_{n}"].data or "",
            )
            for n in range(1, MAX_ACTIONS + 1)
            if (self[f"action_{n}"].data or "").strip()
        ]

    @staticmethod
    def values(items: list[ActionPlanItem]) -> dict:
        data: dict = {}
        for item in items:
            n = item.position
            data[f"action_{n}"] = item.action
            data[f"due_{n}"] = item.due_date
            data[f"theme_{n}"] = str(item.theme_id) if item.theme_id else ""
            data[f"partners_{n}"] = item.partners
        return data


for _n in range(1, MAX_ACTIONS + 1):
    setattr(
        PlanForm,
        f"action_{_n}",
        TextAreaField(
            _l("Apa yang akan Anda lakukan di instansi Anda?"),
            validators=[Optional(), _length(ACTION_MAX)],
            render_kw={"maxlength": ACTION_MAX, "rows": 2},
        ),
    )
    setattr(
        PlanForm,
        f"due_{_n}",
        DateField(_l("Selesai paling lambat"), validators=[Optional()]),
    )
    setattr(
        PlanForm,
        f"theme_{_n}",
        SelectField(_l("Hak atau tema KKPHAM yang dilayani"), validators=[Optional()]),
    )
    setattr(
        PlanForm,
        f"partners_{_n}",
        StringField(
            _l("Siapa lagi yang terlibat"),
            validators=[Optional(), _length(PARTNERS_MAX)],
            render_kw={"maxlength": PARTNERS_MAX},
        ),
    )


def _check_url(form, field) -> None:
    value = (field.data or "").strip()
    if not value:
        return
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValidationError(_l("Tulis tautan lengkap yang diawali https://."))


def report_form(items: list[ActionPlanItem], formdata=None) -> BaseForm:
    """A form with `status_<id>`, `note_<id>` and `evidence_<id>` for each action."""

    class ReportForm(BaseForm):
        pass

    choices = [SelectChoice(status.value, label) for status, label in STATUS_LABELS.items()]
    for item in items:
        setattr(
            ReportForm,
            f"status_{item.id}",
            RadioField(
                _l("Keadaan aksi ini"),
                choices=choices,
                validators=[Optional()],
                default=item.status.value if item.status else None,
            ),
        )
        setattr(
            ReportForm,
            f"note_{item.id}",
            TextAreaField(
                _l("Catatan singkat"),
                validators=[Optional(), _length(NOTE_MAX)],
                default=item.note,
                render_kw={"maxlength": NOTE_MAX, "rows": 2},
            ),
        )
        setattr(
            ReportForm,
            f"evidence_{item.id}",
            StringField(
                _l("Tautan bukti (boleh kosong)"),
                validators=[Optional(), _length(URL_MAX), _check_url],
                default=item.evidence_url or "",
                render_kw={"maxlength": URL_MAX, "inputmode": "url"},
            ),
        )
    return ReportForm(formdata=formdata) if formdata is not None else ReportForm()


def reports(form: BaseForm, items: list[ActionPlanItem]) -> list[ReportInput]:
    """The rows the participant gave a state for (others stay as they were)."""
    found = []
    for item in items:
        status = form[f"status_{item.id}"].data
        if status:
            found.append(
                ReportInput(
                    item_id=item.id,
                    status=ActionStatus(status),
                    note=form[f"note_{item.id}"].data or "",
                    evidence_url=form[f"evidence_{item.id}"].data or None,
                )
            )
    return found
