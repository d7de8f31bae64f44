"""Learning outcomes: paired pre/post scores, normalized gain, topics and item statistics.

The big numbers are SQL aggregates (one query each); Python only turns sums into means and the
confidence interval. A "pair" is one registration with a submitted pre-test and post-test.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from ..extensions import db
from ..models import (
    Answer,
    Attempt,
    Profile,
    Question,
    Quiz,
    QuizKind,
    Registration,
    User,
    Workshop,
)
from ..participation import in_scope as _in_scope
from ..participation import submitted as _submitted
from ..participation import submitted_scores  # noqa: F401  (this feature's interface)
from ..spreadsheets import Sheet, xlsx_bytes

# Two-sided 95% critical values of Student's t for 1..30 degrees of freedom.
T_975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip
Z_975 = 1.959964
GROUP_SHARE = 27  # percent of attempts in the upper and in the lower group


def t_critical(df: int) -> float:
    """t(0.975, df): the table up to 30, then the Cornish-Fisher expansion around the normal."""
    if df < 1:
        raise ValueError("df must be at least 1")
    if df <= len(T_975):
        return T_975[df - 1]
    z = Z_975
    return (
        z
        + (z**3 + z) / (4 * df)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * df**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * df**3)
    )


@dataclass
class Summary:
    pairs: int = 0
    mean_pre: float | None = None
    mean_post: float | None = None
    mean_difference: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    mean_gain: float | None = None
    gain_count: int = 0  # pairs with pre < 100
    improved_share: float | None = None  # percent of pairs with post > pre
    pre_submitted: int = 0
    post_submitted: int = 0


@dataclass
class TopicRow:
    topic: str
    pre_answers: int = 0
    pre_correct: float | None = None  # percent
    post_answers: int = 0
    post_correct: float | None = None


@dataclass
class ItemRow:
    kind: QuizKind
    question_id: int
    topic: str
    text: str
    answers: int
    difficulty: float  # share correct, 0..1
    discrimination: float | None  # upper minus lower group share correct, -1..1


@dataclass
class PairRow:
    label: str  # a name (organizer's view) or a workshop's title (reviewer's view)
    pairs: int
    pre: float | None
    post: float | None
    gain: float | None


@dataclass
class Results:
    summary: Summary
    topics: list[TopicRow] = field(default_factory=list)
    items: list[ItemRow] = field(default_factory=list)
    rows: list[PairRow] = field(default_factory=list)  # per participant, or per workshop


def _pairs(workshop: Workshop | None):
    pre, post = _submitted(QuizKind.PRE, workshop), _submitted(QuizKind.POST, workshop)
    return (
        sa.select(
            pre.c.registration_id,
            pre.c.score.label("pre"),
            post.c.score.label("post"),
        )
        .join(post, post.c.registration_id == pre.c.registration_id)
        .subquery("pairs")
    )


def _gain(pairs):
    """g = (post - pre) / (100 - pre), defined only when pre < 100."""
    return sa.case((pairs.c.pre < 100, (pairs.c.post - pairs.c.pre) / (100 - pairs.c.pre)))


def summary(workshop: Workshop | None = None) -> Summary:
    pairs = _pairs(workshop)
    difference = pairs.c.post - pairs.c.pre
    row = db.session.execute(
        sa.select(
            sa.func.count(),
            sa.func.avg(pairs.c.pre),
            sa.func.avg(pairs.c.post),
            sa.func.avg(difference),
            sa.func.sum(difference * difference),
            sa.func.sum(sa.case((pairs.c.post > pairs.c.pre, 1), else_=0)),
            sa.func.avg(_gain(pairs)),
            sa.func.count(_gain(pairs)),
        )
    ).one()
    n, mean_pre, mean_post, mean_diff, sum_squares, improved, mean_gain, gain_count = row
    result = Summary(
        pairs=n,
        pre_submitted=_count_submitted(QuizKind.PRE, workshop),
        post_submitted=_count_submitted(QuizKind.POST, workshop),
    )
    if not n:
        return result
    result.mean_pre, result.mean_post = float(mean_pre), float(mean_post)
    result.mean_difference = float(mean_diff)
    result.improved_share = 100.0 * improved / n
    result.gain_count = gain_count
    result.mean_gain = float(mean_gain) if mean_gain is not None else None
    if n >= 2:
        variance = max(0.0, (float(sum_squares) - n * result.mean_difference**2) / (n - 1))
        margin = t_critical(n - 1) * math.sqrt(variance / n)
        result.ci_low = result.mean_difference - margin
        result.ci_high = result.mean_difference + margin
    return result


def _count_submitted(kind: QuizKind, workshop: Workshop | None) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Attempt)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(Quiz.kind == kind, Attempt.submitted_at.is_not(None), *_in_scope(workshop))
    )


def _correct():
    return sa.case((Answer.is_correct.is_(True), 1), else_=0)


def topics(workshop: Workshop | None = None) -> list[TopicRow]:
    """Share of correct answers per topic in the pre-tests and in the post-tests."""
    rows = db.session.execute(
        sa.select(Question.topic, Quiz.kind, sa.func.count(), sa.func.sum(_correct()))
        .select_from(Answer)
        .join(Attempt, Attempt.id == Answer.attempt_id)
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .join(Question, Question.id == Answer.question_id)
        .where(Attempt.submitted_at.is_not(None), *_in_scope(workshop))
        .group_by(Question.topic, Quiz.kind)
        .order_by(Question.topic)
    ).all()
    by_topic: dict[str, TopicRow] = {}
    for topic, kind, count, correct in rows:
        row = by_topic.setdefault(topic, TopicRow(topic))
        share = 100.0 * correct / count
        if kind == QuizKind.PRE:
            row.pre_answers, row.pre_correct = count, share
        else:
            row.post_answers, row.post_correct = count, share
    return list(by_topic.values())


def _ranked_attempts(workshop: Workshop | None):
    """Submitted attempts ranked by score within their quiz, with the size of the 27% groups."""
    rank = sa.func.row_number().over(
        partition_by=Attempt.quiz_id, order_by=(Attempt.score.desc(), Attempt.id)
    )
    total = sa.func.count().over(partition_by=Attempt.quiz_id)
    return (
        sa.select(
            Attempt.id,
            Quiz.kind,
            rank.label("rank"),
            total.label("total"),
        )
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(Attempt.submitted_at.is_not(None), *_in_scope(workshop))
        .subquery("ranked")
    )


def items(workshop: Workshop | None = None) -> list[ItemRow]:
    """Difficulty (share correct) and discrimination (upper 27% minus lower 27%) per question."""
    ranked = _ranked_attempts(workshop)
    group = (ranked.c.total * GROUP_SHARE + 99) // 100  # ceil(27% of the attempts)
    upper = sa.and_(ranked.c.total >= 2, ranked.c.rank <= group)
    lower = sa.and_(ranked.c.total >= 2, ranked.c.rank > ranked.c.total - group)
    correct = Answer.is_correct.is_(True)

    def count_if(*conditions):
        return sa.func.sum(sa.case((sa.and_(*conditions), 1), else_=0))

    rows = db.session.execute(
        sa.select(
            ranked.c.kind,
            Answer.question_id,
            sa.func.count(),
            count_if(correct),
            count_if(upper, correct),
            count_if(upper),
            count_if(lower, correct),
            count_if(lower),
        )
        .join(ranked, ranked.c.id == Answer.attempt_id)
        .group_by(ranked.c.kind, Answer.question_id)
    ).all()
    questions = _questions([row[1] for row in rows])
    result = []
    for kind, question_id, n, right, upper_right, upper_n, lower_right, lower_n in rows:
        question = questions[question_id]
        discrimination = None
        if upper_n and lower_n:
            discrimination = upper_right / upper_n - lower_right / lower_n
        result.append(
            ItemRow(kind, question_id, question.topic, question.text, n, right / n, discrimination)
        )
    result.sort(key=lambda row: (row.kind != QuizKind.PRE, row.topic, row.question_id))
    return result


def _questions(ids: list[int]) -> dict[int, Question]:
    if not ids:
        return {}
    return {q.id: q for q in db.session.scalars(sa.select(Question).where(Question.id.in_(ids)))}


def participant_rows(workshop: Workshop) -> list[PairRow]:
    """Each pair of one workshop with the participant's name (organizers only)."""
    pairs = _pairs(workshop)
    rows = db.session.execute(
        sa.select(Profile.full_name, User.email, pairs.c.pre, pairs.c.post, _gain(pairs))
        .select_from(pairs)
        .join(Registration, Registration.id == pairs.c.registration_id)
        .join(User, User.id == Registration.user_id)
        .outerjoin(Profile, Profile.user_id == User.id)
        .order_by(Profile.full_name, User.email)
    ).all()
    return [PairRow(name or email, 1, pre, post, gain) for name, email, pre, post, gain in rows]


