"""Seed the benchmark database (lokalatih_bench) and write the participants' cookies to a file.

Participants, their profiles, consent and *login sessions* are written straight into the database,
and each one's signed session cookie is made here with the application's own session serializer.
Logging 3,000 people in through the login form would spend most of the benchmark in scrypt (it is
slow on purpose) and would hit the login rate limit; the scenarios measure registering, the
post-test and check-in, not password hashing (docs/PERFORMANCE.md).

Run with the same environment as the server: LOKALATIH_CONFIG=production, SECRET_KEY, DATABASE_URL.
    python bench/load/seed.py STATE.json
"""

from __future__ import annotations

import hashlib
import json
import secrets
import sys
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa

from lokalatih import create_app
from lokalatih.auth import totp
from lokalatih.extensions import db
from lokalatih.models import (
    ConsentPurpose,
    ConsentRecord,
    ConsentVersion,
    Gender,
    InstitutionType,
    LoginSession,
    Profile,
    Question,
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
    WorkshopTopic,
    utcnow,
)
from lokalatih.quizzes.bank_io import load_starter_bank

CLASS_SIZE = 1000  # post-test and check-in participants (confirmed in the class workshop)
RACE_SIZE = 2000  # registration race participants
RACE_SEATS = 300
CATALOGUE_WORKSHOPS = 24
QUIZ_QUESTIONS = 20
# Not a usable password hash: nobody logs in with a password during the benchmark.
NO_PASSWORD = "bench:no-password"  # noqa: S105
PROVINCE, REGENCY = "33", "33.74"  # Jawa Tengah, Kota Semarang
TOPICS = ("duham", "hak sipil politik", "hak ekosob", "bisnis dan ham", "human rights cities")


def _workshop(slug: str, title: str, organizer: User, **values) -> Workshop:
    first_day = values.pop("start_date", date.today() + timedelta(days=30))
    workshop = Workshop(
        slug=slug,
        title=title,
        summary="Loka latih HAM untuk aparatur pemerintah daerah dan masyarakat sipil.",
        description="## Tujuan\n\nMemahami kewajiban negara dalam HAM.\n\n" * 3,
        partners="Komnas HAM, INFID",
        target_audience="OPD, DPRD, organisasi masyarakat sipil",
        mode=WorkshopMode.OFFLINE,
        venue="Aula Kantor Wilayah",
        province_code=PROVINCE,
        timezone=WorkshopTimezone.WIB,
        start_date=first_day,
        end_date=first_day + timedelta(days=1),
        status=WorkshopStatus.PUBLISHED,
        created_by_id=organizer.id,
        **values,
    )
    workshop.organizers.append(organizer)
    workshop.topics = [WorkshopTopic(tag=tag) for tag in TOPICS[:3]]
    for position in range(3):
        starts = datetime.combine(first_day, time(9 + 2 * position), tzinfo=workshop.zone)
        workshop.sessions.append(
            WorkshopSession(
                position=position,
                title=f"Sesi {position + 1}: hak asasi manusia dan pemerintah daerah",
                speakers="Komnas HAM",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                place="Ruang 1",
            )
        )
    db.session.add(workshop)
    return workshop


def _participant(app, prefix: str, number: int, consent: ConsentVersion) -> tuple[User, str]:
    user = User(
        email=f"{prefix}{number:05d}@bench.lokalatih.example.org",
        password_hash=NO_PASSWORD,
        role=Role.PARTICIPANT,
        email_verified_at=utcnow(),
    )
    user.profile = Profile(
        full_name=f"Peserta {prefix.upper()} {number}",
        gender=Gender.FEMALE if number % 2 else Gender.MALE,
        institution_type=list(InstitutionType)[number % len(InstitutionType)],
        institution_name="Dinas Sosial",
        position="Staf",
        phone=f"+62812{number:08d}",
        province_code=PROVINCE,
        regency_code=REGENCY,
    )
    db.session.add(user)
    token = secrets.token_urlsafe(32)
    db.session.add(LoginSession(user=user, token_hash=hashlib.sha256(token.encode()).hexdigest()))
    return user, token


def _consent(people: list[tuple[User, str]], consent: ConsentVersion) -> None:
    db.session.flush()  # one flush for all users: their ids, then their consent in one batch
    for user, _token in people:
        for purpose in ConsentPurpose:
            db.session.add(ConsentRecord(user_id=user.id, version=consent, purpose=purpose))


