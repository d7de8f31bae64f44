"""Deleting an account (UU No. 27 Tahun 2022): personal data erased, statistics kept.

The user row stays, with a placeholder address and no usable password, so every registration,
check-in and score keeps counting in the review dashboard under the same province, kabupaten/kota,
gender and institution type. What identifies the person goes: name, email, phone, institution
name, position, free text written about them, their emails in the outbox, identifying details and
their own IP addresses in the audit log, and the names on their certificates (which are revoked
"at the holder's request"). Staff accounts are not erased here: an admin first changes the role.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from .. import signals
from ..audit import record_event
from ..auth import twofactor
from ..auth.sessions import revoke_all_login_sessions
from ..extensions import db
from ..models import (
    AuditEvent,
    Certificate,
    CheckIn,
    ConsentRecord,
    OutboxMessage,
    Registration,
    User,
    utcnow,
)
from .errors import AlreadyErasedError, StaffAccountError

PLACEHOLDER_DOMAIN = "invalid.lokalatih"  # `.invalid`-like: never deliverable, never a real user
# No "$" in it, so werkzeug's check_password_hash is False for every password.
UNUSABLE_PASSWORD = "!erased"  # noqa: S105
SCRUBBED = "[dihapus]"
# Stored in `revoke_reason` for the record; pages check `revoked_by_holder` and translate.
HOLDER_REVOKE_REASON = "Dicabut atas permintaan pemegang"
ERASED_NAME = _l("Peserta terhapus")

# Audit details kept as they are: codes, counts and ids, never text someone typed.
SAFE_DETAIL_KEYS = frozenset(
    {
        "status",
        "purpose",
        "purposes",
        "version",
        "versions",
        "old_role",
        "new_role",
        "via",
        "fields",
        "automatic",
        "number",
        "registration_id",
        "workshop_id",
        "user_id",
        "session_id",
        "method",
        "format",
        "rows",
        "kind",
        "from",
        "to",
        "erasure_reason",
    }
)


_CODE = re.compile(r"[a-z_]{1,40}")


class ErasureReason(enum.StrEnum):
    SELF_REQUEST = "self_request"  # the participant deleted their account
    CONSENT_WITHDRAWN = "consent_withdrawn"  # ... after withdrawing a required consent
    ADMIN_REQUEST = "admin_request"  # an admin acting on a written request (flask users erase)
    RETENTION = "retention"  # the retention job


def placeholder_email(user: User) -> str:
    return f"dihapus-{user.id}@{PLACEHOLDER_DOMAIN}"


def check_erasable(user: User) -> None:
    if user.erased_at is not None:
        raise AlreadyErasedError()
    if user.is_staff:
        raise StaffAccountError()


def erase_account(
    user: User,
    reason: ErasureReason,
    *,
    actor: User | None = None,
    ip: str | None = None,
    now: datetime | None = None,
) -> None:
    """Erase `user`'s personal data in the current transaction (the caller commits)."""
    check_erasable(user)
    now = now or utcnow()
    email = user.email
    phone = user.profile.phone if user.profile is not None else None
    identifiers = _identifiers(user)
    registration_ids = list(
        db.session.scalars(sa.select(Registration.id).where(Registration.user_id == user.id))
    )
    _anonymize_user(user, now)
    db.session.flush()  # from here on no email is queued for them (queue_email skips erased users)
    revoke_all_login_sessions(user)
    _clear_second_factor(user)
    # Registrations (a higher feature) cancel those of workshops not started: seats go to the
    # waitlist. Profile may not import registrations, so it asks through a signal.
    cancelled = sum(count for _, count in signals.account_erasing.send(user))
    revoked = _revoke_certificates(registration_ids, now)
    _clear_free_text(registration_ids)
    _withdraw_consents(user, now)
    _clear_outbox(email, phone)
    _scrub_audit(user, registration_ids, identifiers)
    db.session.flush()
    record_event(
        "account_erased",
        actor=actor,
        target=user,
        details={
            "erasure_reason": str(reason),
            "registrations_cancelled": cancelled,
            "certificates_revoked": revoked,
        },
        # Only an admin's address: the erased person's own address is personal data.
        ip=ip if actor is not None and actor.id != user.id else None,
    )
    db.session.flush()


def _identifiers(user: User) -> list[str]:
    """The strings that identify the person and must not remain anywhere."""
    profile = user.profile
    values = [user.email]
    if profile is not None:
        values += [profile.phone, profile.full_name]
    return [value for value in values if value and len(value) >= 3]


def _anonymize_user(user: User, now: datetime) -> None:
    user.email = placeholder_email(user)
    user.password_hash = UNUSABLE_PASSWORD
    user.failed_logins = 0
    user.locked_until = None
    user.erased_at = now
    profile = user.profile
    if profile is not None:
        # Kept: gender, institution type, province and kabupaten/kota (what the statistics use).
        profile.full_name = None
        profile.institution_name = None
        profile.position = None
        profile.phone = None


def _clear_second_factor(user: User) -> None:
    """An account nobody can sign in to keeps no TOTP secret and no recovery codes."""
    twofactor.clear(user)


