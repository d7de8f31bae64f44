"""Two admins add the same question text at the same moment: one question, one clear refusal.

Each thread has its own app context (its own session and connection). Both pass the service's
check before either inserts, so only the unique index on the text key can tell them apart. Run
against PostgreSQL with LOKALATIH_TEST_DATABASE_URL too.
"""

from __future__ import annotations

import threading

import sqlalchemy as sa

from lokalatih.extensions import db as _db
from lokalatih.models import Question
from lokalatih.quizzes import bank
from lokalatih.quizzes.errors import DuplicateQuestionError


def data(text: str) -> bank.QuestionData:
    return bank.question_data(
        topic="UUD 1945",
        kind="single",
        text=text,
        choices=["Pasal 28I ayat (1)", "Pasal 28J ayat (2)"],
        correct_keys="a",
        explanation="Pasal 28I ayat (1) menyebut hak yang tidak dapat dikurangi.",
        source="UUD 1945 Pasal 28I ayat (1)",
    )


def test_two_simultaneous_adds_of_one_text_give_one_question_and_a_duplicate_error(
    app, db, monkeypatch
):
    texts = [
        "Pasal mana yang memuat hak yang tidak dapat dikurangi?",
        "  PASAL MANA yang memuat hak yang tidak dapat dikurangi? ",
    ]
    checked = threading.Barrier(len(texts), timeout=20)
    original = bank._require_new_text

    def check_then_wait(text, question=None):
        original(text, question)
        checked.wait()  # both have passed the check; now both insert

    monkeypatch.setattr(bank, "_require_new_text", check_then_wait)
    results: list[object] = [None] * len(texts)

    def worker(index: int) -> None:
        with app.app_context():
            try:
                question = bank.create_question(data(texts[index]), actor=None)
                _db.session.commit()
                results[index] = question.id
            except Exception as error:  # the test inspects what each thread got
                _db.session.rollback()
                results[index] = error
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(texts))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    ids = [result for result in results if isinstance(result, int)]
    errors = [result for result in results if isinstance(result, Exception)]
    assert len(ids) == 1, results
    [error] = errors
    assert isinstance(error, DuplicateQuestionError)
    assert error.existing_id == ids[0]
    assert error.existing_text == db.session.get(Question, ids[0]).text  # the winner, by text
    assert db.session.scalar(sa.select(sa.func.count(Question.id))) == 1
