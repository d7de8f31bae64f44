"""The agenda as an iCalendar file: one event per session, in UTC, with stable UIDs."""

from __future__ import annotations

from datetime import UTC

from flask_babel import gettext as _
from icalendar import Calendar, Event

from ..models import Workshop, WorkshopSession, WorkshopStatus
from ..outbox.services import external_url

PRODUCT_ID = "-//lokalatih//Loka Latih HAM//ID"


def is_link(place: str | None) -> bool:
    """A session place that is a web address is a meeting link, shown only to those allowed."""
    return bool(place) and place.strip().lower().startswith(("http://", "https://"))


def session_location(session: WorkshopSession, *, include_meeting_url: bool) -> str | None:
    workshop = session.workshop
    if session.place and (include_meeting_url or not is_link(session.place)):
        return session.place
    if workshop.venue:
        return workshop.venue
    return workshop.meeting_url if include_meeting_url else None


def _description(workshop: Workshop, page_url: str, include_meeting_url: bool) -> str:
    lines = [_("Halaman loka latih: %(url)s", url=page_url)]
    if include_meeting_url and workshop.meeting_url:
        lines.append(_("Tautan pertemuan daring: %(url)s", url=workshop.meeting_url))
    return "\n".join(lines)


def _event(session: WorkshopSession, page_url: str, include_meeting_url: bool) -> Event:
    workshop = session.workshop
    event = Event()
    event.add("uid", f"session-{session.id}@lokalatih")
    event.add("sequence", session.sequence or 0)
    event.add("dtstamp", workshop.updated_at.astimezone(UTC))
    event.add("dtstart", session.starts_at.astimezone(UTC))
    event.add("dtend", session.ends_at.astimezone(UTC))
    event.add("summary", f"{workshop.title}: {session.title}")
    location = session_location(session, include_meeting_url=include_meeting_url)
    if location:
        event.add("location", location)
    event.add("description", _description(workshop, page_url, include_meeting_url))
    event.add("url", page_url)
    # Calendar apps strike through a cancelled event instead of silently keeping it.
    cancelled = workshop.status == WorkshopStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    return event


def build_calendar(workshop: Workshop, *, include_meeting_url: bool) -> bytes:
    """The workshop's sessions as an .ics file; the meeting link only when `include_meeting_url`."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", workshop.title)
    page_url = external_url("workshops.detail", slug=workshop.slug)
    for session in workshop.sessions:
        calendar.add_component(_event(session, page_url, include_meeting_url))
    return calendar.to_ical()


def filename(workshop: Workshop) -> str:
    return f"{workshop.slug}.ics"