def _cookie(serializer, user: User, token: str) -> str:
    # What the login view leaves in the session (auth/routes.py: _start_session).
    return serializer.dumps({"_user_id": str(user.id), "_fresh": False, "sid": token})


def seed(state_path: str) -> None:
    app = create_app()
    serializer = app.session_interface.get_signing_serializer(app)
    with app.app_context():
        consent = db.session.scalar(
            sa.select(ConsentVersion).order_by(ConsentVersion.version.desc())
        )
        load_starter_bank()
        organizer = User(
            email="organizer@bench.lokalatih.example.org",
            password_hash=NO_PASSWORD,
            role=Role.ORGANIZER,
            email_verified_at=utcnow(),
        )
        db.session.add(organizer)
        db.session.flush()
        # Production requires two-factor sign-in for staff; the seeded session stands for one that
        # passed it, so the organizer is given a second factor rather than sent to set one up.
        organizer.totp_secret = totp.seal(
            totp.new_secret(), organizer.id, app.config["TWO_FACTOR_KEYS"][0]
        )
        organizer.totp_enabled_at = utcnow()
        org_token = secrets.token_urlsafe(32)
        db.session.add(
            LoginSession(user=organizer, token_hash=hashlib.sha256(org_token.encode()).hexdigest())
        )
        db.session.flush()

        for index in range(CATALOGUE_WORKSHOPS):
            _workshop(
                f"katalog-{index:02d}",
                f"Loka latih HAM angkatan {index + 1}",
                organizer,
                capacity=40,
                start_date=date.today() + timedelta(days=10 + index),
            )

        # The class: running today, a session open for check-in, the post-test open.
        now = utcnow()
        today = date.today()
        klass = _workshop(
            "bench-kelas",
            "Loka latih HAM kelas uji beban",
            organizer,
            capacity=CLASS_SIZE,
            start_date=today,
        )
        db.session.flush()
        checkin_session = klass.sessions[0]
        checkin_session.starts_at = now - timedelta(minutes=10)
        checkin_session.ends_at = now + timedelta(hours=3)
        quiz = Quiz(
            workshop_id=klass.id,
            kind=QuizKind.POST,
            title="Post-test",
            time_limit_minutes=30,
            opens_at=now - timedelta(hours=1),
            closes_at=now + timedelta(days=1),
        )
        questions = db.session.scalars(
            sa.select(Question).order_by(Question.id).limit(QUIZ_QUESTIONS)
        ).all()
        quiz.items = [QuizQuestion(question_id=q.id, position=i) for i, q in enumerate(questions)]
        db.session.add(quiz)

        race = _workshop(
            "bench-pendaftaran",
            "Loka latih HAM perebutan kursi",
            organizer,
            capacity=RACE_SEATS,
            waitlist_enabled=True,
        )

        class_people = [_participant(app, "k", n, consent) for n in range(1, CLASS_SIZE + 1)]
        _consent(class_people, consent)
        for user, _token in class_people:
            db.session.add(
                Registration(
                    workshop_id=klass.id,
                    user_id=user.id,
                    status=RegistrationStatus.CONFIRMED,
                    confirmed_at=now,
                )
            )
        race_people = [_participant(app, "r", n, consent) for n in range(1, RACE_SIZE + 1)]
        _consent(race_people, consent)
        db.session.commit()

        state = {
            "organizer_cookie": _cookie(serializer, organizer, org_token),
            "class_slug": klass.slug,
            "race_slug": race.slug,
            "race_seats": RACE_SEATS,
            "quiz_id": quiz.id,
            "checkin_session_id": checkin_session.id,
            "class": [_cookie(serializer, u, t) for u, t in class_people],
            "race": [_cookie(serializer, u, t) for u, t in race_people],
            "catalogue_slugs": [f"katalog-{i:02d}" for i in range(CATALOGUE_WORKSHOPS)],
        }
    with open(state_path, "w") as handle:
        json.dump(state, handle)
    print(
        f"seeded: {CLASS_SIZE} class participants, {RACE_SIZE} race participants, "
        f"{CATALOGUE_WORKSHOPS + 2} workshops -> {state_path}"
    )


if __name__ == "__main__":
    seed(sys.argv[1])
