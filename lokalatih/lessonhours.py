"""Lesson hours (JP, jam pelajaran): per session, per workshop, attended per participant.

ASN must take at least 20 JP of competency development a year (PP 11/2017 as amended by PP
17/2020; SE BKN 3/2022). 1 JP is 45 minutes in common practice. JP are kept as whole halves
(an int: 7 = 3.5 JP) so sums are exact and never a float.

- A session carries the JP its organizer set (`WorkshopSession.jp_halves`), else its length /
  45 minutes rounded down to a half (so 90 minutes = 2 JP, 100 minutes = 2 JP, 120 = 2.5 JP).
- A workshop delivers the sum of its sessions' JP. When that sum is 0 (no sessions, or only very
  short ones), the organizer's single figure `Workshop.training_hours` is the fallback.
- A participant attended the sum of the JP of the sessions they checked in to; with no session
  JP at all, the fallback figure (all or nothing: it has no sessions to split it over).
- A session's JP count in the calendar year of its start in the workshop's zone (WIB, WITA,
  WIT), never UTC's: a session at 31 December 23:00 WIT belongs to that year, and one at
  1 January 00:30 WIB (31 December 17:30 UTC) to the next.

Shared: imports no feature, so certificates, workshops, reports and the transcript use it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from babel.numbers import format_decimal

from .extensions import db
from .models import (
    CheckIn,
    Registration,
    RegistrationStatus,
    Workshop,
    WorkshopSession,
    WorkshopTimezone,
)

MINUTES_PER_JP = 45
ASN_YEARLY_TARGET_JP = 20  # PP 11/2017 as amended by PP 17/2020; SE BKN 3/2022
MAX_SESSION_JP = 40  # an edit above this is a typing slip (a session is at most a long day)


def default_halves(starts_at: datetime, ends_at: datetime) -> int:
    """The session's length / 45 minutes, rounded down to a half, as halves."""
    seconds = max(0, int((ends_at - starts_at).total_seconds()))
    # halves = floor(minutes / 45 * 2) = floor(seconds * 2 / 2700)
    return (seconds * 2) // (MINUTES_PER_JP * 60)


def session_halves(session: WorkshopSession) -> int:
    if session.jp_halves is not None:
        return session.jp_halves
    return default_halves(session.starts_at, session.ends_at)


def workshop_halves(workshop: Workshop) -> int:
    """What the workshop delivers: its sessions' JP, else the fallback figure (in halves)."""
    from_sessions = sum(session_halves(session) for session in workshop.sessions)
    if from_sessions:
        return from_sessions
    return (workshop.training_hours or 0) * 2


def halves_from_jp(value) -> int:
    """A JP figure (int, Decimal, float or '3,5') as halves, rounded down to a half."""
    text = str(value).strip().replace(",", ".")
    number = float(text)
    return int(number * 2 + 1e-9)


def as_number(halves: int) -> int | float:
    """Halves as the JP number for a spreadsheet cell: 7 -> 3.5, 8 -> 4."""
    return halves // 2 if halves % 2 == 0 else halves / 2


def format_jp(halves: int, locale) -> str:
    """'3,5' in Indonesian, '3.5' in English, '4' without a fraction."""
    return format_decimal(as_number(halves), format="#,##0.#", locale=locale)


def jp_text(halves: int) -> str:
    """format_jp in the reader's language (a template filter: `{{ halves|jp }}`)."""
    from flask_babel import get_locale

    return format_jp(halves, get_locale())


def session_year(session: WorkshopSession, timezone: WorkshopTimezone) -> int:
    return session.starts_at.astimezone(timezone.zone).year


@dataclass
class Attended:
    """One confirmed registration's JP: attended in total and per calendar year (zone's)."""

    registration_id: int
    halves: int = 0
    by_year: dict[int, int] | None = None


def attended_halves(workshop: Workshop, registration_ids: list[int] | None = None) -> dict:
    """Confirmed registration id → Attended, for one workshop, in two queries.

    With no session JP at all, a participant who attended at least one session (or, with no
    sessions, any confirmed participant) gets the fallback figure, in the year the workshop ends.
    """
    sessions = list(
        db.session.scalars(
            sa.select(WorkshopSession).where(WorkshopSession.workshop_id == workshop.id)
        )
    )
    per_session = {session.id: session_halves(session) for session in sessions}
    year_of = {session.id: session_year(session, workshop.timezone) for session in sessions}
    query = (
        sa.select(Registration.id, CheckIn.session_id)
        .outerjoin(CheckIn, CheckIn.registration_id == Registration.id)
        .where(
            Registration.workshop_id == workshop.id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
    )
    if registration_ids is not None:
        query = query.where(Registration.id.in_(registration_ids))
    result: dict[int, Attended] = {}
    checked: dict[int, set[int]] = defaultdict(set)
    for registration_id, session_id in db.session.execute(query):
        result.setdefault(registration_id, Attended(registration_id, 0, {}))
        if session_id is not None:
            checked[registration_id].add(session_id)
    fallback = (workshop.training_hours or 0) * 2 if not any(per_session.values()) else 0
    for registration_id, item in result.items():
        if fallback:
            if checked[registration_id] or not sessions:
                item.halves = fallback
                item.by_year = {workshop.end_date.year: fallback}
            continue
        for session_id in checked[registration_id]:
            halves = per_session.get(session_id, 0)
            if halves:
                item.halves += halves
                year = year_of[session_id]
                item.by_year[year] = item.by_year.get(year, 0) + halves
    return result


def attended_of(registration: Registration) -> Attended:
    found = attended_halves(registration.workshop, [registration.id])
    return found.get(registration.id, Attended(registration.id, 0, {}))
