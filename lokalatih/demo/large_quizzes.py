"""The large demo's question bank, pre- and post-tests, attempts, answers (~2,000,000 at the
default size) and the per-topic counts that scoring writes for each attempt."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from ..extensions import db
from ..models import (
    Answer,
    Attempt,
    AttemptClosedBy,
    AttemptTopicScore,
    Question,
    QuestionKind,
    Quiz,
    QuizKind,
    QuizQuestion,
    question_text_key,
)
from ..quizzes.topic_scores import topic_counts
from .bulk import BATCH, Ids, PlannedWorkshop, batches, insert

DEMO_SOURCE = "Data demo"  # marks the generated statements, which are not bank material
# 14 questions per test: ~143,000 submitted attempts at the default size give ~2,000,000 answers.
QUESTIONS_PER_QUIZ = 14
TOPICS = (
    "Dasar HAM",
    "Hak penyandang disabilitas",
    "Hak anak",
    "Kesetaraan gender",
    "Kebebasan beragama",
    "Hak atas kesehatan",
    "Bisnis dan HAM",
    "Pengaduan HAM",
)


def write_questions(ids: Ids, progress: Callable[[str], None]) -> dict[int, str]:
    """Five true/false questions per topic; returns each question's topic."""
    question_ids = ids.take(Question, 5 * len(TOPICS))
    topics = {qid: TOPICS[n % len(TOPICS)] for n, qid in enumerate(question_ids)}
    rows = [
        {
            "id": qid,
            "topic": topic,
            "text": f"Pernyataan contoh nomor {qid}.",
            "text_key": question_text_key(f"Pernyataan contoh nomor {qid}."),  # a bulk insert
            "kind": QuestionKind.TRUE_FALSE,
            "choices": [{"key": "a", "text": "Benar"}, {"key": "b", "text": "Salah"}],
            "correct_keys": ["a"],
            "source": DEMO_SOURCE,
        }
        for qid, topic in topics.items()
    ]
    insert(Question, rows, "soal", progress)
    return topics


def _quizzes(rng, ids: Ids, held: list[PlannedWorkshop], topics: dict[int, str], progress):
    """A pre- and a post-test per held workshop with the same questions; returns them by quiz."""
    quiz_rows, item_rows = [], []
    for workshop in held:
        chosen = rng.sample(sorted(topics), QUESTIONS_PER_QUIZ)
        for kind, qid in zip(QuizKind, ids.take(Quiz, 2), strict=True):
            workshop.quizzes[kind] = qid
            quiz_rows.append(
                {
                    "id": qid,
                    "workshop_id": workshop.id,
                    "kind": kind,
                    "title": "Pra-tes" if kind == QuizKind.PRE else "Pasca-tes",
                }
            )
            item_rows += [
                {"quiz_id": qid, "question_id": q, "position": p} for p, q in enumerate(chosen)
            ]
    insert(Quiz, quiz_rows, "kuis", progress)
    insert(QuizQuestion, item_rows, "soal kuis", progress)
    chosen_by_quiz: dict[int, list[int]] = {}
    for row in item_rows:
        chosen_by_quiz.setdefault(row["quiz_id"], []).append(row["question_id"])
    return chosen_by_quiz


def write_tests(
    rng,
    ids: Ids,
    held: list[PlannedWorkshop],
    present: Iterable[tuple],
    topics: dict[int, str],
    progress: Callable[[str], None],
) -> tuple[int, int, set[int]]:
    """Quizzes and submitted attempts of the registrations `present` yields as (registration id,
    workshop, pre-test ability 0..1, normalized gain); returns the number of attempts and answers
    and the registrations with a post-test."""
    chosen_by_quiz = _quizzes(rng, ids, held, topics, progress)
    rows: dict[type, list[dict]] = {Attempt: [], Answer: [], AttemptTopicScore: []}
    posted: set[int] = set()
    for rid, workshop, ability, gain in present:
        pre_p = min(0.97, max(0.05, rng.gauss(ability, 0.12)))
        post_p = min(0.99, pre_p + (1 - pre_p) * max(-0.2, rng.gauss(gain, 0.2)))
        for kind, p, share in ((QuizKind.PRE, pre_p, 0.96), (QuizKind.POST, post_p, 0.9)):
            if rng.random() > share:
                continue
            quiz_id = workshop.quizzes[kind]
            (aid,) = ids.take(Attempt, 1)
            results = [(q, rng.random() < p) for q in chosen_by_quiz[quiz_id]]
            hour = 2 if kind == QuizKind.PRE else 9
            submitted = datetime(*workshop.start.timetuple()[:3], hour, tzinfo=UTC)
            rows[Attempt].append(
                {
                    "id": aid,
                    "quiz_id": quiz_id,
                    "registration_id": rid,
                    "started_at": submitted,
                    "deadline_at": submitted + timedelta(minutes=20),
                    "submitted_at": submitted,
                    "closed_by": AttemptClosedBy.PARTICIPANT,
                    "question_order": [q for q, _ in results],
                    "choice_order": {},
                    "score": round(100.0 * sum(ok for _, ok in results) / len(results), 2),
                }
            )
            rows[Answer] += [
                {
                    "attempt_id": aid,
                    "question_id": q,
                    "selected_keys": ["a" if ok else "b"],
                    "is_correct": ok,
                    "saved_at": submitted,
                }
                for q, ok in results
            ]
            counts = topic_counts((topics[q], ok) for q, ok in results)
            rows[AttemptTopicScore] += [
                {
                    "attempt_id": aid,
                    "topic": topic,
                    "registration_id": rid,
                    "quiz_kind": kind,
                    "answered": answered,
                    "correct": correct,
                }
                for topic, (answered, correct) in counts.items()
            ]
            if kind == QuizKind.POST:
                posted.add(rid)
        if len(rows[Answer]) >= BATCH * 40:
            _flush(rows)
            progress(f"  jawaban: {ids.next.get('attempts', 0)} percobaan sejauh ini")
    _flush(rows)
    db.session.commit()
    total_attempts = db.session.scalar(sa.select(sa.func.count()).select_from(Attempt))
    total_answers = db.session.scalar(sa.select(sa.func.count()).select_from(Answer))
    progress(f"percobaan: {total_attempts}, jawaban: {total_answers}")
    return total_attempts, total_answers, posted


def _flush(rows: dict[type, list[dict]]) -> None:
    for model, pending in rows.items():  # attempts first: the others refer to them
        for batch in batches(pending):
            db.session.execute(sa.insert(model), batch)
        pending.clear()
