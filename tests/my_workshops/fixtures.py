"""Builders other folders use for "Loka latih saya" (the browser test shows the same rows)."""

from __future__ import annotations

from datetime import timedelta

from lokalatih.certificates.services import issue_certificate
from lokalatih.models import (
    ActionPlanItem,
    Attempt,
    CheckIn,
    CheckInMethod,
    Question,
    QuestionKind,
    Quiz,
    QuizKind,
    QuizQuestion,
    RegistrationStatus,
    User,
    utcnow,
)
from tests import factories

CONFIRMED, WAITLISTED = RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED


def _question(db) -> Question:
    number = factories.next_number()
    question = Question(
        topic="DUHAM",
        text=f"Soal {number}: kapan DUHAM diproklamasikan?",
        kind=QuestionKind.SINGLE,
        choices=[{"key": k, "text": f"Pilihan {k}"} for k in "abcd"],
        correct_keys=["a"],
        explanation="10 Desember 1948.",
        source=f"Modul HAM bagian {number}",
    )
    db.session.add(question)
    return question


def _quiz(db, workshop, kind: QuizKind) -> Quiz:
    quiz = Quiz(workshop_id=workshop.id, kind=kind, title=str(kind.value))
    quiz.items.append(QuizQuestion(question=_question(db), position=0))
    db.session.add(quiz)
    db.session.flush()
    return quiz


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
        pre = _quiz(db, workshop, QuizKind.PRE)
        _quiz(db, workshop, QuizKind.POST)
        db.session.add_all(
            [
                CheckIn(
                    session_id=workshop.sessions[0].id,
                    registration_id=registration.id,
                    method=CheckInMethod.CODE,
                    checked_in_at=start,
                ),
                Attempt(
                    quiz_id=pre.id,
                    registration_id=registration.id,
                    started_at=start - timedelta(hours=1),
                    deadline_at=start - timedelta(minutes=40),
                    submitted_at=start - timedelta(minutes=50),
                    score=75.0,
                    question_order=[],
                    choice_order={},
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