def workshop_rows() -> list[PairRow]:
    """Pairs, mean pre, mean post and mean gain of every workshop (reviewers' overview)."""
    pairs = _pairs(None)
    rows = db.session.execute(
        sa.select(
            Workshop.title,
            sa.func.count(),
            sa.func.avg(pairs.c.pre),
            sa.func.avg(pairs.c.post),
            sa.func.avg(_gain(pairs)),
        )
        .select_from(pairs)
        .join(Registration, Registration.id == pairs.c.registration_id)
        .join(Workshop, Workshop.id == Registration.workshop_id)
        .group_by(Workshop.id, Workshop.title, Workshop.start_date)
        .order_by(Workshop.start_date.desc(), Workshop.id)
    ).all()
    return [PairRow(title, n, pre, post, gain) for title, n, pre, post, gain in rows]


def results(workshop: Workshop | None = None) -> Results:
    rows = participant_rows(workshop) if workshop is not None else workshop_rows()
    return Results(summary(workshop), topics(workshop), items(workshop), rows)


# --- XLSX -------------------------------------------------------------------------------------


def kind_label(kind: QuizKind) -> str:
    return _("Pra-tes") if kind == QuizKind.PRE else _("Pasca-tes")


def definitions() -> list[tuple[str, str]]:
    return [
        (_("Pasangan"), _("Peserta yang mengirim pra-tes dan pasca-tes.")),
        (_("Nilai"), _("Persentase soal yang dijawab benar (0–100).")),
        (
            _("Gain ternormalisasi (g)"),
            _("(pasca − pra) / (100 − pra), dirata-ratakan atas pasangan dengan nilai pra < 100."),
        ),
        (_("Meningkat"), _("Persentase pasangan yang nilai pasca-tesnya lebih tinggi.")),
        (
            _("Selisih rata-rata dan IK 95%"),
            _(
                "Rata-rata (pasca − pra) per pasangan; interval kepercayaan 95% dengan distribusi "
                "t (derajat bebas n − 1)."
            ),
        ),
        (
            _("Per topik"),
            _("Persentase jawaban benar per topik pada semua tes yang sudah dikirim."),
        ),
        (_("Tingkat kesukaran (p)"), _("Bagian peserta yang menjawab soal itu dengan benar.")),
        (
            _("Daya beda (D)"),
            _(
                "Bagian benar di kelompok atas (27% nilai tertinggi pada tes yang sama) dikurangi "
                "bagian benar di kelompok bawah (27% terendah)."
            ),
        ),
    ]


