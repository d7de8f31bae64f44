"""Per-topic counts of a scored attempt (`attempt_topic_scores`), kept so that reports read a few
rows per attempt instead of aggregating every answer."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import Attempt, AttemptTopicScore


def topic_counts(marks: Iterable[tuple[str, bool]]) -> dict[str, tuple[int, int]]:
    """(topic, is_correct) per question -> {topic: (answered, correct)}."""
    counts: dict[str, tuple[int, int]] = {}
    for topic, is_correct in marks:
        answered, correct = counts.get(topic, (0, 0))
        counts[topic] = (answered + 1, correct + bool(is_correct))
    return counts


def record_topic_scores(attempt: Attempt, marks: Iterable[tuple[str, bool]]) -> None:
    """Write the attempt's counts. Scoring the same attempt again overwrites them rather than
    adding to them, so the rows always agree with the answers' marks."""
    rows = [
        {
            "attempt_id": attempt.id,
            "topic": topic,
            "registration_id": attempt.registration_id,
            "quiz_kind": attempt.quiz.kind,
            "answered": answered,
            "correct": correct,
        }
        for topic, (answered, correct) in topic_counts(marks).items()
    ]
    if not rows:
        return
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(AttemptTopicScore).values(rows)
    statement = statement.on_conflict_do_update(
        index_elements=[AttemptTopicScore.attempt_id, AttemptTopicScore.topic],
        set_={
            "answered": statement.excluded.answered,
            "correct": statement.excluded.correct,
        },
    )
    db.session.execute(statement)
