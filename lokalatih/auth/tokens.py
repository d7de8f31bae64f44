"""Signed, timed links for email verification, password reset and staff invitations.

A token is signed with the app's SECRET_KEY and a salt per purpose, so a verification token can
never be used as a reset token. It carries the user id and a fingerprint of the state it may
change: the email for verification (a link stops working when the address changes), the password
hash for a reset or an invitation (the link works once: setting the password changes the hash, so
the fingerprint no longer matches). An invitation lives days, a reset hours: an invited person
may read the email only after a weekend.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer

from ..models import User

VERIFY_SALT = "lokalatih.auth.verify-email"
RESET_SALT = "lokalatih.auth.reset-password"
INVITE_SALT = "lokalatih.auth.staff-invitation"


class TokenError(Exception):
    """The token cannot be used; `expired` tells an old genuine link from a broken one."""

    def __init__(self, *, expired: bool, payload: dict | None = None) -> None:
        super().__init__("expired token" if expired else "invalid token")
        self.expired = expired
        self.payload = payload  # known only for an expired token whose signature is genuine


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    fingerprint: str


def _serializer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=salt)


def fingerprint(value: str) -> str:
    """A short keyed digest: ties a token to a value without revealing anything about it."""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:32]


def make_verify_token(user: User) -> str:
    return _serializer(VERIFY_SALT).dumps({"u": user.id, "f": fingerprint(user.email)})


def make_reset_token(user: User) -> str:
    return _serializer(RESET_SALT).dumps({"u": user.id, "f": fingerprint(user.password_hash)})


def make_invite_token(user: User) -> str:
    return _serializer(INVITE_SALT).dumps({"u": user.id, "f": fingerprint(user.password_hash)})


def read_invite_token(token: str) -> TokenClaims:
    return _read(token, INVITE_SALT, current_app.config["INVITE_TOKEN_MAX_AGE"])


def read_verify_token(token: str) -> TokenClaims:
    return _read(token, VERIFY_SALT, current_app.config["VERIFY_TOKEN_MAX_AGE"])


def read_reset_token(token: str) -> TokenClaims:
    return _read(token, RESET_SALT, current_app.config["RESET_TOKEN_MAX_AGE"])


def claims_of_expired(error: TokenError) -> TokenClaims | None:
    """The claims of a genuine but expired token (to tell 'already verified' from 'expired')."""
    return _claims(error.payload) if error.payload is not None else None


def _read(token: str, salt: str, max_age: int) -> TokenClaims:
    serializer = _serializer(salt)
    try:
        payload = serializer.loads(token, max_age=max_age)
    except SignatureExpired as error:
        # The signature was checked before the age: this payload is genuine, only old.
        raise TokenError(expired=True, payload=_load_expired(serializer, error)) from None
    except (BadData, UnicodeError, ValueError):
        raise TokenError(expired=False) from None
    claims = _claims(payload)
    if claims is None:
        raise TokenError(expired=False)
    return claims


def _load_expired(serializer: URLSafeTimedSerializer, error: SignatureExpired) -> dict | None:
    try:
        payload = serializer.load_payload(error.payload)
    except BadData:
        return None
    return payload if isinstance(payload, dict) else None


def _claims(payload: object) -> TokenClaims | None:
    if not isinstance(payload, dict):
        return None
    user_id, mark = payload.get("u"), payload.get("f")
    if not isinstance(user_id, int) or isinstance(user_id, bool) or not isinstance(mark, str):
        return None
    return TokenClaims(user_id=user_id, fingerprint=mark)


def matches(claims: TokenClaims, value: str) -> bool:
    return hmac.compare_digest(claims.fingerprint, fingerprint(value))
