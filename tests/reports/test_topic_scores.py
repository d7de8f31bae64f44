"""The topic breakdown read from `attempt_topic_scores` equals the one aggregated from answers."""

from __future__ import annotations

import sqlalchemy as sa

from lokalatih.demo.large import load_large_demo
from lokalatih.extensions import db
from lokalatih.models import (
    Answer,
    Attempt,
    AttemptTopicScore,
    Gender,
    Profile,
    Question,
    Quiz,
    QuizKind,
    Registration,
    Role,
)
from lokalatih.reports import services
from lokalatih.reports.figures import MIN_GROUP, Filters


def _from_answers(*conditions) -> dict[str, tuple]:
    """(participants, pre answers, pre correct, post answers, post correct) per topic, counted
    from every answer row of submitted attempts: what the breakdown must show."""
    pre = Quiz.kind == QuizKind.PRE
    correct = Answer.is_correct.is_(True)

    def count_if(*where):
        return sa.func.sum(sa.case((sa.and_(*where), 1), else_=0))

    query = (
        sa.select(
            Question.topic,
            sa.func.count(sa.distinct(Attempt.registration_id)),
            count_if(pre),
            count_if(pre, correct),
            count_if(~pre),
            count_if(~pre, correct),
        )
        .select_from(Answer)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .join(Question, Question.id == Answer.question_id)
        .join(Registration, Registration.id == Attempt.registration_id)
        .join(Profile, Profile.user_id == Registration.user_id)
        .where(Attempt.submitted_at.is_not(None), *conditions)
        .group_by(Question.topic)
    )
    return {topic: tuple(counts) for topic, *counts in db.session.execute(query)}


def _shown(rows) -> dict[str, tuple]:
    return {
        row.topic: (
            row.participants,
            row.pre_answers,
            round(row.pre_correct, 6),
            row.post_answers,
            round(row.post_correct, 6),
        )
        for row in rows
        if not row.suppressed
    }


def _expected(counts: dict[str, tuple]) -> dict[str, tuple]:
    def share(right, total):
        return round(100 * right / total, 6)

    return {
        topic: (people, pre_n, share(pre_ok, pre_n), post_n, share(post_ok, post_n))
        for topic, (people, pre_n, pre_ok, post_n, post_ok) in counts.items()
        if people >= MIN_GROUP
    }


def test_generated_counts_add_up_to_the_answers(app):
    load_large_demo(workshops=3, participants=200)

    answered = sa.select(sa.func.sum(AttemptTopicScore.answered))
    correct = sa.select(sa.func.sum(AttemptTopicScore.correct))
    assert db.session.scalar(answered) == db.session.scalar(
        sa.select(sa.func.count()).select_from(Answer)
    )
    assert db.session.scalar(correct) == db.session.scalar(
        sa.select(sa.func.count()).select_from(Answer).where(Answer.is_correct.is_(True))
    )


def test_topic_breakdown_matches_the_answers_with_and_without_filters(app, make_user):
    load_large_demo(workshops=4, participants=400)
    reviewer = make_user(role=Role.REVIEWER)
    expected = _expected(_from_answers())

    shown = _shown(services.by_topic(Filters(), reviewer))
    female = _shown(services.by_topic(Filters(gender=Gender.FEMALE), reviewer))

    assert len(expected) >= 6
    assert shown == expected
    assert female == _expected(_from_answers(Profile.gender == Gender.FEMALE))
    assert female != shown
