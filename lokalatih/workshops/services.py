"""Workshops: creating and editing them, their agenda, quotas and status, and the catalogue."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from urllib.parse import urlsplit

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from .. import signals
from ..audit import record_event
from ..extensions import db
from ..models import (
    ACTIVE_STATUSES,
    Registration,
    Role,
    User,
    Workshop,
    WorkshopMode,
    WorkshopStatus,
    WorkshopTimezone,
    WorkshopTopic,
)
from ..outbox.services import external_url, queue_email
from ..overrides import record_override
from ..theme_tags import themes_for
from . import states
from .capacity import count_confirmed, lock_seats
from .errors import (
    CapacityBelowConfirmedError,
    CapacityBelowQuotasError,
    DatesExcludeSessionsError,
    InvalidMeetingUrlError,
    OrganizerNotFoundError,
    TooManyTopicsError,
    TopicTooLongError,
    WorkshopLockedError,
)

TITLE_MAX = 200
SUMMARY_MAX = 300
DESCRIPTION_MAX = 20_000
PARTNERS_MAX = 300
AUDIENCE_MAX = 2_000
VENUE_MAX = 300
MEETING_URL_MAX = 500
CANCEL_REASON_MAX = 500
TOPIC_MAX = 60
TOPICS_MAX_COUNT = 10
CAPACITY_MAX = 100_000
FOLLOW_UP_DAYS_DEFAULT, FOLLOW_UP_DAYS_MIN, FOLLOW_UP_DAYS_MAX = 90, 7, 730
SLUG_MAX = 100
# Paths under /kelola/ that a slug must never shadow.
RESERVED_SLUGS = frozenset({"baru"})

# --- errors ------------------------------------------------------------------------------------


# --- cleaning input ----------------------------------------------------------------------------


def clean_topics(raw: str | list[str] | None) -> list[str]:
    """'KKPHAM, Duham ,, kkpham' -> ['kkpham', 'duham']: lowercase, trimmed, no repeats."""
    parts = raw if isinstance(raw, list) else (raw or "").split(",")
    topics: list[str] = []
    for part in parts:
        tag = " ".join(part.split()).lower()
        if not tag or tag in topics:
            continue
        if len(tag) > TOPIC_MAX:
            raise TopicTooLongError()
        topics.append(tag)
    if len(topics) > TOPICS_MAX_COUNT:
        raise TooManyTopicsError()
    return topics


def clean_partners(raw: str | None) -> str:
    """'INFID ,Komnas HAM,' -> 'INFID, Komnas HAM'."""
    names = [" ".join(part.split()) for part in (raw or "").split(",")]
    return ", ".join(name for name in names if name)


def clean_meeting_url(raw: str | None) -> str:
    """An http(s) address with a host; anything else (javascript:, ftp:, plain words) is refused."""
    url = (raw or "").strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if (
        parts.scheme.lower() not in ("http", "https")
        or not parts.hostname
        or any(char.isspace() for char in url)
    ):
        raise InvalidMeetingUrlError()
    return url


def slugify(title: str) -> str:
    """ASCII, lowercase, hyphens: 'Loka Latih HAM: Palu' -> 'loka-latih-ham-palu'."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_title.lower()).strip("-")
    return slug[:SLUG_MAX].rstrip("-") or "loka-latih"


def unique_slug(title: str, *, exclude_id: int | None = None) -> str:
    """The title's slug, with -2, -3 … appended when another workshop already has it."""
    base = slugify(title)
    statement = sa.select(Workshop.slug).where(
        sa.or_(Workshop.slug == base, Workshop.slug.startswith(f"{base}-", autoescape=True))
    )
    if exclude_id is not None:
        statement = statement.where(Workshop.id != exclude_id)
    taken = set(db.session.scalars(statement)) | RESERVED_SLUGS
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


# --- workshops ---------------------------------------------------------------------------------


@dataclass
class WorkshopData:
    title: str
    summary: str
    description: str
    topics: list[str]
    partners: str
    target_audience: str
    mode: WorkshopMode
    venue: str | None
    meeting_url: str | None
    province_code: str | None
    timezone: WorkshopTimezone
    start_date: date
    end_date: date
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None
    capacity: int
    requires_approval: bool
    waitlist_enabled: bool
    follow_up_days: int = 90
    theme_ids: list[int] = field(default_factory=list)


def _apply(workshop: Workshop, data: WorkshopData) -> None:
    themes = themes_for(data.theme_ids, workshop.themes if workshop.id else ())
    for item in fields(WorkshopData):
        if item.name not in ("topics", "theme_ids"):
            setattr(workshop, item.name, getattr(data, item.name))
    workshop.themes = themes
    wanted = clean_topics(data.topics)
    workshop.topics = [t for t in workshop.topics if t.tag in wanted] + [
        WorkshopTopic(tag=tag) for tag in wanted if tag not in workshop.topic_tags
    ]


def create_workshop(data: WorkshopData, creator: User, *, ip: str | None = None) -> Workshop:
    """A new draft; its creator (organizer or admin) becomes one of its organizers."""
    workshop = Workshop(slug=unique_slug(data.title), created_by_id=creator.id)
    _apply(workshop, data)
    workshop.organizers.append(creator)
    db.session.add(workshop)
    db.session.flush()
    record_event("workshop_created", actor=creator, target=workshop, ip=ip)
    return workshop


def _check_capacity(workshop: Workshop, capacity: int) -> None:
    confirmed = count_confirmed(workshop)
    if capacity < confirmed:
        raise CapacityBelowConfirmedError(confirmed)
    reserved = sum(quota.seats for quota in workshop.quotas)
    if capacity < reserved:
        raise CapacityBelowQuotasError(reserved)


