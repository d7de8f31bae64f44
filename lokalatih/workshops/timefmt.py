"""Dates and times in the workshop's zone, in the reader's language, with WIB/WITA/WIT appended.

Babel is called directly with the workshop's zone: flask_babel's helpers would convert to the
application's default zone (WIB) and show a Makassar workshop an hour early.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from babel.dates import format_date, format_time
from flask_babel import get_locale

from ..models import Workshop, WorkshopSession, WorkshopTimezone

DAY_PATTERN = "EEEE, d MMMM y"  # "Senin, 7 Desember 2026"
SHORT_DAY_PATTERN = "d MMM y"  # "7 Des 2026"


def to_local(dt: datetime, workshop: Workshop) -> datetime:
    return dt.astimezone(workshop.zone)


def to_utc(local: datetime, timezone: WorkshopTimezone) -> datetime:
    """A naive wall-clock time in the workshop's zone (a datetime-local input) as aware UTC."""
    return local.replace(tzinfo=timezone.zone).astimezone(UTC)


def to_wall_clock(dt: datetime | None, timezone: WorkshopTimezone) -> datetime | None:
    """Aware UTC as the naive wall-clock time a datetime-local input shows."""
    return dt.astimezone(timezone.zone).replace(tzinfo=None) if dt is not None else None


def local_day(value: date | datetime, workshop: Workshop | None = None) -> str:
    """'Senin, 7 Desember 2026'; a datetime is first moved to the workshop's zone."""
    if isinstance(value, datetime):
        value = to_local(value, workshop).date()
    return format_date(value, DAY_PATTERN, locale=get_locale())


def short_day(value: date) -> str:
    return format_date(value, SHORT_DAY_PATTERN, locale=get_locale())


def local_clock(dt: datetime, workshop: Workshop) -> str:
    """'09.00' (Indonesian) or '9:00 AM' (English), in the workshop's zone, without the zone."""
    local = to_local(dt, workshop)
    return format_time(local, "short", tzinfo=workshop.zone, locale=get_locale())


def local_datetime(dt: datetime | None, workshop: Workshop) -> str:
    """'Senin, 7 Desember 2026, 09.00 WITA'."""
    if dt is None:
        return ""
    day = local_day(dt, workshop)
    return f"{day}, {local_clock(dt, workshop)} {workshop.timezone.abbreviation}"


def session_times(session: WorkshopSession) -> str:
    """'Senin, 7 Desember 2026, 09.00–10.30 WITA', with both days when it spans midnight."""
    workshop = session.workshop
    start, end = to_local(session.starts_at, workshop), to_local(session.ends_at, workshop)
    abbreviation = workshop.timezone.abbreviation
    if start.date() == end.date():
        clocks = (
            f"{local_clock(session.starts_at, workshop)}–{local_clock(session.ends_at, workshop)}"
        )
        return f"{local_day(start.date())}, {clocks} {abbreviation}"
    start_text = local_datetime(session.starts_at, workshop)
    return f"{start_text} – {local_datetime(session.ends_at, workshop)}"


def date_range(workshop: Workshop) -> str:
    """'7 Des 2026' or '7 Des 2026 – 9 Des 2026'."""
    return day_span(workshop.start_date, workshop.end_date)


def day_span(start: date, end: date) -> str:
    if start == end:
        return short_day(start)
    return f"{short_day(start)} – {short_day(end)}"


def timezone_label(timezone: WorkshopTimezone) -> str:
    """'WITA (Asia/Makassar)'."""
    return f"{timezone.abbreviation} ({timezone.value})"


def register_filters(bp) -> None:
    """Make the filters available in every template once the blueprint is registered."""
    bp.add_app_template_filter(local_datetime, "local_datetime")
    bp.add_app_template_filter(local_day, "local_day")
    bp.add_app_template_filter(short_day, "short_day")
    bp.add_app_template_filter(session_times, "session_times")
    bp.add_app_template_filter(date_range, "date_range")
    bp.add_app_template_filter(timezone_label, "timezone_label")
