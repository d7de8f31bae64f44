"""Cloning a workshop: a new draft with the same agenda, quizzes and certificate rule.

It lives in the quizzes feature because it copies quizzes and the certificate rule, and the
workshops feature sits below both in the layers (tests/test_architecture.py). Columns are copied
generically (every mapped column but the ones listed here), so a column added later to a
workshop, a session or a quiz is copied too. Nothing personal is copied: no registrations,
check-ins, attempts or certificates.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from ..audit import record_event
from ..extensions import db
from ..models import (
    Quiz,
    QuizKind,
    QuizQuestion,
    Quota,
    User,
    Workshop,
    WorkshopSession,
    WorkshopStatus,
    WorkshopTimezone,
    WorkshopTopic,
)
from ..workshops.services import unique_slug
from . import services
from .errors import (
    CloneStartOutOfRangeError,
    NoPreTestQuestionsError,
    PostTestNotEmptyError,
)

TITLE_SUFFIX = " (salinan)"
TITLE_MAX = 200
CLONE_MAX_DAYS = 3650

# Columns never copied: identities, the parent key, bookkeeping and per-run state.
_SKIPPED = {"id", "workshop_id", "quiz_id", "created_at", "updated_at"}
_WORKSHOP_RESET = {"slug", "title", "status", "cancel_reason", "seat_lock_version", "created_by_id"}
# A fresh check-in secret (the copy's codes must not open the original's sessions) and SEQUENCE.
_SESSION_RESET = {"checkin_secret", "sequence"}


def _copy_columns(source, target, skip: set[str]) -> None:
    for column in sa.inspect(type(source)).column_attrs:
        if column.key not in skip and column.key not in _SKIPPED:
            setattr(target, column.key, getattr(source, column.key))


def shift_local(moment: datetime | None, days: int, timezone: WorkshopTimezone) -> datetime | None:
    """`moment` moved by whole days on the workshop's wall clock (09.00 WITA stays 09.00 WITA)."""
    if moment is None:
        return None
    local = moment.astimezone(timezone.zone).replace(tzinfo=None) + timedelta(days=days)
    return local.replace(tzinfo=timezone.zone).astimezone(UTC)


def clone_title(title: str) -> str:
    return title[: TITLE_MAX - len(TITLE_SUFFIX)].rstrip() + TITLE_SUFFIX


def clone_workshop(
    workshop: Workshop, by: User, new_start_date: date, *, ip: str | None = None
) -> Workshop:
    """A draft copy starting on `new_start_date`; every date moves by the same number of days."""
    days = (new_start_date - workshop.start_date).days
    if abs(days) > CLONE_MAX_DAYS:
        raise CloneStartOutOfRangeError()
    zone = workshop.timezone
    title = clone_title(workshop.title)
    copy = Workshop(
        slug=unique_slug(title),
        title=title,
        status=WorkshopStatus.DRAFT,
        created_by_id=by.id,
    )
    _copy_columns(workshop, copy, _WORKSHOP_RESET)
    copy.start_date = workshop.start_date + timedelta(days=days)
    copy.end_date = workshop.end_date + timedelta(days=days)
    copy.registration_opens_at = shift_local(workshop.registration_opens_at, days, zone)
    copy.registration_closes_at = shift_local(workshop.registration_closes_at, days, zone)
    copy.signatories = [dict(s) for s in workshop.signatories] if workshop.signatories else None
    copy.issuing_institutions = list(workshop.issuing_institutions or []) or None
    copy.topics = [WorkshopTopic(tag=tag) for tag in workshop.topic_tags]
    copy.organizers = list(workshop.organizers)
    if all(organizer.id != by.id for organizer in copy.organizers):
        copy.organizers.append(by)
    copy.quotas = [Quota(kind=q.kind, value=q.value, seats=q.seats) for q in workshop.quotas]
    for session in workshop.sessions:
        new_session = WorkshopSession()
        _copy_columns(session, new_session, _SESSION_RESET)
        new_session.starts_at = shift_local(session.starts_at, days, zone)
        new_session.ends_at = shift_local(session.ends_at, days, zone)
        copy.sessions.append(new_session)
    db.session.add(copy)
    db.session.flush()
    for kind in QuizKind:
        quiz = services.get_quiz(workshop, kind)
        if quiz is not None:
            _clone_quiz(quiz, copy, days)
    db.session.flush()
    record_event(
        "workshop_cloned",
        actor=by,
        target=copy,
        details={"from": workshop.slug, "days": days},
        ip=ip,
    )
    return copy


def _clone_quiz(quiz: Quiz, workshop: Workshop, days: int) -> Quiz:
    copy = Quiz(workshop_id=workshop.id)
    _copy_columns(quiz, copy, set())
    copy.opens_at = shift_local(quiz.opens_at, days, workshop.timezone)
    copy.closes_at = shift_local(quiz.closes_at, days, workshop.timezone)
    # A question retired from the bank since is left out: it is not to be used again.
    active = [item for item in quiz.items if not item.question.is_retired]
    copy.items = [
        QuizQuestion(question_id=item.question_id, position=position)
        for position, item in enumerate(active)
    ]
    db.session.add(copy)
    return copy


def copy_pre_into_post(post: Quiz, actor: User) -> int:
    """Put the pre-test's questions, in their order, into the empty post-test; how many."""
    if post.items:
        raise PostTestNotEmptyError()
    services._check_unlocked(post)
    pre = services.get_quiz(services.quiz_workshop(post), QuizKind.PRE)
    if pre is None or not pre.items:
        raise NoPreTestQuestionsError()
    active = [item.question for item in pre.items if not item.question.is_retired]
    if not active:
        raise NoPreTestQuestionsError()
    added = services._append(post, active)
    record_event(
        "quiz_questions_copied", actor=actor, target=post, details={"count": added, "from": "pre"}
    )
    return added


def copyable_pre_test_count(workshop: Workshop, kind: QuizKind, quiz: Quiz | None) -> int:
    """How many pre-test questions the (empty) post-test page offers to copy; 0 for none."""
    if kind != QuizKind.POST or quiz is None or quiz.items:
        return 0
    pre = services.get_quiz(workshop, QuizKind.PRE)
    return len(pre.items) if pre else 0
