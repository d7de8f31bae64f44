"""What participants did, read from the models for any feature that shows it: sessions attended,
test scores. Shared (imports no feature), so a lower feature's list or export can show them; the
attendance and quizzes features expose the same functions under their own names."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa

from .extensions import db
from .models import (
    Attempt,
    CheckIn,
    Quiz,
    QuizKind,
    Registration,
    RegistrationStatus,
    Workshop,
    WorkshopSession,
)

CONFIRMED = RegistrationStatus.CONFIRMED


def attendance_shares(
    workshop: Workshop, started_by: datetime | None = None
) -> dict[int, tuple[int, int]]:
    """Confirmed registration id → (sessions attended, sessions of the workshop), in one query.
    With `started_by`, only sessions that had started by then count, on both sides, so that a
    running workshop's share is not diluted by sessions yet to come.

    For a threshold, compare integers (`attended * 100 >= percent * total`), not rounded shares.
    """
    sessions = [WorkshopSession.workshop_id == workshop.id]
    if started_by is not None:
        sessions.append(WorkshopSession.starts_at <= started_by)
    total = sa.select(sa.func.count(WorkshopSession.id)).where(*sessions).scalar_subquery()
    counted = CheckIn.registration_id == Registration.id
    if started_by is not None:
        counted &= CheckIn.session_id.in_(sa.select(WorkshopSession.id).where(*sessions))
    rows = db.session.execute(
        sa.select(Registration.id, sa.func.count(CheckIn.id), total)
        .outerjoin(CheckIn, counted)
        .where(Registration.workshop_id == workshop.id, Registration.status == CONFIRMED)
        .group_by(Registration.id)
    )
    return {registration_id: (attended, sessions) for registration_id, attended, sessions in rows}


def attendance_counts(registration: Registration) -> tuple[int, int]:
    """(sessions attended, sessions of the workshop) for one registration, whatever its status:
    `attendance_shares` for one row."""
    attended = db.session.scalar(
        sa.select(sa.func.count(CheckIn.id)).where(CheckIn.registration_id == registration.id)
    )
    total = db.session.scalar(
        sa.select(sa.func.count(WorkshopSession.id)).where(
            WorkshopSession.workshop_id == registration.workshop_id
        )
    )
    return attended, total


def attendance_counts_of(registrations: Sequence[Registration]) -> dict[int, tuple[int, int]]:
    """`attendance_counts` for many registrations (of any workshops) in two statements:
    registration id → (sessions attended, sessions of its workshop)."""
    if not registrations:
        return {}
    attended = dict(
        db.session.execute(
            sa.select(CheckIn.registration_id, sa.func.count(CheckIn.id))
            .where(CheckIn.registration_id.in_([r.id for r in registrations]))
            .group_by(CheckIn.registration_id)
        ).all()
    )
    totals = dict(
        db.session.execute(
            sa.select(WorkshopSession.workshop_id, sa.func.count(WorkshopSession.id))
            .where(WorkshopSession.workshop_id.in_({r.workshop_id for r in registrations}))
            .group_by(WorkshopSession.workshop_id)
        ).all()
    )
    return {r.id: (attended.get(r.id, 0), totals.get(r.workshop_id, 0)) for r in registrations}


def in_scope(workshop: Workshop | None) -> list:
    return [Quiz.workshop_id == workshop.id] if workshop is not None else []


def submitted(kind: QuizKind, workshop: Workshop | None):
    """The submitted, scored attempts of one test kind (of one workshop, or of all)."""
    return (
        sa.select(Attempt.registration_id, Attempt.score)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(
            Quiz.kind == kind,
            Attempt.submitted_at.is_not(None),
            Attempt.score.is_not(None),
            *in_scope(workshop),
        )
        .subquery(kind.value)
    )


def submitted_scores(workshop: Workshop) -> dict[QuizKind, dict[int, float]]:
    """Per test kind, registration id → score of the submitted attempt (one query per kind)."""
    result = {}
    for kind in (QuizKind.PRE, QuizKind.POST):
        scores = submitted(kind, workshop)
        rows = db.session.execute(sa.select(scores.c.registration_id, scores.c.score)).all()
        result[kind] = dict(rows)
    return result
