"""The dashboard's KKPHAM themes section: reach, learning and kabupaten/kota coverage per theme.

A workshop *covers* a theme if it or one of its sessions is tagged with it (`covering`). Per
theme: the held workshops in scope that cover it, the confirmed participants of those workshops
under the report's filters (the dashboard's scope, `figures._per_registration`), the share of
correct answers to the questions tagged with it in submitted pre- and post-tests, and the
kabupaten/kota with at least one such participant. A theme reached by fewer than 5 distinct
participants shows "< 5" for its people figures, as the rest of the dashboard does; coverage
(whether anyone from a kabupaten/kota was trained) is shown as the dashboard's coverage is.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import get_locale
from flask_babel import gettext as _

from ..extensions import db
from ..models import (
    AttemptThemeScore,
    QuizKind,
    Registration,
    RegistrationStatus,
    Theme,
    User,
    WorkshopSession,
    session_themes,
    workshop_themes,
)
from . import charts, series
from .board import number
from .figures import MIN_GROUP, REGENCIES_TOTAL, Filters, _filtered_registrations, _in_scope


@dataclass
class ThemeRow:
    code: str
    name: str
    workshops: int
    participants: int
    regencies: int  # kabupaten/kota with a trained participant
    suppressed: bool = False
    pre_correct: float | None = None  # percent of answers to tagged questions, pre-test
    post_correct: float | None = None
    learners: int = 0  # distinct participants who answered a tagged question

    @property
    def change(self) -> float | None:
        if self.pre_correct is None or self.post_correct is None:
            return None
        return self.post_correct - self.pre_correct

    @property
    def regency_share(self) -> float:
        return 100.0 * self.regencies / REGENCIES_TOTAL


@dataclass
class ThemeReport:
    rows: list[ThemeRow]
    chosen: ThemeRow | None
    coverage: list[series.Coverage]  # per province, for the chosen theme
    reach_chart: charts.Chart
    coverage_chart: charts.Chart


def covering():
    """(workshop_id, theme_id): the workshop or one of its sessions is tagged with the theme."""
    own = sa.select(workshop_themes.c.workshop_id, workshop_themes.c.theme_id)
    by_session = sa.select(WorkshopSession.workshop_id, session_themes.c.theme_id).join(
        session_themes, session_themes.c.session_id == WorkshopSession.id
    )
    return sa.union(own, by_session).subquery("covering")


def _workshop_counts(filters: Filters, viewer: User, covers) -> dict[int, int]:
    query = sa.select(covers.c.theme_id, sa.func.count(sa.distinct(covers.c.workshop_id))).where(
        *_in_scope(covers.c.workshop_id, filters, viewer)
    )
    if filters.on_participants:
        matching = _filtered_registrations(filters, viewer, Registration.workshop_id)
        query = query.where(covers.c.workshop_id.in_(matching))
    return dict(db.session.execute(query.group_by(covers.c.theme_id)).all())


def _confirmed(filters: Filters, viewer: User):
    """Confirmed registrations in the dashboard's scope: (user_id, workshop_id, regency_code)."""
    return (
        _filtered_registrations(
            filters,
            viewer,
            Registration.id,
            Registration.user_id,
            Registration.workshop_id,
            Registration.regency_code,
        )
        .where(Registration.status == RegistrationStatus.CONFIRMED)
        .subquery("confirmed")
    )


def _reach(filters: Filters, viewer: User, covers) -> dict[int, tuple[int, int]]:
    r = _confirmed(filters, viewer)
    rows = db.session.execute(
        sa.select(
            covers.c.theme_id,
            sa.func.count(sa.distinct(r.c.user_id)),
            sa.func.count(sa.distinct(r.c.regency_code)),
        )
        .join(r, r.c.workshop_id == covers.c.workshop_id)
        .group_by(covers.c.theme_id)
    )
    return {theme_id: (people, regencies) for theme_id, people, regencies in rows}


def _learning(filters: Filters, viewer: User) -> dict[int, dict]:
    """Per theme and quiz kind: answers, correct answers and distinct participants, over the
    submitted attempts of confirmed registrations in scope, answers to tagged questions. Read
    from the attempts' theme counts (`attempt_theme_scores`), never from the answers."""
    r = _confirmed(filters, viewer)
    scores = AttemptThemeScore
    rows = db.session.execute(
        sa.select(
            scores.theme_id,
            scores.quiz_kind,
            sa.func.sum(scores.answered),
            sa.func.sum(scores.correct),
            sa.func.count(sa.distinct(r.c.user_id)),
        )
        .join(r, r.c.id == scores.registration_id)
        .group_by(scores.theme_id, scores.quiz_kind)
    )
    found: dict[int, dict] = {}
    for theme_id, kind, answered, correct, people in rows:
        found.setdefault(theme_id, {})[kind] = (answered, int(correct or 0), people)
    return found


