"""The per-registration tallies the dashboard reads (sessions attended, certificates earned, pre-
and post-test scores) follow every change made through the services, kept by the database's
triggers (migration 0009): each step is checked against a recount of the source rows."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from lokalatih.attendance.services import mark_present, unmark
from lokalatih.certificates.services import issue_certificate, revoke_certificate
from lokalatih.models import (
    Attempt,
    AttemptTopicScore,
    Certificate,
    CheckIn,
    Gender,
    InstitutionType,
    Question,
    QuestionKind,
    Quiz,
    QuizKind,
    Registration,
    RegistrationStatus,
    RegistrationTopicScore,
    Role,
    Workshop,
    WorkshopMode,
    WorkshopStatus,
    utcnow,
)
from lokalatih.privacy.erasure import ErasureReason, erase_account
from lokalatih.quizzes.answer_saving import save_answer
from lokalatih.quizzes.attempt_closing import close_overdue, submit_attempt
from lokalatih.quizzes.attempts import start_attempt
from lokalatih.quizzes.topic_scores import record_topic_scores
from tests import factories


def _tallies(db, registration_id: int) -> tuple:
    row = sa.select(
        Registration.sessions_attended,
        Registration.certificates_earned,
        Registration.pre_score,
        Registration.post_score,
    ).where(Registration.id == registration_id)
    return tuple(db.session.execute(row).one())


def _recount(db, registration_id: int) -> tuple:
    """The same four figures counted from the source rows, as the dashboard used to."""

    def score(kind: QuizKind):
        return db.session.scalar(
            sa.select(sa.func.max(Attempt.score))
            .join(Quiz, Quiz.id == Attempt.quiz_id)
            .where(
                Attempt.registration_id == registration_id,
                Quiz.kind == kind,
                Attempt.submitted_at.is_not(None),
            )
        )

    checkins = db.session.scalar(
        sa.select(sa.func.count()).where(CheckIn.registration_id == registration_id)
    )
    certificates = db.session.scalar(
        sa.select(sa.func.count()).where(
            Certificate.registration_id == registration_id,
            sa.or_(Certificate.revoked_at.is_(None), Certificate.revoked_by_holder),
        )
    )
    return (checkins, certificates, score(QuizKind.PRE), score(QuizKind.POST))


def _topics(db, registration_id: int) -> set[tuple]:
    rows = db.session.execute(
        sa.select(
            RegistrationTopicScore.topic,
            RegistrationTopicScore.pre_answered,
            RegistrationTopicScore.pre_correct,
            RegistrationTopicScore.post_answered,
            RegistrationTopicScore.post_correct,
        ).where(RegistrationTopicScore.registration_id == registration_id)
    )
    return {tuple(row) for row in rows}


def _recount_topics(db, registration_id: int) -> set[tuple]:
    scores = AttemptTopicScore

    def total(kind: QuizKind, column):
        return sa.func.sum(sa.case((scores.quiz_kind == kind, column), else_=0))

    rows = db.session.execute(
        sa.select(
            scores.topic,
            total(QuizKind.PRE, scores.answered),
            total(QuizKind.PRE, scores.correct),
            total(QuizKind.POST, scores.answered),
            total(QuizKind.POST, scores.correct),
        )
        .where(scores.registration_id == registration_id)
        .group_by(scores.topic)
    )
    return {tuple(row) for row in rows}


def _check(db, registration: Registration, expected: tuple, topics: set | None = None) -> None:
    db.session.flush()
    assert _tallies(db, registration.id) == _recount(db, registration.id) == expected
    assert _topics(db, registration.id) == _recount_topics(db, registration.id) == (topics or set())


def _workshop(db, organizer, slug: str = "tally") -> Workshop:
    start = utcnow() - timedelta(hours=1)
    sessions = [
        (start + timedelta(hours=n), start + timedelta(hours=n, minutes=50)) for n in range(3)
    ]
    return factories.workshop(
        organizers=[organizer], sessions=sessions, slug=slug, title="Loka Latih Tally",
        mode=WorkshopMode.ONLINE, meeting_url="https://meet.contoh.id/ham",
        start_date=start.date(), end_date=start.date(), capacity=10,
        status=WorkshopStatus.RUNNING, commit=False,
    )  # fmt: skip


def _quiz(db, workshop: Workshop, kind: QuizKind, questions: list[Question]) -> Quiz:
    now = utcnow()
    return factories.quiz(
        workshop, kind=kind, questions=questions, title=kind.value, time_limit_minutes=10,
        opens_at=now - timedelta(hours=1), closes_at=now + timedelta(days=1), commit=False,
    )  # fmt: skip


def test_tallies_follow_check_ins_certificates_attempts_and_erasure(db, make_user):
    organizer = make_user(role=Role.ORGANIZER)
    user = make_user(complete_profile=True)
    workshop = _workshop(db, organizer)
    questions = [
        factories.question(topic=topic, kind=QuestionKind.TRUE_FALSE, commit=False)
        for topic in ("DUHAM", "DUHAM", "Hak Anak", "Hak Anak")
    ]
    pre = _quiz(db, workshop, QuizKind.PRE, questions)
    post = _quiz(db, workshop, QuizKind.POST, questions)
    registration = Registration(
        workshop=workshop, user=user, status=RegistrationStatus.CONFIRMED, confirmed_at=utcnow()
    )
    db.session.add(registration)
    db.session.flush()
    first, second, third = workshop.sessions
    _check(db, registration, (0, 0, None, None))

    mark_present(first, registration, organizer, "hadir", utcnow())
    mark_present(second, registration, organizer, "hadir", utcnow())
    mark_present(second, registration, organizer, "lagi", utcnow())  # already there: no change
    _check(db, registration, (2, 0, None, None))
    unmark(first, registration, organizer, "salah catat")
    _check(db, registration, (1, 0, None, None))

    attempt = start_attempt(pre, registration)
    _check(db, registration, (1, 0, None, None))  # started, not submitted
    for question in questions[:3]:
        save_answer(attempt, question.id, ["a"])
    submit_attempt(attempt)
    pre_only = {("DUHAM", 2, 2, 0, 0), ("Hak Anak", 2, 1, 0, 0)}
    _check(db, registration, (1, 0, 75.0, None), pre_only)
    late = start_attempt(post, registration)
    save_answer(late, questions[0].id, ["a"])
    close_overdue(late.deadline_at + timedelta(hours=1))  # the deadline job scores it
    both = {("DUHAM", 2, 2, 2, 1), ("Hak Anak", 2, 1, 2, 0)}
    _check(db, registration, (1, 0, 75.0, 25.0), both)

    certificate = issue_certificate(registration, issued_by=organizer)
    _check(db, registration, (1, 1, 75.0, 25.0), both)
    revoke_certificate(certificate, "nama salah", organizer)
    _check(db, registration, (1, 0, 75.0, 25.0), both)
    issue_certificate(registration, issued_by=organizer)
    _check(db, registration, (1, 1, 75.0, 25.0), both)

    # Deleting the account revokes the certificate, which still counts as earned.
    erase_account(user, ErasureReason.SELF_REQUEST)
    _check(db, registration, (1, 1, 75.0, 25.0), both)

    # A session removed with its check-ins, a quiz removed with its attempts.
    db.session.delete(second)
    db.session.delete(post)
    _check(db, registration, (0, 1, 75.0, None), pre_only)
    db.session.commit()
    assert third in workshop.sessions


def test_scoring_an_attempt_again_replaces_its_topic_counts(db, make_user):
    organizer = make_user(role=Role.ORGANIZER)
    workshop = _workshop(db, organizer)
    question = factories.question(topic="DUHAM", kind=QuestionKind.TRUE_FALSE, commit=False)
    quiz = _quiz(db, workshop, QuizKind.POST, [question])
    registration = Registration(
        workshop=workshop, user=make_user(complete_profile=True),
        status=RegistrationStatus.CONFIRMED, confirmed_at=utcnow(),
    )  # fmt: skip
    db.session.add(registration)
    db.session.flush()
    attempt = start_attempt(quiz, registration)
    db.session.flush()

    record_topic_scores(attempt, [("DUHAM", True), ("DUHAM", False), ("HAM Anak", True)])
    record_topic_scores(attempt, [("DUHAM", True), ("DUHAM", True), ("HAM Anak", False)])
    db.session.flush()

    expected = {("DUHAM", 0, 0, 2, 2), ("HAM Anak", 0, 0, 1, 0)}
    assert _topics(db, registration.id) == _recount_topics(db, registration.id) == expected


def test_registrations_carry_their_participants_profile_as_it_changes(db, make_user):
    organizer = make_user(role=Role.ORGANIZER)
    workshop = _workshop(db, organizer)
    later = _workshop(db, organizer, slug="tally-2")
    user = make_user(complete_profile=True)
    newcomer = make_user()  # registers before filling in a profile (as a factory may)
    first = Registration(workshop=workshop, user=user, status=RegistrationStatus.CONFIRMED)
    db.session.add_all(
        [first, Registration(workshop=workshop, user=newcomer, status=RegistrationStatus.PENDING)]
    )
    db.session.flush()

    def copies(person) -> set[tuple]:
        rows = db.session.execute(
            sa.select(
                Registration.province_code,
                Registration.regency_code,
                Registration.institution_type,
                Registration.gender,
            ).where(Registration.user_id == person.id)
        )
        return {tuple(row) for row in rows}

    profile = user.profile
    jakarta = ("31", "31.74", InstitutionType.LOCAL_GOVERNMENT, Gender.FEMALE)
    assert (profile.province_code, profile.regency_code) == jakarta[:2]
    assert copies(user) == {jakarta}
    assert copies(newcomer) == {(None, None, None, None)}

    profile.province_code, profile.regency_code = "53", "53.71"
    profile.institution_type = InstitutionType.CIVIL_SOCIETY
    db.session.add(Registration(workshop=later, user=user, status=RegistrationStatus.WAITLISTED))
    db.session.add(
        factories.profile(complete=False, user=newcomer, full_name="Budi", gender=Gender.MALE)
    )
    db.session.flush()

    kupang = ("53", "53.71", InstitutionType.CIVIL_SOCIETY, profile.gender)
    assert copies(user) == {kupang}  # both registrations, the old and the new
    assert copies(newcomer) == {(None, None, None, Gender.MALE)}
