"""The audit log: who did what to which object, when, from where. Entries are only ever added."""

from __future__ import annotations

from typing import Any

from .extensions import db
from .models import AuditEvent, User


def record_event(
    action: str,
    *,
    actor: User | None = None,
    target: Any = None,
    details: dict | None = None,
    ip: str | None = None,
) -> AuditEvent:
    """Add an audit entry in the current transaction (the caller's commit keeps it)."""
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        action=action,
        object_type=type(target).__name__ if target is not None else None,
        object_id=str(_primary_key(target)) if target is not None else None,
        details=details,
        ip=ip,
    )
    db.session.add(event)
    return event


def _primary_key(target: Any) -> Any:
    identity = db.inspect(target).identity if hasattr(target, "__table__") else None
    if identity:
        return identity[0] if len(identity) == 1 else "/".join(map(str, identity))
    return getattr(target, "id", target)
