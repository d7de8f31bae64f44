"""What organizers and reviewers see of the answers: counts and texts, never who wrote them.

Nothing is shown of a workshop with fewer than MIN_GROUP responses, nor of an item answered by
fewer; and nothing while the survey is still open, so that comparing the page before and after
one person answers cannot show what that person answered.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from .. import spreadsheets
from ..extensions import db
from ..models import (
    EvaluationResponse,
    Role,
    User,
    Workshop,
    WorkshopTopic,
    utcnow,
    workshop_organizers,
)
from . import services
from .items import (
    CHOICE,
    LIKERT,
    SCALE,
    SHORT_LABELS,
    STANDARD_AFTER,
    STANDARD_BEFORE,
    TEXT,
    Item,
    items_for,
)

MIN_GROUP = 5  # as the review dashboard: no figure about fewer than five people


@dataclass
class ItemResult:
    item: Item
    answered: int = 0
    counts: list[tuple[str, int]] = field(default_factory=list)  # (label, count) in scale order
    mean: float | None = None  # Likert only
    texts: list[str] = field(default_factory=list)  # TEXT only, shuffled

    @property
    def suppressed(self) -> bool:
        return self.answered < MIN_GROUP

    @property
    def largest(self) -> int:
        return max((count for _, count in self.counts), default=0)


@dataclass
class FacilitatorResult:
    speakers: str
    sessions: int
    answered: int
    mean: float | None
    counts: list[tuple[str, int]]

    @property
    def suppressed(self) -> bool:
        return self.answered < MIN_GROUP


@dataclass
class Results:
    responses: int
    state: str  # the survey's window: 'upcoming', 'open', 'closed'
    items: list[ItemResult] = field(default_factory=list)
    facilitators: list[FacilitatorResult] = field(default_factory=list)

    @property
    def visible(self) -> bool:
        return self.state == "closed" and self.responses >= MIN_GROUP


def _answers(workshop_ids: Iterable[int] | sa.Select) -> list[dict]:
    return [
        answers or {}
        for answers in db.session.scalars(
            sa.select(EvaluationResponse.answers)
            .where(EvaluationResponse.workshop_id.in_(workshop_ids))
            .order_by(EvaluationResponse.id)  # random ids: an order that says nothing
        )
    ]


def _likert(values: Sequence[int]) -> tuple[list[tuple[str, int]], float | None]:
    counter = Counter(values)
    counts = [(str(point), counter.get(point, 0)) for point in SCALE]
    mean = sum(values) / len(values) if values else None
    return counts, mean


def _item_result(item: Item, answers: list[dict], rng: random.Random) -> ItemResult:
    values = [row[item.key] for row in answers if item.key in row]
    result = ItemResult(item=item, answered=len(values))
    if item.kind == LIKERT:
        result.counts, result.mean = _likert([int(value) for value in values])
    elif item.kind == CHOICE:
        counter = Counter(values)
        result.counts = [(choice, counter.get(choice, 0)) for choice in item.choices]
    elif item.kind == TEXT:
        result.texts = [str(value) for value in values]
        rng.shuffle(result.texts)
    return result


def workshop_results(
    workshop: Workshop, *, now: datetime | None = None, rng: random.Random | None = None
) -> Results:
    """The workshop's results; figures only once the survey closed with MIN_GROUP responses."""
    results = Results(
        responses=services.response_count(workshop), state=services.state(workshop, now)
    )
    if not results.visible:
        return results
    answers = _answers([workshop.id])
    rng = rng or random.SystemRandom()
    items = items_for(workshop)
    results.items = [_item_result(item, answers, rng) for item in items]
    results.facilitators = _facilitators(items, answers)
    return results


def _facilitators(items: Sequence[Item], answers: list[dict]) -> list[FacilitatorResult]:
    """The narasumber items grouped by narasumber: one line per person (or team) named."""
    by_speakers: dict[str, list[Item]] = {}
    for item in items:
        if item.speakers:
            by_speakers.setdefault(item.speakers, []).append(item)
    lines = []
    for speakers, own in by_speakers.items():
        values = [int(row[item.key]) for item in own for row in answers if item.key in row]
        counts, mean = _likert(values)
        lines.append(FacilitatorResult(speakers, len(own), len(values), mean, counts))
    return lines


