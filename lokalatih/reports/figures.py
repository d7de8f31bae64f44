"""Headline figures and breakdowns: every number is a SQL aggregate over one filtered scope.

Every figure counts only workshops that have been held (`held_workshops`: running, completed or
archived, with a session started by `Filters.as_of`), and attendance only their sessions that
have started; docs/REPORTS.md gives the definitions.

The scope is a per-registration query (`_per_registration`) of what the database keeps on each
registration (triggers of migration 0009): a copy of the participant's profile dimensions, the
sessions attended, certificates earned and pre/post scores; plus the workshop's session count.
`figures` sums it into profile cells (a MATERIALIZED CTE, SQLite >= 3.35 and PostgreSQL >= 12;
on SQLite a walk of the covering index `ix_registrations_cells`, no sort) and groups the cells
five ways in one UNION ALL statement: the headline and the breakdowns by province,
kabupaten/kota, institution type and gender. Python only turns sums into rates and hides groups
under 5 people.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa

from ..extensions import db
from ..models import (
    CheckIn,
    Gender,
    InstitutionType,
    Region,
    Registration,
    RegistrationStatus,
    Role,
    User,
    Workshop,
    WorkshopSession,
    WorkshopStatus,
    WorkshopTopic,
    utcnow,
    workshop_organizers,
)
from ..workshops.access import managed_workshops

# A workshop the organizer has marked as taking place or done. A draft or cancelled workshop never
# is, nor is a published one whose dates passed without it being run (the demo has such).
HELD_STATUSES = (WorkshopStatus.RUNNING, WorkshopStatus.COMPLETED, WorkshopStatus.ARCHIVED)
MIN_GROUP = 5  # groups with fewer distinct participants are shown as "< 5"
PROVINCES_TOTAL = 38
REGENCIES_TOTAL = 514
PAGE_SIZE = 50


@dataclass
class Filters:
    date_from: date | None = None
    date_to: date | None = None
    province: str | None = None
    regency: str | None = None
    institution_type: InstitutionType | None = None
    gender: Gender | None = None
    organizer_id: int | None = None
    topic: str | None = None
    # The moment the figures describe: which workshops have been held and which sessions have
    # started. One value for every statement of a report, so that its figures agree.
    as_of: datetime = field(default_factory=utcnow)

    @property
    def on_participants(self) -> bool:
        return any((self.province, self.regency, self.institution_type, self.gender))


@dataclass
class Headline:
    workshops_held: int = 0
    registrations: dict[str, int] = field(default_factory=dict)
    participants: int = 0
    provinces: int = 0
    regencies: int = 0
    checkins: int = 0
    expected_checkins: int = 0
    attendance_rate: float | None = None  # percent
    certificates: int = 0
    attended: int = 0  # confirmed registrations with a check-in at a started session
    certified: int = 0  # registrations with a certificate
    pairs: int = 0
    mean_pre: float | None = None
    mean_post: float | None = None
    mean_gain: float | None = None
    improved_share: float | None = None  # percent of pairs


@dataclass
class GroupRow:
    code: str | None
    label: str | None
    participants: int
    suppressed: bool = False
    registrations: int = 0
    attendance_rate: float | None = None
    certificates: int = 0
    pairs: int = 0
    mean_pre: float | None = None
    mean_post: float | None = None
    mean_gain: float | None = None


# --- scope -------------------------------------------------------------------------------------


def _workshop_ids(filters: Filters, viewer: User):
    query = sa.select(Workshop.id)
    if viewer.role == Role.ORGANIZER:
        scope = managed_workshops(viewer).with_only_columns(Workshop.id).order_by(None)
        query = query.where(Workshop.id.in_(scope))
    if filters.date_from:
        query = query.where(Workshop.start_date >= filters.date_from)
    if filters.date_to:
        query = query.where(Workshop.start_date <= filters.date_to)
    if filters.organizer_id:
        organized = sa.select(workshop_organizers.c.workshop_id).where(
            workshop_organizers.c.user_id == filters.organizer_id
        )
        query = query.where(Workshop.id.in_(organized))
    if filters.topic:
        tagged = sa.select(WorkshopTopic.workshop_id).where(WorkshopTopic.tag == filters.topic)
        query = query.where(Workshop.id.in_(tagged))
    return query


def held_workshops(as_of: datetime):
    """Workshops held as of `as_of`: in a held status (HELD_STATUSES) and with at least one
    session that has started. A workshop marked running before its first session has reached
    nobody yet; one still running counts from its first session on."""
    started = sa.select(WorkshopSession.workshop_id).where(WorkshopSession.starts_at <= as_of)
    return sa.select(Workshop.id).where(
        Workshop.status.in_(HELD_STATUSES), Workshop.id.in_(started)
    )


def _not_held(as_of: datetime):
    """The other workshops (`held_workshops`' complement)."""
    started = sa.select(WorkshopSession.workshop_id).where(WorkshopSession.starts_at <= as_of)
    return sa.select(Workshop.id).where(
        sa.or_(Workshop.status.not_in(HELD_STATUSES), Workshop.id.not_in(started))
    )


def restricted(filters: Filters, viewer: User) -> bool:
    """Whether a filter or the viewer's role narrows the workshops (beyond being held)."""
    return viewer.role == Role.ORGANIZER or any(
        (filters.date_from, filters.date_to, filters.organizer_id, filters.topic)
    )


def _in_scope(column, filters: Filters, viewer: User) -> list:
    """`column` among the held workshops, and among the workshops in scope when `restricted`
    (unrestricted, that second condition is left out: a faster plan)."""
    # NOT IN the others (a hashed list on PostgreSQL, one the index cannot serve on SQLite) keeps
    # both planners on the plan they had without it: SQLite walks ix_registrations_cells in cell
    # order and PostgreSQL walks the registrations in id order for a page of them. As `IN` the
    # condition made them look registrations up workshop by workshop, then sort, up to 3x slower.
    conditions = [column.not_in(_not_held(filters.as_of))]
    if restricted(filters, viewer):
        conditions.append(column.in_(_workshop_ids(filters, viewer)))
    return conditions


def _profile_conditions(filters: Filters) -> list:
    # The registration's copies of its participant's profile (kept by the database, 0009).
    conditions = []
    if filters.province:
        conditions.append(Registration.province_code == filters.province)
    if filters.regency:
        conditions.append(Registration.regency_code == filters.regency)
    if filters.institution_type:
        conditions.append(Registration.institution_type == filters.institution_type)
    if filters.gender:
        conditions.append(Registration.gender == filters.gender)
    return conditions


def _filtered_registrations(filters: Filters, viewer: User, *columns):
    """Registrations of the workshops in scope whose participant matches the profile filters."""
    return (
        sa.select(*columns)
        .select_from(Registration)
        .where(*_in_scope(Registration.workshop_id, filters, viewer))
        .where(*_profile_conditions(filters))
    )


PROFILE_COLUMNS = ("province_code", "regency_code", "institution_type", "gender")


def _bytewise(column):
    """The cells are grouped, never shown in this order: on PostgreSQL compare the codes byte by
    byte, not through the database's collation (strcoll made the grouping sort 100,000 rows
    take twice as long)."""
    if db.session.get_bind().dialect.name == "postgresql":
        return column.collate("C")
    return column


def _per_registration(filters: Filters, viewer: User, ids=None):
    """One row per registration in scope (or among those `ids` selects), with its figures: the
    tallies the database keeps on the registration (migration 0009) and its workshop's sessions
    that have started. A session still ahead is neither attended nor missed."""
    started = WorkshopSession.starts_at <= filters.as_of
    sessions = (
        sa.select(
            WorkshopSession.workshop_id,
            sa.func.sum(sa.case((started, 1), else_=0)).label("started"),
            sa.func.count().label("count"),
        )
        .group_by(WorkshopSession.workshop_id)
        .subquery("workshop_sessions")
    )
    # The tally counts every check-in. Only while a workshop still has sessions ahead can a
    # check-in be on one of them (a manual one made early), so only there are they counted again.
    checkins_started = (
        sa.select(sa.func.count())
        .select_from(CheckIn)
        .join(WorkshopSession, WorkshopSession.id == CheckIn.session_id)
        .where(CheckIn.registration_id == Registration.id, started)
        .scalar_subquery()
    )
    checkins = sa.case(
        (sessions.c.started < sessions.c.count, checkins_started),
        else_=Registration.sessions_attended,
    )
    query = _filtered_registrations(
        filters,
        viewer,
        Registration.id.label("registration_id"),
        Registration.user_id,
        Registration.workshop_id,
        Registration.status,
        *[_bytewise(getattr(Registration, name)).label(name) for name in PROFILE_COLUMNS],
        sa.func.coalesce(sessions.c.started, 0).label("sessions"),
        checkins.label("checkins"),
        Registration.certificates_earned.label("certificates"),
        Registration.pre_score.label("pre"),
        Registration.post_score.label("post"),
    )
    query = query.outerjoin(sessions, sessions.c.workshop_id == Registration.workshop_id)
    return query.where(Registration.id.in_(ids)) if ids is not None else query


def _cell_measures(r) -> list:
    """Sums over the per-registration rows of one cell (a province, kabupaten/kota, institution
    type and gender). All registrations of one person fall in one cell, since the cell is their
    profile, so cells' distinct participants add up to the distinct participants of any group."""
    confirmed = r.c.status == RegistrationStatus.CONFIRMED
    paired = sa.and_(r.c.pre.is_not(None), r.c.post.is_not(None))
    gain = sa.case((sa.and_(paired, r.c.pre < 100), (r.c.post - r.c.pre) / (100 - r.c.pre)))
    return [
        sa.func.count(sa.distinct(sa.case((confirmed, r.c.user_id)))).label("participants"),
        sa.func.count().label("registrations"),
        sa.func.sum(sa.case((confirmed, r.c.checkins), else_=0)).label("checkins"),
        sa.func.sum(sa.case((confirmed, r.c.sessions), else_=0)).label("expected"),
        sa.func.sum(r.c.certificates).label("certificates"),
        sa.func.count(sa.case((sa.and_(confirmed, r.c.checkins > 0), 1))).label("attended"),
        sa.func.count(sa.case((r.c.certificates > 0, 1))).label("certified"),
        sa.func.count(sa.case((paired, 1))).label("pairs"),
        sa.func.sum(sa.case((paired, r.c.pre))).label("pre_sum"),
        sa.func.sum(sa.case((paired, r.c.post))).label("post_sum"),
        sa.func.sum(gain).label("gain_sum"),
        sa.func.count(gain).label("gains"),
        sa.func.sum(sa.case((sa.and_(paired, r.c.post > r.c.pre), 1), else_=0)).label("improved"),
        *[
            sa.func.sum(sa.case((r.c.status == status, 1), else_=0)).label(status.value)
            for status in RegistrationStatus
        ],
    ]


def _measures(c, *, reach: bool = False) -> list:
    """Aggregate columns of the headline and of every breakdown row, over cells (`reach`: count
    the distinct provinces and kabupaten/kota too, for the headline)."""

    def total(name: str):  # an integer, 0 when there are no cells (PostgreSQL's sum is numeric)
        return sa.cast(sa.func.coalesce(sa.func.sum(c.c[name]), 0), sa.Integer)

    def mean(name: str, count: str):
        return sa.func.sum(c.c[name]) / sa.cast(
            sa.func.nullif(sa.func.sum(c.c[count]), 0), sa.Float
        )

    counted = (
        "participants", "registrations", "checkins", "expected", "certificates", "pairs",
        "attended", "certified",
    )  # fmt: skip
    return [
        *[total(name).label(name) for name in counted],
        mean("pre_sum", "pairs").label("mean_pre"),
        mean("post_sum", "pairs").label("mean_post"),
        mean("gain_sum", "gains").label("mean_gain"),
        total("improved").label("improved"),
        _distinct_if(c.c.participants > 0, c.c.province_code, reach).label("provinces"),
        _distinct_if(c.c.participants > 0, c.c.regency_code, reach).label("regencies"),
        *[total(status.value).label(status.value) for status in RegistrationStatus],
    ]


def _distinct_if(condition, column, wanted: bool):
    return sa.func.count(sa.distinct(sa.case((condition, column)))) if wanted else sa.null()


def _rate(part, whole) -> float | None:
    return 100.0 * float(part or 0) / float(whole) if whole else None


def _float(value) -> float | None:
    return float(value) if value is not None else None


# --- figures: one statement for the headline and the four breakdowns ---------------------------

DIMENSIONS = ("total", "province", "regency", "institution_type", "gender")


def figures(filters: Filters, viewer: User) -> dict[str, list]:
    """The headline and the breakdowns from one statement: the per-registration rows are
    computed once (a materialized CTE) and summed into cells, one per profile (a few thousand
    rows at most); the cells are then grouped five ways (UNION ALL). Grouping 100,000 rows five
    times with a distinct count each took most of the time."""
    r = _per_registration(filters, viewer).subquery("per_registration")
    profile = [r.c[name] for name in PROFILE_COLUMNS]
    c = (
        sa.select(*profile, *_cell_measures(r))
        .group_by(*profile)
        .cte("cells")
        .prefix_with("MATERIALIZED")
    )
    parts = [
        sa.select(
            sa.literal("total").label("dim"),
            sa.null().label("code"),
            sa.null().label("label"),
            *_measures(c, reach=True),
        )
    ]
    for dimension in DIMENSIONS[1:]:
        column = c.c[f"{dimension}_code" if dimension in ("province", "regency") else dimension]
        code = sa.cast(column, sa.String(32))
        if dimension in ("province", "regency"):
            part = (
                sa.select(sa.literal(dimension), code, Region.name, *_measures(c))
                .outerjoin(Region, Region.code == column)
                .group_by(column, Region.name)
            )
        else:
            part = sa.select(sa.literal(dimension), code, sa.null(), *_measures(c)).group_by(column)
        parts.append(part)
    _no_jit()
    rows = db.session.execute(sa.union_all(*parts)).all()
    result: dict[str, list] = {dimension: [] for dimension in DIMENSIONS}
    for row in rows:
        result[row.dim].append(row)
    for dimension in DIMENSIONS[1:]:
        result[dimension].sort(key=lambda row: (-row.participants, row.code or ""))
    return result


def _no_jit() -> None:
    """PostgreSQL JIT-compiles a statement whose estimated cost is high, as these aggregates over
    every registration are, and the compiling took longer than the query (up to ~1 s): turn JIT
    off for this transaction only."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(sa.text("SET LOCAL jit = off"))


def _headline(row, workshops_held: int) -> Headline:
    return Headline(
        workshops_held=workshops_held,
        registrations={s.value: getattr(row, s.value) or 0 for s in RegistrationStatus},
        participants=row.participants,
        provinces=row.provinces,
        regencies=row.regencies,
        checkins=row.checkins or 0,
        expected_checkins=row.expected or 0,
        attendance_rate=_rate(row.checkins, row.expected),
        certificates=row.certificates or 0,
        attended=row.attended or 0,
        certified=row.certified or 0,
        pairs=row.pairs,
        mean_pre=_float(row.mean_pre),
        mean_post=_float(row.mean_post),
        mean_gain=_float(row.mean_gain),
        improved_share=_rate(row.improved, row.pairs),
    )


def workshops_held(filters: Filters, viewer: User) -> int:
    """Held workshops in scope; with a participant filter, those with a matching registration."""
    query = sa.select(sa.func.count()).where(*_in_scope(Workshop.id, filters, viewer))
    if filters.on_participants:
        matching = _filtered_registrations(filters, viewer, Registration.workshop_id)
        query = query.where(Workshop.id.in_(matching))
    return db.session.scalar(query)


def _group_rows(rows, labels: dict | None = None) -> list[GroupRow]:
    result = []
    for row in rows:
        label = str(labels.get(row.code, row.code)) if labels else row.label
        if row.participants < MIN_GROUP:
            result.append(GroupRow(row.code, label, row.participants, suppressed=True))
            continue
        result.append(
            GroupRow(
                row.code,
                label,
                row.participants,
                registrations=row.registrations,
                attendance_rate=_rate(row.checkins, row.expected),
                certificates=row.certificates or 0,
                pairs=row.pairs,
                mean_pre=_float(row.mean_pre),
                mean_post=_float(row.mean_post),
                mean_gain=_float(row.mean_gain),
            )
        )
    return result


def headline(filters: Filters, viewer: User) -> Headline:
    return _headline(figures(filters, viewer)["total"][0], workshops_held(filters, viewer))


def by_dimension(filters: Filters, viewer: User, dimension: str, labels=None) -> list[GroupRow]:
    """Breakdown by a profile column: institution_type or gender."""
    return _group_rows(figures(filters, viewer)[dimension], labels)


def by_region(filters: Filters, viewer: User, *, regency: bool = False) -> list[GroupRow]:
    """Breakdown by province or by kabupaten/kota, with the official code and name."""
    return _group_rows(figures(filters, viewer)["regency" if regency else "province"])
