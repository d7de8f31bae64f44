"""Demo KKPHAM theme tags (`flask demo load`): the demo's workshops, some of their sessions and
the demo questions get themes, so that the dashboard's themes section has figures."""

from __future__ import annotations

import random

import sqlalchemy as sa

from ..extensions import db
from ..models import (
    Question,
    Theme,
    Workshop,
    WorkshopSession,
    question_themes,
    session_themes,
    workshop_themes,
)
from ..quizzes.theme_scores import retally_attempts_with_questions
from .large_quizzes import DEMO_SOURCE

# Demo question topics (largedemo_quizzes.TOPICS) and the theme their questions are tagged with.
TOPIC_THEMES = {
    "Hak penyandang disabilitas": "keberagaman_pluralisme",
    "Hak anak": "perempuan_anak",
    "Kesetaraan gender": "perempuan_anak",
    "Kebebasan beragama": "keberagaman_pluralisme",
    "Hak atas kesehatan": "kesehatan",
    "Pengaduan HAM": "bantuan_hukum",
}
# The demo's published workshop (lokalatih.demo.load): a Human Rights Cities workshop.
SHOWCASE_THEMES = ("turut_serta_pemerintahan", "informasi")


def load_demo_themes(
    slug_pattern: str = "demo-besar-%",
    showcase_slug: str | None = None,
    seed: int = 4,
) -> int:
    """Idempotent: one or two themes on each demo workshop without one, one more on the first
    session of about a third of them, and the untagged demo questions by topic. Returns how
    many workshops were tagged."""
    tagged = sa.select(workshop_themes.c.workshop_id)
    workshop_ids = list(
        db.session.scalars(
            sa.select(Workshop.id)
            .where(Workshop.slug.like(slug_pattern), Workshop.id.not_in(tagged))
            .order_by(Workshop.id)
        )
    )
    if not workshop_ids:
        return 0
    themes = {
        theme.code: theme.id
        for theme in db.session.scalars(sa.select(Theme).where(Theme.active.is_(True)))
    }
    if not themes:
        return 0
    rng = random.Random(seed)
    codes = sorted(themes)
    first_sessions = dict(
        db.session.execute(
            sa.select(WorkshopSession.workshop_id, sa.func.min(WorkshopSession.id))
            .where(WorkshopSession.workshop_id.in_(workshop_ids))
            .group_by(WorkshopSession.workshop_id)
        ).all()
    )
    workshop_rows, session_rows = [], []
    for workshop_id in workshop_ids:
        picked = rng.sample(codes, rng.choice((1, 2)))
        workshop_rows += [{"workshop_id": workshop_id, "theme_id": themes[c]} for c in picked]
        session_id = first_sessions.get(workshop_id)
        if session_id is not None and rng.random() < 0.35:
            extra = rng.choice([c for c in codes if c not in picked])
            session_rows.append({"session_id": session_id, "theme_id": themes[extra]})
    db.session.execute(sa.insert(workshop_themes), workshop_rows)
    if session_rows:
        db.session.execute(sa.insert(session_themes), session_rows)
    question_rows = [
        {"question_id": question_id, "theme_id": themes[code]}
        for question_id, topic in db.session.execute(
            sa.select(Question.id, Question.topic).where(
                Question.source == DEMO_SOURCE,
                Question.id.not_in(sa.select(question_themes.c.question_id)),
            )
        )
        if (code := TOPIC_THEMES.get(topic)) in themes
    ]
    if question_rows:
        db.session.execute(sa.insert(question_themes), question_rows)
        # The large demo's attempts were scored before their questions had themes.
        retally_attempts_with_questions(row["question_id"] for row in question_rows)
    if showcase_slug:
        showcase = db.session.scalar(sa.select(Workshop).where(Workshop.slug == showcase_slug))
        if showcase is not None and not showcase.themes:
            showcase.themes = [
                db.session.get(Theme, themes[code]) for code in SHOWCASE_THEMES if code in themes
            ]
    db.session.commit()
    return len(workshop_ids)
