"""The question bank, pre/post quizzes, attempts, answers and per-topic and per-theme counts of
attempts."""

from __future__ import annotations

import enum
import hashlib
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from ..extensions import db
from .base import UTCDateTime, enum_type, utcnow
from .theme import Theme, question_themes


class QuestionKind(enum.StrEnum):
    SINGLE = "single"  # one correct choice
    MULTIPLE = "multiple"  # several correct choices, all must be picked
    TRUE_FALSE = "true_false"


class QuizKind(enum.StrEnum):
    PRE = "pre"
    POST = "post"


class AttemptClosedBy(enum.StrEnum):
    PARTICIPANT = "participant"
    DEADLINE_JOB = "deadline_job"


def question_text_key(text: str) -> str:
    """The text as the bank compares it: trimmed, inner whitespace collapsed, case-folded; hashed
    so that the unique index holds 64 characters, not up to 2,000 (a PostgreSQL b-tree entry
    has a size limit a long text could pass)."""
    normalized = " ".join((text or "").split()).casefold()
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


class Question(db.Model):
    __tablename__ = "questions"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(sa.String(80), index=True)
    text: Mapped[str] = mapped_column(sa.Text)
    # One question per text in the whole bank, so an export re-imports; kept from `text` below.
    text_key: Mapped[str] = mapped_column(sa.String(64), unique=True, index=True)
    kind: Mapped[QuestionKind] = mapped_column(enum_type(QuestionKind))
    # [{"key": "a", "text": "..."}, ...]; keys are stable so answers survive reordering.
    choices: Mapped[list] = mapped_column(sa.JSON)
    correct_keys: Mapped[list] = mapped_column(sa.JSON)
    explanation: Mapped[str] = mapped_column(sa.Text, default="")
    source: Mapped[str] = mapped_column(sa.String(300), default="")
    language: Mapped[str] = mapped_column(sa.String(5), default="id")
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    themes: Mapped[list[Theme]] = relationship(
        secondary=question_themes, order_by="(Theme.position, Theme.id)"
    )

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    @validates("text")
    def _keep_text_key(self, _key: str, text: str) -> str:
        self.text_key = question_text_key(text)
        return text


