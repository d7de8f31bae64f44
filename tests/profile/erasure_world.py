"""A world for the erasure tests, made with tests/factories.py, the models and the real services.

One completed workshop (`held`, 2 sessions, topic "ham-dasar") with six confirmed participants
(check-ins, pre- and post-test scores, certificates), and one published workshop (`upcoming`,
one seat) where the person to erase holds the seat and another participant waits. The person to
erase (`target`) has a name, email and phone nobody else has, and they appear in every place
personal data can hide: the profile, a certificate revoked earlier with a reason naming them, a
manual check-in note, a rejected registration's reason, the outbox (to them, sent and pending,
and about them to the organizer) and the audit log (their logins with an IP, details naming them).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from lokalatih.audit import record_event
from lokalatih.auth.sessions import start_login_session
from lokalatih.models import (
    Certificate,
    CheckIn,
    CheckInMethod,
    ConsentPurpose,
    ConsentRecord,
    Gender,
    InstitutionType,
    OutboxMessage,
    OutboxStatus,
    QuestionKind,
    QuizKind,
    Registration,
    RegistrationStatus,
    Role,
    User,
    Workshop,
    WorkshopMode,
    WorkshopStatus,
    WorkshopTopic,
    utcnow,
)
from lokalatih.outbox.services import queue_email
from lokalatih.registrations.notifications import queue_status_email
from tests import factories

TARGET_NAME = "Wahyuni Kartikasari"
TARGET_EMAIL = "wahyuni.kartika@contoh.id"
TARGET_PHONE = "+6281377778888"
TARGET_CODE = "WAHYUNIKARTIKA22"  # their valid certificate's verification code
OTHER_NAMES = ["Budi Hartono", "Citra Lestari", "Dedi Kurniawan", "Eka Putri", "Fajar Nugroho"]
# (pre, post, sessions attended of 2) for the target, then the others in order.
RESULTS = [(40, 80, 2), (50, 50, 2), (60, 90, 1), (20, 60, 2), (100, 100, 0), (50, 40, 2)]


@dataclass
class ErasureWorld:
    organizer: User
    reviewer: User
    admin: User
    target: User
    others: list[User]
    held: Workshop
    upcoming: Workshop
    certificate: Certificate  # the target's valid certificate
    waiting: Registration  # another participant, waitlisted for `upcoming`


def _at(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def make_workshop(db, slug, day, organizer, *, status, sessions=2, capacity=30) -> Workshop:
    workshop = factories.workshop(
        organizers=[organizer],
        sessions=[(_at(day, 2 + 3 * n), _at(day, 4 + 3 * n)) for n in range(sessions)],
        slug=slug,
        title=f"Loka Latih {slug}",
        mode=WorkshopMode.OFFLINE,
        venue="Aula Kantor Gubernur",
        start_date=day,
        end_date=day,
        capacity=capacity,
        status=status,
        commit=False,
    )
    workshop.topics.append(WorkshopTopic(tag="ham-dasar"))
    db.session.flush()
    return workshop


def add_profile(db, user, name, phone, number) -> None:
    db.session.add(
        factories.profile(
            user=user,
            full_name=name,
            gender=Gender.FEMALE if number % 2 == 0 else Gender.MALE,
            institution_type=(
                InstitutionType.LOCAL_GOVERNMENT if number < 3 else InstitutionType.CIVIL_SOCIETY
            ),
            institution_name=f"Dinas Sosial {name.split()[0]}",
            position="Analis Kebijakan",
            phone=phone,
            province_code="31" if number < 4 else "32",
            regency_code="31.74" if number < 4 else "32.73",
        )
    )


def _attempt(db, quiz, registration, question, score) -> None:
    picked = ["a"] if score >= 50 else ["b"]  # one answer: right when the score is at least 50
    factories.attempt(
        quiz, registration, score=float(score), answers={question: picked}, commit=False
    )


def _confirmed(db, workshop, user) -> Registration:
    registration = Registration(
        workshop=workshop, user=user, status=RegistrationStatus.CONFIRMED, confirmed_at=utcnow()
    )
    db.session.add(registration)
    db.session.flush()
    return registration


def _certificate(db, registration, number, code, name, **revoked) -> Certificate:
    return factories.certificate(
        registration, number=number, code=code, name_on_certificate=name, commit=False, **revoked
    )


def build_world(db, make_user, consent_version) -> ErasureWorld:
    organizer = make_user("penyelenggara@contoh.id", role=Role.ORGANIZER)
    reviewer = make_user("peninjau@contoh.id", role=Role.REVIEWER)
    admin = make_user("admin@contoh.id", role=Role.ADMIN)
    target = make_user(TARGET_EMAIL)
    add_profile(db, target, TARGET_NAME, TARGET_PHONE, 0)
    others = []
    for number, name in enumerate(OTHER_NAMES, start=1):
        user = make_user(f"peserta.{number}@contoh.id")
        add_profile(db, user, name, f"+62812000000{number:02d}", number)
        others.append(user)
    held = make_workshop(db, "ham-dasar-palu", date(2026, 3, 10), organizer,
                         status=WorkshopStatus.COMPLETED)  # fmt: skip
    question = factories.question(
        topic="Dasar HAM",
        text="HAM bersifat universal.",
        kind=QuestionKind.TRUE_FALSE,
        commit=False,
    )
    quizzes = {kind: factories.quiz(held, kind=kind, commit=False) for kind in QuizKind}
    certificate = None
    for index, (user, (pre, post, attended)) in enumerate(
        zip([target, *others], RESULTS, strict=True)
    ):
        registration = _confirmed(db, held, user)
        for session in held.sessions[:attended]:
            note = f"Dicatat manual: {TARGET_NAME} lupa ponsel" if user is target else None
            db.session.add(
                CheckIn(
                    session=session,
                    registration=registration,
                    method=CheckInMethod.MANUAL,
                    note=note,
                    recorded_by_id=organizer.id,
                )
            )
        _attempt(db, quizzes[QuizKind.PRE], registration, question, pre)
        _attempt(db, quizzes[QuizKind.POST], registration, question, post)
        if user is target:
            old = _certificate(
                db, registration, "LL/2026/0001/00001", "LAMAWAHYUNI22222", "Wahyuni K.",
                revoked_at=utcnow(), revoke_reason=f"Nama salah, seharusnya {TARGET_NAME}",
            )  # fmt: skip
            record_event(
                "certificate_revoked",
                actor=organizer,
                target=old,
                details={"number": old.number, "reason": old.revoke_reason},
                ip="10.0.0.9",
            )
            certificate = _certificate(
                db, registration, "LL/2026/0001/00002", TARGET_CODE, TARGET_NAME
            )
            queue_status_email(registration)  # "confirmed", with their name, sent long ago
        elif index < 4:
            _certificate(db, registration, f"LL/2026/0001/1000{index}", f"KODELAIN{index}AAAAAAA",
                         OTHER_NAMES[index - 1])  # fmt: skip
    # A workshop they were rejected from, with a reason that quotes their phone.
    rejected_from = make_workshop(db, "ham-lanjutan", date(2026, 4, 2), organizer,
                                  status=WorkshopStatus.COMPLETED)  # fmt: skip
    rejected = Registration(
        workshop=rejected_from,
        user=target,
        status=RegistrationStatus.REJECTED,
        decision_reason=f"Tidak dapat dihubungi di {TARGET_PHONE}",
    )
    db.session.add(rejected)
    db.session.flush()
    record_event(
        "registration_rejected",
        actor=organizer,
        target=rejected,
        details={"reason": rejected.decision_reason},
        ip="10.0.0.9",
    )
    # The upcoming workshop: the target holds the only seat, another participant waits.
    upcoming = make_workshop(db, "ham-dan-disabilitas", date.today() + timedelta(days=30),
                             organizer, status=WorkshopStatus.PUBLISHED, capacity=1)  # fmt: skip
    _confirmed(db, upcoming, target)
    waiting = Registration(
        workshop=upcoming,
        user=others[0],
        status=RegistrationStatus.WAITLISTED,
        waitlisted_at=utcnow(),
    )
    db.session.add(waiting)
    # Consent, a login session, audit entries by and about them, mail to and about them.
    for purpose in ConsentPurpose:
        db.session.add(
            ConsentRecord(user_id=target.id, version_id=consent_version.id, purpose=purpose)
        )
    start_login_session(target)
    record_event("login", actor=target, target=target, ip="203.0.113.7")
    record_event("login_failed", target=target, details={"reason": "wrong_password"},
                 ip="203.0.113.7")  # fmt: skip
    record_event("profile_updated", actor=target, target=target.profile,
                 details={"fields": ["full_name", "phone"]}, ip="203.0.113.7")  # fmt: skip
    record_event("user_looked_up", actor=admin, details={"query": TARGET_EMAIL.upper()})
    queue_email("notice", target, subject="Pengingat", heading="Halo", paragraphs=["Sampai jumpa"])
    db.session.add_all(
        [
            OutboxMessage(
                recipient=TARGET_EMAIL,
                subject=f"Sertifikat untuk {TARGET_NAME}",
                body_text="...",
                template="certificate_issued",
                status=OutboxStatus.DEAD,
                last_error=f"550 mailbox {TARGET_EMAIL} full",
            ),
            OutboxMessage(
                recipient=organizer.email,
                subject="Pertanyaan peserta",
                body_text=f"Peserta {TARGET_EMAIL} ({TARGET_PHONE}) bertanya tentang jadwal.",
                template="notice",
                status=OutboxStatus.SENT,
            ),
        ]
    )
    db.session.commit()
    return ErasureWorld(
        organizer, reviewer, admin, target, others, held, upcoming, certificate, waiting
    )


def text_columns(metadata):
    """Every column that can hold text: strings, text, enums and JSON."""
    for table in metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, sa.String | sa.Text | sa.JSON):
                yield table, column


def find_text(db, value: str) -> list[str]:
    """`table.column` of every text column of every table where `value` occurs (any case)."""
    found = []
    for table, column in text_columns(db.metadata):
        hits = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(table)
            .where(sa.func.lower(sa.cast(column, sa.Text)).contains(value.lower(), autoescape=True))
        )
        if hits:
            found.append(f"{table.name}.{column.name}")
    return found
