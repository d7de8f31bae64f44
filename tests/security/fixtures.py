"""A small world for the security tests: two workshops, each with its own organizer, and two
participants of the first one with everything a participant can own (a registration, an attempt
with an answer, a check-in, a certificate). Rows are made with tests/factories.py where it has a
builder, directly with the models otherwise."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from lokalatih.auth.sessions import SESSION_KEY, start_login_session
from lokalatih.models import (
    Answer,
    Attempt,
    Certificate,
    CertificateImage,
    CheckIn,
    CheckInMethod,
    ImageKind,
    OutboxMessage,
    OutboxStatus,
    Question,
    QuestionKind,
    Quiz,
    Quota,
    QuotaKind,
    Registration,
    RegistrationStatus,
    Role,
    User,
    Workshop,
    WorkshopSession,
    WorkshopStatus,
    WorkshopTimezone,
)
from tests import factories

ROLES = ("anonymous", "participant", "organizer", "other_organizer", "reviewer", "admin")


@dataclass
class Owned:
    """What one participant owns in a workshop."""

    user: User
    registration: Registration
    attempt: Attempt
    answer: Answer
    check_in: CheckIn
    certificate: Certificate


@dataclass
class World:
    admin: User
    reviewer: User
    organizer: User
    other_organizer: User
    workshop: Workshop
    other_workshop: Workshop
    session: WorkshopSession
    quiz: Quiz
    question: Question
    quota: Quota
    message: OutboxMessage
    image: CertificateImage
    participant: Owned
    other_participant: Owned

    def user_for(self, role: str) -> User | None:
        if role == "anonymous":
            return None
        if role == "participant":
            return self.participant.user
        return getattr(self, role)


def make_workshop(
    organizer: User,
    status: WorkshopStatus = WorkshopStatus.RUNNING,
    starts_in: timedelta = timedelta(minutes=-10),
) -> Workshop:
    """A workshop with one session starting `starts_in` from now (by default: running now)."""
    start = datetime.now(UTC) + starts_in
    return factories.workshop(
        organizers=[organizer],
        sessions=[(start, start + timedelta(hours=1, minutes=10))],
        session_title="Sesi 1: DUHAM dan pemerintah daerah",
        slug_prefix="keamanan",
        title="Loka Latih Kota Peduli HAM {number}",
        venue="Aula Kantor Wilayah, Makassar",
        timezone=WorkshopTimezone.WITA,
        start_date=start.date(),
        end_date=start.date(),
        status=status,
        created_by_id=organizer.id,
        commit=False,
    )


def own(db, user: User, workshop: Workshop, quiz: Quiz, question: Question) -> Owned:
    """A confirmed registration with an attempt in progress, an answer, a check-in and a
    certificate."""
    now = datetime.now(UTC)
    registration = factories.registration(
        workshop, user, RegistrationStatus.CONFIRMED, stamped=True, commit=False
    )
    attempt = factories.attempt(
        quiz,
        registration,
        started_at=now - timedelta(minutes=5),
        deadline_at=now + timedelta(minutes=15),
        answers={question: ["a"]},
        commit=False,
    )
    answer = attempt.answers[0]
    check_in = CheckIn(
        session_id=workshop.sessions[0].id,
        registration_id=registration.id,
        method=CheckInMethod.CODE,
    )
    certificate = factories.certificate(registration, commit=False)
    db.session.add(check_in)
    db.session.flush()
    return Owned(user, registration, attempt, answer, check_in, certificate)


@pytest.fixture
def world(db, make_user) -> World:
    admin = make_user(role=Role.ADMIN)
    reviewer = make_user(role=Role.REVIEWER)
    organizer = make_user(role=Role.ORGANIZER, complete_profile=True)
    other_organizer = make_user(role=Role.ORGANIZER, complete_profile=True)
    participant = make_user(complete_profile=True)
    other_participant = make_user(complete_profile=True)
    workshop = make_workshop(organizer)
    other_workshop = make_workshop(other_organizer)
    db.session.add_all([workshop, other_workshop])
    db.session.flush()
    question = factories.question(
        text="DUHAM diproklamasikan pada tahun 1948.", kind=QuestionKind.TRUE_FALSE, commit=False
    )
    quiz = factories.quiz(workshop, questions=[question], title="Tes awal", commit=False)
    quota = Quota(workshop_id=workshop.id, kind=QuotaKind.PROVINCE, value="73", seats=5)
    message = OutboxMessage(
        recipient="tujuan@contoh.id",
        subject="Uji",
        body_text="Uji",
        template="notice",
        status=OutboxStatus.DEAD,
    )
    image = CertificateImage(
        workshop_id=workshop.id,
        kind=ImageKind.LOGO,
        slot=1,
        png=b"\x89PNG\r\n\x1a\n",  # the route only serves the stored bytes
        sha256="0" * 64,
        width=16,
        height=16,
    )
    db.session.add_all([quota, message, image])
    db.session.flush()
    world = World(
        admin=admin,
        reviewer=reviewer,
        organizer=organizer,
        other_organizer=other_organizer,
        workshop=workshop,
        other_workshop=other_workshop,
        session=workshop.sessions[0],
        quiz=quiz,
        question=question,
        quota=quota,
        message=message,
        image=image,
        participant=own(db, participant, workshop, quiz, question),
        other_participant=own(db, other_participant, workshop, quiz, question),
    )
    db.session.commit()
    return world


def signed_in_client(app: Flask, user: User | None) -> FlaskClient:
    """A client with a server-side login session for `user` (None: anonymous), no password hash."""
    client = app.test_client()
    if user is not None:
        token = start_login_session(user)
        from lokalatih.extensions import db

        db.session.commit()
        with client.session_transaction() as session:
            session[SESSION_KEY] = token
            session["_user_id"] = str(user.id)
            session["_fresh"] = True
    return client
