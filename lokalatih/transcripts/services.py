"""What a participant's training history says: one row per workshop they took part in, and the
lesson hours (JP) attended per calendar year against the ASN target of 20 JP a year
(PP 11/2017 as amended by PP 17/2020; SE BKN 3/2022). Reads the models; JP arithmetic is in
`lokalatih/lessonhours.py`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from .. import lessonhours
from ..extensions import db
from ..models import (
    Certificate,
    Registration,
    RegistrationStatus,
    User,
    Workshop,
    WorkshopStatus,
    utcnow,
)

# Workshops that took place (or are taking place): an upcoming or cancelled one is no training.
HELD = (WorkshopStatus.RUNNING, WorkshopStatus.COMPLETED, WorkshopStatus.ARCHIVED)
# The participant has no zone of their own: "this year" is read in WIB, the zone of most.
HOME_ZONE = ZoneInfo("Asia/Jakarta")
TARGET_HALVES = 2 * lessonhours.ASN_YEARLY_TARGET_JP


@dataclass(frozen=True)
class WorkshopRow:
    workshop: Workshop
    attended_halves: int  # JP of the sessions this participant checked in to
    delivered_halves: int  # JP of the whole agenda (or the workshop's single figure)
    certificate_number: str | None  # the valid certificate, if any


@dataclass(frozen=True)
class YearTotal:
    year: int
    attended_halves: int

    @property
    def target_halves(self) -> int:
        return TARGET_HALVES

    @property
    def met(self) -> bool:
        return self.attended_halves >= TARGET_HALVES

    @property
    def missing_halves(self) -> int:
        return max(0, TARGET_HALVES - self.attended_halves)


@dataclass(frozen=True)
class Transcript:
    name: str
    institution: str
    rows: list[WorkshopRow]
    years: list[YearTotal]  # newest first
    generated_at: datetime

    @property
    def attended_halves(self) -> int:
        return sum(row.attended_halves for row in self.rows)


def held_registrations(user: User) -> list[Registration]:
    """The user's confirmed registrations of workshops held, newest workshop first."""
    return list(
        db.session.scalars(
            sa.select(Registration)
            .join(Workshop, Workshop.id == Registration.workshop_id)
            .where(
                Registration.user_id == user.id,
                Registration.status == RegistrationStatus.CONFIRMED,
                Workshop.status.in_(HELD),
            )
            .options(selectinload(Registration.workshop).selectinload(Workshop.sessions))
            .order_by(Workshop.start_date.desc(), Workshop.id.desc())
        )
    )


def _valid_certificate_numbers(registration_ids: list[int]) -> dict[int, str]:
    if not registration_ids:
        return {}
    rows = db.session.execute(
        sa.select(Certificate.registration_id, Certificate.number).where(
            Certificate.registration_id.in_(registration_ids), Certificate.revoked_at.is_(None)
        )
    )
    return dict(rows.all())


def this_year(now: datetime | None = None) -> int:
    return (now or utcnow()).astimezone(HOME_ZONE).year


def transcript_of(user: User, now: datetime | None = None) -> Transcript:
    """The user's history: every workshop held that they were confirmed for, the JP attended
    in each, and per year (the year of each session in its workshop's zone) the total against
    the target. This year is always listed, with 0 JP if nothing was attended yet."""
    now = now or utcnow()
    registrations = held_registrations(user)
    numbers = _valid_certificate_numbers([registration.id for registration in registrations])
    rows: list[WorkshopRow] = []
    by_year: dict[int, int] = {this_year(now): 0}
    for registration in registrations:
        attended = lessonhours.attended_of(registration)
        for year, halves in (attended.by_year or {}).items():
            by_year[year] = by_year.get(year, 0) + halves
        rows.append(
            WorkshopRow(
                workshop=registration.workshop,
                attended_halves=attended.halves,
                delivered_halves=lessonhours.workshop_halves(registration.workshop),
                certificate_number=numbers.get(registration.id),
            )
        )
    profile = user.profile
    return Transcript(
        name=(profile.full_name if profile and profile.full_name else user.email),
        institution=(profile.institution_name or "") if profile else "",
        rows=rows,
        years=[YearTotal(year, halves) for year, halves in sorted(by_year.items(), reverse=True)],
        generated_at=now,
    )
