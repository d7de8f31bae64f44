"""Reading workshops: the public catalogue, the workshop page, and counts for organizers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..models import (
    Registration,
    RegistrationStatus,
    User,
    Workshop,
    WorkshopMode,
    WorkshopStatus,
    WorkshopTopic,
)
from . import states
from .access import can_manage

CATALOGUE_PER_PAGE = 20
MANAGE_PER_PAGE = 50


def registration_counts(workshop_ids: list[int]) -> dict[int, Counter]:
    """Registrations per workshop and status, in one query."""
    counts: dict[int, Counter] = {workshop_id: Counter() for workshop_id in workshop_ids}
    if not workshop_ids:
        return counts
    rows = db.session.execute(
        sa.select(Registration.workshop_id, Registration.status, sa.func.count())
        .where(Registration.workshop_id.in_(workshop_ids))
        .group_by(Registration.workshop_id, Registration.status)
    )
    for workshop_id, status, count in rows:
        counts[workshop_id][RegistrationStatus(status)] = count
    return counts


def managed_page(statement: sa.Select, page: int) -> Pagination:
    return db.paginate(statement, page=page, per_page=MANAGE_PER_PAGE, error_out=False)


def find_visible_workshop(slug: str, viewer: User) -> Workshop | None:
    """The workshop as the public sees it: a draft only for its managers."""
    workshop = db.session.scalar(
        sa.select(Workshop)
        .where(Workshop.slug == slug)
        .options(selectinload(Workshop.sessions), selectinload(Workshop.topics))
    )
    if workshop is None:
        return None
    if workshop.status == WorkshopStatus.DRAFT and not can_manage(viewer, workshop):
        return None
    return workshop


def may_see_meeting_link(workshop: Workshop, viewer: User) -> bool:
    """Only the workshop's managers and its confirmed participants."""
    if not viewer.is_authenticated:
        return False
    if can_manage(viewer, workshop):
        return True
    status = db.session.scalar(
        sa.select(Registration.status).where(
            Registration.workshop_id == workshop.id, Registration.user_id == viewer.id
        )
    )
    return status == RegistrationStatus.CONFIRMED


@dataclass(frozen=True)
class CatalogueFilters:
    mode: WorkshopMode | None = None
    province_code: str | None = None
    topic: str | None = None
    past: bool = False


def catalogue_page(filters: CatalogueFilters, today: date, page: int = 1) -> Pagination:
    """Public workshops, upcoming (soonest first) or past (latest first), 20 a page."""
    statement = sa.select(Workshop).where(Workshop.status.in_(states.PUBLIC_STATUSES))
    if filters.past:
        statement = statement.where(Workshop.end_date < today).order_by(
            Workshop.end_date.desc(), Workshop.id.desc()
        )
    else:
        statement = statement.where(Workshop.end_date >= today).order_by(
            Workshop.start_date, Workshop.id
        )
    if filters.mode is not None:
        statement = statement.where(Workshop.mode == filters.mode)
    if filters.province_code:
        statement = statement.where(Workshop.province_code == filters.province_code)
    if filters.topic:
        statement = statement.where(Workshop.topics.any(WorkshopTopic.tag == filters.topic))
    statement = statement.options(selectinload(Workshop.topics))
    return db.paginate(statement, page=page, per_page=CATALOGUE_PER_PAGE, error_out=False)


def catalogue_topics() -> list[str]:
    """Topics of the workshops the catalogue shows, for its filter."""
    return list(
        db.session.scalars(
            sa.select(WorkshopTopic.tag)
            .join(Workshop, Workshop.id == WorkshopTopic.workshop_id)
            .where(Workshop.status.in_(states.PUBLIC_STATUSES))
            .distinct()
            .order_by(WorkshopTopic.tag)
        )
    )


def find_registration(workshop: Workshop, user) -> Registration | None:
    """The user's registration for the workshop, whatever its status; None for anonymous users."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        sa.select(Registration).where(
            Registration.workshop_id == workshop.id, Registration.user_id == user.id
        )
    )
