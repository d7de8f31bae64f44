"""Lesson hours (JP) delivered, by the participants' province and institution type.

"Delivered" is the JP participants attended: for each confirmed registration in the report's
scope (the same filters and held workshops as every other figure:
`figures._filtered_registrations`), the JP of the sessions it checked in to that had started
by `Filters.as_of`
(`lokalatih/lessonhours.py`: a session's own JP, else its length / 45 minutes rounded down to a
half; a workshop whose sessions carry none counts its single figure for each participant who
attended at least one session). Groups of fewer than 5 distinct participants show "< 5" and
no JP, as everywhere in the report.

The database counts check-ins per session and group (province, institution type), and the
participants of each workshop without session JP per group; Python only multiplies by each
session's JP, since the default JP is arithmetic on times that SQLite and PostgreSQL spell
differently.
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
from .figures import MIN_GROUP, Filters, _filtered_registrations

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


def _session_halves(
    session_ids: set[int],
) -> tuple[dict[int, int], dict[int, int], dict[int, int]]:
    """Session id → its JP in halves; workshop id → its fallback figure in halves, for the
    workshops (of these sessions) whose sessions carry no JP at all; session id → workshop id."""
    if not session_ids:
        return {}, {}, {}
    # The workshops and their sessions come in two more statements, not one per workshop.
    sessions = db.session.scalars(
        sa.select(WorkshopSession)
        .where(WorkshopSession.id.in_(session_ids))
        .options(selectinload(WorkshopSession.workshop).selectinload(Workshop.sessions))
    ).all()
    halves = {session.id: lessonhours.session_halves(session) for session in sessions}
    fallback: dict[int, int] = {}
    for session in sessions:
        workshop = session.workshop
        if workshop.id not in fallback:
            fallback[workshop.id] = (
                lessonhours.workshop_halves(workshop)
                if not any(lessonhours.session_halves(other) for other in workshop.sessions)
                else 0
            )
    workshop_of = {session.id: session.workshop_id for session in sessions}
    return halves, {key: value for key, value in fallback.items() if value}, workshop_of


def jp_delivered(filters: Filters, viewer: User) -> JpReport:
    """JP delivered in the report's scope, by province and by institution type."""
    confirmed = _filtered_registrations(
        filters,
        viewer,
        Registration.id,
        Registration.user_id,
        Registration.workshop_id,
        *[getattr(Registration, name) for name in DIMENSIONS],
    ).where(Registration.status == RegistrationStatus.CONFIRMED)
    scope = confirmed.subquery("scope")
    participants = {
        dimension: dict(
            db.session.execute(
                sa.select(scope.c[dimension], sa.func.count(sa.distinct(scope.c.user_id))).group_by(
                    scope.c[dimension]
                )
            ).all()
        )
        for dimension in DIMENSIONS
    }
    started = WorkshopSession.starts_at <= filters.as_of
    attended = (
        sa.select(CheckIn.session_id)
        .join(scope, scope.c.id == CheckIn.registration_id)
        .join(WorkshopSession, WorkshopSession.id == CheckIn.session_id)
        .where(started)
    )
    # Check-ins counted per session and group cell by the database: a few thousand rows at the
    # 100,000-participant size, where fetching each check-in took seconds.
    per_session = {
        dimension: db.session.execute(
            attended.add_columns(scope.c[dimension], sa.func.count()).group_by(
                CheckIn.session_id, scope.c[dimension]
            )
        ).all()
        for dimension in DIMENSIONS
    }
    halves, fallback, workshop_of = _session_halves(
        {session_id for session_id, _cell, _count in per_session[DIMENSIONS[0]]}
    )
    delivered: dict[str, dict] = {dimension: defaultdict(int) for dimension in DIMENSIONS}
    for dimension in DIMENSIONS:
        for session_id, cell, count in per_session[dimension]:
            if workshop_of[session_id] not in fallback:
                delivered[dimension][cell] += halves.get(session_id, 0) * count
    if fallback:
        # A workshop without session JP gives its single figure once to each participant who
        # attended any of its sessions.
        for dimension in DIMENSIONS:
            rows = db.session.execute(
                sa.select(
                    scope.c.workshop_id,
                    scope.c[dimension],
                    sa.func.count(sa.distinct(scope.c.id)),
                )
                .select_from(CheckIn)
                .join(scope, scope.c.id == CheckIn.registration_id)
                .join(WorkshopSession, WorkshopSession.id == CheckIn.session_id)
                .where(started, scope.c.workshop_id.in_(fallback))
                .group_by(scope.c.workshop_id, scope.c[dimension])
            ).all()
            for workshop_id, cell, count in rows:
                delivered[dimension][cell] += fallback[workshop_id] * count
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