class Quiz(db.Model):
    __tablename__ = "quizzes"
    __table_args__ = (
        sa.UniqueConstraint("workshop_id", "kind"),
        sa.CheckConstraint("time_limit_minutes >= 1", name="time_limit_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(sa.ForeignKey("workshops.id", ondelete="CASCADE"))
    kind: Mapped[QuizKind] = mapped_column(enum_type(QuizKind))
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    time_limit_minutes: Mapped[int] = mapped_column(default=20)
    # None means the default window (see the quizzes services).
    opens_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    shuffle_questions: Mapped[bool] = mapped_column(default=True)
    shuffle_choices: Mapped[bool] = mapped_column(default=True)
    show_answers_after_close: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    # Held by the quiz: a bare session.get() found it gone from the (weak) identity map and
    # queried again, up to three times per quiz page.
    workshop: Mapped[Workshop] = relationship()  # noqa: F821
    items: Mapped[list[QuizQuestion]] = relationship(
        back_populates="quiz", cascade="all, delete-orphan", order_by="QuizQuestion.position"
    )


class QuizQuestion(db.Model):
    __tablename__ = "quiz_questions"

    quiz_id: Mapped[int] = mapped_column(
        sa.ForeignKey("quizzes.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[int] = mapped_column(
        sa.ForeignKey("questions.id"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(default=0)

    quiz: Mapped[Quiz] = relationship(back_populates="items")
    # Joined: every reader of a quiz's items wants the questions too (one query, not one each).
    question: Mapped[Question] = relationship(lazy="joined")


class Attempt(db.Model):
    """One participant's only attempt at one quiz; the server owns the clock."""

    __tablename__ = "attempts"
    __table_args__ = (sa.UniqueConstraint("quiz_id", "registration_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    quiz_id: Mapped[int] = mapped_column(sa.ForeignKey("quizzes.id", ondelete="CASCADE"))
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deadline_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)
    closed_by: Mapped[AttemptClosedBy | None] = mapped_column(enum_type(AttemptClosedBy))
    score: Mapped[float | None]  # percentage 0..100, set at submission
    question_order: Mapped[list] = mapped_column(sa.JSON)  # [question_id, ...]
    choice_order: Mapped[dict] = mapped_column(sa.JSON)  # {"question_id": ["b", "a", ...]}

    quiz: Mapped[Quiz] = relationship()
    registration: Mapped[Registration] = relationship()  # noqa: F821
    answers: Mapped[list[Answer]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan"
    )

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None


class Answer(db.Model):
    __tablename__ = "answers"
    __table_args__ = (sa.UniqueConstraint("attempt_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(sa.ForeignKey("attempts.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(sa.ForeignKey("questions.id"), index=True)
    selected_keys: Mapped[list] = mapped_column(sa.JSON)
    saved_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    is_correct: Mapped[bool | None]  # decided at submission

    attempt: Mapped[Attempt] = relationship(back_populates="answers")


class AttemptTopicScore(db.Model):
    """How many questions of one topic a submitted attempt had, and how many it got right.

    Written once, when the attempt is scored (and by the data migration for older attempts), so
    the reports never aggregate every answer row. The topic is the question's topic at scoring
    time, as the score itself is. The attempt's registration and quiz kind are copied here (an
    attempt never changes either), for the triggers that sum these rows per registration into
    `registration_topic_scores`.
    """

    __tablename__ = "attempt_topic_scores"

    attempt_id: Mapped[int] = mapped_column(
        sa.ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    quiz_kind: Mapped[QuizKind] = mapped_column(enum_type(QuizKind))
    answered: Mapped[int]
    correct: Mapped[int]


class AttemptThemeScore(db.Model):
    """How many questions tagged with one KKPHAM theme a submitted attempt had, and how many it
    got right: what the dashboard's themes section reads instead of every answer row.

    Unlike a question's topic, its themes are tagged after the fact, so these rows follow the
    question's current themes: written when the attempt is scored, and rewritten from the answers
    for every submitted attempt that answered a question whose themes change
    (`quizzes.theme_scores.retally_attempts_with_questions`). The attempt's registration and quiz
    kind are copied here, as in `attempt_topic_scores`, and the section reads every column it
    needs from one covering index, in theme and kind order.
    """

    __tablename__ = "attempt_theme_scores"
    __table_args__ = (
        sa.Index(
            "ix_attempt_theme_scores_report",
            "theme_id",
            "quiz_kind",
            "registration_id",
            "answered",
            "correct",
        ),
    )

    attempt_id: Mapped[int] = mapped_column(
        sa.ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True
    )
    theme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True
    )
    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"), index=True
    )
    quiz_kind: Mapped[QuizKind] = mapped_column(enum_type(QuizKind))
    answered: Mapped[int]
    correct: Mapped[int]


class RegistrationTopicScore(db.Model):
    """One registration's pre- and post-test counts on one topic: the rows of
    `attempt_topic_scores` summed by database triggers (migration 0009), never by the application.

    The topic breakdown reads one row per participant and topic through the covering index, and
    counts its people without a DISTINCT.
    """

    __tablename__ = "registration_topic_scores"
    __table_args__ = (
        sa.Index(
            "ix_registration_topic_scores_report",
            "topic",
            "pre_answered",
            "pre_correct",
            "post_answered",
            "post_correct",
        ),
    )

    registration_id: Mapped[int] = mapped_column(
        sa.ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(sa.String(80), primary_key=True)
    pre_answered: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))
    pre_correct: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))
    post_answered: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))
    post_correct: Mapped[int] = mapped_column(default=0, server_default=sa.text("0"))
