"""What the dashboard counts: held workshops only, and of those only the sessions that have started.

The world, relative to the test's clock: a running workshop with two sessions past and one
tomorrow (P1-P5 confirmed), an upcoming published one (P1-P6 confirmed, P6 already wrote its
pre-test), a published one whose date passed without it being run, a cancelled one and a draft
(P6 confirmed in each). Only the running workshop is held.
"""

# The plain SQL below is assembled from this file's own constants, never from input.
# ruff: noqa: S608

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

import openpyxl
import pytest
import sqlalchemy as sa

from lokalatih.models import (
    CheckIn,
    CheckInMethod,
    Gender,
    InstitutionType,
    Quiz,
    QuizKind,
    Registration,
    RegistrationStatus,
    Role,
    UTCDateTime,
    Workshop,
    WorkshopMode,
    WorkshopStatus,
    utcnow,
)
from lokalatih.quizzes.topic_scores import record_topic_scores
from lokalatih.reports import figures, services
from lokalatih.reports.figures import Filters
from tests import factories

TOPIC = "Dasar HAM"


@dataclass
class World:
    held: Workshop
    upcoming: Workshop
    reviewer: object
    now: datetime


def _workshop(db, slug, status, starts: list[datetime]) -> Workshop:
    first = starts[0]
    return factories.workshop(
        sessions=[(begins, begins + timedelta(hours=2)) for begins in starts],
        slug=slug,
        title=f"Loka Latih {slug}",
        mode=WorkshopMode.OFFLINE,
        venue="Aula",
        start_date=first.date(),
        end_date=max(starts).date(),
        status=status,
        commit=False,
    )


def _register(db, workshop, user, scores=(None, None)) -> Registration:
    registration = Registration(
        workshop=workshop, user=user, status=RegistrationStatus.CONFIRMED, confirmed_at=utcnow()
    )
    db.session.add(registration)
    db.session.flush()
    for kind, score in zip((QuizKind.PRE, QuizKind.POST), scores, strict=True):
        if score is None:
            continue
        quiz = db.session.scalar(
            sa.select(Quiz).where(Quiz.workshop_id == workshop.id, Quiz.kind == kind)
        )
        if quiz is None:
            quiz = factories.quiz(workshop, kind=kind, commit=False)
        attempt = factories.attempt(quiz, registration, score=float(score), commit=False)
        record_topic_scores(attempt, [(TOPIC, score >= 50)])  # what scoring writes
    return registration


def _check_in(db, session, registration) -> None:
    db.session.add(CheckIn(session=session, registration=registration, method=CheckInMethod.MANUAL))


@pytest.fixture
def world(db, make_user, clock) -> World:
    now = clock.now()
    day = timedelta(days=1)
    reviewer = make_user("peninjau@cakupan.contoh.id", role=Role.REVIEWER)
    people = {}
    for number in range(1, 7):
        user = make_user(f"peserta{number}@cakupan.contoh.id")
        db.session.add(
            factories.profile(
                user=user,
                full_name=f"Peserta Cakupan{number}",
                gender=Gender.FEMALE if number % 2 else Gender.MALE,
                institution_type=InstitutionType.LOCAL_GOVERNMENT,
                institution_name="Instansi",
                position="Staf",
                phone="+6281299990000",
                # P6 lives elsewhere: a second province would show if P6 were counted.
                province_code="31" if number <= 5 else "32",
                regency_code="31.71" if number <= 5 else "32.73",
            )
        )
        people[number] = user
    held = _workshop(
        db, "berlangsung", WorkshopStatus.RUNNING, [now - 2 * day, now - day, now + day]
    )
    upcoming = _workshop(db, "akan-datang", WorkshopStatus.PUBLISHED, [now + 7 * day])
    lapsed = _workshop(db, "tak-dijalankan", WorkshopStatus.PUBLISHED, [now - 30 * day])
    cancelled = _workshop(db, "dibatalkan", WorkshopStatus.CANCELLED, [now - 3 * day])
    draft = _workshop(db, "draf", WorkshopStatus.DRAFT, [now - 5 * day])

    first, second, third = held.sessions
    for number in range(1, 6):
        registration = _register(db, held, people[number], (40 + number, 60 + 5 * number))
        _check_in(db, first, registration)
        if number <= 3:
            _check_in(db, second, registration)
        if number == 1:
            _check_in(db, third, registration)  # early, by hand: not counted until it starts
            factories.certificate(registration, commit=False)
        _register(db, upcoming, people[number])
    _register(db, upcoming, people[6], (30, None))
    for workshop in (lapsed, cancelled, draft):
        registration = _register(db, workshop, people[6])
        _check_in(db, workshop.sessions[0], registration)
        factories.certificate(registration, commit=False)
    db.session.commit()
    return World(held, upcoming, reviewer, now)


def test_only_the_held_workshop_and_its_started_sessions_count(world):
    h = figures.headline(Filters(), world.reviewer)

    assert h.workshops_held == 1
    assert h.participants == 5
    assert h.registrations["confirmed"] == 5
    assert (h.provinces, h.regencies) == (1, 1)
    # Two sessions have started: 5 + 3 check-ins of 5 x 2; P1's check-in for tomorrow waits.
    assert (h.checkins, h.expected_checkins) == (8, 10)
    assert h.attendance_rate == pytest.approx(80.0)
    assert h.certificates == 1
    assert h.pairs == 5
    assert h.mean_pre == pytest.approx(43.0)
    assert h.mean_post == pytest.approx(75.0)