def _revoke_certificates(registration_ids: list[int], now: datetime) -> int:
    if not registration_ids:
        return 0
    certificates = db.session.scalars(
        sa.select(Certificate).where(Certificate.registration_id.in_(registration_ids))
    ).all()
    revoked = 0
    for certificate in certificates:
        certificate.name_on_certificate = ""
        if certificate.revoked_at is None:
            certificate.revoked_at = now
            certificate.revoke_reason = HOLDER_REVOKE_REASON
            certificate.revoked_by_holder = True
            revoked += 1
        elif not certificate.revoked_by_holder:
            # An earlier revocation's reason is an organizer's text about this person.
            certificate.revoke_reason = None
    return revoked


def _clear_free_text(registration_ids: list[int]) -> None:
    if not registration_ids:
        return
    db.session.execute(
        sa.update(Registration)
        .where(Registration.id.in_(registration_ids))
        .values(decision_reason=None)
        .execution_options(synchronize_session="fetch")
    )
    db.session.execute(
        sa.update(CheckIn)
        .where(CheckIn.registration_id.in_(registration_ids))
        .values(note=None)
        .execution_options(synchronize_session="fetch")
    )


def _withdraw_consents(user: User, now: datetime) -> None:
    db.session.execute(
        sa.update(ConsentRecord)
        .where(ConsentRecord.user_id == user.id, ConsentRecord.withdrawn_at.is_(None))
        .values(withdrawn_at=now)
        .execution_options(synchronize_session="fetch")
    )


def _contains_any(columns: Iterable, identifiers: list[str]):
    return sa.or_(
        *[column.icontains(value, autoescape=True) for column in columns for value in identifiers]
    )


def _scrub_text(text: str | None, identifiers: list[str]) -> str | None:
    if text is None:
        return None
    for value in identifiers:
        start = text.lower().find(value.lower())
        while start != -1:
            text = text[:start] + SCRUBBED + text[start + len(value) :]
            start = text.lower().find(value.lower(), start + len(SCRUBBED))
    return text


def _clear_outbox(email: str, phone: str | None) -> None:
    """Emails to them are deleted (sent or not); others that mention them are scrubbed."""
    db.session.execute(
        sa.delete(OutboxMessage)
        .where(sa.func.lower(OutboxMessage.recipient) == email.lower())
        .execution_options(synchronize_session="fetch")
    )
    # Only the email and the phone: a name is shared by other people, whose mail stays as it is.
    unique = [value for value in (email, phone) if value]
    columns = ("subject", "body_text", "body_html", "last_error")
    mentioning = db.session.scalars(
        sa.select(OutboxMessage).where(
            _contains_any([getattr(OutboxMessage, name) for name in columns], unique)
        )
    ).all()
    for message in mentioning:
        for name in columns:
            setattr(message, name, _scrub_text(getattr(message, name), unique))
        message.attachments = None  # a calendar file may carry the address too


def _scrub_audit(user: User, registration_ids: list[int], identifiers: list[str]) -> None:
    """Keep every event, its actor, object and time; drop what identifies the person."""
    ids = [str(i) for i in registration_ids]
    certificate_ids = _ids(Certificate.id, Certificate.registration_id.in_(registration_ids))
    checkin_ids = _ids(CheckIn.id, CheckIn.registration_id.in_(registration_ids))
    about = sa.or_(
        sa.and_(
            AuditEvent.object_type.in_(["User", "Profile"]), AuditEvent.object_id == str(user.id)
        ),
        sa.and_(AuditEvent.object_type == "Registration", AuditEvent.object_id.in_(ids)),
        sa.and_(AuditEvent.object_type == "Certificate", AuditEvent.object_id.in_(certificate_ids)),
        sa.and_(AuditEvent.object_type == "CheckIn", AuditEvent.object_id.in_(checkin_ids)),
    )
    details_text = sa.cast(AuditEvent.details, sa.Text)
    # JSON escapes non-ASCII characters, so look for the encoded form of each identifier too.
    encoded = [json.dumps(value)[1:-1] for value in identifiers]
    mentions = _contains_any([details_text], sorted(set(identifiers + encoded)))
    events = db.session.scalars(
        sa.select(AuditEvent).where(sa.or_(AuditEvent.actor_id == user.id, about, mentions))
    ).all()
    for event in events:
        if event.details:
            event.details = _safe_details(event.details, identifiers)
        if event.actor_id == user.id or (event.actor_id is None and _is_about(event, user)):
            event.ip = None  # their own address (a login, a failed login, a reset request)


def _is_about(event: AuditEvent, user: User) -> bool:
    return event.object_type in ("User", "Profile") and event.object_id == str(user.id)


def _ids(column, condition) -> list[str]:
    return [str(value) for value in db.session.scalars(sa.select(column).where(condition))]


def _safe_details(details: dict, identifiers: list[str]) -> dict | None:
    kept = {}
    lowered = [value.lower() for value in identifiers]
    for key, value in details.items():
        # A reason is sometimes a code ("wrong_password"), sometimes an organizer's sentence.
        is_code = key == "reason" and isinstance(value, str) and _CODE.fullmatch(value)
        if key not in SAFE_DETAIL_KEYS and not is_code and not isinstance(value, int | float):
            continue
        if any(text in json.dumps(value, ensure_ascii=False).lower() for text in lowered):
            continue
        kept[key] = value
    return kept or None
