"""The large demo generator, run at a small size."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from babel.dates import format_date

from lokalatih.certificates.documents import certificate_pdf
from lokalatih.demo.large import load_large_demo
from lokalatih.demo.large_quizzes import QUESTIONS_PER_QUIZ
from lokalatih.models import (
    Answer,
    Attempt,
    Certificate,
    CheckIn,
    Profile,
    Quiz,
    Registration,
    RegistrationStatus,
    Role,
    User,
    Workshop,
    WorkshopSession,
    WorkshopStatus,
)
from lokalatih.reports import figures
from lokalatih.reports.figures import Filters
from tests.certificates.verifying import (
    assert_issued_just_after_the_workshop,
    assert_verifies,
    decode_qr,
    last_session_day,
    pdf_text_lines,
)


def _count(db, model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


def _participant_profiles(db) -> int:
    """Profiles of participants (the generated organizers have one too, for the certificate)."""
    participants = sa.select(User.id).where(User.role == Role.PARTICIPANT)
    return _count(db, Profile, Profile.user_id.in_(participants))


def test_small_large_demo_writes_consistent_data_and_reports_progress(db, make_user):
    messages = []

    counts = load_large_demo(workshops=3, participants=200, progress=messages.append)

    assert _count(db, Workshop) == 3
    assert _participant_profiles(db) == 200
    assert _count(db, Registration) == counts["registrations"] == 200
    assert _count(db, Answer) == counts["answers"] > 0
    assert _count(db, Answer) == QUESTIONS_PER_QUIZ * _count(db, Attempt)
    assert _count(db, CheckIn) == counts["checkins"]
    assert _count(db, Certificate) == counts["certificates"]
    assert messages and messages[-1] == "Selesai."
    # Check-ins and attempts belong to confirmed registrations of held workshops only.
    held = sa.select(Workshop.id).where(Workshop.status.in_(figures.HELD_STATUSES))
    confirmed = sa.select(Registration.id).where(
        Registration.status == RegistrationStatus.CONFIRMED, Registration.workshop_id.in_(held)
    )
    assert _count(db, CheckIn, CheckIn.registration_id.not_in(confirmed)) == 0
    assert _count(db, Attempt, Attempt.registration_id.not_in(confirmed)) == 0
    # No one checked in to a session of another workshop.
    mismatched = (
        sa.select(sa.func.count())
        .select_from(CheckIn)
        .join(WorkshopSession, WorkshopSession.id == CheckIn.session_id)
        .join(Registration, Registration.id == CheckIn.registration_id)
        .where(WorkshopSession.workshop_id != Registration.workshop_id)
    )
    assert db.session.scalar(mismatched) == 0
    assert _count(db, Quiz) == 2 * _count(db, Workshop, Workshop.status.in_(figures.HELD_STATUSES))


def test_large_demo_gives_the_dashboard_plausible_figures(db, make_user):
    load_large_demo(workshops=4, participants=300)
    reviewer = make_user(role=Role.REVIEWER)

    h = figures.headline(Filters(), reviewer)

    assert db.session.scalar(sa.select(sa.func.count(sa.distinct(Profile.province_code)))) == 38
    assert h.provinces >= 30
    assert h.pairs > 0
    assert h.mean_post > h.mean_pre
    assert 0 < h.mean_gain < 1
    assert 0 < h.attendance_rate <= 100


def test_large_demo_runs_twice_without_clashing(db):
    load_large_demo(workshops=2, participants=50)
    load_large_demo(workshops=2, participants=50)

    assert _participant_profiles(db) == 100
    assert _count(db, Workshop, Workshop.status != WorkshopStatus.DRAFT) == 4


def test_every_large_demo_certificate_verifies_like_a_real_one(db, client, clock):
    load_large_demo(workshops=4, participants=300)
    certificates = db.session.scalars(sa.select(Certificate).order_by(Certificate.id)).all()

    assert certificates
    for certificate in certificates:
        assert_verifies(client, certificate)
        assert_issued_just_after_the_workshop(certificate)
    # Numbered as the service numbers them: per workshop and year of issue, from 1.
    by_workshop: dict[int, list[Certificate]] = {}
    for certificate in certificates:
        by_workshop.setdefault(certificate.registration.workshop_id, []).append(certificate)
    for workshop_id, issued in by_workshop.items():
        year = issued[0].issued_at.astimezone(issued[0].registration.workshop.zone).year
        expected = [f"LL/{year}/{workshop_id:04d}/{n:05d}" for n in range(1, len(issued) + 1)]
        assert sorted(c.number for c in issued) == expected
    # What the PDF says, for one: the holder, the organizer, a signatory, the day after the event.
    sample = certificates[0]
    [url] = decode_qr(certificate_pdf(sample))
    assert_verifies(client, sample, url.removeprefix("http://localhost"))
    text = " ".join(pdf_text_lines(sample))
    assert sample.registration.user.profile.full_name in text
    assert "Peserta demo" not in text
    assert "Diselenggarakan oleh " in text
    assert sample.registration.workshop.signatories[0]["name"] in text
    assert format_date(last_session_day(sample), "d MMMM y", locale="id") in text


def test_large_demo_statuses_fit_the_dates_as_of_today(db, clock):
    """The history's dates are fixed (2025-2026); a workshop whose days have passed must not read
    'Pendaftaran dibuka' or 'Berlangsung' in the back office."""
    clock.set(datetime(2026, 12, 31, 17, 30, tzinfo=UTC))  # already 1 January in WIB
    load_large_demo(workshops=40, participants=200)
    today = clock.now().date()
    last_day = (
        sa.select(WorkshopSession.workshop_id, sa.func.max(WorkshopSession.ends_at).label("ends"))
        .group_by(WorkshopSession.workshop_id)
        .subquery()
    )
    rows = db.session.execute(
        sa.select(Workshop.status, Workshop.start_date, last_day.c.ends).join(
            last_day, last_day.c.workshop_id == Workshop.id
        )
    ).all()

    published = [start for status, start, _ in rows if status == WorkshopStatus.PUBLISHED]
    assert published, "the history keeps some workshops open for registration"
    assert all(start > today for start in published)
    assert not [
        ends for status, _, ends in rows if status == WorkshopStatus.RUNNING and ends.date() < today
    ]
    # What is open for registration has no check-ins: it has not taken place.
    open_ids = sa.select(Workshop.id).where(Workshop.status == WorkshopStatus.PUBLISHED)
    assert not _count(
        db,
        CheckIn,
        CheckIn.session_id.in_(
            sa.select(WorkshopSession.id).where(WorkshopSession.workshop_id.in_(open_ids))
        ),
    )