def test_breakdowns_topics_and_participant_table_count_only_the_held_workshop(world):
    report = services.build_report(Filters(), world.reviewer)

    assert [(row.code, row.participants) for row in report.provinces] == [("31", 5)]
    assert report.provinces[0].attendance_rate == pytest.approx(80.0)
    assert [(row.code, row.participants) for row in report.institution_types] == [
        ("local_government", 5)
    ]
    assert sum(row.participants for row in report.genders) == 5
    assert [(t.topic, t.participants, t.pre_answers, t.post_answers) for t in report.topics] == [
        (TOPIC, 5, 5, 5)
    ]
    table = services.participant_page(Filters(), world.reviewer, page=None, secret="k")
    rows, total = table.rows, table.total
    assert total == 5
    assert {(row.attended, row.sessions) for row in rows} == {(2, 2), (1, 2)}


def test_topics_under_a_filter_count_only_the_held_workshop(world):
    local_government = Filters(institution_type=InstitutionType.LOCAL_GOVERNMENT)  # all six

    topics = services.by_topic(local_government, world.reviewer)

    assert [(t.topic, t.participants) for t in topics] == [(TOPIC, 5)]


def test_a_session_counts_from_its_start_and_a_workshop_from_its_first_session(world, db, clock):
    clock.set(world.now + timedelta(days=1, minutes=1))  # the held workshop's third session began

    h = figures.headline(Filters(), world.reviewer)

    assert (h.checkins, h.expected_checkins) == (9, 15)
    assert h.workshops_held == 1

    # The upcoming workshop, marked running before its day, is not held until its session starts.
    world.upcoming.status = WorkshopStatus.RUNNING
    db.session.commit()
    assert figures.headline(Filters(), world.reviewer).participants == 5
    clock.set(world.now + timedelta(days=7, minutes=1))
    h = figures.headline(Filters(), world.reviewer)
    assert (h.workshops_held, h.participants) == (2, 6)


PLAIN_HELD = """
    FROM registrations r JOIN workshops w ON w.id = r.workshop_id
    WHERE r.status = 'confirmed'
      AND w.status IN ('running', 'completed', 'archived')
      AND EXISTS (SELECT 1 FROM workshop_sessions s
                  WHERE s.workshop_id = w.id AND s.starts_at <= :now)
"""


def _plain(db, sql: str, now: datetime):
    statement = sa.text(sql).bindparams(sa.bindparam("now", type_=UTCDateTime()))
    return db.session.execute(statement, {"now": now}).scalar_one()


def _figure(html: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}">(.*?)</td>', html, re.S)
    assert match, name
    return match.group(1)


def test_page_figures_equal_plain_sql_over_held_workshops(world, db, login_as, client):
    login_as(world.reviewer)
    html = client.get("/laporan").get_data(as_text=True)

    participants = _plain(db, "SELECT count(DISTINCT r.user_id)" + PLAIN_HELD, world.now)
    checkins = _plain(
        db,
        "SELECT count(*) FROM checkins c JOIN workshop_sessions s ON s.id = c.session_id "
        "WHERE s.starts_at <= :now AND c.registration_id IN (SELECT r.id" + PLAIN_HELD + ")",
        world.now,
    )
    expected = _plain(
        db,
        "SELECT count(*) FROM workshop_sessions s JOIN registrations r2 "
        "ON r2.workshop_id = s.workshop_id WHERE s.starts_at <= :now "
        "AND r2.id IN (SELECT r.id" + PLAIN_HELD + ")",
        world.now,
    )
    assert _figure(html, "participants").strip() == str(participants) == "5"
    assert f"{checkins} dari {expected} check-in" in _figure(html, "attendance")
    assert (checkins, expected) == (8, 10)
    assert _figure(html, "workshops").strip() == "1"


def test_page_shows_the_definitions(world, login_as, client):
    login_as(world.reviewer)
    html = client.get("/laporan").get_data(as_text=True)

    assert 'id="definisi"' in html
    assert "setidaknya satu sesinya sudah dimulai" in html
    assert "Sesi yang belum dimulai tidak dihitung hadir maupun absen" in html


def test_xlsx_counts_only_the_held_workshop_and_defines_its_terms(world, login_as, client):
    login_as(world.reviewer)

    book = openpyxl.load_workbook(io.BytesIO(client.get("/laporan.xlsx").data))

    summary = {row[0]: row[1] for row in book["Ringkasan"].iter_rows(values_only=True)}
    assert summary["Loka latih terlaksana"] == 1
    assert summary["Peserta (orang, pendaftaran terkonfirmasi)"] == 5
    assert summary["Tingkat kehadiran (%)"] == 80.0
    assert summary["Sertifikat terbit (berlaku)"] == 1
    assert summary["Pasangan pra-tes dan pasca-tes"] == 5
    provinces = list(book["Per provinsi"].iter_rows(values_only=True))
    assert [row[:3] for row in provinces[1:]] == [("31", "Daerah Khusus Ibukota Jakarta", 5)]
    assert len(list(book["Peserta (pseudonim)"].iter_rows(values_only=True))) == 1 + 5
    definitions = {
        row[0]: row[1] for row in book["Definisi dan filter"].iter_rows(values_only=True)
    }
    assert "setidaknya satu sesinya sudah dimulai" in definitions["Loka latih terlaksana"]
    assert "belum dimulai" in definitions["Tingkat kehadiran"]
