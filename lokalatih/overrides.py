"""Overriding a state guard: a manager may go ahead where a service would refuse (completing a
workshop before its last session has ended, marking attendance before check-in opens), but only
with a written reason, and each override is an audit event of its own so a reviewer can list
them all with one filter."""

from __future__ import annotations

from typing import Any

from .audit import record_event
from .errors import LokalatihError, OverrideNotAllowedError
from .models import Role, User

OVERRIDE_ACTION = "state_guard_overridden"
OVERRIDE_REASON_MAX = 300
# Participants and reviewers never reach the forms; the services refuse them too.
OVERRIDERS = (Role.ORGANIZER, Role.ADMIN)


def override_reason(actor: User, reason: str | None, refusal: LokalatihError) -> str:
    """The cleaned reason to go ahead despite `refusal`; raises `refusal` when none is given."""
    cleaned = " ".join((reason or "").split())
    if not cleaned:
        raise refusal
    if actor.role not in OVERRIDERS:
        raise OverrideNotAllowedError()
    return cleaned[:OVERRIDE_REASON_MAX]


def record_override(
    guard: str,
    *,
    actor: User,
    target: Any,
    reason: str,
    details: dict | None = None,
    ip: str | None = None,
) -> None:
    record_event(
        OVERRIDE_ACTION,
        actor=actor,
        target=target,
        details={"guard": guard, "reason": reason, **(details or {})},
        ip=ip,
    )
