"""Builders for test data: users, profiles, workshops with their sessions, registrations, bank
questions, quizzes, attempts and certificates.

Every fixture that makes one of these is a thin wrapper that picks its feature's defaults and
calls a builder here, so a new column needs one change, not one per test folder. Builders add to
the session and commit (pass `commit=False` to keep building in the same transaction).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta

from lokalatih.certificates.services import (
    certificate_number,
    new_code,
    number_year,
    printed_name,
)
from lokalatih.extensions import db
from lokalatih.models import (
    Answer,
    Attempt,
    AttemptClosedBy,
    Certificate,
    Gender,
    InstitutionType,
    Profile,
    Question,
    QuestionKind,
    Quiz,
    QuizKind,
    QuizQuestion,
    Registration,
    RegistrationStatus,
    Role,
    User,
    Workshop,
    WorkshopMode,
    WorkshopSession,
    WorkshopStatus,
    WorkshopTimezone,
    utcnow,
)
from lokalatih.quizzes.theme_scores import record_theme_scores
from lokalatih.quizzes.topic_scores import record_topic_scores
from tests.support import PASSWORD, password_hash

_numbers = itertools.count(1)

# A complete profile: what registering asks for (name, gender, institution, position, phone,
# province and kabupaten/kota).
COMPLETE_PROFILE = {
    "full_name": "Siti Rahmawati",
    "gender": Gender.FEMALE,
    "institution_type": InstitutionType.LOCAL_GOVERNMENT,
    "institution_name": "Dinas Sosial",
    "position": "Analis Kebijakan",
    "phone": "+6281234567890",
    "province_code": "31",
    "regency_code": "31.74",
}


def next_number() -> int:
    """A number no other built object of this run has (for unique emails and slugs)."""
    return next(_numbers)


def profile(*, complete: bool = True, **fields) -> Profile:
    """A profile (not yet added): complete unless `complete=False`; `fields` override."""
    values = dict(COMPLETE_PROFILE) if complete else {}
    values.update(fields)
    return Profile(**values)


def user(
    email: str | None = None,
    *,
    password: str = PASSWORD,
    role: Role = Role.PARTICIPANT,
    verified: bool = True,
    locale: str = "id",
    profile: Profile | None = None,
    commit: bool = True,
) -> User:
    """A user who can log in with `password`, with `profile` if one is given."""
    person = User(
        email=email or f"peserta{next_number()}@contoh.id",
        password_hash=password_hash(password),
        role=role,
        locale=locale,
        email_verified_at=utcnow() if verified else None,
    )
    if profile is not None:
        person.profile = profile
    db.session.add(person)
    _finish(commit)
    return person


def workshop(
    *,
    organizers: Iterable[User] = (),
    sessions: Sequence[tuple[datetime, datetime] | tuple[datetime, datetime, dict]] = (),
    slug_prefix: str = "loka-latih",
    slug: str | None = None,
    title: str | None = None,
    timezone: WorkshopTimezone = WorkshopTimezone.WIB,
    mode: WorkshopMode = WorkshopMode.HYBRID,
    status: WorkshopStatus = WorkshopStatus.PUBLISHED,
    capacity: int = 30,
    session_title: str = "Sesi {number}",
    speakers: str | None = None,
    first_position: int = 0,
    commit: bool = True,
    **fields,
) -> Workshop:
    """A workshop with one session per (start, end[, other session fields]), each titled
    `session_title` (numbered from 1). `title` may hold `{number}`, the workshop's unique number.
    Its dates are the sessions' first and last day in its zone unless `fields` give them."""
    number = next_number()
    zone = timezone.zone
    if sessions:
        fields.setdefault("start_date", min(one[0].astimezone(zone).date() for one in sessions))
        fields.setdefault("end_date", max(one[1].astimezone(zone).date() for one in sessions))
    built = Workshop(
        slug=slug or f"{slug_prefix}-{number}",
        title=(title or "Loka Latih Kabupaten/Kota Peduli HAM {number}").replace(
            "{number}", str(number)
        ),
        mode=mode,
        timezone=timezone,
        status=status,
        capacity=capacity,
        **fields,
    )
    built.organizers.extend(organizers)
    for index, (starts_at, ends_at, *extra) in enumerate(sessions):
        values = {
            "position": first_position + index,
            "title": session_title.format(number=index + 1),
            "speakers": speakers,
        }
        values.update(*extra)
        built.sessions.append(WorkshopSession(starts_at=starts_at, ends_at=ends_at, **values))
    db.session.add(built)
    _finish(commit)
    return built


def registration(
    workshop: Workshop,
    person: User,
    status: RegistrationStatus = RegistrationStatus.CONFIRMED,
    *,
    stamped: bool = False,
    commit: bool = True,
) -> Registration:
    """`person` registered in `workshop`; `stamped` also sets the moment of its status."""
    registered = Registration(workshop=workshop, user=person, status=status)
    if stamped and status == RegistrationStatus.CONFIRMED:
        registered.confirmed_at = utcnow()
    if stamped and status == RegistrationStatus.WAITLISTED:
        registered.waitlisted_at = utcnow()
    db.session.add(registered)
    _finish(commit)
    return registered


