"""The organizer's registrant list: one filtered query shared by the page, the exports and the
group email."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased, contains_eager

from ..extensions import db
from ..models import (
    InstitutionType,
    Profile,
    Region,
    Registration,
    RegistrationStatus,
    User,
    Workshop,
)
from ..privacy.erasure import ERASED_NAME
from .services import waitlist_positions, waitlist_positions_of

STATUS_LABELS = {
    RegistrationStatus.CONFIRMED: _l("Terdaftar"),
    RegistrationStatus.PENDING: _l("Menunggu persetujuan"),
    RegistrationStatus.WAITLISTED: _l("Daftar tunggu"),
    RegistrationStatus.REJECTED: _l("Ditolak"),
    RegistrationStatus.CANCELLED: _l("Dibatalkan"),
}


# No name (150), institution (200) or email (254) is longer: a longer search matches nothing, and
# SQLite refuses a LIKE pattern past 50,000 bytes (a 503 instead of an empty list).
SEARCH_MAX_LENGTH = 254


def clean_search(raw: str | None) -> str | None:
    """The search text as it is matched: trimmed, capped, None when empty."""
    text = " ".join((raw or "").split())[:SEARCH_MAX_LENGTH]
    return text or None


@dataclass(frozen=True)
class RegistrantFilters:
    status: RegistrationStatus | None = None
    province_code: str | None = None
    institution_type: InstitutionType | None = None
    search: str | None = None  # part of a name, an email or an institution, any case
    ids: tuple[int, ...] = ()  # only these registrations (the rows ticked for an email)

    def as_args(self) -> dict[str, str]:
        """The filters as query-string values, for links that keep them."""
        values = {**self._choices(), "q": self.search}
        return {key: value for key, value in values.items() if value}

    def as_details(self) -> dict[str, str | bool | int | None]:
        """For the audit log: whether a search was made, not its text (often an email)."""
        details: dict[str, str | bool | int | None] = {
            **self._choices(),
            "searched": self.search is not None,
        }
        if self.ids:
            details["selected"] = len(self.ids)
        return details

    def _choices(self) -> dict[str, str | None]:
        return {
            "status": self.status.value if self.status else None,
            "province": self.province_code,
            "institution_type": self.institution_type.value if self.institution_type else None,
        }


@dataclass(frozen=True)
class RegistrantRow:
    registration: Registration
    user: User
    profile: Profile | None
    province_name: str | None
    regency_name: str | None
    position: int | None  # on the waitlist

    @property
    def name(self) -> str:
        if self.user.erased_at is not None:
            return str(ERASED_NAME)
        if self.profile is not None and self.profile.full_name:
            return self.profile.full_name
        return self.user.email


def _filtered(workshop: Workshop, filters: RegistrantFilters) -> sa.Select:
    province, regency = aliased(Region), aliased(Region)
    query = (
        sa.select(Registration, User, Profile, province.name, regency.name)
        .join(User, Registration.user_id == User.id)
        .outerjoin(Profile, Profile.user_id == User.id)
        .outerjoin(province, province.code == Profile.province_code)
        .outerjoin(regency, regency.code == Profile.regency_code)
        .where(Registration.workshop_id == workshop.id)
    )
    if filters.status is not None:
        query = query.where(Registration.status == filters.status)
    if filters.province_code:
        query = query.where(Profile.province_code == filters.province_code)
    if filters.institution_type is not None:
        query = query.where(Profile.institution_type == filters.institution_type)
    if filters.ids:
        query = query.where(Registration.id.in_(filters.ids))
    if filters.search:
        # icontains: ILIKE on PostgreSQL, lower() LIKE lower() on SQLite; % and _ match themselves.
        query = query.where(
            sa.or_(
                Profile.full_name.icontains(filters.search, autoescape=True),
                User.email.icontains(filters.search, autoescape=True),
                Profile.institution_name.icontains(filters.search, autoescape=True),
            )
        )
    return query


def list_registrants(
    workshop: Workshop,
    filters: RegistrantFilters,
    *,
    offset: int = 0,
    limit: int | None = None,
) -> list[RegistrantRow]:
    """The workshop's registrants matching `filters`, in registration order (`limit` of them from
    `offset` for one page of the list; all of them for the exports and the group email)."""
    statement = _filtered(workshop, filters).order_by(Registration.created_at, Registration.id)
    if limit is not None:
        statement = statement.offset(offset).limit(limit)
    rows = db.session.execute(statement).all()
    positions = waitlist_positions(workshop)
    return [
        RegistrantRow(
            registration=registration,
            user=user,
            profile=profile,
            province_name=province_name,
            regency_name=regency_name,
            position=positions.get(registration.id),
        )
        for registration, user, profile, province_name, regency_name in rows
    ]


def count_registrants(workshop: Workshop, filters: RegistrantFilters) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(_filtered(workshop, filters).subquery())
    )


def get_registration_of(workshop: Workshop, registration_id: int) -> Registration | None:
    """The registration only if it belongs to `workshop`."""
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.workshop_id != workshop.id:
        return None
    return registration


def registrations_of(user: User) -> list[tuple[Registration, int | None]]:
    """The user's registrations, latest workshop first, each with its waitlist position; the
    workshops and their sessions come loaded, all in a fixed number of statements."""
    registrations = db.session.scalars(
        sa.select(Registration)
        .join(Workshop, Registration.workshop_id == Workshop.id)
        .where(Registration.user_id == user.id)
        .order_by(Workshop.start_date.desc(), Registration.id.desc())
        .options(contains_eager(Registration.workshop).selectinload(Workshop.sessions))
    ).all()
    positions = waitlist_positions_of(registrations)
    return [(registration, positions.get(registration.id)) for registration in registrations]


REGISTRANTS_PER_PAGE = 50  # a 1,000-person workshop's list was 222 KB on one page


@dataclass(frozen=True)
class RegistrantPage:
    """One page of the list; the attributes the `_pagination.html` pager reads."""

    rows: list[RegistrantRow]
    total: int
    page: int
    per_page: int = REGISTRANTS_PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def registrant_page(workshop: Workshop, filters: RegistrantFilters, page: int) -> RegistrantPage:
    """Page `page` of the list (the last one when it is past the end)."""
    total = count_registrants(workshop, filters)
    page = min(page, max(1, -(-total // REGISTRANTS_PER_PAGE)))
    rows = list_registrants(
        workshop,
        filters,
        offset=(page - 1) * REGISTRANTS_PER_PAGE,
        limit=REGISTRANTS_PER_PAGE,
    )
    return RegistrantPage(rows, total, page)
