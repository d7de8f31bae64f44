"""Lesson hours (JP) delivered, by the participants' province and institution type.

"Delivered" is the JP participants attended: for each confirmed registration in the report's
scope (the same filters and held workshops as every other figure:
`figures._filtered_registrations`), the JP of the sessions it checked in to that had started
by `Filters.as_of`
(`lokalatih/lessonhours.py`: a session's own JP, else its length / 45 minutes rounded down to a
half; a workshop whose sessions carry none counts its single figure for each participant who
attended at least one session). Groups of fewer than 5 distinct participants show "< 5" and
no JP, as everywhere in the report.

The database counts per group (province, institution type): for a workshop whose sessions all
started and carry the same JP, the registrations' check-in tally; for the others, the check-ins
per session; for a workshop without session JP, the participants who attended. Python only
multiplies by the JP, since the default JP is arithmetic on times that SQLite and PostgreSQL
spell differently.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from .. import lessonhours
from ..extensions import db
from ..labels import INSTITUTION_TYPE_LABELS
from ..models import (
    CheckIn,
    Region,
    Registration,
    RegistrationStatus,
    User,
    Workshop,
    WorkshopSession,
)
from .figures import MIN_GROUP, Filters, _filtered_registrations, _in_scope

DIMENSIONS = ("province_code", "institution_type")


@dataclass(frozen=True)
class JpRow:
    code: str | None
    label: str | None
    participants: int
    suppressed: bool = False
    jp_halves: int = 0  # JP delivered to the group, in halves

    @property
    def mean_halves(self) -> float | None:
        """JP per participant (in halves, not rounded)."""
        return self.jp_halves / self.participants if self.participants else None


@dataclass(frozen=True)
class JpReport:
    provinces: list[JpRow]
    institution_types: list[JpRow]
    total_halves: int


@dataclass
class _Plan:
    """How each workshop in scope delivers its JP."""

    uniform: dict[int, int]  # workshop id → halves of each session; every session has started
    fallback: dict[int, int]  # workshop id → its single figure; no session carries JP
    per_session: dict[int, int]  # session id → halves, for the other workshops


def _plan(workshop_ids, as_of) -> _Plan:
    # The workshops and their sessions in two statements, not one per workshop.
    workshops = db.session.scalars(
        sa.select(Workshop)
        .where(Workshop.id.in_(workshop_ids))
        .options(selectinload(Workshop.sessions))
    ).all()
    plan = _Plan({}, {}, {})
    for workshop in workshops:
        halves = {session.id: lessonhours.session_halves(session) for session in workshop.sessions}
        if not any(halves.values()):
            if figure := lessonhours.workshop_halves(workshop):
                plan.fallback[workshop.id] = figure
            continue
        started = {halves[s.id] for s in workshop.sessions if s.starts_at <= as_of}
        if len(started) == 1 and all(s.starts_at <= as_of for s in workshop.sessions):
            plan.uniform[workshop.id] = started.pop()
        else:
            plan.per_session.update(halves)
    return plan


def jp_delivered(filters: Filters, viewer: User) -> JpReport:
    """JP delivered in the report's scope, by province and by institution type."""
    confirmed = _filtered_registrations(
        filters,
        viewer,
        Registration.id,
        Registration.user_id,
        Registration.workshop_id,
        Registration.sessions_attended.label("tally"),
        *[getattr(Registration, name) for name in DIMENSIONS],
    ).where(Registration.status == RegistrationStatus.CONFIRMED)
    scope = confirmed.subquery("scope")
    started = WorkshopSession.starts_at <= filters.as_of
    # The held workshops in the report's scope (a few hundred), without reading registrations.
    plan = _plan(
        sa.select(Workshop.id).where(*_in_scope(Workshop.id, filters, viewer)), filters.as_of
    )
    # Most workshops give every session the same JP and have held them all: there the
    # registrations' check-in tally (migration 0009) times that JP is the figure, read in the
    # same pass as the participants, without the check-ins (280,000 at the 100k size).
    # One WHEN per JP figure (a handful), each an IN list of its workshops: a WHEN per workshop
    # made the database try hundreds of comparisons on every registration.
    by_figure: dict[int, list[int]] = defaultdict(list)
    for workshop_id, halves in plan.uniform.items():
        by_figure[halves].append(workshop_id)
    uniform_halves = (
        sa.case(
            *[(scope.c.workshop_id.in_(ids), halves) for halves, ids in by_figure.items()],
            else_=0,
        )
        if by_figure
        else sa.literal(0)
    )
    participants: dict[str, dict] = {}
    delivered: dict[str, dict] = {dimension: defaultdict(int) for dimension in DIMENSIONS}
    for dimension in DIMENSIONS:
        rows = db.session.execute(
            sa.select(
                scope.c[dimension],
                sa.func.count(sa.distinct(scope.c.user_id)),
                sa.func.sum(scope.c.tally * uniform_halves),
            ).group_by(scope.c[dimension])
        ).all()
        participants[dimension] = {cell: people for cell, people, _halves in rows}
        for cell, _people, halves in rows:
            delivered[dimension][cell] += halves or 0
        # The others: check-ins on sessions that have started, counted per session and group.
        if plan.per_session:
            rows = db.session.execute(
                sa.select(CheckIn.session_id, scope.c[dimension], sa.func.count())
                .join(scope, scope.c.id == CheckIn.registration_id)
                .join(WorkshopSession, WorkshopSession.id == CheckIn.session_id)
                .where(started, CheckIn.session_id.in_(plan.per_session))
                .group_by(CheckIn.session_id, scope.c[dimension])
            ).all()
            for session_id, cell, count in rows:
                delivered[dimension][cell] += plan.per_session[session_id] * count
        # A workshop without session JP gives its single figure once to each participant who
        # attended any of its sessions.
        if plan.fallback:
            rows = db.session.execute(
                sa.select(
                    scope.c.workshop_id,
                    scope.c[dimension],
                    sa.func.count(sa.distinct(scope.c.id)),
                )
                .select_from(CheckIn)
                .join(scope, scope.c.id == CheckIn.registration_id)
                .join(WorkshopSession, WorkshopSession.id == CheckIn.session_id)
                .where(started, scope.c.workshop_id.in_(plan.fallback))
                .group_by(scope.c.workshop_id, scope.c[dimension])
            ).all()
            for workshop_id, cell, count in rows:
                delivered[dimension][cell] += plan.fallback[workshop_id] * count
    province_names = dict(
        db.session.execute(
            sa.select(Region.code, Region.name).where(
                Region.code.in_([code for code in participants["province_code"] if code])
            )
        ).all()
    )
    return JpReport(
        provinces=_rows(participants["province_code"], delivered["province_code"], province_names),
        institution_types=_rows(
            participants["institution_type"],
            delivered["institution_type"],
            {kind.value: str(label) for kind, label in INSTITUTION_TYPE_LABELS.items()},
            show_code=False,
        ),
        total_halves=sum(delivered["province_code"].values()),
    )


def _code(value) -> str | None:
    return getattr(value, "value", value)


def _rows(participants: dict, delivered: dict, labels: dict, show_code: bool = True) -> list[JpRow]:
    """Largest JP first; a group under MIN_GROUP participants keeps only its label."""
    rows = []
    for key, count in participants.items():
        code = _code(key)
        label = labels.get(code) if code else None
        if count < MIN_GROUP:
            rows.append(JpRow(code if show_code else None, label, count, suppressed=True))
        else:
            rows.append(
                JpRow(code if show_code else None, label, count, jp_halves=delivered.get(key, 0))
            )
    return sorted(rows, key=lambda row: (row.suppressed, -row.jp_halves, row.label or ""))
