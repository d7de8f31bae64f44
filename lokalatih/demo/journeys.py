"""`flask demo load`, part two: one journey ready for each role, built with the real services.

- peserta@ is confirmed in the upcoming demo workshop, whose pre-test is open now;
- a workshop runs today: a session from half an hour ago for some hours, check-in open;
- a completed workshop where peserta@ attended every session, took both tests and holds a
  certificate that verifies;
- an upcoming workshop that needs approval, full, with pending registrants and a waitlist.

Idempotent: each journey is skipped when its workshop (or quiz, or registration) exists.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import sqlalchemy as sa

from ..attendance.services import mark_present
from ..auth.passwords import DEMO_PASSWORD
from ..certificates.services import find_valid_certificate, issue_if_eligible
from ..extensions import db
from ..models import (
    Gender,
    InstitutionType,
    QuizKind,
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
from ..quizzes.attempt_closing import submit_attempt
from ..quizzes.attempts import start_attempt
from ..quizzes.services import QuizSettings, bank_topics, draw_questions, get_quiz, save_settings
from ..registrations.decisions import approve_registration
from ..registrations.services import register_participant
from .accounts import DEMO_WORKSHOP_SLUG, latest_consent, new_demo_user

PARTICIPANT_EMAIL = "peserta@demo.lokalatih.example.org"
TODAY_SLUG = "demo-loka-latih-hari-ini"
DONE_SLUG = "demo-loka-latih-selesai"
APPROVAL_SLUG = "demo-loka-latih-dengan-persetujuan"
APPROVAL_CAPACITY = 3
APPROVAL_REGISTRANTS = 7  # 3 confirmed, 2 waitlisted, 2 pending
APPROVED = 5
QUESTIONS_PER_TOPIC = 2
RNG_SEED = 16


def _user(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def _workshop(slug: str) -> Workshop | None:
    return db.session.scalar(sa.select(Workshop).where(Workshop.slug == slug))


def _settings(title: str) -> QuizSettings:
    return QuizSettings(
        title=title,
        time_limit_minutes=20,
        opens_at=None,
        closes_at=None,
        shuffle_questions=True,
        shuffle_choices=True,
        show_answers_after_close=True,
    )


def _quiz(workshop: Workshop, kind: QuizKind, organizer: User, now: datetime):
    """The workshop's quiz of `kind` with questions drawn from the starter bank."""
    quiz = get_quiz(workshop, kind)
    if quiz is not None:
        return quiz
    title = "Pra-tes" if kind == QuizKind.PRE else "Pasca-tes"
    quiz = save_settings(workshop, kind, _settings(title), organizer, now=now)
    topics = list(bank_topics())
    draw_questions(quiz, topics, QUESTIONS_PER_TOPIC, organizer, rng=random.Random(RNG_SEED))
    return quiz


def _new_workshop(slug: str, title: str, organizer: User, **fields) -> Workshop:
    workshop = Workshop(
        slug=slug,
        title=title,
        summary=fields.pop("summary"),
        partners="Komnas HAM",
        target_audience="Aparatur pemerintah daerah dan aktivis masyarakat sipil.",
        timezone=WorkshopTimezone.WIB,
        created_by_id=organizer.id,
        **fields,
    )
    workshop.organizers.append(organizer)
    db.session.add(workshop)
    return workshop


def _session(workshop: Workshop, position: int, title: str, starts: datetime, hours: int) -> None:
    workshop.sessions.append(
        WorkshopSession(
            position=position,
            title=title,
            speakers="Komnas HAM",
            starts_at=starts,
            ends_at=starts + timedelta(hours=hours),
            place=workshop.venue or "Zoom",
        )
    )


def _dates(workshop: Workshop) -> None:
    zone = workshop.zone
    days = [s.starts_at.astimezone(zone).date() for s in workshop.sessions]
    days += [s.ends_at.astimezone(zone).date() for s in workshop.sessions]
    workshop.start_date, workshop.end_date = min(days), max(days)


def _confirm(workshop: Workshop, user: User, now: datetime) -> Registration:
    registration = Registration(
        workshop=workshop, user=user, status=RegistrationStatus.CONFIRMED, confirmed_at=now
    )
    db.session.add(registration)
    db.session.flush()
    return registration


# --- 1. the upcoming demo workshop: pre-test open now ------------------------------------------


