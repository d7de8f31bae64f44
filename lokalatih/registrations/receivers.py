"""How registrations react to what lower features announce (lokalatih/signals.py).

create_app calls `connect()`; connecting again is harmless (blinker keeps one connection per
receiver).
"""

from __future__ import annotations

from .. import signals
from ..models import User, Workshop, WorkshopSession
from . import notifications, services


def _fill_new_seats(workshop: Workshop) -> None:
    services.fill_free_seats(workshop)


def _cancel_upcoming(user: User) -> int:
    return services.cancel_upcoming_registrations(user)


def _tell_participants(session: WorkshopSession, changed: list[str]) -> int:
    return notifications.queue_session_changed(session, changed)


def connect() -> None:
    signals.capacity_grew.connect(_fill_new_seats)
    signals.account_erasing.connect(_cancel_upcoming)
    signals.session_changed.connect(_tell_participants)