def _summary_table(s: Summary) -> list[tuple]:
    return [
        (_("Pasangan"), s.pairs),
        (_("Pra-tes dikirim"), s.pre_submitted),
        (_("Pasca-tes dikirim"), s.post_submitted),
        (_("Rata-rata pra-tes"), s.mean_pre),
        (_("Rata-rata pasca-tes"), s.mean_post),
        (_("Selisih rata-rata"), s.mean_difference),
        (_("IK 95% bawah"), s.ci_low),
        (_("IK 95% atas"), s.ci_high),
        (_("Rata-rata gain ternormalisasi"), s.mean_gain),
        (_("Pasangan dengan pra < 100"), s.gain_count),
        (_("Meningkat (%)"), s.improved_share),
    ]


def export_xlsx(data: Results, *, per_workshop: bool) -> bytes:
    """One sheet per table, plus a sheet that defines every measure."""
    sheets = [
        Sheet(_("Ringkasan"), [_("Ukuran"), _("Nilai")], _summary_table(data.summary)),
        Sheet(
            _("Per loka latih") if per_workshop else _("Per peserta"),
            [_("Loka latih") if per_workshop else _("Peserta")]
            + [_("Pasangan"), _("Pra"), _("Pasca"), _("Gain")],
            [(r.label, r.pairs, r.pre, r.post, r.gain) for r in data.rows],
        ),
        Sheet(
            _("Per topik"),
            [_("Topik"), _("Jawaban pra"), _("Benar pra (%)"), _("Jawaban pasca")]
            + [_("Benar pasca (%)")],
            [
                (t.topic, t.pre_answers, t.pre_correct, t.post_answers, t.post_correct)
                for t in data.topics
            ],
        ),
        Sheet(
            _("Per soal"),
            [_("Tes"), _("ID soal"), _("Topik"), _("Soal"), _("Jawaban"), _("Kesukaran (p)")]
            + [_("Daya beda (D)")],
            [
                (kind_label(i.kind), i.question_id, i.topic, i.text, i.answers, i.difficulty)
                + (i.discrimination,)
                for i in data.items
            ],
        ),
        Sheet(_("Definisi"), [_("Istilah"), _("Arti")], definitions()),
    ]
    return xlsx_bytes(sheets)
