"""Builders other folders use for "Loka latih saya" (the browser test shows the same rows)."""

from __future__ import annotations

from datetime import timedelta

from lokalatih.certificates.services import issue_certificate
from lokalatih.models import (
    ActionPlanItem,
    CheckIn,
    CheckInMethod,
    Quiz,
    QuizKind,
    RegistrationStatus,
    User,
    utcnow,
)
from tests import factories

CONFIRMED, WAITLISTED = RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED


def _quiz(workshop, kind: QuizKind) -> Quiz:
    question = factories.question(explanation="10 Desember 1948.", commit=False)
    return factories.quiz(
        workshop, kind=kind, questions=[question], title=str(kind.value), commit=False
    )


def registrations_for(db, person: User, count: int) -> None:
    """`count` registrations of `person`: the first waitlisted behind someone else, the others
    confirmed in a running workshop with both tests (the pre-test done), a check-in and an action;
    the last one also has a certificate."""
    now = utcnow()
    for index in range(count):
        start = now - timedelta(days=1, hours=index)
        workshop = factories.workshop(
            sessions=[
                (start, start + timedelta(hours=2)),
                (now + timedelta(hours=2), now + timedelta(hours=4)),
            ],
            commit=False,
        )
        if index == 0:
            factories.registration(workshop, factories.user(commit=False), WAITLISTED, stamped=True)
            factories.registration(workshop, person, WAITLISTED, stamped=True, commit=False)
            continue
        registration = factories.registration(workshop, person, CONFIRMED, commit=False)
        pre = _quiz(workshop, QuizKind.PRE)
        _quiz(workshop, QuizKind.POST)
        factories.attempt(
            pre,
            registration,
            score=75.0,
            started_at=start - timedelta(hours=1),
            submitted_at=start - timedelta(minutes=50),
            deadline_at=start - timedelta(minutes=40),
            commit=False,
        )
        db.session.add_all(
            [
                CheckIn(
                    session_id=workshop.sessions[0].id,
                    registration_id=registration.id,
                    method=CheckInMethod.CODE,
                    checked_in_at=start,
                ),
                ActionPlanItem(
                    registration_id=registration.id,
                    action="Sosialisasi HAM di kantor",
                    due_date=(now + timedelta(days=30)).date(),
                ),
            ]
        )
        db.session.flush()
        if index == count - 1:
            issue_certificate(registration)
    db.session.commit()
