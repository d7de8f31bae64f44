"""Bursts of simultaneous requests: no seat is given twice, and nobody gets an error page.

Each thread is one request: its own app context, so its own session and database connection.
The threads wait at a barrier and are released together.
"""

from __future__ import annotations

from collections import Counter

import sqlalchemy as sa

from lokalatih.extensions import db as _db
from lokalatih.models import Registration, RegistrationStatus, User, Workshop
from lokalatih.registrations import services
from lokalatih.registrations.errors import AlreadyRegisteredError
from tests.registrations.registration_helpers import count_status
from tests.support import at_once

CONFIRMED = RegistrationStatus.CONFIRMED
WAITLISTED = RegistrationStatus.WAITLISTED


def register_in_thread(workshop_id: int, user_id: int) -> tuple[int, int | None]:
    workshop = _db.session.get(Workshop, workshop_id)
    user = _db.session.get(User, user_id)
    registration = services.register_participant(workshop, user)
    position = services.waitlist_position(registration)
    _db.session.commit()
    return registration.id, position


def cancel_in_thread(registration_id: int) -> list[int]:
    registration = _db.session.get(Registration, registration_id)
    promoted = services.cancel_registration(registration, registration.user)
    _db.session.commit()
    return [r.id for r in promoted]


def errors(results) -> list[object]:
    return [value for kind, value in results if kind != "ok"]


def test_200_participants_at_once_fill_20_seats_and_queue_the_rest_in_order(
    app, db, make_workshop, make_participants
):
    workshop = make_workshop(capacity=20)
    user_ids = [user.id for user in make_participants(200)]
    workshop_id = workshop.id
    db.session.remove()

    results = at_once(app, 200, lambda i: register_in_thread(workshop_id, user_ids[i]))

    assert errors(results) == []
    workshop = db.session.get(Workshop, workshop_id)
    assert count_status(workshop, CONFIRMED) == 20
    assert count_status(workshop, WAITLISTED) == 180
    # Everyone was told a distinct place, and the places are exactly 1..180.
    told = sorted(position for _, (_, position) in results if position is not None)
    assert told == list(range(1, 181))
    # The waitlist is in decision order: the order of the rows' ids.
    order = services.waitlist_positions(workshop)
    assert sorted(order, key=order.get) == sorted(order)
    assert services.seats_left(workshop) == 0


def test_one_participant_submitting_20_times_at_once_gets_one_registration(
    app, db, make_workshop, make_participant
):
    workshop = make_workshop(capacity=5)
    workshop_id, user_id = workshop.id, make_participant().id
    db.session.remove()

    results = at_once(app, 20, lambda i: register_in_thread(workshop_id, user_id))

    kinds = Counter("ok" if kind == "ok" else type(value).__name__ for kind, value in results)
    assert kinds == {"ok": 1, AlreadyRegisteredError.__name__: 19}
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Registration)
            .where(Registration.workshop_id == workshop_id)
        )
        == 1
    )


def test_10_cancellations_at_once_promote_exactly_10_in_waitlist_order(
    app, db, make_workshop, make_participants
):
    workshop = make_workshop(capacity=10)
    registrations = [
        services.register_participant(workshop, user) for user in make_participants(30)
    ]
    db.session.commit()
    workshop_id = workshop.id
    confirmed_ids = [r.id for r in registrations[:10]]
    waiting_ids = [r.id for r in registrations[10:]]
    db.session.remove()

    results = at_once(app, 10, lambda i: cancel_in_thread(confirmed_ids[i]))

    assert errors(results) == []
    promoted = sorted(registration_id for _, ids in results for registration_id in ids)
    assert promoted == waiting_ids[:10]
    workshop = db.session.get(Workshop, workshop_id)
    assert count_status(workshop, CONFIRMED) == 10
    assert sorted(services.waitlist_positions(workshop).values()) == list(range(1, 11))
    assert set(services.waitlist_positions(workshop)) == set(waiting_ids[10:])
