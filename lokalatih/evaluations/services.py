"""The rules of the reaction survey: its window, the organizer's items, and one anonymous
response per confirmed participant."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from ..audit import record_event
from ..extensions import db
from ..models import (
    EvaluationItem,
    EvaluationItemKind,
    EvaluationResponse,
    EvaluationSettings,
    EvaluationSubmission,
    Quiz,
    QuizKind,
    Registration,
    RegistrationStatus,
    User,
    Workshop,
    WorkshopStatus,
    utcnow,
)
from ..quizzes import services as quizzes
from .errors import (
    AlreadyAnsweredError,
    ChoicesError,
    ClosedError,
    InvalidAnswerError,
    ItemInUseError,
    MissingAnswerError,
    NotConfirmedError,
    NotOpenYetError,
    TooManyItemsError,
    WindowOrderError,
)
from .items import CHOICE, LIKERT, SCALE, TEXT, TEXT_LIMIT, Item, items_for

MAX_CUSTOM_ITEMS = 10
MAX_CHOICES = 8


# --- the window -------------------------------------------------------------------------------


def settings_of(workshop: Workshop) -> EvaluationSettings | None:
    return db.session.get(EvaluationSettings, workshop.id)


@dataclass(frozen=True)
class Preloaded:
    """The post-tests and window settings of many workshops, read at once (`preload`), so that
    the windows of a list of workshops cost two statements, not two per workshop."""

    post_tests: dict[int, Quiz]
    settings: dict[int, EvaluationSettings]


def preload(workshop_ids: Sequence[int]) -> Preloaded:
    if not workshop_ids:
        return Preloaded({}, {})
    post_tests = db.session.scalars(
        sa.select(Quiz).where(Quiz.workshop_id.in_(workshop_ids), Quiz.kind == QuizKind.POST)
    )
    settings = db.session.scalars(
        sa.select(EvaluationSettings).where(EvaluationSettings.workshop_id.in_(workshop_ids))
    )
    return Preloaded(
        {quiz.workshop_id: quiz for quiz in post_tests}, {row.workshop_id: row for row in settings}
    )


def default_window(workshop: Workshop, known: Preloaded | None = None) -> tuple[datetime, datetime]:
    """From the start of the last session until the post-test closes (its own window when the
    workshop has a post-test, else the post-test's default window)."""
    opens, default_closes = quizzes.default_window(workshop, QuizKind.POST)
    if known is not None:
        post_test = known.post_tests.get(workshop.id)
    else:
        post_test = quizzes.get_quiz(workshop, QuizKind.POST)
    closes = quizzes.effective_window(post_test)[1] if post_test is not None else default_closes
    return opens, max(closes, opens)


def window(workshop: Workshop, known: Preloaded | None = None) -> tuple[datetime, datetime]:
    """(opens_at, closes_at) in UTC: the organizer's times where set, else the defaults."""
    default_opens, default_closes = default_window(workshop, known)
    settings = known.settings.get(workshop.id) if known is not None else settings_of(workshop)
    if settings is None:
        return default_opens, default_closes
    return settings.opens_at or default_opens, settings.closes_at or default_closes


def state(workshop: Workshop, now: datetime | None = None, known: Preloaded | None = None) -> str:
    """'upcoming', 'open' or 'closed'."""
    if workshop.status == WorkshopStatus.CANCELLED:
        return "closed"
    opens_at, closes_at = window(workshop, known)
    now = now or utcnow()
    if now < opens_at:
        return "upcoming"
    return "open" if now < closes_at else "closed"


def save_window(
    workshop: Workshop,
    opens_at: datetime | None,
    closes_at: datetime | None,
    actor: User,
    *,
    ip: str | None = None,
) -> None:
    """Set the organizer's times (None: back to the default)."""
    default_opens, default_closes = default_window(workshop)
    if (closes_at or default_closes) <= (opens_at or default_opens):
        raise WindowOrderError()
    settings = settings_of(workshop)
    if settings is None:
        settings = EvaluationSettings(workshop_id=workshop.id)
        db.session.add(settings)
    settings.opens_at, settings.closes_at = opens_at, closes_at
    db.session.flush()
    _audit(workshop, actor, "window", ip)


# --- the organizer's items --------------------------------------------------------------------


def response_count(workshop: Workshop) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(EvaluationResponse)
        .where(EvaluationResponse.workshop_id == workshop.id)
    )


