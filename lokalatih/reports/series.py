"""The dashboard's other statements: the monthly trend, the learning-gain distribution,
kabupaten/kota coverage and the list of workshops in the filter. Same scope as `figures`
(held workshops, started sessions, the filters); groups under MIN_GROUP people are suppressed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from ..extensions import db
from ..models import Region, RegionLevel, Registration, RegistrationStatus, User, Workshop
from .figures import MIN_GROUP, Filters, _filtered_registrations, _in_scope, _per_registration

# Upper bounds of the gain bins; the last bin holds g = 1 too.
GAIN_BINS = ((-1.0, 0.0), (0.0, 0.2), (0.2, 0.4), (0.4, 0.6), (0.6, 0.8), (0.8, 1.01))


def _month(column):
    if db.session.get_bind().dialect.name == "postgresql":
        return sa.func.to_char(column, "YYYY-MM")
    return sa.func.strftime("%Y-%m", column)


@dataclass
class MonthRow:
    month: str  # YYYY-MM of the workshops' start date
    workshops: int
    participants: int | None  # None: suppressed
    certificates: int | None


def trend(filters: Filters, viewer: User) -> list[MonthRow]:
    """Per month of the workshop's start date: held workshops, distinct participants (confirmed)
    and certificates of the registrations in scope."""
    month = _month(Workshop.start_date)
    query = _filtered_registrations(
        filters,
        viewer,
        month.label("month"),
        sa.func.count(sa.distinct(Registration.workshop_id)),
        sa.func.count(
            sa.distinct(
                sa.case((Registration.status == RegistrationStatus.CONFIRMED, Registration.user_id))
            )
        ),
        sa.func.coalesce(sa.func.sum(Registration.certificates_earned), 0),
    ).join(Workshop, Workshop.id == Registration.workshop_id)
    people = {row[0]: row[1:] for row in db.session.execute(query.group_by(month))}
    held = sa.select(month, sa.func.count()).where(*_in_scope(Workshop.id, filters, viewer))
    if filters.on_participants:  # as `workshops_held`: those with a matching registration
        held = held.where(
            Workshop.id.in_(_filtered_registrations(filters, viewer, Registration.workshop_id))
        )
    workshops = dict(db.session.execute(held.group_by(month)).all())
    result = []
    for key in sorted(set(workshops) | set(people)):
        _, participants, certificates = people.get(key, (0, 0, 0))
        hidden = 0 < participants < MIN_GROUP
        result.append(
            MonthRow(
                key,
                workshops.get(key, 0),
                None if hidden else participants,
                None if hidden else int(certificates),
            )
        )
    return result


@dataclass
class GainBin:
    low: float
    high: float
    pairs: int | None  # None: suppressed


def gain_distribution(filters: Filters, viewer: User) -> list[GainBin]:
    """Pairs (pre-test below 100) per bin of normalized gain g = (post − pre) / (100 − pre)."""
    # Only the scores: the registrations in scope without the attendance columns of
    # `_per_registration` (a correlated count per row).
    r = _filtered_registrations(
        filters,
        viewer,
        Registration.user_id.label("user_id"),
        Registration.pre_score.label("pre"),
        Registration.post_score.label("post"),
    ).subquery("scores")
    gain = (r.c.post - r.c.pre) / (100.0 - r.c.pre)
    bucket = sa.case(
        *[(gain < high, i) for i, (_, high) in enumerate(GAIN_BINS)], else_=len(GAIN_BINS) - 1
    )
    query = (
        sa.select(bucket.label("bin"), sa.func.count(), sa.func.count(sa.distinct(r.c.user_id)))
        .where(r.c.pre.is_not(None), r.c.post.is_not(None), r.c.pre < 100)
        .group_by(bucket)
    )
    counts = {row[0]: (row[1], row[2]) for row in db.session.execute(query)}
    result = []
    for i, (low, high) in enumerate(GAIN_BINS):
        pairs, people = counts.get(i, (0, 0))
        result.append(GainBin(low, min(high, 1.0), None if 0 < people < MIN_GROUP else pairs))
    return result


@dataclass
class Coverage:
    code: str
    name: str
    total: int  # kabupaten/kota of the province
    reached: int
    not_reached: list[str]  # names

    @property
    def share(self) -> float:
        return 100.0 * self.reached / self.total if self.total else 0.0


def coverage(reached_codes: set[str]) -> list[Coverage]:
    """Per province: its kabupaten/kota with at least one participant among `reached_codes`
    (the codes of the kabupaten/kota breakdown), and the names of the others."""
    regions = db.session.execute(
        sa.select(Region.code, Region.name, Region.level, Region.parent_code).order_by(Region.code)
    ).all()
    provinces = {r.code: r.name for r in regions if r.level == RegionLevel.PROVINCE}
    result = {code: Coverage(code, name, 0, 0, []) for code, name in provinces.items()}
    for region in regions:
        if region.level == RegionLevel.PROVINCE or region.parent_code not in result:
            continue
        row = result[region.parent_code]
        row.total += 1
        if region.code in reached_codes:
            row.reached += 1
        else:
            row.not_reached.append(region.name)
    return list(result.values())


@dataclass
class WorkshopRow:
    slug: str
    title: str
    start_date: date
    participants: int
    suppressed: bool
    attendance_rate: float | None = None
    certificates: int = 0
    mean_gain: float | None = None


def workshop_rows(filters: Filters, viewer: User) -> list[WorkshopRow]:
    """The held workshops in the filter with their own figures, latest first."""
    r = _per_registration(filters, viewer).subquery("per_registration")
    confirmed = r.c.status == RegistrationStatus.CONFIRMED
    paired = sa.and_(r.c.pre.is_not(None), r.c.post.is_not(None), r.c.pre < 100)
    sums = (
        sa.select(
            r.c.workshop_id,
            sa.func.count(sa.distinct(sa.case((confirmed, r.c.user_id)))).label("people"),
            sa.func.sum(sa.case((confirmed, r.c.checkins), else_=0)).label("checkins"),
            sa.func.sum(sa.case((confirmed, r.c.sessions), else_=0)).label("expected"),
            sa.func.sum(r.c.certificates).label("certificates"),
            sa.func.avg(sa.case((paired, (r.c.post - r.c.pre) / (100.0 - r.c.pre)))).label("gain"),
        )
        .group_by(r.c.workshop_id)
        .subquery("sums")
    )
    query = (
        sa.select(Workshop.slug, Workshop.title, Workshop.start_date, sums)
        .join(sums, sums.c.workshop_id == Workshop.id)
        .order_by(Workshop.start_date.desc(), Workshop.id.desc())
    )
    result = []
    for row in db.session.execute(query):
        if 0 < row.people < MIN_GROUP:
            result.append(WorkshopRow(row.slug, row.title, row.start_date, row.people, True))
            continue
        rate = 100.0 * float(row.checkins) / float(row.expected) if row.expected else None
        gain = float(row.gain) if row.gain is not None else None
        certificates = int(row.certificates or 0)
        result.append(
            WorkshopRow(
                row.slug, row.title, row.start_date, row.people, False, rate, certificates, gain
            )
        )
    return result
