"""Quiz setup: a workshop's pre-test and post-test, their windows and their questions.

A quiz's window is stored only when the organizer sets it; otherwise it follows the workshop's
agenda (see `default_window`), so moving a session moves the default window with it.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

import sqlalchemy as sa

from ..audit import record_event
from ..extensions import db
from ..models import Attempt, Question, Quiz, QuizKind, QuizQuestion, User, Workshop, utcnow
from . import bank
from .errors import NothingToDrawError, QuestionsLockedError, UnknownQuestionError, WindowOrderError

TIME_LIMIT_MIN = 1
TIME_LIMIT_MAX = 180
POST_TEST_DAYS = 3
DRAW_MAX = 50


@dataclass(frozen=True)
class QuizSettings:
    title: str
    time_limit_minutes: int
    opens_at: datetime | None  # aware UTC; None keeps the default
    closes_at: datetime | None
    shuffle_questions: bool
    shuffle_choices: bool
    show_answers_after_close: bool


# --- reading ----------------------------------------------------------------------------------


def get_quiz(workshop: Workshop, kind: QuizKind) -> Quiz | None:
    return db.session.scalar(
        sa.select(Quiz).where(Quiz.workshop_id == workshop.id, Quiz.kind == kind)
    )


def quiz_workshop(quiz: Quiz) -> Workshop:
    # A quiz not yet flushed does not load its relationship: look the workshop up by id then.
    return quiz.workshop or db.session.get(Workshop, quiz.workshop_id)


def quiz_questions(quiz: Quiz) -> list[Question]:
    return [item.question for item in quiz.items]


def has_attempts(quiz: Quiz) -> bool:
    return db.session.scalar(sa.select(sa.exists().where(Attempt.quiz_id == quiz.id))) or False


def bank_topics() -> dict[str, int]:
    """Topics that offer questions to new quizzes, with how many each offers."""
    return bank.active_topic_counts()


def bank_questions(topic: str | None = None) -> list[Question]:
    """Active (not retired) questions of the bank, of one topic or of all."""
    if topic:
        return bank.active_questions_by_topic(topic)
    query = sa.select(Question).where(Question.retired_at.is_(None))
    return list(db.session.scalars(query.order_by(Question.topic, Question.id)))


# --- windows ----------------------------------------------------------------------------------


def _session_bounds(workshop: Workshop) -> tuple[datetime, datetime]:
    """The first session's start and the last session's start, or the workshop's days at 00:00."""
    starts = sorted(session.starts_at for session in workshop.sessions)
    if starts:
        return starts[0], starts[-1]
    zone = workshop.zone
    first = datetime.combine(workshop.start_date, time(0), tzinfo=zone)
    last = datetime.combine(workshop.end_date, time(0), tzinfo=zone)
    return first.astimezone(UTC), last.astimezone(UTC)


def default_window(
    workshop: Workshop, kind: QuizKind, created_at: datetime | None = None
) -> tuple[datetime, datetime]:
    """Pre-test: from registration opening (or the quiz's creation) until the first session
    starts. Post-test: from the last session's start for three days."""
    first_start, last_start = _session_bounds(workshop)
    if kind == QuizKind.PRE:
        opens = workshop.registration_opens_at or created_at or utcnow()
        return min(opens, first_start), first_start
    return last_start, last_start + timedelta(days=POST_TEST_DAYS)


def effective_window(quiz: Quiz) -> tuple[datetime, datetime]:
    """(opens_at, closes_at) in UTC: the organizer's values where set, else the defaults."""
    default_opens, default_closes = default_window(quiz_workshop(quiz), quiz.kind, quiz.created_at)
    return quiz.opens_at or default_opens, quiz.closes_at or default_closes


def is_open(quiz: Quiz, now: datetime | None = None) -> bool:
    opens_at, closes_at = effective_window(quiz)
    return opens_at <= (now or utcnow()) < closes_at


def is_closed(quiz: Quiz, now: datetime | None = None) -> bool:
    return (now or utcnow()) >= effective_window(quiz)[1]


# --- changing ---------------------------------------------------------------------------------


def save_settings(
    workshop: Workshop,
    kind: QuizKind,
    settings: QuizSettings,
    actor: User,
    *,
    ip: str | None = None,
    now: datetime | None = None,
) -> Quiz:
    """Create the workshop's quiz of this kind, or change its settings."""
    quiz = get_quiz(workshop, kind)
    if quiz is None:
        quiz = Quiz(workshop_id=workshop.id, kind=kind, created_at=now or utcnow())
        db.session.add(quiz)
    default_opens, default_closes = default_window(workshop, kind, quiz.created_at)
    if (settings.closes_at or default_closes) <= (settings.opens_at or default_opens):
        raise WindowOrderError()
    quiz.title = settings.title
    quiz.time_limit_minutes = settings.time_limit_minutes
    quiz.opens_at = settings.opens_at
    quiz.closes_at = settings.closes_at
    quiz.shuffle_questions = settings.shuffle_questions
    quiz.shuffle_choices = settings.shuffle_choices
    quiz.show_answers_after_close = settings.show_answers_after_close
    db.session.flush()
    record_event("quiz.settings", actor=actor, target=quiz, details={"kind": kind.value}, ip=ip)
    return quiz