def reached_regencies(filters: Filters, viewer: User, theme_id: int) -> set[str]:
    covers = covering()
    r = _confirmed(filters, viewer)
    codes = db.session.scalars(
        sa.select(r.c.regency_code)
        .distinct()
        .join(covers, covers.c.workshop_id == r.c.workshop_id)
        .where(covers.c.theme_id == theme_id, r.c.regency_code.is_not(None))
    )
    return set(codes)


def _row(theme: Theme, locale: str, workshops, reach, learning) -> ThemeRow:
    people, regencies = reach.get(theme.id, (0, 0))
    row = ThemeRow(
        code=theme.code,
        name=theme.name_for(locale),
        workshops=workshops.get(theme.id, 0),
        participants=people,
        regencies=regencies,
        suppressed=0 < people < MIN_GROUP,
    )
    scores = learning.get(theme.id, {})
    row.learners = max((people for _a, _c, people in scores.values()), default=0)
    if row.learners >= MIN_GROUP:
        for kind, name in ((QuizKind.PRE, "pre_correct"), (QuizKind.POST, "post_correct")):
            answered, correct, learners = scores.get(kind, (0, 0, 0))
            if answered and learners >= MIN_GROUP:
                setattr(row, name, 100.0 * correct / answered)
    return row


SHORT_PREFIXES = ("Hak atas ", "Hak ", "Right to ", "Rights of ")


CONNECTORS = {"dan", "yang", "and", "in", "of", "the", "a"}


def short_name(name: str, limit: int = 13) -> str:
    """A chart label that fits: every theme starts "Hak atas ...", so that is dropped, then the
    words that fit in `limit` characters are kept (the table beside gives the full name)."""
    for prefix in SHORT_PREFIXES:
        if name.startswith(prefix):
            name = name[len(prefix) :]
            break
    name = name.removeprefix("a ")
    words: list[str] = []
    for word in name.split():
        if words and len(" ".join([*words, word])) > limit:
            break
        words.append(word)
    while len(words) > 1 and words[-1].lower() in CONNECTORS:
        words.pop()
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def theme_report(filters: Filters, viewer: User, chosen_code: str | None = None) -> ThemeReport:
    """The section's figures; `chosen_code` picks the theme whose unreached kabupaten/kota are
    listed (default and unknown code: the first theme in the admins' order)."""
    locale = str(get_locale() or "id")
    themes = list(db.session.scalars(sa.select(Theme).order_by(Theme.position, Theme.id)))
    covers = covering()
    workshops = _workshop_counts(filters, viewer, covers)
    reach = _reach(filters, viewer, covers)
    learning = _learning(filters, viewer)
    # An inactive theme is listed only while something tagged with it has figures.
    shown = [t for t in themes if t.active or workshops.get(t.id)]
    rows = [_row(theme, locale, workshops, reach, learning) for theme in shown]
    by_code = {theme.code: theme for theme in shown}
    chosen_theme = by_code.get(chosen_code or "") or (shown[0] if shown else None)
    chosen = next((row for row in rows if chosen_theme and row.code == chosen_theme.code), None)
    reached = reached_regencies(filters, viewer, chosen_theme.id) if chosen_theme else set()
    reach_chart = charts.bars(
        "chart-themes",
        _("Peserta per tema KKPHAM"),
        _(
            "Peserta terkonfirmasi dari loka latih yang mencakup tema; "
            "angka yang sama ada di tabel."
        ),
        [(short_name(row.name), None if row.suppressed else row.participants) for row in rows],
        fmt=number,
    )
    coverage_chart = charts.bars(
        "chart-theme-coverage",
        _("Kabupaten/kota terjangkau per tema (persen)"),
        _(
            "Persentase dari %(total)s kabupaten/kota yang memiliki peserta terlatih pada tema; "
            "angka yang sama ada di tabel.",
            total=REGENCIES_TOTAL,
        ),
        [(short_name(row.name), round(row.regency_share, 1)) for row in rows],
        fmt=number,
        maximum=100,
    )
    return ThemeReport(rows, chosen, series.coverage(reached), reach_chart, coverage_chart)
