"""Two-factor sign-in: TOTP (RFC 6238) set-up, checks, recovery codes, disabling.

Services add and flush, never commit. A wrong code still changes the database (the audit entry,
the failure counter at sign-in), so routes commit on those errors too.

Replay: a TOTP code is accepted only for a step later than the last accepted one, and that is
decided by one conditional UPDATE, so two requests racing with the same code cannot both win. A
recovery code is used up the same way (UPDATE ... WHERE used_at IS NULL).

Recovery codes are 12 random characters (about 59 bits), stored as SHA-256 over the user id and
the code: random codes of that size need no slow hash, and no key, so rotating SECRET_KEY leaves
them working.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

import segno
import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm.attributes import set_committed_value

from ..audit import record_event
from ..extensions import db
from ..models import RecoveryCode, User, utcnow
from ..outbox.services import external_url, queue_email
from . import totp
from .errors import (
    AlreadyEnabledError,
    NotEnabledError,
    SetupExpiredError,
    WrongCodeError,
    WrongPasswordError,
)
from .passwords import verify_password
from .services import is_locked, is_locked_for

log = logging.getLogger(__name__)

RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0/o, 1/l/i look-alikes
RECOVERY_CODE_GROUPS = 3
RECOVERY_CODE_GROUP_LENGTH = 4
MAX_CODE_LENGTH = 32


# --- secrets ----------------------------------------------------------------------------------


def _keys() -> list[str | bytes]:
    """TWO_FACTOR_KEYS: the key that seals first, then the old keys kept during a rotation."""
    return list(current_app.config["TWO_FACTOR_KEYS"])


def new_pending_secret(user: User) -> str:
    """A fresh secret, sealed, for the set-up page to hold until the user confirms a code."""
    return totp.seal(totp.new_secret(), user.id, _keys()[0])


def open_pending_secret(user: User, sealed: str | None) -> bytes | None:
    if not sealed:
        return None
    try:
        return totp.unseal(sealed, user.id, _keys()[:1])[0]
    except totp.SealError:
        return None


def setup_details(user: User, secret: bytes) -> dict[str, str]:
    """The secret as typed by hand, the otpauth:// URI and its QR code as inline SVG."""
    uri = totp.provisioning_uri(secret, user.email, current_app.config["TWO_FACTOR_ISSUER"])
    svg = segno.make(uri, error="m").svg_inline(
        scale=5,
        border=4,
        light="#fff",
        dark="#000",
        title=_("Kode QR untuk aplikasi autentikator"),
        svgclass="totp-qr",
    )
    return {"secret": totp.grouped(secret), "uri": uri, "qr_svg": svg}


def _stored_secret(user: User) -> bytes | None:
    """The user's secret; re-sealed with the current key when an old one opened it."""
    try:
        secret, key_index = totp.unseal(user.totp_secret or "", user.id, _keys())
    except totp.SealError:
        # TWO_FACTOR_KEYS lost the key that sealed it: TOTP codes cannot be checked any more;
        # recovery codes still work, and the user can set up again.
        log.warning(
            "two-factor secret of user %s cannot be opened with the configured keys", user.id
        )
        return None
    if key_index > 0:
        user.totp_secret = totp.seal(secret, user.id, _keys()[0])
    return secret


@dataclass
class ResealReport:
    resealed: int = 0
    current: int = 0
    unopened_ids: list[int] = field(default_factory=list)

    @property
    def unopened(self) -> int:
        return len(self.unopened_ids)


def reseal_all() -> ResealReport:
    """Seal every stored secret with the first key of TWO_FACTOR_KEYS (a key rotation); after it,
    the old keys can leave the configuration."""
    report = ResealReport()
    keys = _keys()
    users = db.session.scalars(
        sa.select(User).where(User.totp_secret.is_not(None)).order_by(User.id)
    )
    for user in users:
        try:
            secret, key_index = totp.unseal(user.totp_secret or "", user.id, keys)
        except totp.SealError:
            report.unopened_ids.append(user.id)
            continue
        if key_index == 0:
            report.current += 1
        else:
            user.totp_secret = totp.seal(secret, user.id, keys[0])
            report.resealed += 1
    return report


# --- checking a code --------------------------------------------------------------------------