def _check_unlocked(quiz: Quiz) -> None:
    if has_attempts(quiz):
        raise QuestionsLockedError()


def _append(quiz: Quiz, questions: list[Question]) -> int:
    present = {item.question_id for item in quiz.items}
    position = max((item.position for item in quiz.items), default=-1)
    added = 0
    for question in questions:
        if question.id in present:
            continue
        position += 1
        quiz.items.append(QuizQuestion(question=question, position=position))
        present.add(question.id)
        added += 1
    db.session.flush()
    return added


def add_questions(quiz: Quiz, question_ids: list[int], actor: User) -> int:
    """Add active bank questions at the end of the quiz; returns how many were new."""
    _check_unlocked(quiz)
    wanted = set(question_ids)
    questions = list(
        db.session.scalars(
            sa.select(Question)
            .where(Question.id.in_(wanted), Question.retired_at.is_(None))
            .order_by(Question.id)
        )
    )
    if not wanted or len(questions) != len(wanted):
        raise UnknownQuestionError()
    added = _append(quiz, questions)
    record_event("quiz.questions_added", actor=actor, target=quiz, details={"count": added})
    return added


_ARTICLE = re.compile(r"\bpasal\s*(\d+\s*[a-z]?)\b")
_PARAGRAPH = re.compile(r"\bayat\s*\(?\s*(\d+)\s*\)?")


def source_key(source: str | None) -> str | None:
    """What a random draw compares: the source's document, article and paragraph, normalised.

    'UUD 1945 Pasal 28I ayat (1)', 'uud 1945  pasal 28 I ayat 1' and 'UUD 1945, Pasal 28I
    Ayat (1).' give one key; a source without 'Pasal' is compared as a whole (trimmed, spaces
    collapsed, case-folded, punctuation dropped); an empty source has no key and never clashes.
    """
    text = " ".join(re.sub(r"[^\w()]+", " ", (source or "").casefold()).split())
    if not text:
        return None
    article = _ARTICLE.search(text)
    if article is None:
        return text
    paragraph = _PARAGRAPH.search(text, article.end())
    document = " ".join(text[: article.start()].replace("(", " ").replace(")", " ").split())
    number = article.group(1).replace(" ", "")
    return f"{document}|{number}|{paragraph.group(1) if paragraph else ''}"


def draw_questions(
    quiz: Quiz, topics: list[str], per_topic: int, actor: User, rng: random.Random | None = None
) -> int:
    """Add up to `per_topic` random active questions of each topic that are not yet in the quiz,
    never two from the same source article and paragraph (see `source_key`), counting those
    already in the quiz."""
    _check_unlocked(quiz)
    rng = rng or random.SystemRandom()
    present = {item.question_id for item in quiz.items}
    used = {source_key(item.question.source) for item in quiz.items} - {None}
    chosen: list[Question] = []
    for topic in sorted(set(topics)):
        pool = [q for q in bank_questions(topic) if q.id not in present]
        rng.shuffle(pool)
        taken = 0
        for question in pool:
            if taken == per_topic:
                break
            key = source_key(question.source)
            if key is not None and key in used:
                continue
            if key is not None:
                used.add(key)
            chosen.append(question)
            taken += 1
    if not chosen:
        raise NothingToDrawError()
    added = _append(quiz, chosen)
    record_event("quiz.questions_drawn", actor=actor, target=quiz, details={"count": added})
    return added


def remove_question(quiz: Quiz, question_id: int, actor: User) -> None:
    _check_unlocked(quiz)
    quiz.items[:] = [item for item in quiz.items if item.question_id != question_id]
    _renumber(quiz)
    record_event("quiz.question_removed", actor=actor, target=quiz, details={"id": question_id})


def move_question(quiz: Quiz, question_id: int, offset: int, actor: User) -> None:
    """Move a question up (offset -1) or down (+1) the list."""
    _check_unlocked(quiz)
    items = list(quiz.items)
    index = next((i for i, item in enumerate(items) if item.question_id == question_id), None)
    if index is None:
        raise UnknownQuestionError()
    target = index + offset
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
        for position, item in enumerate(items):
            item.position = position
        db.session.flush()
        db.session.expire(quiz, ["items"])
    record_event("quiz.question_moved", actor=actor, target=quiz, details={"id": question_id})


def _renumber(quiz: Quiz) -> None:
    for position, item in enumerate(quiz.items):
        item.position = position
    db.session.flush()
