"""Twenty phones sending the same code at the same moment record one check-in.

Each thread is one request: its own app context, so its own session and database connection.
The threads wait at a barrier and are released together.
"""

from __future__ import annotations

import sqlalchemy as sa

from lokalatih.attendance import codes, services
from lokalatih.extensions import db as _db
from lokalatih.models import CheckIn, CheckInMethod, User, WorkshopSession
from tests.attendance.attendance_helpers import now_utc
from tests.support import at_once

THREADS = 20


def test_twenty_simultaneous_check_ins_with_one_code_record_one(app, db, make_workshop, enroll):
    workshop = make_workshop()
    registration = enroll(workshop)
    session_id, user_id = workshop.sessions[0].id, registration.user_id
    now = now_utc()
    code = codes.current_code(workshop.sessions[0], now)
    db.session.remove()

    def check_in() -> tuple[int, bool]:
        session = _db.session.get(WorkshopSession, session_id)
        user = _db.session.get(User, user_id)
        checkin, created = services.check_in(session, user, code, CheckInMethod.QR, now)
        _db.session.commit()
        return checkin.id, created

    results = at_once(app, THREADS, lambda _: check_in())

    assert [value for kind, value in results if kind != "ok"] == []
    ids = {checkin_id for _, (checkin_id, _) in results}
    created = [was_created for _, (_, was_created) in results]
    assert len(ids) == 1
    assert created.count(True) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 1


def test_the_same_personal_qr_sent_by_twenty_scanners_records_one(
    app, db, make_workshop, enroll, organizer
):
    workshop = make_workshop()
    registration = enroll(workshop)
    session_id, organizer_id = workshop.sessions[0].id, organizer.id
    payload = services.personal_qr_payload(registration)
    db.session.remove()

    def scan() -> str:
        session = _db.session.get(WorkshopSession, session_id)
        scanner = _db.session.get(User, organizer_id)
        [result] = services.record_scans(session, [payload], scanner, now_utc())
        _db.session.commit()
        return result.status

    results = at_once(app, THREADS, lambda _: scan())

    assert [value for kind, value in results if kind != "ok"] == []
    statuses = sorted(value for _, value in results)
    assert statuses == ["already"] * (THREADS - 1) + ["recorded"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn)) == 1
