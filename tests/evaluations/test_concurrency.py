"""Ten requests sending one participant's answers at the same moment keep one response.

Each thread is one request: its own app context, so its own session and database connection.
"""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from lokalatih.evaluations import services
from lokalatih.evaluations.errors import AlreadyAnsweredError
from lokalatih.extensions import db as _db
from lokalatih.models import EvaluationResponse, EvaluationSubmission, Registration
from tests.evaluations.fixtures import GOOD
from tests.support import at_once

THREADS = 20


def test_simultaneous_answers_of_one_participant_keep_one(app, db, clock, ev_workshop, ev_enroll):
    workshop = ev_workshop(clock.now() - timedelta(hours=1))
    registration_id = ev_enroll(workshop).id
    now = clock.now()
    db.session.remove()

    def answer() -> str:
        registration = _db.session.get(Registration, registration_id)
        services.submit(registration, GOOD, now=now)
        _db.session.commit()
        return "saved"

    results = at_once(app, THREADS, lambda _: answer())

    saved = [value for kind, value in results if kind == "ok"]
    refused = [value for kind, value in results if kind == "error"]
    assert saved == ["saved"]
    assert {type(error) for error in refused} == {AlreadyAnsweredError}
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EvaluationSubmission)) == 1
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EvaluationResponse)) == 1