def add_item(
    workshop: Workshop,
    kind: EvaluationItemKind,
    text: str,
    choices: Sequence[str],
    actor: User,
    *,
    ip: str | None = None,
) -> EvaluationItem:
    """Add an item after the standard ones. Answers given before it simply lack it."""
    existing = db.session.scalars(
        sa.select(EvaluationItem.position).where(EvaluationItem.workshop_id == workshop.id)
    ).all()
    if len(existing) >= MAX_CUSTOM_ITEMS:
        raise TooManyItemsError()
    options = [choice.strip() for choice in choices if choice.strip()] if kind == CHOICE else []
    if kind == CHOICE and not (
        2 <= len(options) <= MAX_CHOICES and len(set(options)) == len(options)
    ):
        raise ChoicesError()
    item = EvaluationItem(
        workshop_id=workshop.id,
        kind=kind,
        text=text.strip(),
        choices=options,
        position=max(existing, default=0) + 1,
    )
    db.session.add(item)
    db.session.flush()
    _audit(workshop, actor, "item_added", ip)
    return item


def delete_item(workshop: Workshop, item_id: int, actor: User, *, ip: str | None = None) -> None:
    """Remove one of the organizer's items, only while nobody has answered (an answer must not
    lose the question it answered)."""
    item = db.session.get(EvaluationItem, item_id)
    if item is None or item.workshop_id != workshop.id:
        raise InvalidAnswerError("item")
    if response_count(workshop):
        raise ItemInUseError()
    db.session.delete(item)
    db.session.flush()
    _audit(workshop, actor, "item_deleted", ip)


def _audit(workshop: Workshop, actor: User, change: str, ip: str | None) -> None:
    record_event(
        "evaluation_changed", actor=actor, target=workshop, details={"change": change}, ip=ip
    )


# --- answering --------------------------------------------------------------------------------


def has_answered(registration: Registration) -> bool:
    return db.session.get(EvaluationSubmission, registration.id) is not None


@dataclass(frozen=True)
class EvaluationLink:
    """Where a confirmed participant stands with the survey: 'done', or the window's state."""

    state: str  # done, upcoming, open, closed
    opens_at: datetime
    closes_at: datetime


def evaluation_links(
    registrations: Sequence[Registration], now: datetime | None = None
) -> dict[int, EvaluationLink]:
    """Confirmed registration id → its survey link, in three statements for any number of
    registrations (the workshops and their sessions loaded already)."""
    confirmed = [r for r in registrations if r.status == RegistrationStatus.CONFIRMED]
    if not confirmed:
        return {}
    known = preload(list({r.workshop_id for r in confirmed}))
    answered = set(
        db.session.scalars(
            sa.select(EvaluationSubmission.registration_id).where(
                EvaluationSubmission.registration_id.in_([r.id for r in confirmed])
            )
        )
    )
    links = {}
    for registration in confirmed:
        workshop = registration.workshop
        opens_at, closes_at = window(workshop, known)
        current = "done" if registration.id in answered else state(workshop, now, known)
        links[registration.id] = EvaluationLink(current, opens_at, closes_at)
    return links


def clean_answers(items: Sequence[Item], raw: Mapping[str, str]) -> dict[str, int | str]:
    """The answers as stored: Likert as 1..5, a choice as its text, a text trimmed; unanswered
    optional items left out. Raises on a missing required answer or an impossible value."""
    answers: dict[str, int | str] = {}
    for item in items:
        value = (raw.get(item.key) or "").strip()
        if not value:
            if item.required:
                raise MissingAnswerError(item.key)
            continue
        if item.kind == LIKERT:
            if value not in {str(point) for point in SCALE}:
                raise InvalidAnswerError(item.key)
            answers[item.key] = int(value)
        elif item.kind == CHOICE:
            if value not in item.choices:
                raise InvalidAnswerError(item.key)
            answers[item.key] = value
        elif item.kind == TEXT:
            if len(value) > TEXT_LIMIT:
                raise InvalidAnswerError(item.key)
            answers[item.key] = value
    return answers


def submit(
    registration: Registration,
    raw: Mapping[str, str],
    *,
    language: str = "id",
    now: datetime | None = None,
) -> None:
    """Record one participant's answers, once.

    Two rows that share nothing: the submission says that this registration answered (its
    primary key refuses a second, even from two requests at once), the response holds the
    answers under a random id, with no person and no time."""
    workshop = registration.workshop
    if registration.status != RegistrationStatus.CONFIRMED:
        raise NotConfirmedError()
    current = state(workshop, now)
    if current == "upcoming":
        raise NotOpenYetError()
    if current == "closed":
        raise ClosedError()
    if has_answered(registration):
        raise AlreadyAnsweredError()
    answers = clean_answers(items_for(workshop), raw)
    try:
        with db.session.begin_nested():
            db.session.add(
                EvaluationSubmission(registration_id=registration.id, workshop_id=workshop.id)
            )
    except IntegrityError:
        raise AlreadyAnsweredError() from None
    db.session.add(
        EvaluationResponse(workshop_id=workshop.id, language=language[:5], answers=answers)
    )
    db.session.flush()