TRUE_FALSE_CHOICES = [{"key": "a", "text": "Benar"}, {"key": "b", "text": "Salah"}]


def question(
    *,
    topic: str = "DUHAM",
    kind: QuestionKind = QuestionKind.SINGLE,
    text: str | None = None,
    choices: list[dict] | None = None,
    correct: Sequence[str] = ("a",),
    commit: bool = True,
    **fields,
) -> Question:
    """A bank question on `topic` whose right answer is `correct`. Its choices are a–d, or a =
    Benar and b = Salah for a true/false one, unless `choices` are given; its text is unique
    unless `text` is given (the bank holds each text once)."""
    number = next_number()
    if choices is None and kind == QuestionKind.TRUE_FALSE:
        choices = TRUE_FALSE_CHOICES
    if choices is None:
        choices = [{"key": key, "text": f"Pilihan {key} soal {number}"} for key in "abcd"]
    built = Question(
        topic=topic,
        text=text or f"Soal nomor {number} tentang {topic}?",
        kind=kind,
        choices=[dict(choice) for choice in choices],
        correct_keys=list(correct),
        **fields,
    )
    db.session.add(built)
    _finish(commit)
    return built


def quiz(
    workshop: Workshop,
    *,
    kind: QuizKind = QuizKind.PRE,
    questions: Sequence[Question] = (),
    commit: bool = True,
    **fields,
) -> Quiz:
    """`workshop`'s pre-test (or post-test, by `kind`) holding `questions` in that order. `fields`
    set its title, window, time limit and shuffling; the model's defaults apply otherwise."""
    built = Quiz(workshop=workshop, kind=kind, **fields)
    built.items = [
        QuizQuestion(question=one, position=position) for position, one in enumerate(questions)
    ]
    db.session.add(built)
    _finish(commit)
    return built


def attempt(
    quiz: Quiz,
    registration: Registration,
    *,
    score: float | None = None,
    started_at: datetime | None = None,
    submitted_at: datetime | None = None,
    answers: Mapping[Question, Sequence[str]] | None = None,
    commit: bool = True,
    **fields,
) -> Attempt:
    """`registration`'s attempt at `quiz`, started at `started_at` (now by default) with the
    quiz's time limit: submitted by the participant with `score` (at `submitted_at`, by default
    the moment it started), or still in progress when `score` is None.

    The questions come in the quiz's order and their choices in stored order, followed by any
    answered question the quiz does not hold. `answers` maps a question to the keys picked;
    a submitted attempt marks each answer right or wrong and has the topic and theme counts that
    scoring writes. The score is taken as given, not computed from the answers.
    """
    answers = dict(answers or {})
    db.session.flush()  # the questions' ids
    shown = [item.question for item in quiz.items]
    shown += [one for one in answers if one not in shown]
    started_at = started_at or utcnow()
    submitted = score is not None
    fields.setdefault("deadline_at", started_at + timedelta(minutes=quiz.time_limit_minutes or 20))
    built = Attempt(
        quiz=quiz,
        registration=registration,
        started_at=started_at,
        submitted_at=(submitted_at or started_at) if submitted else None,
        closed_by=AttemptClosedBy.PARTICIPANT if submitted else None,
        score=score,
        question_order=[one.id for one in shown],
        choice_order={str(one.id): [choice["key"] for choice in one.choices] for one in shown},
        **fields,
    )
    marks = [(one, sorted(keys) == sorted(one.correct_keys)) for one, keys in answers.items()]
    for one, right in marks:
        built.answers.append(
            Answer(
                question_id=one.id,
                selected_keys=list(answers[one]),
                is_correct=right if submitted else None,
            )
        )
    db.session.add(built)
    db.session.flush()
    if submitted:
        record_topic_scores(built, [(one.topic, right) for one, right in marks])
        record_theme_scores(built)
    _finish(commit)
    return built


def certificate(
    registration: Registration,
    *,
    revoked_at: datetime | None = None,
    commit: bool = True,
    **fields,
) -> Certificate:
    """A certificate issued to `registration`, written as a row (no audit entry, no eligibility
    check): a number of the real shape, a fresh code and the holder's name as printed.
    `revoked_at` withdraws it; `fields` override the rest (number, code, name_on_certificate,
    issued_at, revoke_reason, attested...)."""
    db.session.flush()  # the registration's id
    issued_at = fields.pop("issued_at", None) or utcnow()
    profile = registration.user.profile
    name = printed_name(profile.full_name) if profile and profile.full_name else "Peserta"
    year = number_year(issued_at, registration.workshop.zone)  # the year in the workshop's zone
    fields.setdefault("number", certificate_number(registration.workshop_id, year, next_number()))
    fields.setdefault("code", new_code())
    fields.setdefault("name_on_certificate", name)
    built = Certificate(
        registration=registration, issued_at=issued_at, revoked_at=revoked_at, **fields
    )
    db.session.add(built)
    _finish(commit)
    return built


def _finish(commit: bool) -> None:
    if commit:
        db.session.commit()
    else:
        db.session.flush()
