"""The question bank: create, edit, retire and find questions.

One cleaner (`question_data`) and one validator (`validate_question_data`) serve every way a
question comes in: the form, the spreadsheet import and the starter bank.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_sqlalchemy.pagination import Pagination

from ..audit import record_event
from ..extensions import db
from ..models import (
    Answer,
    Attempt,
    Question,
    QuestionKind,
    QuizQuestion,
    User,
    question_text_key,
    utcnow,
)
from ..theme_tags import themes_for
from .errors import DuplicateQuestionError, InvalidQuestionError
from .theme_scores import retally_attempts_with_questions

KEYS = ("a", "b", "c", "d", "e", "f")
MIN_CHOICES = 2
TOPIC_MAX = 80
TEXT_MAX = 2000
CHOICE_MAX = 500
EXPLANATION_MAX = 5000
SOURCE_MAX = 300
PER_PAGE = 50
# Stored as data in the question's language (Indonesian), not translated per visitor.
TRUE_FALSE_CHOICES = {"a": "Benar", "b": "Salah"}

KIND_LABELS = {
    QuestionKind.SINGLE: _l("Pilihan ganda (satu jawaban)"),
    QuestionKind.MULTIPLE: _l("Pilihan ganda (beberapa jawaban)"),
    QuestionKind.TRUE_FALSE: _l("Benar/Salah"),
}


@dataclass
class QuestionData:
    """A question as entered, cleaned: stripped strings, choices by key (only filled ones)."""

    topic: str = ""
    kind: str = ""
    text: str = ""
    choices: dict[str, str] = field(default_factory=dict)
    correct_keys: list[str] = field(default_factory=list)
    explanation: str = ""
    source: str = ""
    row: int | None = field(default=None, compare=False)  # the file's row, for import messages


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _choices(raw: Mapping[str, object] | Sequence[object] | None) -> dict[str, str]:
    """Filled choices by lower-case key; a list is keyed a, b, c... in order."""
    pairs = raw.items() if isinstance(raw, Mapping) else zip(KEYS, raw or (), strict=False)
    filled = {_text(key).lower(): _text(value) for key, value in pairs if _text(value)}
    order = {key: index for index, key in enumerate(KEYS)}
    return dict(sorted(filled.items(), key=lambda item: (order.get(item[0], len(KEYS)), item[0])))


def _keys(raw: str | Iterable[object] | None) -> list[str]:
    if isinstance(raw, str):
        raw = raw.replace(";", ",").replace(" ", ",").split(",")
    return sorted({_text(key).lower() for key in raw or () if _text(key)})


def question_data(
    *,
    topic: object = "",
    kind: object = "",
    text: object = "",
    choices: Mapping[str, object] | Sequence[object] | None = None,
    correct_keys: str | Iterable[object] | None = None,
    explanation: object = "",
    source: object = "",
) -> QuestionData:
    """Clean raw input; a true/false question gets its fixed choices "Benar"/"Salah"."""
    kind_value = kind.value if isinstance(kind, QuestionKind) else _text(kind).lower()
    data = QuestionData(
        topic=" ".join(_text(topic).split()),
        kind=kind_value,
        text=_text(text),
        choices=_choices(choices),
        correct_keys=_keys(correct_keys),
        explanation=_text(explanation),
        source=_text(source),
    )
    if data.kind == QuestionKind.TRUE_FALSE.value:
        given = {key: value.lower() for key, value in data.choices.items()}
        if not given or given == {k: v.lower() for k, v in TRUE_FALSE_CHOICES.items()}:
            data.choices = dict(TRUE_FALSE_CHOICES)
    return data


def question_problems(data: QuestionData) -> list[tuple[str, str]]:
    """Every problem with the question as (field name, Indonesian message); empty when valid."""
    problems = _text_problems(data)
    try:
        kind = QuestionKind(data.kind)
    except ValueError:
        problems.append(("kind", _("Pilih jenis soal: single, multiple, atau true_false.")))
        return problems
    problems += _choice_problems(kind, data.choices)
    problems += _correct_problems(kind, data.choices, data.correct_keys)
    return problems


def validate_question_data(data: QuestionData) -> list[str]:
    """The messages of `question_problems`, for callers that show them as one list."""
    return [message for _field, message in question_problems(data)]


def _text_problems(data: QuestionData) -> list[tuple[str, str]]:
    required = {
        "topic": (data.topic, _("Topik wajib diisi."), TOPIC_MAX),
        "text": (data.text, _("Teks soal wajib diisi."), TEXT_MAX),
        "explanation": (data.explanation, _("Pembahasan wajib diisi."), EXPLANATION_MAX),
        "source": (data.source, _("Sumber (pasal atau peraturan) wajib diisi."), SOURCE_MAX),
    }
    problems = []
    for name, (value, missing, limit) in required.items():
        if not value:
            problems.append((name, missing))
        elif len(value) > limit:
            problems.append((name, _("Paling panjang %(max)d karakter.", max=limit)))
    return problems


def _choice_problems(kind: QuestionKind, choices: dict[str, str]) -> list[tuple[str, str]]:
    unknown = [key for key in choices if key not in KEYS]
    if unknown:
        return [("choices", _("Pilihan hanya boleh berkunci a sampai f."))]
    if kind is QuestionKind.TRUE_FALSE and choices != TRUE_FALSE_CHOICES:
        return [
            (
                "choices",
                _(
                    'Soal Benar/Salah hanya punya dua pilihan, A "Benar" dan B "Salah": '
                    "kosongkan pilihan lainnya."
                ),
            )
        ]
    problems = []
    if len(choices) < MIN_CHOICES:
        problems.append(("choices", _("Isi paling sedikit dua pilihan jawaban.")))
    for index, key in enumerate(KEYS):
        if key in choices and index > 0 and KEYS[index - 1] not in choices:
            message = _(
                "Pilihan %(key)s diisi tetapi pilihan %(previous)s kosong: isi pilihan berurutan.",
                key=key.upper(),
                previous=KEYS[index - 1].upper(),
            )
            problems.append((f"choice_{key}", message))
        if len(choices.get(key, "")) > CHOICE_MAX:
            message = _("Paling panjang %(max)d karakter.", max=CHOICE_MAX)
            problems.append((f"choice_{key}", message))
    texts = [text.lower() for text in choices.values()]
    if len(set(texts)) != len(texts):
        problems.append(("choices", _("Dua pilihan jawaban tidak boleh sama.")))
    return problems


def _correct_problems(
    kind: QuestionKind, choices: dict[str, str], correct: list[str]
) -> list[tuple[str, str]]:
    problems = []
    if not correct:
        problems.append(("correct", _("Tandai jawaban yang benar.")))
    elif kind is not QuestionKind.MULTIPLE and len(correct) != 1:
        problems.append(("correct", _("Soal jenis ini harus punya tepat satu jawaban benar.")))
    for key in correct:
        if key not in choices:
            message = _(
                "Jawaban benar %(key)s menunjuk pilihan yang kosong atau tidak ada.",
                key=key.upper(),
            )
            problems.append(("correct", message))
    return problems


# --- the business actions ------------------------------------------------------------------------


def _require_valid(data: QuestionData) -> None:
    problems = validate_question_data(data)
    if problems:
        raise InvalidQuestionError(problems)


def _apply(question: Question, data: QuestionData) -> None:
    question.topic = data.topic
    question.kind = QuestionKind(data.kind)
    question.text = data.text
    question.choices = [
        {"key": key, "text": data.choices[key]} for key in KEYS if key in data.choices
    ]
    question.correct_keys = list(data.correct_keys)
    question.explanation = data.explanation
    question.source = data.source


def data_from_question(question: Question) -> QuestionData:
    """The question as editable data (the inverse of saving it)."""
    return QuestionData(
        topic=question.topic,
        kind=question.kind.value,
        text=question.text,
        choices={choice["key"]: choice["text"] for choice in question.choices},
        correct_keys=sorted(question.correct_keys),
        explanation=question.explanation,
        source=question.source,
    )


def _require_new_text(text: str, question: Question | None = None) -> None:
    found = existing_keys([text]).get(question_text_key(text))
    if found is not None and (question is None or found != question.id):
        raise DuplicateQuestionError(found)


def _flush_or_duplicate(texts: Sequence[str]) -> None:
    """Flush; when another request added one of `texts` after this one checked (both passed the
    check, the unique index on text_key stops the second), raise DuplicateQuestionError naming it.

    A failed flush leaves the transaction unusable (PostgreSQL aborts it), so it is rolled back
    here, before looking the winner up; this request has written nothing else by then."""
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        db.session.rollback()
        found = existing_keys(texts)
        if not found:
            raise
        raise DuplicateQuestionError(next(iter(found.values()))) from None


def create_question(
    data: QuestionData,
    *,
    actor: User | None,
    ip: str | None = None,
    theme_ids: Iterable[int] | None = None,
) -> Question:
    """Add a valid question to the bank; InvalidQuestionError lists what is wrong,
    DuplicateQuestionError names the question that already has this text. `theme_ids`: its
    KKPHAM themes (the form's; an import tags none)."""
    _require_valid(data)
    _require_new_text(data.text)
    themes = themes_for(theme_ids or ())
    question = Question(language="id", created_by_id=actor.id if actor else None, themes=themes)
    _apply(question, data)
    db.session.add(question)
    _flush_or_duplicate([data.text])
    record_event("question_created", actor=actor, target=question, ip=ip)
    return question


def update_question(
    question: Question,
    data: QuestionData,
    *,
    actor: User | None,
    ip: str | None = None,
    theme_ids: Iterable[int] | None = None,
) -> Question:
    """Change a question. Scores of submitted attempts are stored, so they do not change.
    `theme_ids` replaces its KKPHAM themes (None: kept)."""
    _require_valid(data)
    _require_new_text(data.text, question)
    before = data_from_question(question)
    themes_before = [theme.id for theme in question.themes]
    _apply(question, data)
    changed = [
        f.name
        for f in fields(data)
        if f.compare and getattr(before, f.name) != getattr(data, f.name)
    ]
    if theme_ids is not None:
        question.themes = themes_for(theme_ids, question.themes)
        if sorted(themes_before) != sorted(theme.id for theme in question.themes):
            changed.append("themes")
    _flush_or_duplicate([data.text])
    if "themes" in changed:
        retally_attempts_with_questions([question.id])
    record_event(
        "question_updated",
        actor=actor,
        target=question,
        details={"changed": changed, "submitted_attempts": submitted_attempt_count(question)},
        ip=ip,
    )
    return question


def retire_question(
    question: Question, *, actor: User | None = None, ip: str | None = None
) -> bool:
    """Hide a question from new quizzes; old quizzes and attempts keep it. False if it was."""
    if question.is_retired:
        return False
    question.retired_at = utcnow()
    db.session.flush()
    record_event("question_retired", actor=actor, target=question, ip=ip)
    return True


def restore_question(
    question: Question, *, actor: User | None = None, ip: str | None = None
) -> bool:
    """Offer a retired question to new quizzes again. False if it was not retired."""
    if not question.is_retired:
        return False
    question.retired_at = None
    db.session.flush()
    record_event("question_restored", actor=actor, target=question, ip=ip)
    return True


def add_questions(
    items: Sequence[QuestionData], *, actor: User | None, ip: str | None, source: str
) -> int:
    """Add valid questions with new texts in the current transaction; returns how many.

    The import reports texts already in the bank row by row before calling this; here one raises
    DuplicateQuestionError. Audited once as `question_bank_imported`.
    """
    for data in items:
        _require_valid(data)
    existing = existing_keys(data.text for data in items)
    added: dict[str, Question] = {}  # a repeat within `items` is a duplicate too
    for data in items:
        key = question_text_key(data.text)
        if key in existing:
            raise DuplicateQuestionError(existing[key])
        if key in added:
            db.session.flush()
            raise DuplicateQuestionError(added[key].id)
        question = Question(language="id", created_by_id=actor.id if actor else None)
        _apply(question, data)
        db.session.add(question)
        added[key] = question
    _flush_or_duplicate([data.text for data in items])
    details = {"source": source, "added": len(items)}
    record_event("question_bank_imported", actor=actor, details=details, ip=ip)
    return len(items)


def existing_keys(texts: Iterable[str], chunk: int = 500) -> dict[str, int]:
    """The text keys of `texts` that a question in the bank has, with that question's id."""
    wanted = sorted({question_text_key(text) for text in texts})
    found: dict[str, int] = {}
    for start in range(0, len(wanted), chunk):
        part = wanted[start : start + chunk]
        rows = db.session.execute(
            sa.select(Question.text_key, Question.id).where(Question.text_key.in_(part))
        )
        found.update({key: question_id for key, question_id in rows})
    return found


# --- finding questions ---------------------------------------------------------------------------


def _like(q: str) -> str:
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def filtered_select(
    q: str | None = None,
    topic: str | None = None,
    kind: QuestionKind | None = None,
    include_retired: bool = False,
    *,
    only_retired: bool = False,
) -> sa.Select:
    statement = sa.select(Question).order_by(Question.topic, Question.id)
    if q and q.strip():
        statement = statement.where(Question.text.ilike(_like(q.strip()), escape="\\"))
    if topic:
        statement = statement.where(Question.topic == topic)
    if kind is not None:
        statement = statement.where(Question.kind == kind)
    if only_retired:
        statement = statement.where(Question.retired_at.is_not(None))
    elif not include_retired:
        statement = statement.where(Question.retired_at.is_(None))
    return statement


def search_questions(
    q: str | None = None,
    topic: str | None = None,
    kind: QuestionKind | None = None,
    include_retired: bool = False,
    page: int = 1,
    *,
    only_retired: bool = False,
) -> Pagination:
    """One page (50) of questions whose text contains `q`, by topic then age."""
    statement = filtered_select(q, topic, kind, include_retired, only_retired=only_retired)
    return db.paginate(statement, page=max(page, 1), per_page=PER_PAGE, error_out=False)


def list_topics() -> list[str]:
    """Every topic in the bank (retired questions included), alphabetically."""
    statement = sa.select(Question.topic).distinct().order_by(Question.topic)
    return list(db.session.scalars(statement))


def active_topic_counts() -> dict[str, int]:
    """How many questions each topic offers to new quizzes."""
    statement = (
        sa.select(Question.topic, sa.func.count())
        .where(Question.retired_at.is_(None))
        .group_by(Question.topic)
        .order_by(Question.topic)
    )
    return {topic: count for topic, count in db.session.execute(statement)}


def active_questions_by_topic(topic: str) -> list[Question]:
    """The questions of a topic that new quizzes may use (not retired), oldest first."""
    statement = (
        sa.select(Question)
        .where(Question.topic == topic, Question.retired_at.is_(None))
        .order_by(Question.id)
    )
    return list(db.session.scalars(statement))


def submitted_attempt_count(question: Question) -> int:
    """Submitted attempts that contain the question (their scores are already stored)."""
    answered = sa.select(Answer.id).where(
        Answer.attempt_id == Attempt.id, Answer.question_id == question.id
    )
    in_quiz = sa.select(QuizQuestion.quiz_id).where(
        QuizQuestion.quiz_id == Attempt.quiz_id, QuizQuestion.question_id == question.id
    )
    statement = sa.select(sa.func.count(Attempt.id)).where(
        Attempt.submitted_at.is_not(None), sa.or_(answered.exists(), in_quiz.exists())
    )
    return db.session.scalar(statement) or 0
