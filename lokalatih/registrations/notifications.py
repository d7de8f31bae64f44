"""Registration emails: queued in the outbox in the transaction that made the change."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from ..auth.tokens import make_reset_token
from ..extensions import db
from ..models import Registration, RegistrationStatus, User, Workshop, WorkshopSession
from ..outbox.attachments import Attachment
from ..outbox.services import external_url, queue_email
from ..workshops.ics import build_calendar
from ..workshops.timefmt import date_range, local_datetime, session_times

STATUS_TEMPLATES = {
    RegistrationStatus.CONFIRMED: "registration_confirmed",
    RegistrationStatus.PENDING: "registration_pending",
    RegistrationStatus.WAITLISTED: "registration_waitlisted",
    RegistrationStatus.REJECTED: "registration_rejected",
    RegistrationStatus.CANCELLED: "registration_cancelled",
}
PROMOTED_TEMPLATE = "registration_promoted"
WITH_CALENDAR = {"registration_confirmed", PROMOTED_TEMPLATE}


def display_name(user: User) -> str:
    profile = user.profile
    return profile.full_name if profile is not None and profile.full_name else user.email


def _calendar(workshop: Workshop) -> list[Attachment]:
    data = build_calendar(workshop, include_meeting_url=True)
    return [Attachment("loka-latih.ics", "text/calendar", data)]


def _context(workshop: Workshop, user: User) -> dict:
    return {
        "workshop": workshop,
        "name": display_name(user),
        "workshop_url": external_url("workshops.detail", slug=workshop.slug),
        "mine_url": external_url("my_workshops.mine"),
        "when": lambda moment: local_datetime(moment, workshop),
        "session_times": session_times,
        "dates": lambda: date_range(workshop),
    }


def queue_status_email(
    registration: Registration, *, promoted: bool = False, position: int | None = None
) -> None:
    """The email telling the participant their registration's new status."""
    template = PROMOTED_TEMPLATE if promoted else STATUS_TEMPLATES[registration.status]
    workshop, user = registration.workshop, registration.user
    queue_email(
        template,
        user,
        attachments=_calendar(workshop) if template in WITH_CALENDAR else None,
        registration=registration,
        position=position,
        reason=registration.decision_reason,
        **_context(workshop, user),
    )


def reminder_key(session: WorkshopSession, registration: Registration, kind: str) -> str:
    return f"reminder:{session.id}:{registration.id}:{kind}"


def queue_reminder(registration: Registration, session: WorkshopSession, kind: str) -> bool:
    """The 'day before' or 'one hour before' reminder, queued at most once; True if queued now."""
    workshop, user = registration.workshop, registration.user
    message = queue_email(
        "session_reminder",
        user,
        dedupe_key=reminder_key(session, registration, kind),
        session=session,
        kind=kind,
        **_context(workshop, user),
    )
    return message is not None


def queue_session_changed(session: WorkshopSession, changed: list[str]) -> int:
    """Email each confirmed participant that a session changed, with the updated .ics (same UID,
    higher SEQUENCE: calendars update the event in place). Once per change; how many queued."""
    workshop = session.workshop
    attachments = _calendar(workshop)
    queued = 0
    confirmed = db.session.scalars(
        sa.select(Registration)
        .where(
            Registration.workshop_id == workshop.id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .order_by(Registration.id)
    )
    for registration in confirmed:
        user = registration.user
        message = queue_email(
            "session_changed",
            user,
            dedupe_key=f"session-changed:{session.id}:{session.sequence}:{registration.id}",
            attachments=attachments,
            session=session,
            time_changed="starts_at" in changed or "ends_at" in changed,
            place_changed="place" in changed,
            **_context(workshop, user),
        )
        queued += message is not None
    return queued


def queue_group_message(user: User, workshop: Workshop, subject: str, body: str) -> None:
    """The organizer's own text to one participant, as paragraphs of the general notice email."""
    paragraphs = [block.strip() for block in body.replace("\r\n", "\n").split("\n\n")]
    queue_email(
        "notice",
        user,
        subject=subject,
        heading=workshop.title,
        paragraphs=[paragraph for paragraph in paragraphs if paragraph],
        action_url=external_url("workshops.detail", slug=workshop.slug),
        action_label=_l("Lihat loka latih"),
    )


def queue_walk_in_invitation(user: User, workshop: Workshop) -> None:
    """A new account made by an organizer for a walk-in: the link sets a password and, since it
    reached the mailbox, verifies the address (the password-reset link of lokalatih.auth)."""
    minutes = current_app.config["RESET_TOKEN_MAX_AGE"] // 60
    queue_email(
        "notice",
        user,
        subject=_l("Akun lokalatih Anda sudah dibuat"),
        heading=workshop.title,
        paragraphs=[
            _l(
                "Penyelenggara mendaftarkan Anda di loka latih ini dan membuatkan akun lokalatih "
                "dengan alamat email ini."
            ),
            _l(
                "Atur sandi Anda lewat tombol di bawah untuk masuk, melengkapi profil, dan melihat "
                "jadwal. Tautan ini berlaku %(minutes)s menit; setelah itu, minta tautan baru di "
                "halaman Lupa sandi dengan alamat email ini: %(forgot_url)s",
                minutes=minutes,
                forgot_url=external_url("auth.forgot_password"),
            ),
        ],
        action_url=external_url("auth.reset_password", token=make_reset_token(user)),
        action_label=_l("Atur sandi"),
    )