def pre_test_journey(upcoming: Workshop, organizer: User, participant: User) -> None:
    now = utcnow()
    _quiz(upcoming, QuizKind.PRE, organizer, now)
    exists = db.session.scalar(
        sa.select(Registration.id).where(
            Registration.workshop_id == upcoming.id, Registration.user_id == participant.id
        )
    )
    if exists is None:
        register_participant(upcoming, participant, now=now)


# --- 2. a workshop running today, check-in open ------------------------------------------------


def today_journey(organizer: User, participant: User) -> None:
    if _workshop(TODAY_SLUG) is not None:
        return
    now = utcnow()
    workshop = _new_workshop(
        TODAY_SLUG,
        "Loka latih hari ini: HAM dalam pelayanan publik",
        organizer,
        summary="Satu sesi tatap muka hari ini; presensi dengan kode di layar.",
        description="Sesi tatap muka tentang prinsip HAM dalam pelayanan publik di daerah.",
        mode=WorkshopMode.OFFLINE,
        venue="Aula Kantor Wilayah, Jakarta",
        capacity=30,
        status=WorkshopStatus.RUNNING,
    )
    _session(workshop, 0, "HAM dan pelayanan publik", now - timedelta(minutes=30), 5)
    _dates(workshop)
    db.session.flush()
    _confirm(workshop, participant, now)


# --- 3. a completed workshop with a valid certificate ------------------------------------------


def _take(quiz, registration: Registration, now: datetime, right: int) -> None:
    """Answer the first `right` questions of the attempt correctly, the others wrong."""
    attempt = start_attempt(quiz, registration, now=now, rng=random.Random(RNG_SEED))
    if attempt.is_submitted:
        return
    questions = {item.question_id: item.question for item in quiz.items}
    answers = {}
    for index, question_id in enumerate(attempt.question_order):
        question = questions[question_id]
        wrong = [c["key"] for c in question.choices if c["key"] not in question.correct_keys]
        answers[question_id] = (
            list(question.correct_keys) if index < right or not wrong else wrong[:1]
        )
    submit_attempt(attempt, answers, now=now + timedelta(minutes=10))


