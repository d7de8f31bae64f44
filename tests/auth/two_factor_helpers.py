"""RFC 6238 codes computed independently of lokalatih, for the two-factor tests."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
import time

SECRET_ON_PAGE = re.compile(r'id="totp-secret">([A-Z2-7 ]+)</code>')
RECOVERY_CODE = re.compile(r"<li><code>([a-z0-9-]+)</code></li>")
STEP = 30


def rfc6238(secret: str, offset: int = 0) -> str:
    """The 6-digit code of the current 30-second step (+ `offset` steps) for a base32 secret."""
    compact = secret.replace(" ", "")
    key = base64.b32decode(compact + "=" * (-len(compact) % 8))
    counter = int(time.time() // STEP) + offset
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    start = mac[-1] & 0x0F
    value = (struct.unpack(">I", mac[start : start + 4])[0] & 0x7FFFFFFF) % 10**6
    return f"{value:06d}"


def wrong_code(secret: str) -> str:
    """A well-formed code that is not the code of any step near now."""
    near = {rfc6238(secret, offset) for offset in range(-3, 4)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in near)
