"""The dashboard's services: the whole report, topics, the pseudonymous participant table and the
filter choices. The headline and the breakdowns are in `figures`."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

import sqlalchemy as sa

from ..extensions import db
from ..labels import GENDER_LABELS, INSTITUTION_TYPE_LABELS
from ..models import (
    Profile,
    Registration,
    RegistrationStatus,
    RegistrationTopicScore,
    User,
    WorkshopTopic,
    workshop_organizers,
)
from .figures import (
    MIN_GROUP,
    PAGE_SIZE,
    Filters,
    GroupRow,
    Headline,
    _filtered_registrations,
    _group_rows,
    _headline,
    _no_jit,
    _per_registration,
    _rate,
    figures,
    held_workshops,
    restricted,
    workshops_held,
)


@dataclass
class TopicRow:
    topic: str
    participants: int
    suppressed: bool = False
    pre_answers: int = 0
    pre_correct: float | None = None
    post_answers: int = 0
    post_correct: float | None = None


@dataclass
class ParticipantRow:
    pseudonym: str
    province: str | None
    regency: str | None
    institution_type: str | None
    gender: str | None
    attended: int
    sessions: int
    pre: float | None
    post: float | None


def by_topic(filters: Filters, viewer: User) -> list[TopicRow]:
    """Share of correct answers per question topic, pre-tests against post-tests, from the
    per-registration topic counts the database keeps (one row per person and topic, read through
    the covering index), for the registrations of held workshops in scope."""
    scores = RegistrationTopicScore
    query = (
        sa.select(
            scores.topic,
            sa.func.count(),
            sa.func.sum(scores.pre_answered),
            sa.func.sum(scores.pre_correct),
            sa.func.sum(scores.post_answered),
            sa.func.sum(scores.post_correct),
        )
        .group_by(scores.topic)
        .order_by(scores.topic)
    )
    _no_jit()
    if restricted(filters, viewer) or filters.on_participants:
        matching = _filtered_registrations(filters, viewer, Registration.id)
        sums = {
            row[0]: row[1:]
            for row in db.session.execute(query.where(scores.registration_id.in_(matching)))
        }
    else:
        # Every held workshop: all the counts (a walk of the covering index) less those of the
        # few registrations of other workshops. Picking the held ones' rows instead costs a table
        # lookup per row, four times slower at 100,000 participants.
        others = sa.select(Registration.id).where(
            Registration.workshop_id.not_in(held_workshops(filters.as_of))
        )
        sums = {row[0]: list(row[1:]) for row in db.session.execute(query)}
        for topic, *less in db.session.execute(query.where(scores.registration_id.in_(others))):
            sums[topic] = [(a or 0) - (b or 0) for a, b in zip(sums[topic], less, strict=True)]
    result = []
    for topic, (people, pre_n, pre_right, post_n, post_right) in sums.items():
        if people == 0:
            continue
        if people < MIN_GROUP:
            result.append(TopicRow(topic, people, suppressed=True))
            continue
        result.append(
            TopicRow(
                topic,
                people,
                False,
                pre_n,
                _rate(pre_right, pre_n),
                post_n,
                _rate(post_right, post_n),
            )  # fmt: skip
        )
    return result


@dataclass
class Report:
    filters: Filters
    headline: Headline
    provinces: list[GroupRow]
    regencies: list[GroupRow]
    institution_types: list[GroupRow]
    genders: list[GroupRow]
    topics: list[TopicRow]


def build_report(filters: Filters, viewer: User) -> Report:
    """Every figure of the dashboard: three statements (figures, workshops held, topics)."""
    rows = figures(filters, viewer)
    return Report(
        filters=filters,
        headline=_headline(rows["total"][0], workshops_held(filters, viewer)),
        provinces=_group_rows(rows["province"]),
        regencies=_group_rows(rows["regency"]),
        institution_types=_group_rows(rows["institution_type"], INSTITUTION_TYPE_LABELS),
        genders=_group_rows(rows["gender"], GENDER_LABELS),
        topics=by_topic(filters, viewer),
    )


# --- participants (pseudonymous) ---------------------------------------------------------------


def pseudonym(user_id: int, secret: str, scope: str = "") -> str:
    """Not reversible without the secret: HMAC-SHA256 of the user id within `scope`, 10 hex
    digits. The same person gets another pseudonym in another scope."""
    message = f"{scope}|{user_id}".encode() if scope else str(user_id).encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:10]


def pseudonym_scope(filters: Filters, viewer: User) -> str:
    """One reviewer's one filter in one month: pseudonyms hold across that table's pages and its
    export, but not across filters, reviewers or months, so narrowing the filter step by step
    cannot follow one person from table to table."""
    chosen = (
        filters.date_from, filters.date_to, filters.province, filters.regency,
        filters.institution_type, filters.gender, filters.organizer_id, filters.topic,
    )  # fmt: skip
    return f"{viewer.id}|{filters.as_of:%Y-%m}|{chosen!r}"


@dataclass(frozen=True)
class ParticipantPage:
    rows: list[ParticipantRow]
    total: int  # confirmed registrations in the filter
    suppressed: bool  # fewer than MIN_GROUP people: no table, as for every other figure


def participant_page(
    filters: Filters, viewer: User, *, page: int | None, secret: str
) -> ParticipantPage:
    """Confirmed registrations without names, emails or phones (one page, or all when page is
    None); and their total. A filter with fewer than MIN_GROUP people shows no rows at all: one
    row would be one person's attendance and scores."""
    confirmed = Registration.status == RegistrationStatus.CONFIRMED
    total, people = db.session.execute(
        _filtered_registrations(
            filters, viewer, sa.func.count(), sa.func.count(sa.distinct(Registration.user_id))
        ).where(confirmed)
    ).one()
    if people < MIN_GROUP:
        return ParticipantPage([], total, suppressed=people > 0)
    scope = pseudonym_scope(filters, viewer)
    # The page's registrations first (an index walk), then the figures of those rows only.
    ids = _filtered_registrations(filters, viewer, Registration.id).where(confirmed)
    ids = ids.order_by(Registration.id)
    if page is not None:
        ids = ids.limit(PAGE_SIZE).offset((max(page, 1) - 1) * PAGE_SIZE)
    page_ids = sa.select(ids.subquery().c.id)
    r = _per_registration(filters, viewer, page_ids).subquery("per_registration")
    query = sa.select(
        r.c.user_id, r.c.province_code, r.c.regency_code, r.c.institution_type, r.c.gender,
        r.c.checkins, r.c.sessions, r.c.pre, r.c.post,
    ).order_by(r.c.registration_id)  # fmt: skip
    rows = db.session.execute(query).all()
    result = [
        ParticipantRow(
            pseudonym(row.user_id, secret, scope),
            row.province_code,
            row.regency_code,
            row.institution_type.value if row.institution_type else None,
            row.gender.value if row.gender else None,
            row.checkins,
            row.sessions,
            row.pre,
            row.post,
        )
        for row in rows
    ]
    return ParticipantPage(result, total, suppressed=False)


# --- filter choices ----------------------------------------------------------------------------


def organizer_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(
        sa.select(User.id, User.email, Profile.full_name)
        .outerjoin(Profile, Profile.user_id == User.id)
        .where(User.id.in_(sa.select(workshop_organizers.c.user_id)))
        .order_by(Profile.full_name, User.email)
    ).all()
    return [(user_id, name or email) for user_id, email, name in rows]


def topic_choices() -> list[str]:
    return list(
        db.session.scalars(sa.select(WorkshopTopic.tag).distinct().order_by(WorkshopTopic.tag))
    )