def export_xlsx(workshop: Workshop, results: Results) -> bytes:
    """The visible results as a workbook: items, narasumber, open answers (shuffled)."""
    scale = [str(point) for point in SCALE]
    summary = []
    for result in results.items:
        if result.item.kind == TEXT:
            continue
        if result.suppressed:
            summary.append([result.item.text, "< 5", None] + [None] * len(scale))
            continue
        counts = dict(result.counts)
        if result.item.kind == LIKERT:
            row = [counts.get(point, 0) for point in scale]
        else:
            row = [f"{label}: {count}" for label, count in result.counts]
        summary.append([result.item.text, result.answered, result.mean, *row])
    facilitators = [
        [line.speakers, line.sessions, "< 5", None]
        if line.suppressed
        else [line.speakers, line.sessions, line.answered, line.mean]
        for line in results.facilitators
    ]
    texts = [
        [result.item.text, text]
        for result in results.items
        if result.item.kind == TEXT and not result.suppressed
        for text in result.texts
    ]
    return spreadsheets.xlsx_bytes(
        [
            spreadsheets.Sheet(
                _("Butir"),
                [_("Butir"), _("Jawaban"), _("Rata-rata (1–5)"), *scale],
                summary,
                frozen_columns=1,
            ),
            spreadsheets.Sheet(
                _("Narasumber"),
                [_("Narasumber"), _("Sesi"), _("Jawaban"), _("Rata-rata (1–5)")],
                facilitators,
            ),
            spreadsheets.Sheet(
                _("Jawaban terbuka"), [_("Pertanyaan"), _("Jawaban")], texts, wrap=True
            ),
        ]
    )


# --- across workshops (the review dashboard) ----------------------------------------------------


@dataclass
class Overview:
    workshops: int  # workshops whose closed survey has at least MIN_GROUP responses
    responses: int
    items: list[ItemResult]


def workshop_ids_for(viewer: User) -> sa.Select:
    """The workshops whose results `viewer` may see: reviewers and admins all, organizers
    their own."""
    if viewer.role in (Role.REVIEWER, Role.ADMIN):
        return sa.select(Workshop.id)
    return sa.select(workshop_organizers.c.workshop_id).where(
        workshop_organizers.c.user_id == viewer.id
    )


def overview(workshop_ids: sa.Select, filters=None, *, now: datetime | None = None) -> Overview:
    """The standard statements over every workshop in `workshop_ids` (a select of ids the viewer
    may see) whose survey has closed with at least MIN_GROUP responses. `filters` (the
    dashboard's) narrows by the workshops' dates, organizer and topic; the responses carry no
    profile, so the participant filters (region, institution, gender) cannot apply."""
    query = (
        sa.select(Workshop)
        .options(selectinload(Workshop.sessions))  # the survey window reads them, per workshop
        .where(Workshop.id.in_(workshop_ids))
        .where(
            Workshop.id.in_(
                sa.select(EvaluationResponse.workshop_id)
                .group_by(EvaluationResponse.workshop_id)
                .having(sa.func.count() >= MIN_GROUP)
            )
        )
    )
    if filters is not None:
        if getattr(filters, "date_from", None):
            query = query.where(Workshop.end_date >= filters.date_from)
        if getattr(filters, "date_to", None):
            query = query.where(Workshop.start_date <= filters.date_to)
        if getattr(filters, "organizer_id", None):
            query = query.where(
                Workshop.id.in_(
                    sa.select(workshop_organizers.c.workshop_id).where(
                        workshop_organizers.c.user_id == filters.organizer_id
                    )
                )
            )
        if getattr(filters, "topic", None):
            query = query.where(
                Workshop.id.in_(
                    sa.select(WorkshopTopic.workshop_id).where(WorkshopTopic.tag == filters.topic)
                )
            )
    now = now or utcnow()
    workshops = db.session.scalars(query).all()
    known = services.preload([w.id for w in workshops])
    closed = [w.id for w in workshops if services.state(w, now, known) == "closed"]
    answers = _answers(closed) if closed else []
    rng = random.Random(0)  # no texts here: the order does not matter
    items = [
        _item_result(
            Item(key, LIKERT, str(text), required=True, short=str(SHORT_LABELS[key])), answers, rng
        )
        for key, text in STANDARD_BEFORE + STANDARD_AFTER
    ]
    return Overview(workshops=len(closed), responses=len(answers), items=items)
