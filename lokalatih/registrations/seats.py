"""Seats: which seat (a quota's or a general one) a participant gets.

Every seat-changing action calls `lock_seats(workshop)` first (workshops/capacity.py, where the
lock is explained) and reads the counts only after it.
"""

from __future__ import annotations

import sqlalchemy as sa

from ..extensions import db
from ..models import Quota, QuotaKind, Registration, RegistrationStatus, User, Workshop

# A seat held by a confirmed registration: a quota's (quota_id set) or a general one (None).
GENERAL = None


def _taken_by_quota(workshop: Workshop) -> dict[int | None, int]:
    """Confirmed registrations per quota id (None: general seats)."""
    rows = db.session.execute(
        sa.select(Registration.quota_id, sa.func.count())
        .where(
            Registration.workshop_id == workshop.id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .group_by(Registration.quota_id)
    ).all()
    return {quota_id: count for quota_id, count in rows}


def _matches(quota: Quota, user: User) -> bool:
    profile = user.profile
    if profile is None:
        return False
    if quota.kind == QuotaKind.INSTITUTION_TYPE:
        return profile.institution_type is not None and profile.institution_type == quota.value
    return profile.province_code == quota.value


class SeatMap:
    """The free seats of one workshop, read once under the lock and updated as seats are given."""

    def __init__(self, workshop: Workshop) -> None:
        self.workshop = workshop
        self.quotas = list(workshop.quotas)
        self.taken = _taken_by_quota(workshop)

    @property
    def total_taken(self) -> int:
        return sum(self.taken.values())

    @property
    def free(self) -> int:
        return max(0, self.workshop.capacity - self.total_taken)

    def _general_seats(self) -> int:
        return max(0, self.workshop.capacity - sum(quota.seats for quota in self.quotas))

    def seat_for(self, user: User) -> tuple[bool, int | None]:
        """(True, quota id or None for a general seat) if a seat is free for `user`."""
        if self.free <= 0:
            return False, GENERAL
        for quota in self.quotas:
            if _matches(quota, user) and self.taken.get(quota.id, 0) < quota.seats:
                return True, quota.id
        if self.taken.get(GENERAL, 0) < self._general_seats():
            return True, GENERAL
        return False, GENERAL

    def take(self, quota_id: int | None) -> None:
        self.taken[quota_id] = self.taken.get(quota_id, 0) + 1
