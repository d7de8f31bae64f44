"""Lesson hours (JP) delivered, by the participants' province and institution type.

"Delivered" is the JP participants attended: for each confirmed registration in the report's
scope (the same filters and held workshops as every other figure:
`figures._filtered_registrations`), the JP of the sessions it checked in to that had started
by `Filters.as_of`
(`lokalatih/lessonhours.py`: a session's own JP, else its length / 45 minutes rounded down to a
half; a workshop whose sessions carry none counts its single figure for each participant who
attended at least one session). Groups of fewer than 5 distinct participants show "< 5" and
no JP, as everywhere in the report.

The database counts check-ins per session and profile cell; Python only multiplies by each
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


def _session_halves(session_ids: set[int]) -> tuple[dict[int, int], dict[int, int]]:
    """Session id → its JP in halves; and workshop id → its fallback figure in halves, for the
    workshops (of these sessions) whose sessions carry no JP at all."""
    if not session_ids:
        return {}, {}
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
    return halves, {key: value for key, value in fallback.items() if value}


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
    counted = db.session.execute(
        sa.select(
            CheckIn.session_id,
            scope.c.workshop_id,
            scope.c.id,
            *[scope.c[dimension] for dimension in DIMENSIONS],
        )
        .join(scope, scope.c.id == CheckIn.registration_id)
        .join(WorkshopSession, WorkshopSession.id == CheckIn.session_id)
        .where(WorkshopSession.starts_at <= filters.as_of)
    ).all()
    halves, fallback = _session_halves({row.session_id for row in counted})
    delivered: dict[str, dict] = {dimension: defaultdict(int) for dimension in DIMENSIONS}
    fallback_paid: set[int] = set()  # registrations already given their workshop's figure
    for row in counted:
        if row.workshop_id in fallback:
            if row.id in fallback_paid:
                continue
            fallback_paid.add(row.id)
            value = fallback[row.workshop_id]
        else:
            value = halves.get(row.session_id, 0)
        for dimension in DIMENSIONS:
            delivered[dimension][getattr(row, dimension)] += value
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
