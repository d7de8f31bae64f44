"""The read model of "Loka latih saya": a user's registrations, each with its waitlist position,
pre-/post-test links, attendance, valid certificate, survey link and action plan, read in batches
so that the page costs the same number of statements for 2 registrations as for 80."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..action_plans.services import PlanState, plan_states
from ..attendance.exports import AttendanceSummary, attendance_summaries
from ..certificates.services import valid_certificates_of
from ..evaluations.services import EvaluationLink, evaluation_links
from ..models import Certificate, Registration, User, utcnow
from ..quizzes.links import QuizLink, quiz_links
from ..registrations.registrants import registrations_of


@dataclass(frozen=True)
class MyWorkshopRow:
    """One registration on the page and everything shown about it."""

    registration: Registration
    position: int | None  # on the waitlist; None when not waitlisted
    quiz_links: list[QuizLink]
    attendance: AttendanceSummary
    certificate: Certificate | None
    evaluation: EvaluationLink | None
    plan: PlanState


def my_workshops(user: User, now: datetime | None = None) -> list[MyWorkshopRow]:
    """The user's registrations, latest workshop first, in a fixed number of statements."""
    now = now or utcnow()
    listed = registrations_of(user)
    registrations = [registration for registration, _position in listed]
    links = quiz_links(registrations, now)
    attendance = attendance_summaries(registrations)
    certificates = valid_certificates_of([registration.id for registration in registrations])
    evaluations = evaluation_links(registrations, now)
    plans = plan_states(registrations, now)
    return [
        MyWorkshopRow(
            registration=registration,
            position=position,
            quiz_links=links[registration.id],
            attendance=attendance[registration.id],
            certificate=certificates.get(registration.id),
            evaluation=evaluations.get(registration.id),
            plan=plans[registration.id],
        )
        for registration, position in listed
    ]
