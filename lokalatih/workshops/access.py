"""Who may manage which workshop. Route helpers: they abort, services never do."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort

from ..extensions import db
from ..models import Role, User, Workshop, workshop_organizers

MANAGER_ROLES = (Role.ORGANIZER, Role.ADMIN)


def can_manage(user: User, workshop: Workshop) -> bool:
    """Admins manage every workshop; organizers only those they organize."""
    if not user.is_authenticated:
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role != Role.ORGANIZER:
        return False
    return any(organizer.id == user.id for organizer in workshop.organizers)


def managed_workshops(user: User) -> sa.Select:
    """A select of the workshops `user` may manage, newest first."""
    query = sa.select(Workshop).order_by(Workshop.start_date.desc(), Workshop.id.desc())
    if user.role == Role.ADMIN:
        return query
    return query.join(workshop_organizers).where(workshop_organizers.c.user_id == user.id)


def get_managed_workshop_or_404(slug: str, user: User) -> Workshop:
    """The workshop if `user` manages it; another organizer's workshop is a 404 (not revealed)."""
    workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == slug))
    if workshop is None or not can_manage(user, workshop):
        abort(404)
    return workshop
