"""The shipped starter bank and the `flask questions` commands."""

from __future__ import annotations

import json
from collections import Counter

import pytest
import sqlalchemy as sa

from lokalatih.models import AuditEvent, Question, QuestionKind
from lokalatih.quizzes import bank, bank_io
from lokalatih.quizzes.cli import questions_cli


def count_questions(db) -> int:
    return db.session.scalar(sa.select(sa.func.count(Question.id)))


def test_the_starter_file_has_at_least_60_questions_across_6_topics(app):
    items = bank_io.starter_questions()

    assert len(items) >= 60
    assert len({data.topic for data in items}) >= 6
    assert all(count >= 5 for count in Counter(data.topic for data in items).values())


def test_every_starter_question_passes_the_import_validator(app):
    problems = {
        data.text: bank.validate_question_data(data)
        for data in bank_io.starter_questions()
        if bank.validate_question_data(data)
    }

    assert problems == {}


def test_starter_questions_mix_kinds_mostly_single_choice(app):
    kinds = Counter(data.kind for data in bank_io.starter_questions())

    assert kinds["single"] > kinds["true_false"] > 0
    assert kinds["multiple"] > 0


def test_starter_questions_have_unique_texts_and_varied_answer_positions(app):
    items = bank_io.starter_questions()
    single_answers = Counter(data.correct_keys[0] for data in items if data.kind == "single")

    assert len({data.text for data in items}) == len(items)
    assert set(single_answers) == {"a", "b", "c", "d"}


def test_multiple_answer_starter_questions_keep_at_least_one_wrong_choice(app):
    for data in bank_io.starter_questions():
        if data.kind == "multiple":
            assert len(data.correct_keys) < len(data.choices), data.text


def test_the_starter_file_is_plain_json_with_its_sources_document(app):
    document = json.loads(bank_io.STARTER_PATH.read_text(encoding="utf-8"))

    assert document["language"] == "id"
    assert (bank_io.STARTER_PATH.parent / "SOURCES.md").is_file()


def test_loading_the_starter_bank_twice_adds_it_once(db):
    first = bank_io.load_starter_bank()
    db.session.commit()
    second = bank_io.load_starter_bank()
    db.session.commit()

    assert first == len(bank_io.starter_questions())
    assert second == 0
    assert count_questions(db) == first
    assert all(question.language == "id" for question in db.session.scalars(sa.select(Question)))


def test_loading_the_starter_bank_adds_only_missing_questions(db):
    bank_io.load_starter_bank()
    db.session.commit()
    missing = db.session.scalar(sa.select(Question).order_by(Question.id.desc()).limit(1))
    db.session.delete(missing)
    db.session.commit()

    assert bank_io.load_starter_bank() == 1


def test_starter_topics_feed_random_draws(db):
    bank_io.load_starter_bank()
    db.session.commit()

    counts = bank.active_topic_counts()

    for topic, count in counts.items():
        drawn = bank.active_questions_by_topic(topic)
        assert len(drawn) == count
        assert all(question.kind in QuestionKind for question in drawn)


# --- the commands --------------------------------------------------------------------------------


def test_load_starter_command_reports_how_many_were_added(app, db):
    runner = app.test_cli_runner()

    first = runner.invoke(questions_cli, ["load-starter"])
    second = runner.invoke(questions_cli, ["load-starter"])

    assert first.exit_code == 0
    assert f"added {len(bank_io.starter_questions())} starter questions" in first.output
    assert "added 0 starter questions" in second.output
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "question_bank_imported")
    )
    assert event.details["source"] == "starter"


def test_export_and_import_commands_round_trip(app, db, tmp_path):
    runner = app.test_cli_runner()
    runner.invoke(questions_cli, ["load-starter"])
    path = tmp_path / "bank.xlsx"

    exported = runner.invoke(questions_cli, ["export", str(path)])
    db.session.execute(sa.delete(Question))
    db.session.commit()
    imported = runner.invoke(questions_cli, ["import", str(path)])

    assert exported.exit_code == 0 and path.is_file()
    assert imported.exit_code == 0, imported.output
    assert f"added {len(bank_io.starter_questions())} questions" in imported.output
    assert count_questions(db) == len(bank_io.starter_questions())


def test_import_command_lists_bad_rows_and_fails(app, db, tmp_path):
    path = tmp_path / "soal.csv"
    path.write_text(
        "topic,kind,text,choice_a,choice_b,choice_c,choice_d,choice_e,choice_f,correct,"
        "explanation,source\nDUHAM,single,Berapa pasal DUHAM?,10,30,,,,,,Tiga puluh.,DUHAM\n",
        encoding="utf-8",
    )

    result = app.test_cli_runner().invoke(questions_cli, ["import", str(path)])

    assert result.exit_code == 1
    assert "Baris 2, kolom correct: Tandai jawaban yang benar." in result.output
    assert count_questions(db) == 0


def test_export_command_refuses_an_unknown_extension(app, db, tmp_path):
    result = app.test_cli_runner().invoke(questions_cli, ["export", str(tmp_path / "bank.pdf")])

    assert result.exit_code == 2
    assert "FILE must end in .xlsx, .csv, .xml or .gift" in result.output


@pytest.mark.parametrize("suffix", ["xml", "gift"])
def test_the_starter_bank_round_trips_through_moodle_files_without_loss(app, db, tmp_path, suffix):
    runner = app.test_cli_runner()
    runner.invoke(questions_cli, ["load-starter"])
    before = [bank.data_from_question(q) for q in db.session.scalars(sa.select(Question))]
    path = tmp_path / f"bank.{suffix}"

    exported = runner.invoke(questions_cli, ["export", str(path)])
    db.session.execute(sa.delete(Question))
    db.session.commit()
    dry = runner.invoke(questions_cli, ["import", "--dry-run", str(path)])
    imported = runner.invoke(questions_cli, ["import", str(path)])

    assert exported.exit_code == 0 and path.is_file()
    assert f"would add {len(before)} questions" in dry.output
    assert imported.exit_code == 0, imported.output
    after = [bank.data_from_question(q) for q in db.session.scalars(sa.select(Question))]
    key = lambda data: data.text  # noqa: E731
    assert sorted(after, key=key) == sorted(before, key=key)


def test_the_import_command_lists_skipped_moodle_questions(app, db, tmp_path):
    path = tmp_path / "soal.gift"
    path.write_text("::Esai::Jelaskan kewajiban negara. {}\n", encoding="utf-8")

    result = app.test_cli_runner().invoke(questions_cli, ["import", str(path)])

    assert result.exit_code == 1
    assert "skipped #1 Esai (essay)" in result.output
    assert "Tidak ada soal yang dapat diimpor dari berkas ini." in result.output
