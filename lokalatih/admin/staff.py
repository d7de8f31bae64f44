"""Staff accounts an admin makes from the users page, and verification emails sent again.

An invited account gets a random password nobody knows and no verified address. The invitation
carries its own link (`auth.tokens.make_invite_token`, valid INVITE_TOKEN_MAX_AGE, 7 days) to a
welcome page where the person sets a first password; that verifies the address, since only the
owner of the mailbox can open it (`auth.invitations.accept_invitation`). Until then the account
cannot be logged in to. If the link expires, the admin's "Kirim ulang" or "Lupa sandi" gives a
new one.
"""

from __future__ import annotations

import math
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from ..audit import record_event
from ..auth import tokens
from ..auth.passwords import hash_password
from ..auth.services import checked_email, find_user_by_email, queue_verification_email
from ..extensions import db
from ..labels import ROLE_LABELS
from ..locks import hold_row_lock
from ..models import AuditEvent, Profile, Role, User, utcnow
from ..outbox.services import external_url, queue_email
from .errors import (
    AccountErasedError,
    AlreadyVerifiedError,
    DuplicateEmailError,
    NotStaffRoleError,
    ResendTooSoonError,
    StaffNameMissingError,
)

STAFF_ROLES = (Role.ORGANIZER, Role.REVIEWER, Role.ADMIN)
RESEND_INTERVAL = timedelta(minutes=5)
NAME_MAX = 150


def invite_staff(admin: User, name: str, email: str, role: Role, ip: str | None = None) -> User:
    """Make a staff account with `role` and queue its invitation to set a password.

    The address is named when it already has an account: the admin is staff and may know."""
    if role not in STAFF_ROLES:
        raise NotStaffRoleError()
    name = (name or "").strip()
    if not name:
        raise StaffNameMissingError()
    email = checked_email(email)
    if find_user_by_email(email) is not None:
        raise DuplicateEmailError()
    # Nobody knows this password: the account opens only through the link in the invitation.
    user = User(
        email=email,
        password_hash=hash_password(secrets.token_urlsafe(32)),
        role=role,
        locale=current_app.config["BABEL_DEFAULT_LOCALE"],
    )
    user.profile = Profile(full_name=name[:NAME_MAX])
    db.session.add(user)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:
        raise DuplicateEmailError() from None  # the same address added at the same moment
    _queue_invitation(user, admin)
    record_event("staff_invited", actor=admin, target=user, details={"role": role.value}, ip=ip)
    db.session.flush()
    return user


def _queue_invitation(user: User, admin: User) -> None:
    inviter = admin.profile.full_name if admin.profile and admin.profile.full_name else None
    queue_email(
        "staff_invitation",
        user,
        name=user.profile.full_name if user.profile else None,
        inviter=inviter or admin.email,
        role_label=ROLE_LABELS[user.role],
        set_password_url=external_url(
            "auth.accept_invitation", token=tokens.make_invite_token(user)
        ),
        forgot_url=external_url("auth.forgot_password"),
        login_url=external_url("auth.login"),
        valid_days=max(1, current_app.config["INVITE_TOKEN_MAX_AGE"] // 86400),
    )


def was_invited(user: User) -> bool:
    """Whether an admin made this account with an invitation (the audit log remembers)."""
    invited = sa.select(AuditEvent.id).where(
        AuditEvent.action == "staff_invited",
        AuditEvent.object_type == "User",
        AuditEvent.object_id == str(user.id),
    )
    return bool(db.session.scalar(sa.select(invited.exists())))


def resend_verification(admin: User, user: User, ip: str | None = None) -> bool:
    """Queue a fresh verification email for an unverified user, at most once per 5 minutes.

    An invited account that has not set its password yet gets its invitation again instead (a
    verified address alone would not let its owner in). Returns True for an invitation."""
    if user.is_erased:
        raise AccountErasedError()
    if user.is_verified:
        raise AlreadyVerifiedError()
    # Two clicks at once: the second waits here for the first to commit, then sees its entry.
    hold_row_lock(User, user.id)
    _check_resend_interval(user)
    invitation = was_invited(user)
    if invitation:
        _queue_invitation(user, admin)
    else:
        queue_verification_email(user)
    record_event(
        "verification_resent",
        actor=admin,
        target=user,
        details={"invitation": invitation},
        ip=ip,
    )
    db.session.flush()  # the entry's time is taken now: it is what the next request is judged by
    return invitation


def _check_resend_interval(user: User) -> None:
    now = utcnow()
    last = db.session.scalar(
        sa.select(sa.func.max(AuditEvent.at)).where(
            AuditEvent.action.in_(("verification_resent", "staff_invited")),
            AuditEvent.object_type == "User",
            AuditEvent.object_id == str(user.id),
            AuditEvent.at > now - RESEND_INTERVAL,
        )
    )
    if last is not None:
        if last.tzinfo is None:
            last = last.replace(tzinfo=now.tzinfo)
        left = (last + RESEND_INTERVAL - now).total_seconds()
        raise ResendTooSoonError(max(1, math.ceil(left / 60)))
