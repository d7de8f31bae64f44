"""What a participant sees of an attempt: its questions and choices in the attempt's own order
with the saved answers filled in, and, once allowed, the review with the correct answers.

Read-only; `attempts` changes attempts and uses `saved_answers` and `questions_of` from here.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from ..extensions import db
from ..models import (
    Answer,
    Attempt,
    Question,
    QuestionKind,
    Quiz,
    QuizKind,
    Registration,
    Workshop,
    WorkshopTimezone,
)


@dataclass(frozen=True)
class ShownWorkshop:
    title: str
    timezone: WorkshopTimezone

    @property
    def zone(self) -> ZoneInfo:  # as Workshop.zone: workshops.timefmt reads it
        return self.timezone.zone


@dataclass(frozen=True)
class ShownQuiz:
    id: int
    title: str
    kind: QuizKind
    workshop: ShownWorkshop


@dataclass(frozen=True)
class ShownAttempt:
    """What the attempt page reads of an attempt, its quiz and its workshop, under the names of
    the models' attributes: the page, `attempt_items` and the deadline helpers take either."""

    id: int
    deadline_at: datetime
    submitted_at: datetime | None
    question_order: list[int]
    choice_order: dict[str, list[str]]
    quiz: ShownQuiz

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


def find_shown_attempt(attempt_id: int, user_id: int) -> ShownAttempt | None:
    """The attempt if it belongs to the user, as the attempt page shows it: one row, no objects
    (a whole class loads the page at once, and three objects with their relationships cost more
    than the row's statement)."""
    row = db.session.execute(
        _shown_attempt_statement(), {"attempt_id": attempt_id, "user_id": user_id}
    ).one_or_none()
    if row is None:
        return None
    workshop = ShownWorkshop(row.workshop_title, row.timezone)
    quiz = ShownQuiz(row.quiz_id, row.quiz_title, row.kind, workshop)
    return ShownAttempt(
        row.id, row.deadline_at, row.submitted_at, row.question_order, row.choice_order, quiz
    )


@functools.cache
def _shown_attempt_statement() -> sa.Select:
    # Built once, with bind parameters (building it cost as much as running it).
    return (
        sa.select(
            Attempt.id,
            Attempt.deadline_at,
            Attempt.submitted_at,
            Attempt.question_order,
            Attempt.choice_order,
            Quiz.id.label("quiz_id"),
            Quiz.title.label("quiz_title"),
            Quiz.kind,
            Workshop.title.label("workshop_title"),
            Workshop.timezone,
        )
        .join(Registration, Registration.id == Attempt.registration_id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .join(Workshop, Workshop.id == Quiz.workshop_id)
        .where(
            Attempt.id == sa.bindparam("attempt_id"),
            Registration.user_id == sa.bindparam("user_id"),
        )
    )


def saved_answers(attempt: Attempt | ShownAttempt) -> dict[int, list[str]]:
    rows = db.session.execute(
        sa.select(Answer.question_id, Answer.selected_keys).where(Answer.attempt_id == attempt.id)
    )
    return {question_id: list(keys) for question_id, keys in rows}


@dataclass(frozen=True)
class ItemView:
    """One question as the participant sees it: never its correct keys."""

    number: int
    question: Question | sa.Row  # a `shown_questions` row on the attempt page: no correct keys
    choices: list[tuple[str, str]]  # (key, text) in the attempt's order
    selected: list[str]

    @property
    def input_type(self) -> str:
        return "checkbox" if self.question.kind == QuestionKind.MULTIPLE else "radio"


def attempt_items(
    attempt: Attempt | ShownAttempt,
    questions: dict[int, Question] | dict[int, sa.Row] | None = None,
) -> list[ItemView]:
    """The attempt's questions in its stored order, choices in its stored order, answers filled;
    `shown_questions` unless the caller passes the whole questions (the review)."""
    if questions is None:
        questions, answers = shown_questions(attempt)
    else:
        answers = saved_answers(attempt)
    items = []
    for number, question_id in enumerate(attempt.question_order, start=1):
        question = questions[question_id]
        texts = {choice["key"]: choice["text"] for choice in question.choices}
        order = [key for key in attempt.choice_order.get(str(question_id), []) if key in texts]
        order += [key for key in texts if key not in order]  # keys added to the bank later
        choices = [(key, texts[key]) for key in order]
        items.append(ItemView(number, question, choices, answers.get(question_id, [])))
    return items


@dataclass(frozen=True)
class ReviewItem:
    """A question after the window closed: the participant's answer next to the correct one."""

    item: ItemView
    correct_keys: list[str]
    is_correct: bool


def review_items(attempt: Attempt) -> list[ReviewItem]:
    """Only for `answers_visible(attempt)`: the route checks it before calling."""
    marks = dict(
        db.session.execute(
            sa.select(Answer.question_id, Answer.is_correct).where(Answer.attempt_id == attempt.id)
        ).all()
    )
    return [
        ReviewItem(item, list(item.question.correct_keys), bool(marks.get(item.question.id)))
        for item in attempt_items(attempt, questions_of(attempt))
    ]


def questions_of(attempt: Attempt) -> dict[int, Question]:
    rows = db.session.scalars(sa.select(Question).where(Question.id.in_(attempt.question_order)))
    return {question.id: question for question in rows}


def shown_questions(
    attempt: Attempt | ShownAttempt,
) -> tuple[dict[int, sa.Row], dict[int, list[str]]]:
    """What the attempt page shows of its questions, as rows, with the saved answers, in one
    statement: their correct keys and explanations never leave the database while the test runs,
    and rows cost less to build than objects on the page a whole class loads at once."""
    rows = db.session.execute(
        _shown_questions_statement(),
        {"attempt_id": attempt.id, "question_ids": list(attempt.question_order)},
    ).all()
    answers = {row.id: list(row.selected_keys) for row in rows if row.selected_keys is not None}
    return {row.id: row for row in rows}, answers


@functools.cache
def _shown_questions_statement() -> sa.Select:
    # Built once: building it cost as much as running it, on the page a whole class loads.
    return (
        sa.select(Question.id, Question.kind, Question.text, Question.choices, Answer.selected_keys)
        .outerjoin(
            Answer,
            sa.and_(
                Answer.question_id == Question.id, Answer.attempt_id == sa.bindparam("attempt_id")
            ),
        )
        .where(Question.id.in_(sa.bindparam("question_ids", expanding=True)))
    )
