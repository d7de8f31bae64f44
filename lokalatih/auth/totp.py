"""RFC 6238 time-based one-time passwords (pyotp), and the sealing of their secrets at rest
(cryptography's Fernet).

Authenticator apps (Google Authenticator, Aegis, FreeOTP...) all speak the defaults used here:
HMAC-SHA1, 6 digits, a 30-second step.

A secret is stored as a Fernet token (AES-128-CBC with HMAC-SHA256, from the `cryptography`
package) under keys of their own, `TWO_FACTOR_KEYS`, separate from SECRET_KEY: a copy of the
database alone does not give anyone the codes, and rotating SECRET_KEY does not touch them. The
owner's id is sealed with the secret and checked on opening, so a sealed value copied onto another
account does not open. The first key seals; the others only open, which is how a key is rotated
(`flask two-factor rotate-key`, docs/SECURITY.md).
"""

from __future__ import annotations

import base64
import hmac
import secrets
import time
import unicodedata
from collections.abc import Sequence
from urllib.parse import quote, urlencode

import pyotp
from cryptography.fernet import Fernet, InvalidToken

STEP_SECONDS = 30
DIGITS = 6
SECRET_BYTES = 20  # 160 bits, the size RFC 4226 recommends for HMAC-SHA1
DRIFT_STEPS = 1  # a code of the step before or after is still accepted (clock drift, typing time)
SEAL_VERSION = "v2"
_OWNER_BYTES = 8


class SealError(Exception):
    """A sealed secret no configured key opens (the key is gone, or the value was altered)."""


class KeyConfigError(ValueError):
    """TWO_FACTOR_KEYS holds something that is not a Fernet key."""


def new_secret() -> bytes:
    return secrets.token_bytes(SECRET_BYTES)


def new_key() -> str:
    """A fresh key for TWO_FACTOR_KEYS."""
    return Fernet.generate_key().decode()


def to_base32(secret: bytes) -> str:
    """The form authenticator apps take, without padding."""
    return base64.b32encode(secret).decode().rstrip("=")


def grouped(secret: bytes) -> str:
    """The base32 secret in groups of four, for typing it into an app by hand."""
    text = to_base32(secret)
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _otp(secret: bytes, digits: int = DIGITS) -> pyotp.TOTP:
    return pyotp.TOTP(to_base32(secret), digits=digits, interval=STEP_SECONDS)


def hotp(secret: bytes, counter: int, digits: int = DIGITS) -> str:
    """RFC 4226's code for one counter value (a TOTP step)."""
    return pyotp.HOTP(to_base32(secret), digits=digits).at(counter)


def current_step(at: float | None = None) -> int:
    return int((time.time() if at is None else at) // STEP_SECONDS)


def totp(secret: bytes, at: float | None = None) -> str:
    return _otp(secret).at(int(time.time() if at is None else at))


def normalize_code(raw: str | None) -> str:
    """What the user typed without spaces and hyphens (apps show "123 456"); full-width digits
    from some phone keyboards become ASCII ones."""
    text = unicodedata.normalize("NFKC", raw or "")
    return "".join(text.split()).replace("-", "").lower()


def matching_step(secret: bytes, code: str, at: float | None = None) -> int | None:
    """The step whose code this is, within the drift window, or None.

    The step is what the replay check needs (pyotp's `verify` answers only yes or no). Every
    candidate is compared in constant time, so the time taken does not tell which one matched.
    """
    code = normalize_code(code)
    if len(code) != DIGITS or not (code.isascii() and code.isdigit()):
        return None
    now = current_step(at)
    found = None
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        if hmac.compare_digest(hotp(secret, step), code):
            found = step
    return found


def provisioning_uri(secret: bytes, account: str, issuer: str) -> str:
    """The otpauth:// URI that authenticator apps read from the QR code.

    Written out rather than with pyotp's, which leaves out the defaults: some older apps misread
    a URI without `digits` and `period`."""
    label = quote(f"{issuer}:{account}", safe="@:")
    query = urlencode(
        {
            "secret": to_base32(secret),
            "issuer": issuer,
            "algorithm": "SHA1",
            "digits": DIGITS,
            "period": STEP_SECONDS,
        }
    )
    return f"otpauth://totp/{label}?{query}"


# --- sealing --------------------------------------------------------------------------------


def fernets(keys: Sequence[str | bytes]) -> list[Fernet]:
    try:
        return [Fernet(key) for key in keys]
    except (ValueError, TypeError) as error:
        raise KeyConfigError(
            "TWO_FACTOR_KEYS must hold Fernet keys (flask two-factor new-key makes one)"
        ) from error


def seal(secret: bytes, owner: int, key: str | bytes) -> str:
    token = Fernet(key).encrypt(owner.to_bytes(_OWNER_BYTES, "big") + secret)
    return f"{SEAL_VERSION}.{token.decode()}"


def unseal(sealed: str, owner: int, keys: Sequence[str | bytes]) -> tuple[bytes, int]:
    """The secret and the index of the key that opened it (0: the key that seals today)."""
    version, _, token = (sealed or "").partition(".")
    if version != SEAL_VERSION or not token:
        raise SealError()
    for index, fernet in enumerate(fernets(keys)):
        try:
            plain = fernet.decrypt(token.encode())
        except InvalidToken:
            continue
        if plain[:_OWNER_BYTES] != owner.to_bytes(_OWNER_BYTES, "big"):
            raise SealError()  # sealed for another account
        return plain[_OWNER_BYTES:], index
    raise SealError()
