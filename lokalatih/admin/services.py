"""Administration: accounts and roles, and the email outbox as an admin sees it."""

from __future__ import annotations

import sqlalchemy as sa
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy.orm import contains_eager

from ..audit import record_event
from ..auth.passwords import hash_password, password_problems
from ..auth.services import checked_email, find_user_by_email
from ..extensions import db
from ..models import OutboxMessage, OutboxStatus, Profile, Role, User, utcnow
from ..outbox.services import retry_dead_message
from .errors import (
    CannotDemoteSelfError,
    DuplicateEmailError,
    RoleUnchangedError,
    WeakPasswordError,
)

USERS_PER_PAGE = 50
MESSAGES_PER_PAGE = 50


def search_users(q: str | None, role: Role | None, page: int = 1) -> Pagination:
    """Users whose email or profile name contains `q`, optionally of one role, newest first."""
    statement = (
        sa.select(User)
        .outerjoin(User.profile)
        .options(contains_eager(User.profile))
        .order_by(User.created_at.desc(), User.id.desc())
    )
    # No email (254) or name is longer: a longer search matches nothing, and SQLite refuses a
    # LIKE pattern of 50,000 bytes or more (a 503 instead of an empty list).
    q = (q or "").strip()[:254]
    if q:
        statement = statement.where(
            sa.or_(
                User.email.icontains(q, autoescape=True),
                Profile.full_name.icontains(q, autoescape=True),
            )
        )
    if role is not None:
        statement = statement.where(User.role == role)
    return db.paginate(statement, page=page, per_page=USERS_PER_PAGE, error_out=False)


def change_role(admin: User | None, user: User, role: Role, ip: str | None = None) -> None:
    """Give `user` a new role and audit it; `admin` is None when done from the command line."""
    if role == user.role:
        raise RoleUnchangedError()
    if admin is not None and admin.id == user.id and user.role == Role.ADMIN:
        # Keeps at least one admin: the last one can never demote themselves from the web.
        raise CannotDemoteSelfError()
    old_role = user.role
    user.role = role
    record_event(
        "role_changed",
        actor=admin,
        target=user,
        details={"old_role": old_role.value, "new_role": role.value},
        ip=ip,
    )
    db.session.flush()


def create_user(email: str, password: str, role: Role) -> User:
    """An account made by an operator: the operator vouches for the address, so it is verified."""
    email = checked_email(email)
    if find_user_by_email(email) is not None:
        raise DuplicateEmailError()
    problems = password_problems(password, email)
    if problems:
        raise WeakPasswordError(problems)
    now = utcnow()
    user = User(
        email=email,
        password_hash=hash_password(password),
        role=role,
        email_verified_at=now,
        password_changed_at=now,
    )
    db.session.add(user)
    db.session.flush()
    record_event("user_created", target=user, details={"role": role.value, "via": "cli"})
    return user


def problem_messages(page: int = 1) -> Pagination:
    """Messages not yet delivered (dead first, then by age) for the admin outbox page."""
    statement = (
        sa.select(OutboxMessage)
        .where(OutboxMessage.status != OutboxStatus.SENT)
        .order_by(
            sa.case((OutboxMessage.status == OutboxStatus.DEAD, 0), else_=1),
            OutboxMessage.next_attempt_at,
            OutboxMessage.id,
        )
    )
    return db.paginate(statement, page=page, per_page=MESSAGES_PER_PAGE, error_out=False)


def retry_email(admin: User, message_id: int, ip: str | None = None) -> OutboxMessage:
    """Queue a dead message again, on an admin's request, and audit who did it."""
    message = retry_dead_message(message_id)
    record_event("email_retried", actor=admin, target=message, ip=ip)
    return message
