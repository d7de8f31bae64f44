"""KKPHAM theme tags on workshops, sessions and bank questions (issue 17 section 4): the
checkbox field the three forms share and the one rule for what may be picked.

Shared (no feature imported): the workshops, agenda and question-bank forms and services use it.
An active theme can be picked; an inactive one stays on what already carries it and is shown
there, ticked, so that saving the form keeps it.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from .extensions import db
from .models import Theme


class ThemesField(SelectMultipleField):
    """Checkboxes of the themes. The form calls `fill_choices` once its data is processed: the
    active themes and any inactive one among those ticked."""

    def __init__(self, label=None, **kwargs) -> None:
        kwargs.setdefault("coerce", int)
        kwargs.setdefault("widget", ListWidget(prefix_label=False))
        kwargs.setdefault("option_widget", CheckboxInput())
        kwargs.setdefault("validate_choice", False)  # `themes_for` drops what may not be tagged
        kwargs.setdefault(
            "description",
            _l("Tema Kabupaten/Kota Peduli HAM yang dibahas (boleh lebih dari satu)."),
        )
        super().__init__(label or _l("Tema KKPHAM"), **kwargs)

    def fill_choices(self) -> None:
        locale = str(get_locale() or "id")
        self.choices = [
            SelectChoice(theme.id, theme.name_for(locale)) for theme in offered(self.data or ())
        ]


def offered(current_ids: Iterable[int] = ()) -> list[Theme]:
    """The active themes plus the inactive ones among `current_ids`, in the admins' order."""
    current_ids = set(current_ids)
    condition = Theme.active.is_(True)
    if current_ids:
        condition = sa.or_(condition, Theme.id.in_(current_ids))
    return list(
        db.session.scalars(sa.select(Theme).where(condition).order_by(Theme.position, Theme.id))
    )


def themes_for(ids: Iterable[int], current: Iterable[Theme] = ()) -> list[Theme]:
    """The themes of `ids` that may be tagged (see `offered`); unknown ids are dropped."""
    wanted = set(ids or ())
    return [theme for theme in offered(t.id for t in current) if theme.id in wanted]
