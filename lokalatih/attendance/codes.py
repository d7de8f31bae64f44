"""Rotating check-in codes: six characters per session that change every 30 seconds.

The code of time step `t // 30` is an HMAC of the step under a key made of the session's secret and
the application's SECRET_KEY, so it cannot be guessed from earlier codes or from another session's
codes, and nothing has to be stored: any web worker computes the same code.

The alphabet leaves out every member of the groups that look alike on a projector or a small phone
screen, or are misheard when read aloud in a video call: 0/O/Q/D, 1/I/L, 2/Z, 5/S, 6/G, 8/B, U/V.
Whatever the participant types, no character can be mistaken for another valid one. What is left
are 19 characters, 19**6 ≈ 4.7e7 codes (25 bits) per step: with the rate limit on code entry and
check-in limited to confirmed participants, guessing one during its 90-second life is out of reach.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import io
import re
from datetime import datetime

import segno
from flask import current_app

from ..models import WorkshopSession

ALPHABET = "ACEFHJKMNPRTWXY3479"
CODE_LENGTH = 6
STEP_SECONDS = 30
# "An old code still works for 60 seconds after it rotates": a code is shown for 30 s and accepted
# for another 60 s, so the codes of the two previous steps are always accepted as well.
GRACE_SECONDS = 60
# Codes older than this are reported as unknown rather than expired (and not computed at all).
EXPIRED_LOOKBACK_SECONDS = 2 * 60 * 60
_SEPARATORS = re.compile(r"[\s\-_.]+")


class CodeStatus(enum.Enum):
    VALID = "valid"
    EXPIRED = "expired"  # this session's code, rotated out more than GRACE_SECONDS ago
    INVALID = "invalid"  # a wrong code, or another session's


def normalize(code: str) -> str:
    """What the participant meant: upper case, without spaces, hyphens or dots."""
    return _SEPARATORS.sub("", code or "").upper()


def step_of(now: datetime) -> int:
    return int(now.timestamp()) // STEP_SECONDS


def seconds_left(now: datetime) -> int:
    """Whole seconds until the code shown at `now` is replaced (1 to 30)."""
    return STEP_SECONDS - int(now.timestamp()) % STEP_SECONDS


def code_for_step(session: WorkshopSession, step: int) -> str:
    key = (session.checkin_secret + current_app.config["SECRET_KEY"]).encode()
    digest = hmac.new(key, step.to_bytes(8, "big", signed=True), hashlib.sha256).digest()
    # 64 bits into 19**6 values: the bias is below one part in 10**11.
    number = int.from_bytes(digest[:8], "big")
    characters = []
    for _ in range(CODE_LENGTH):
        number, index = divmod(number, len(ALPHABET))
        characters.append(ALPHABET[index])
    return "".join(characters)


def current_code(session: WorkshopSession, now: datetime) -> str:
    return code_for_step(session, step_of(now))


def display_code(code: str) -> str:
    """'ACE FGH': two groups of three are easier to read out and to type."""
    return f"{code[:3]} {code[3:]}"


def _accepted_steps(now: datetime) -> range:
    """The steps whose codes are accepted at `now`: the current one, and each earlier one whose
    successor started at most GRACE_SECONDS ago."""
    current = step_of(now)
    elapsed = now.timestamp() - current * STEP_SECONDS  # seconds since the current step began
    oldest = current
    while oldest > 0 and elapsed + (current - oldest) * STEP_SECONDS <= GRACE_SECONDS:
        oldest -= 1
    return range(oldest, current + 1)


def classify_code(session: WorkshopSession, code: str, now: datetime) -> CodeStatus:
    """Whether `code` opens this session's check-in at `now`, has expired, or was never its code."""
    wanted = normalize(code)
    if len(wanted) != CODE_LENGTH or any(character not in ALPHABET for character in wanted):
        return CodeStatus.INVALID
    accepted = _accepted_steps(now)
    for step in accepted:
        if hmac.compare_digest(code_for_step(session, step), wanted):
            return CodeStatus.VALID
    lookback = EXPIRED_LOOKBACK_SECONDS // STEP_SECONDS
    for step in range(accepted.start - 1, max(accepted.start - 1 - lookback, -1), -1):
        if hmac.compare_digest(code_for_step(session, step), wanted):
            return CodeStatus.EXPIRED
    return CodeStatus.INVALID


def verify_code(session: WorkshopSession, code: str, now: datetime) -> bool:
    return classify_code(session, code, now) is CodeStatus.VALID


def qr_svg(data: str, scale: int) -> bytes:
    """A QR code as an SVG file: black on white, with its quiet zone."""
    buffer = io.BytesIO()
    segno.make(data, error="m").save(
        buffer, kind="svg", scale=scale, xmldecl=False, light="#fff", dark="#000"
    )
    return buffer.getvalue()


def qr_data_uri(data: str, scale: int = 3) -> str:
    """A QR code as a data: URI for an <img> (allowed by the CSP), for printed lists."""
    return segno.make(data, error="m").svg_data_uri(scale=scale, light="#fff", dark="#000")