def _accept_totp(user: User, code: str, at: float | None = None) -> bool:
    secret = _stored_secret(user)
    step = totp.matching_step(secret, code, at) if secret is not None else None
    if step is None:
        return False
    accepted = db.session.execute(
        sa.update(User)
        .where(
            User.id == user.id,
            sa.or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if accepted.rowcount != 1:
        return False  # this step, or a later one, was used already: a replay
    set_committed_value(user, "totp_last_step", step)
    return True


def _recovery_hash(user: User, code: str) -> str:
    return hashlib.sha256(f"{user.id}:{totp.normalize_code(code)}".encode()).hexdigest()


def _use_recovery_code(user: User, code: str) -> bool:
    used = db.session.execute(
        sa.update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _recovery_hash(user, code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return used.rowcount == 1


def check_second_factor(user: User, code: str, *, stage: str, ip: str | None = None) -> str:
    """ "totp" or "recovery_code" for a good code (then used up), else WrongCodeError."""
    normalized = totp.normalize_code(code)
    actor = None if stage == "login" else user  # at sign-in nobody is signed in yet
    if 0 < len(normalized) <= MAX_CODE_LENGTH:
        if normalized.isascii() and normalized.isdigit() and len(normalized) == totp.DIGITS:
            if _accept_totp(user, normalized):
                return "totp"
        elif _use_recovery_code(user, normalized):
            record_event(
                "two_factor_recovery_code_used",
                actor=actor,
                target=user,
                details={"stage": stage, "remaining": remaining_recovery_codes(user)},
                ip=ip,
            )
            return "recovery_code"
    record_event("two_factor_failed", actor=actor, target=user, details={"stage": stage}, ip=ip)
    raise WrongCodeError()


# --- sign-in ----------------------------------------------------------------------------------


def complete_login(user: User, code: str, *, ip: str | None = None) -> str:
    """The second step of signing in; a wrong code counts towards the account lock like a wrong
    password, so the code cannot be guessed by starting over with the password."""
    now = utcnow()
    # A lock is answered exactly like a wrong code: the page must not tell a guesser it worked.
    if is_locked_for(user, ip, now):
        record_event("login_failed", target=user, details={"reason": "locked"}, ip=ip)
        raise WrongCodeError()
    try:
        method = check_second_factor(user, code, stage="login", ip=ip)
    except WrongCodeError:
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= current_app.config["LOGIN_LOCK_THRESHOLD"]:
            user.failed_logins = 0
            user.locked_until = now + timedelta(minutes=current_app.config["LOGIN_LOCK_MINUTES"])
            record_event("account_locked", target=user, ip=ip)
        raise
    if not is_locked(user, now):
        user.failed_logins = 0
        user.locked_until = None
    user.last_login_at = now
    record_event("login", actor=user, target=user, details={"second_factor": method}, ip=ip)
    return method


# --- enabling, recovery codes, disabling ------------------------------------------------------


def enable(user: User, sealed_secret: str | None, code: str, *, ip: str | None = None) -> list[str]:
    """Turn two-factor sign-in on once the user shows a code from the new secret; returns the
    recovery codes, in clear, for the only time they are ever shown."""
    if user.two_factor_enabled:
        raise AlreadyEnabledError()
    secret = open_pending_secret(user, sealed_secret)
    if secret is None:
        raise SetupExpiredError()
    step = totp.matching_step(secret, code)
    if step is None:
        record_event(
            "two_factor_failed", actor=user, target=user, details={"stage": "setup"}, ip=ip
        )
        raise WrongCodeError()
    user.totp_secret = totp.seal(secret, user.id, _keys()[0])
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step  # the code just shown cannot sign anyone in
    codes = _replace_recovery_codes(user)
    record_event("two_factor_enabled", actor=user, target=user, ip=ip)
    notify_change(user, _l("Verifikasi dua langkah diaktifkan"))
    return codes


def regenerate_recovery_codes(user: User, password: str, *, ip: str | None = None) -> list[str]:
    """New recovery codes (the old ones stop working), after the password."""
    if not user.two_factor_enabled:
        raise NotEnabledError()
    _check_password(user, password, stage="regenerate", ip=ip)
    codes = _replace_recovery_codes(user)
    record_event("two_factor_recovery_codes_regenerated", actor=user, target=user, ip=ip)
    notify_change(user, _l("Kode pemulihan baru dibuat; kode lama tidak berlaku lagi"))
    return codes


def disable(user: User, password: str, code: str, *, ip: str | None = None) -> None:
    """Turn two-factor sign-in off, with the password and a current code or a recovery code."""
    if not user.two_factor_enabled:
        raise NotEnabledError()
    _check_password(user, password, stage="disable", ip=ip)
    check_second_factor(user, code, stage="disable", ip=ip)
    clear(user)
    record_event("two_factor_disabled", actor=user, target=user, ip=ip)
    notify_change(user, _l("Verifikasi dua langkah dinonaktifkan"))


def notify_change(user: User, what: str) -> None:
    """Email the owner about a change to their second factor: one they did not make is their
    cue to act (as the password-changed email is)."""
    queue_email(
        "notice",
        user,
        subject=what,
        heading=what,
        paragraphs=[
            _l("Perubahan ini baru saja dilakukan pada akun Anda."),
            _l(
                "Jika bukan Anda yang melakukannya, segera ganti kata sandi Anda dan hubungi "
                "admin lokalatih."
            ),
        ],
        action_url=external_url("auth.two_factor"),
        action_label=_l("Buka pengaturan verifikasi dua langkah"),
    )


def clear(user: User) -> None:
    """Forget the secret and the recovery codes (disabling, or an operator's reset)."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def remaining_recovery_codes(user: User) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


def _check_password(user: User, password: str, *, stage: str, ip: str | None) -> None:
    if not verify_password(user.password_hash, password or ""):
        record_event(
            "two_factor_failed",
            actor=user,
            target=user,
            details={"stage": stage, "reason": "wrong_password"},
            ip=ip,
        )
        raise WrongPasswordError()


def _new_recovery_code() -> str:
    groups = (
        "".join(secrets.choice(RECOVERY_CODE_ALPHABET) for _ in range(RECOVERY_CODE_GROUP_LENGTH))
        for _ in range(RECOVERY_CODE_GROUPS)
    )
    return "-".join(groups)


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=_recovery_hash(user, c)) for c in codes
    )
    db.session.flush()
    return codes
