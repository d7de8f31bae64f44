"""Forms of the admin pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from ..forms import BaseForm
from ..labels import ROLE_LABELS
from ..models import Role


def role_choices() -> list[SelectChoice]:
    return [SelectChoice(role.value, ROLE_LABELS[role]) for role in Role]


def role_filter_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("Semua peran")), *role_choices()]


class UserSearchForm(BaseForm):
    """The search box above the user list; a GET form, so it carries no CSRF token."""

    class Meta:
        csrf = False

    q = StringField(_l("Cari email atau nama"), validators=[Optional(), Length(max=254)])
    role = SelectField(_l("Peran"), choices=role_filter_choices, validators=[Optional()])

    @property
    def selected_role(self) -> Role | None:
        return Role(self.role.data) if self.role.data else None


class RoleForm(BaseForm):
    role = SelectField(_l("Peran"), choices=role_choices, validators=[DataRequired()])
    next = HiddenField()
    # "ya" once the admin has seen what the change means; the first post only asks.
    confirmed = HiddenField()


class RetryForm(BaseForm):
    """Only the CSRF token: the message to retry is in the URL."""
