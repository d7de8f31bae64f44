"""Cloning a workshop, copying the pre-test into the post-test, one question per source in draws."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from lokalatih.models import (
    Certificate,
    CheckIn,
    CheckInMethod,
    Quiz,
    QuizKind,
    Registration,
    Role,
    Workshop,
    WorkshopStatus,
    WorkshopTimezone,
)
from lokalatih.quizzes import cloning, services
from lokalatih.quizzes.errors import (
    CloneStartOutOfRangeError,
    NoPreTestQuestionsError,
    PostTestNotEmptyError,
)
from tests import factories

# 09.00–12.00 WITA on 30 December 2026 and 17.00–20.00 WITA on 31 December 2026.
FIRST = datetime(2026, 12, 30, 1, 0, tzinfo=UTC)
LAST = datetime(2026, 12, 31, 9, 0, tzinfo=UTC)
SESSIONS = [(FIRST, FIRST + timedelta(hours=3)), (LAST, LAST + timedelta(hours=3))]


@pytest.fixture
def original(db, make_user, quiz_workshop, quiz_question, quiz_make, quiz_registration):
    """A WITA workshop with a co-organizer, two quizzes and a certificate rule, and a participant
    who checked in and holds a certificate."""
    co_organizer = make_user("pendamping@contoh.id", role=Role.ORGANIZER)
    workshop = quiz_workshop(
        sessions=SESSIONS,
        registration_opens_at=FIRST - timedelta(days=20),
        timezone=WorkshopTimezone.WITA,
    )
    workshop.organizers.append(co_organizer)
    workshop.cert_min_attendance_pct = 90
    workshop.cert_min_post_score = 70
    workshop.training_hours = 12
    workshop.signatories = [{"name": "Ketua Panitia", "position": "Penyelenggara"}]
    workshop.sessions[0].speakers = "Narasumber Komnas HAM"
    questions = [quiz_question() for _ in range(3)]
    quiz_make(workshop, questions, opens_at=FIRST - timedelta(days=2), closes_at=FIRST)
    post = quiz_make(workshop, questions[:2], kind=QuizKind.POST, time_limit_minutes=15)
    post.shuffle_choices = False
    registration = quiz_registration(workshop)
    db.session.add(
        CheckIn(
            session_id=workshop.sessions[0].id,
            registration_id=registration.id,
            method=list(CheckInMethod)[0],
        )
    )
    factories.certificate(registration)
    return workshop


def _clone(db, workshop: Workshop, start: date) -> Workshop:
    copy = cloning.clone_workshop(workshop, workshop.organizers[0], start)
    db.session.commit()
    return copy


def test_clone_is_a_draft_with_new_slug_and_title_and_the_same_rule(db, original):
    copy = _clone(db, original, date(2027, 1, 20))

    assert copy.id != original.id and copy.slug != original.slug
    assert copy.title == original.title + " (salinan)"
    assert copy.status == WorkshopStatus.DRAFT
    assert (copy.cert_min_attendance_pct, copy.cert_min_post_score, copy.training_hours) == (
        90,
        70,
        12,
    )
    assert copy.cert_requires_post_test is original.cert_requires_post_test
    assert copy.signatories == [{"name": "Ketua Panitia", "position": "Penyelenggara"}]
    assert {u.email for u in copy.organizers} == {u.email for u in original.organizers}
    assert len(copy.organizers) == 2
    assert (copy.mode, copy.meeting_url, copy.capacity) == (
        original.mode,
        original.meeting_url,
        original.capacity,
    )


def test_sessions_move_by_the_same_days_across_a_month_end_and_keep_their_wita_clock(db, original):
    # 30 Dec -> 30 Jan: 31 days later; the second session, 31 Dec 17.00 WITA, lands on 31 Jan.
    copy = _clone(db, original, date(2027, 1, 30))

    assert (copy.start_date, copy.end_date) == (date(2027, 1, 30), date(2027, 1, 31))
    assert copy.timezone == WorkshopTimezone.WITA
    zone = WorkshopTimezone.WITA.zone
    starts = [s.starts_at.astimezone(zone) for s in copy.sessions]
    assert [(s.date(), s.hour) for s in starts] == [(date(2027, 1, 30), 9), (date(2027, 1, 31), 17)]
    assert [s.ends_at - s.starts_at for s in copy.sessions] == [timedelta(hours=3)] * 2
    assert [s.title for s in copy.sessions] == ["Sesi 1", "Sesi 2"]
    assert copy.sessions[0].speakers == "Narasumber Komnas HAM"
    assert copy.sessions[0].checkin_secret != original.sessions[0].checkin_secret
    assert copy.registration_opens_at == original.registration_opens_at + timedelta(days=31)
    # The original is untouched.
    assert original.sessions[0].starts_at == FIRST


def test_a_clone_can_start_earlier(db, original):
    copy = _clone(db, original, date(2026, 11, 28))
    assert copy.sessions[1].starts_at == LAST - timedelta(days=32)


def test_quizzes_are_copied_with_questions_settings_and_shifted_windows(db, original):
    copy = _clone(db, original, date(2027, 2, 1))
    days = (date(2027, 2, 1) - original.start_date).days

    pre, post = (services.get_quiz(copy, kind) for kind in QuizKind)
    old_pre, old_post = (services.get_quiz(original, kind) for kind in QuizKind)
    assert [i.question_id for i in pre.items] == [i.question_id for i in old_pre.items]
    assert [i.question_id for i in post.items] == [i.question_id for i in old_post.items]
    assert pre.opens_at == old_pre.opens_at + timedelta(days=days)
    assert pre.closes_at == FIRST + timedelta(days=days)
    assert post.opens_at is None and post.closes_at is None  # still follows the agenda
    assert (post.time_limit_minutes, post.shuffle_choices, post.title) == (
        15,
        False,
        old_post.title,
    )
    assert len(old_pre.items) == 3  # the original keeps its questions


def test_a_question_retired_from_the_bank_is_left_out_of_the_copy(db, original):
    old_pre = services.get_quiz(original, QuizKind.PRE)
    retired = old_pre.items[1].question
    retired.retired_at = FIRST
    db.session.commit()

    copy = _clone(db, original, date(2027, 2, 1))
    pre = services.get_quiz(copy, QuizKind.PRE)
    assert [i.question_id for i in pre.items] == [
        i.question_id for i in old_pre.items if i.question_id != retired.id
    ]
    assert [i.position for i in pre.items] == [0, 1]


def test_nothing_personal_is_copied(db, original):
    copy = _clone(db, original, date(2027, 3, 1))

    session_ids = [s.id for s in copy.sessions]
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Registration)
            .where(Registration.workshop_id == copy.id)
        )
        == 0
    )
    assert (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(CheckIn)
            .where(CheckIn.session_id.in_(session_ids))
        )
        == 0
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Certificate)) == 1
    quiz_ids = [
        q.id for q in db.session.scalars(sa.select(Quiz).where(Quiz.workshop_id == copy.id))
    ]
    assert len(quiz_ids) == 2
    assert not any(services.has_attempts(db.session.get(Quiz, i)) for i in quiz_ids)


def test_cloning_twice_gives_two_slugs(db, original):
    first = _clone(db, original, date(2027, 3, 1))
    second = _clone(db, original, date(2027, 4, 1))
    assert len({original.slug, first.slug, second.slug}) == 3


def test_a_start_more_than_ten_years_away_is_refused(db, original):
    with pytest.raises(CloneStartOutOfRangeError):
        cloning.clone_workshop(original, original.organizers[0], date(2040, 1, 1))


# --- pre-test into post-test ---------------------------------------------------------------------


def test_pre_test_is_copied_into_an_empty_post_test_in_order(
    db, quiz_workshop, quiz_question, quiz_make
):
    workshop = quiz_workshop(sessions=SESSIONS)
    questions = [quiz_question() for _ in range(3)]
    quiz_make(workshop, [questions[2], questions[0], questions[1]])
    post = quiz_make(workshop, [], kind=QuizKind.POST)

    assert cloning.copy_pre_into_post(post, workshop.organizers[0]) == 3
    db.session.commit()
    assert [i.question_id for i in post.items] == [
        questions[2].id,
        questions[0].id,
        questions[1].id,
    ]
    with pytest.raises(PostTestNotEmptyError):
        cloning.copy_pre_into_post(post, workshop.organizers[0])


def test_retired_pre_test_questions_are_not_copied(db, quiz_workshop, quiz_question, quiz_make):
    workshop = quiz_workshop(sessions=SESSIONS)
    kept, retired = quiz_question(), quiz_question()
    retired.retired_at = FIRST
    quiz_make(workshop, [retired, kept])
    post = quiz_make(workshop, [], kind=QuizKind.POST)

    assert cloning.copy_pre_into_post(post, workshop.organizers[0]) == 1
    assert [i.question_id for i in post.items] == [kept.id]


def test_an_empty_pre_test_has_nothing_to_copy(db, quiz_workshop, quiz_make):
    workshop = quiz_workshop(sessions=SESSIONS)
    post = quiz_make(workshop, [], kind=QuizKind.POST)
    with pytest.raises(NoPreTestQuestionsError):
        cloning.copy_pre_into_post(post, workshop.organizers[0])


# --- one question per source article and paragraph in a random draw ---------------------------


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("UUD 1945 Pasal 28I ayat (1)", "uud 1945  pasal 28 I ayat 1", True),
        ("UUD 1945 Pasal 28I ayat (1)", "UUD 1945, Pasal 28I Ayat (1).", True),
        ("UUD 1945 Pasal 28I ayat (1)", "UUD 1945 Pasal 28I ayat (2)", False),
        ("UUD 1945 Pasal 28I ayat (1)", "UUD 1945 Pasal 28J ayat (1)", False),
        ("UU No. 39 Tahun 1999 Pasal 4", "UU No. 39 Tahun 1999 Pasal 4", True),
        ("UU No. 39 Tahun 1999 Pasal 4", "UUD 1945 Pasal 4", False),
    ],
)
def test_source_keys(first, second, same):
    assert (services.source_key(first) == services.source_key(second)) is same


def test_an_empty_source_never_clashes():
    assert services.source_key("") is None and services.source_key("  ") is None


def test_a_draw_never_takes_two_questions_of_one_article_and_paragraph(
    db, quiz_workshop, quiz_question, quiz_make
):
    workshop = quiz_workshop(sessions=SESSIONS)
    for source in (
        "UUD 1945 Pasal 28I ayat (1)",
        "uud 1945 pasal 28 i ayat 1",
        "UUD 1945, Pasal 28I Ayat (1).",
    ):
        quiz_question(topic="Hak konstitusional", source=source)
    for _ in range(2):
        quiz_question(topic="Hak konstitusional", source="UUD 1945 Pasal 28I ayat (2)")
    quiz_question(topic="Hak konstitusional", source="UUD 1945 Pasal 28J ayat (1)")
    quiz = quiz_make(workshop, [])

    for seed in range(20):
        quiz.items.clear()
        db.session.flush()
        added = services.draw_questions(
            quiz, ["Hak konstitusional"], 6, workshop.organizers[0], random.Random(seed)
        )
        keys = [services.source_key(item.question.source) for item in quiz.items]
        assert added == 3
        assert len(set(keys)) == 3


def test_a_draw_skips_sources_already_in_the_quiz(db, quiz_workshop, quiz_question, quiz_make):
    workshop = quiz_workshop(sessions=SESSIONS)
    picked = quiz_question(topic="DUHAM", source="UUD 1945 Pasal 28I ayat (1)")
    quiz_question(topic="Hak konstitusional", source="UUD 1945 Pasal 28I ayat (1)")
    other = quiz_question(topic="Hak konstitusional", source="UUD 1945 Pasal 28E ayat (3)")
    quiz = quiz_make(workshop, [picked])

    added = services.draw_questions(
        quiz, ["Hak konstitusional"], 5, workshop.organizers[0], random.Random(3)
    )
    assert added == 1
    assert [item.question_id for item in quiz.items] == [picked.id, other.id]


def test_every_other_session_and_quiz_column_is_copied_as_is(db, original):
    """A column added later (a session's JP, say) is copied without a change to the clone."""
    copy = _clone(db, original, date(2027, 1, 6))
    changed = {"id", "workshop_id", "starts_at", "ends_at", "checkin_secret", "sequence"}
    for old, new in zip(original.sessions, copy.sessions, strict=True):
        for column in sa.inspect(type(old)).column_attrs:
            if column.key not in changed:
                assert getattr(new, column.key) == getattr(old, column.key), column.key
    changed = {"id", "workshop_id", "opens_at", "closes_at", "created_at"}
    for kind in QuizKind:
        old, new = services.get_quiz(original, kind), services.get_quiz(copy, kind)
        for column in sa.inspect(Quiz).column_attrs:
            if column.key not in changed:
                assert getattr(new, column.key) == getattr(old, column.key), column.key
