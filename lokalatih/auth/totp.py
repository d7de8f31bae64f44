"""RFC 6238 time-based one-time passwords, and the sealing of their secrets at rest.

The algorithm is a few lines of HMAC, so it is written here rather than pulled in as a dependency.
Authenticator apps (Google Authenticator, Aegis, FreeOTP...) all speak the defaults used here:
HMAC-SHA1, 6 digits, a 30-second step.

A secret is stored sealed with a key derived from SECRET_KEY (an HMAC-SHA256 keystream, then an
HMAC-SHA256 tag over the user id and the ciphertext), so a copy of the database alone does not give
anyone the codes. The standard library has no block cipher; a keyed PRF in counter mode is a stream
cipher, and the tag makes a wrong key or a tampered value detectable instead of silently wrong.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
import unicodedata
from collections.abc import Sequence
from urllib.parse import quote, urlencode

STEP_SECONDS = 30
DIGITS = 6
SECRET_BYTES = 20  # 160 bits, the size RFC 4226 recommends for HMAC-SHA1
DRIFT_STEPS = 1  # a code of the step before or after is still accepted (clock drift, typing time)
_SEAL_VERSION = "v1"
_NONCE_BYTES = 16
_TAG_BYTES = 32


class SealError(Exception):
    """A sealed secret no configured key opens (SECRET_KEY changed, or the value was altered)."""


def new_secret() -> bytes:
    return secrets.token_bytes(SECRET_BYTES)


def to_base32(secret: bytes) -> str:
    """The form authenticator apps take, without padding."""
    return base64.b32encode(secret).decode().rstrip("=")


def grouped(secret: bytes) -> str:
    """The base32 secret in groups of four, for typing it into an app by hand."""
    text = to_base32(secret)
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def hotp(secret: bytes, counter: int, digits: int = DIGITS) -> str:
    """RFC 4226: HMAC-SHA1 over the counter, dynamic truncation, the low decimal digits."""
    mac = hmac.new(secret, counter.to_bytes(8, "big"), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = int.from_bytes(mac[offset : offset + 4], "big") & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def current_step(at: float | None = None) -> int:
    return int((time.time() if at is None else at) // STEP_SECONDS)


def totp(secret: bytes, at: float | None = None) -> str:
    return hotp(secret, current_step(at))


def normalize_code(raw: str | None) -> str:
    """What the user typed without spaces and hyphens (apps show "123 456"); full-width digits
    from some phone keyboards become ASCII ones."""
    text = unicodedata.normalize("NFKC", raw or "")
    return "".join(text.split()).replace("-", "").lower()


def matching_step(secret: bytes, code: str, at: float | None = None) -> int | None:
    """The step whose code this is, within the drift window, or None.

    Every candidate is compared in constant time, so the time taken does not tell which one
    matched.
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
    """The otpauth:// URI that authenticator apps read from the QR code."""
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


def _subkey(secret_key: str | bytes, purpose: bytes) -> bytes:
    key = secret_key.encode() if isinstance(secret_key, str) else secret_key
    return hmac.new(key, b"lokalatih-totp-" + purpose, hashlib.sha256).digest()


def _keystream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = []
    for counter in range((length + 31) // 32):
        blocks.append(hmac.new(key, nonce + counter.to_bytes(4, "big"), hashlib.sha256).digest())
    return b"".join(blocks)[:length]


def _tag(secret_key: str | bytes, owner: int, nonce: bytes, ciphertext: bytes) -> bytes:
    # The owner's id is in the tag: a sealed secret copied onto another account does not open.
    message = _SEAL_VERSION.encode() + owner.to_bytes(8, "big") + nonce + ciphertext
    return hmac.new(_subkey(secret_key, b"mac"), message, hashlib.sha256).digest()


def seal(secret: bytes, owner: int, secret_key: str | bytes) -> str:
    nonce = secrets.token_bytes(_NONCE_BYTES)
    stream = _keystream(_subkey(secret_key, b"enc"), nonce, len(secret))
    ciphertext = bytes(a ^ b for a, b in zip(secret, stream, strict=True))
    blob = nonce + ciphertext + _tag(secret_key, owner, nonce, ciphertext)
    return f"{_SEAL_VERSION}.{base64.urlsafe_b64encode(blob).decode()}"


def unseal(sealed: str, owner: int, keys: Sequence[str | bytes]) -> tuple[bytes, int]:
    """The secret and the index of the key that opened it (0: the current SECRET_KEY)."""
    version, _, payload = (sealed or "").partition(".")
    try:
        blob = base64.urlsafe_b64decode(payload.encode())
    except ValueError:
        raise SealError() from None
    if version != _SEAL_VERSION or len(blob) <= _NONCE_BYTES + _TAG_BYTES:
        raise SealError()
    nonce, ciphertext, tag = (
        blob[:_NONCE_BYTES],
        blob[_NONCE_BYTES:-_TAG_BYTES],
        blob[-_TAG_BYTES:],
    )
    for index, key in enumerate(keys):
        if hmac.compare_digest(_tag(key, owner, nonce, ciphertext), tag):
            stream = _keystream(_subkey(key, b"enc"), nonce, len(ciphertext))
            return bytes(a ^ b for a, b in zip(ciphertext, stream, strict=True)), index
    raise SealError()