def completed_journey(organizer: User, participant: User) -> None:
    if _workshop(DONE_SLUG) is not None:
        return
    now = utcnow()
    first = (now - timedelta(days=21)).replace(hour=2, minute=0, second=0, microsecond=0)
    workshop = _new_workshop(
        DONE_SLUG,
        "Loka Latih Dasar-dasar HAM bagi Aparatur Daerah",
        organizer,
        summary="Dua sesi daring yang sudah selesai; sertifikat sudah terbit.",
        description="Dasar-dasar HAM: DUHAM (10 Desember 1948) dan Pasal 28A–28J UUD 1945.",
        mode=WorkshopMode.ONLINE,
        meeting_url="https://meet.example.org/dasar-ham",
        capacity=40,
        status=WorkshopStatus.PUBLISHED,
        training_hours=8,
        signatories=[{"name": "Rina Wulandari", "position": "Penyelenggara"}],
    )
    workshop.registration_opens_at = first - timedelta(days=14)
    _session(workshop, 0, "Dasar-dasar HAM dan kewajiban negara", first, 3)
    _session(workshop, 1, "HAM dalam kebijakan daerah", first + timedelta(days=1), 3)
    _dates(workshop)
    db.session.flush()
    registration = _confirm(workshop, participant, first - timedelta(days=10))
    pre = _quiz(workshop, QuizKind.PRE, organizer, first - timedelta(days=14))
    _take(pre, registration, first - timedelta(days=2), right=len(pre.items) // 2)
    for session in workshop.sessions:
        mark_present(
            session,
            registration,
            organizer,
            "Data demo",
            now=session.starts_at + timedelta(minutes=5),
        )
    post = _quiz(workshop, QuizKind.POST, organizer, first - timedelta(days=14))
    last = workshop.sessions[-1]
    _take(post, registration, last.starts_at + timedelta(hours=4), right=len(post.items))
    workshop.status = WorkshopStatus.COMPLETED
    db.session.flush()
    if find_valid_certificate(registration) is None:
        issue_if_eligible(registration, organizer, now=last.ends_at + timedelta(hours=2))


# --- 4. approval required, full, pending and waitlisted ----------------------------------------

REGISTRANTS = (
    ("Agus Salim", Gender.MALE, InstitutionType.LOCAL_GOVERNMENT, "Dinas Kominfo Kota Padang"),
    ("Ratna Sari", Gender.FEMALE, InstitutionType.CIVIL_SOCIETY, "Yayasan Perempuan Lampung"),
    ("Hendra Gunawan", Gender.MALE, InstitutionType.DPRD, "DPRD Kota Bandung"),
    ("Lina Marlina", Gender.FEMALE, InstitutionType.ACADEMIA, "Universitas Hasanuddin"),
    ("Budi Hartono", Gender.MALE, InstitutionType.LOCAL_GOVERNMENT, "Bappeda Kota Semarang"),
    ("Yuliana Tanak", Gender.FEMALE, InstitutionType.CIVIL_SOCIETY, "LBH Kupang"),
    ("Fajar Nugroho", Gender.MALE, InstitutionType.MINISTRY, "Kanwil Kemenkum Jawa Tengah"),
)


def _registrant(index: int) -> User:
    email = f"pendaftar{index + 1}@demo.lokalatih.example.org"
    user = _user(email)
    if user is not None:
        return user
    name, gender, kind, institution = REGISTRANTS[index]
    profile = {
        "full_name": name,
        "gender": gender,
        "institution_type": kind,
        "institution_name": institution,
        "position": "Staf",
        "phone": f"+62813000000{index:02d}",
        "province_code": "31",
        "regency_code": "31.71",
    }
    return new_demo_user(email, Role.PARTICIPANT, profile, consent=latest_consent())


def approval_journey(organizer: User) -> None:
    if _workshop(APPROVAL_SLUG) is not None:
        return
    now = utcnow()
    first = (now + timedelta(days=30)).replace(hour=2, minute=0, second=0, microsecond=0)
    workshop = _new_workshop(
        APPROVAL_SLUG,
        "Loka Latih Penanganan Pengaduan HAM di Daerah (dengan persetujuan)",
        organizer,
        summary="Kelas kecil: pendaftaran disetujui penyelenggara; ada daftar tunggu.",
        description="Kelas kecil tentang penanganan pengaduan dugaan pelanggaran HAM di daerah.",
        mode=WorkshopMode.OFFLINE,
        venue="Ruang Rapat Kantor Wilayah, Jakarta",
        capacity=APPROVAL_CAPACITY,
        requires_approval=True,
        waitlist_enabled=True,
        status=WorkshopStatus.PUBLISHED,
    )
    _session(workshop, 0, "Menerima dan mencatat pengaduan", first, 3)
    _dates(workshop)
    db.session.flush()
    registrations = [
        register_participant(workshop, _registrant(index), now=now)
        for index in range(APPROVAL_REGISTRANTS)
    ]
    for registration in registrations[:APPROVED]:
        approve_registration(registration, organizer)


def load_demo_journeys() -> None:
    """Every role's journey, once."""
    organizer = _user("penyelenggara@demo.lokalatih.example.org")
    participant = _user(PARTICIPANT_EMAIL)

    upcoming = _workshop(DEMO_WORKSHOP_SLUG)
    if upcoming is not None:
        pre_test_journey(upcoming, organizer, participant)
    today_journey(organizer, participant)
    completed_journey(organizer, participant)
    approval_journey(organizer)
    db.session.flush()


TOUR = """
Demo tour (http://127.0.0.1:5000, password for all: {password})
  Participant  peserta@demo.lokalatih.example.org
    /workshop-saya  three workshops: take the open pre-test of the upcoming one,
    check in to "Loka latih hari ini" at /hadir with the code on the organizer's screen,
    download the certificate of the completed one and open its QR (/verifikasi/<code>).
  Organizer    penyelenggara@demo.lokalatih.example.org
    /kelola/demo-loka-latih-hari-ini  "Layar presensi" shows the check-in code;
    /kelola/demo-loka-latih-dengan-persetujuan/pendaftar  approve or reject pending
    registrants, see the waitlist.
  Reviewer     peninjau@demo.lokalatih.example.org
    /laporan  the dashboard of past workshops.
  Admin        admin@demo.lokalatih.example.org
    /bank-soal  the question bank.
"""


def tour() -> str:
    return TOUR.format(password=DEMO_PASSWORD).strip("\n")
