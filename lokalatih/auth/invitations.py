"""Accepting a staff invitation: the invited person sets a first password from the emailed link.

The link is its own kind of token (`tokens.make_invite_token`): it lives days, not the two hours
of a reset link, and leads to a page that welcomes the person instead of "atur ulang sandi".
Like a reset, it works once (setting the password changes the hash it is tied to), and using it
verifies the address, since only the owner of the mailbox can open it.
"""

from __future__ import annotations

from ..audit import record_event
from ..extensions import db
from ..models import User, utcnow
from . import tokens
from .errors import InvalidLinkError, InvitationExpiredError, InvitationUsedError
from .passwords import hash_password
from .services import check_password_rules


def invited_user(token: str) -> User:
    """The account an invitation link is for, while it is unused and fresh; changes nothing."""
    try:
        claims = tokens.read_invite_token(token)
    except tokens.TokenError as error:
        if error.expired:
            raise InvitationExpiredError() from None
        raise InvalidLinkError() from None
    user = db.session.get(User, claims.user_id)
    if user is None or user.is_erased:
        raise InvalidLinkError()
    if not tokens.matches(claims, user.password_hash):
        raise InvitationUsedError()
    return user


def accept_invitation(token: str, password: str, *, ip: str | None = None) -> User:
    """Set the invited account's first password and verify its address."""
    user = invited_user(token)
    check_password_rules(password, user.email)
    user.password_hash = hash_password(password)
    user.password_changed_at = utcnow()
    if not user.is_verified:
        user.email_verified_at = utcnow()
    user.failed_logins = 0
    user.locked_until = None
    record_event("invitation_accepted", actor=user, target=user, ip=ip)
    return user