def _check_sessions_within(workshop: Workshop, data: WorkshopData) -> None:
    zone = data.timezone.zone
    for session in workshop.sessions:
        if session.starts_at.astimezone(zone).date() < data.start_date:
            raise DatesExcludeSessionsError("start_date")
        if session.ends_at.astimezone(zone).date() > data.end_date:
            raise DatesExcludeSessionsError("end_date")


def check_editable(workshop: Workshop) -> None:
    if workshop.status in (WorkshopStatus.CANCELLED, WorkshopStatus.ARCHIVED):
        raise WorkshopLockedError()


def update_workshop(
    workshop: Workshop,
    data: WorkshopData,
    actor: User,
    *,
    co_organizer_email: str | None = None,
    ip: str | None = None,
) -> Workshop:
    """Save an edit, optionally adding a co-organizer by email.

    Lowering the capacity below the confirmed seats is refused; raising it sends
    `signals.capacity_grew`, on which registrations promote waitlisted participants into the new
    seats. The slug follows the title only while the workshop is a
    draft: published links must keep working.
    """
    check_editable(workshop)
    co_organizer = find_organizer(co_organizer_email) if co_organizer_email else None
    old_capacity = workshop.capacity
    if data.capacity != old_capacity:
        lock_seats(workshop)  # counts read after the lock cannot change until the commit
        _check_capacity(workshop, data.capacity)
    _check_sessions_within(workshop, data)
    if workshop.status == WorkshopStatus.DRAFT and data.title != workshop.title:
        workshop.slug = unique_slug(data.title, exclude_id=workshop.id)
    _apply(workshop, data)
    db.session.flush()
    record_event(
        "workshop_updated",
        actor=actor,
        target=workshop,
        details={"capacity": [old_capacity, data.capacity]}
        if data.capacity != old_capacity
        else None,
        ip=ip,
    )
    if co_organizer is not None:
        add_organizer(workshop, co_organizer, actor, ip=ip)
    if data.capacity > old_capacity:
        # The waitlist gets the new seats; registrations listen (lower features never call up).
        signals.capacity_grew.send(workshop)
    return workshop


def find_organizer(email: str) -> User:
    """The organizer (or admin) account with this email, else an error for the email field."""
    user = db.session.scalar(
        sa.select(User).where(sa.func.lower(User.email) == email.strip().lower())
    )
    if user is None or user.role not in (Role.ORGANIZER, Role.ADMIN):
        raise OrganizerNotFoundError()
    return user


def add_organizer(workshop: Workshop, user: User, actor: User, *, ip: str | None = None) -> None:
    """Make `user` a co-organizer of `workshop`; adding twice is harmless."""
    if all(organizer.id != user.id for organizer in workshop.organizers):
        workshop.organizers.append(user)
        db.session.flush()
        record_event(
            "workshop_organizer_added",
            actor=actor,
            target=workshop,
            details={"user_id": user.id},
            ip=ip,
        )


def change_status(
    workshop: Workshop,
    target: WorkshopStatus,
    actor: User,
    *,
    reason: str | None = None,
    override_reason: str | None = None,
    now: datetime | None = None,
    ip: str | None = None,
) -> Workshop:
    """Move the workshop along its life; cancelling tells every active registrant why.

    Completing before the last session has ended is refused unless a manager gives
    `override_reason`; the override is audited with it.
    """
    states.check_transition(workshop, target, reason)
    override = None
    if target == WorkshopStatus.COMPLETED:
        override = states.check_completion(workshop, actor, override_reason, now)
    previous = workshop.status
    workshop.status = target
    if target == WorkshopStatus.CANCELLED:
        workshop.cancel_reason = (reason or "").strip()
        _notify_cancellation(workshop)
    db.session.flush()
    record_event(
        "workshop_status_changed",
        actor=actor,
        target=workshop,
        details={"from": previous.value, "to": target.value, "reason": workshop.cancel_reason}
        if target == WorkshopStatus.CANCELLED
        else {"from": previous.value, "to": target.value},
        ip=ip,
    )
    if override is not None:
        record_override(
            "complete_before_last_session_ends",
            actor=actor,
            target=workshop,
            reason=override,
            details={"last_session_ends_at": states.last_session_ends_at(workshop).isoformat()},
            ip=ip,
        )
    return workshop


def _notify_cancellation(workshop: Workshop) -> None:
    # Lazy strings: queue_email renders each message in its recipient's language.
    registrants = db.session.scalars(
        sa.select(User)
        .join(Registration, Registration.user_id == User.id)
        .where(Registration.workshop_id == workshop.id, Registration.status.in_(ACTIVE_STATUSES))
        .order_by(Registration.id)
    )
    page_url = external_url("workshops.detail", slug=workshop.slug)
    for user in registrants:
        queue_email(
            "notice",
            user,
            dedupe_key=f"workshop-cancelled-{workshop.id}-{user.id}",
            subject=_l("Loka latih dibatalkan: %(title)s", title=workshop.title),
            heading=_l("Loka latih dibatalkan"),
            paragraphs=[
                _l(
                    "Penyelenggara membatalkan loka latih \u201c%(title)s\u201d yang Anda daftari.",
                    title=workshop.title,
                ),
                _l("Alasan pembatalan: %(reason)s", reason=workshop.cancel_reason),
                _l("Mohon maaf atas perubahan ini. Anda tidak perlu melakukan apa pun."),
            ],
            action_url=page_url,
            action_label=_l("Lihat halaman loka latih"),
        )
