"""The audit log page: admins search who did what to which object, when and from where.

There is deliberately no edit or delete route: past entries are never changed by the application.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination
from wtforms import DateField, StringField
from wtforms.validators import Length, Optional

from ..extensions import db
from ..forms import BaseForm
from ..models import AuditEvent, Role, User, WorkshopTimezone
from ..security import role_required
from ..web import page_number
from . import audit_labels
from .blueprint import bp

AUDIT_PER_PAGE = 50
# Times are shown in the application's default zone (BABEL_DEFAULT_TIMEZONE, Asia/Jakarta).
AUDIT_ZONE = WorkshopTimezone.WIB


class AuditSearchForm(BaseForm):
    """The filters above the audit log; a GET form, so it carries no CSRF token."""

    class Meta:
        csrf = False

    action = StringField(_l("Tindakan"), validators=[Optional(), Length(max=64)])
    actor = StringField(_l("Email pelaku"), validators=[Optional(), Length(max=254)])
    object_type = StringField(_l("Jenis objek"), validators=[Optional(), Length(max=64)])
    object_id = StringField(_l("ID objek"), validators=[Optional(), Length(max=64)])
    date_from = DateField(_l("Dari tanggal"), validators=[Optional()])
    date_to = DateField(_l("Sampai tanggal"), validators=[Optional()])


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=AUDIT_ZONE.zone)


def search_audit(form: AuditSearchForm, page: int = 1) -> Pagination:
    """Audit entries matching the filters (days in WIB, both ends included), newest first."""
    statement = (
        sa.select(AuditEvent)
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    if form.action.data:
        statement = statement.where(
            AuditEvent.action.icontains(form.action.data.strip(), autoescape=True)
        )
    if form.actor.data:
        statement = statement.where(User.email.icontains(form.actor.data.strip(), autoescape=True))
    if form.object_type.data:
        statement = statement.where(
            sa.func.lower(AuditEvent.object_type) == form.object_type.data.strip().lower()
        )
    if form.object_id.data:
        statement = statement.where(AuditEvent.object_id == form.object_id.data.strip())
    if form.date_from.data:
        statement = statement.where(AuditEvent.at >= _start_of(form.date_from.data))
    if form.date_to.data:
        statement = statement.where(
            AuditEvent.at < _start_of(form.date_to.data + timedelta(days=1))
        )
    return db.paginate(statement, page=page, per_page=AUDIT_PER_PAGE, error_out=False)


@bp.get("/audit")
@role_required(Role.ADMIN)
def audit():
    form = AuditSearchForm(formdata=request.args)
    status = 200
    if not form.validate():
        status = 400
        form = _without_invalid_filters(form)
    pagination = search_audit(form, page=page_number())
    return render_template(
        "admin/audit.html",
        form=form,
        pagination=pagination,
        actor_emails=_actor_emails(pagination.items),
        zone_name=AUDIT_ZONE.abbreviation,
        action_label=audit_labels.action_label,
        object_label=audit_labels.object_label,
        detail_items=audit_labels.detail_items,
    ), status


def _actor_emails(events: list[AuditEvent]) -> dict[int, str]:
    ids = {event.actor_id for event in events if event.actor_id is not None}
    if not ids:
        return {}
    rows = db.session.execute(sa.select(User.id, User.email).where(User.id.in_(ids)))
    return {user_id: email for user_id, email in rows}


def _without_invalid_filters(form: AuditSearchForm) -> AuditSearchForm:
    # Show the errors, but search with the filters that are valid.
    for name in form.errors:
        form[name].data = None
    return form
