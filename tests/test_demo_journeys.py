"""After `flask demo load` each role can try its journey at once (issue 16): peserta@ has an open
pre-test, a session running now to check in to, a certificate that verifies; the organizer has
pending registrants and a waitlist. Loading again changes nothing."""

import re

import pytest
import sqlalchemy as sa

from lokalatih.attendance.codes import current_code
from lokalatih.demo.journeys import APPROVAL_SLUG, DONE_SLUG, PARTICIPANT_EMAIL, TODAY_SLUG
from lokalatih.demo.load import DEMO_PASSWORD, DEMO_WORKSHOP_SLUG
from lokalatih.models import (
    Attempt,
    Certificate,
    CheckIn,
    Quiz,
    QuizKind,
    Registration,
    RegistrationStatus,
    User,
    Workshop,
    WorkshopStatus,
    utcnow,
)
from lokalatih.scheduler import dev_base_url
from tests.certificates.verifying import assert_verifies
from tests.support import login

ORGANIZER = "penyelenggara@demo.lokalatih.example.org"


@pytest.fixture
def demo(app, db, consent_version, clock):
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    return result


def _workshop(db, slug: str) -> Workshop:
    return db.session.scalar(sa.select(Workshop).where(Workshop.slug == slug))


def _registration(db, workshop: Workshop) -> Registration:
    return db.session.scalar(
        sa.select(Registration)
        .join(User, User.id == Registration.user_id)
        .where(Registration.workshop_id == workshop.id, User.email == PARTICIPANT_EMAIL)
    )


def test_the_participant_can_start_the_upcoming_workshops_pre_test_at_once(demo, db, client):
    workshop = _workshop(db, DEMO_WORKSHOP_SLUG)
    quiz = db.session.scalar(
        sa.select(Quiz).where(Quiz.workshop_id == workshop.id, Quiz.kind == QuizKind.PRE)
    )
    assert _registration(db, workshop).status == RegistrationStatus.CONFIRMED
    assert len(quiz.items) >= 5
    login(client, PARTICIPANT_EMAIL, DEMO_PASSWORD)

    page = client.get(f"/tes/{quiz.id}")
    started = client.post(f"/tes/{quiz.id}/mulai")

    assert page.status_code == 200
    assert started.status_code == 302
    assert "/percobaan/" in started.headers["Location"]


def test_todays_session_is_running_and_the_participant_checks_in_with_the_code(demo, db, client):
    workshop = _workshop(db, TODAY_SLUG)
    [session] = workshop.sessions
    now = utcnow()
    assert workshop.title.startswith("Loka latih hari ini")
    assert session.starts_at < now < session.ends_at
    login(client, ORGANIZER, DEMO_PASSWORD)
    manage = client.get(f"/kelola/{workshop.slug}").get_data(as_text=True)  # as the tour says
    assert f"/kelola/{workshop.slug}/sesi/{session.id}/presensi" in manage
    assert client.get(f"/kelola/{workshop.slug}/sesi/{session.id}/presensi").status_code == 200
    client.post("/keluar")
    login(client, PARTICIPANT_EMAIL, DEMO_PASSWORD)

    form = client.get("/hadir").get_data(as_text=True)
    checked = client.post(
        "/hadir", data={"session_id": session.id, "code": current_code(session, now)}
    )

    assert "Loka latih hari ini" in form
    assert checked.status_code == 302, checked.get_data(as_text=True)
    assert checked.headers["Location"].endswith(f"/hadir/{session.id}/tercatat")
    registration = _registration(db, workshop)
    assert db.session.scalar(
        sa.select(CheckIn.id).where(CheckIn.registration_id == registration.id)
    )


def test_the_completed_workshops_certificate_verifies_and_downloads(demo, db, client):
    workshop = _workshop(db, DONE_SLUG)
    registration = _registration(db, workshop)
    certificate = db.session.scalar(
        sa.select(Certificate).where(Certificate.registration_id == registration.id)
    )
    attempts = db.session.scalars(
        sa.select(Attempt).where(Attempt.registration_id == registration.id)
    ).all()
    attended = db.session.scalar(
        sa.select(sa.func.count(CheckIn.id)).where(CheckIn.registration_id == registration.id)
    )

    assert workshop.status == WorkshopStatus.COMPLETED
    assert attended == len(workshop.sessions) == 2
    assert sorted(a.quiz.kind for a in attempts if a.is_submitted) == [QuizKind.POST, QuizKind.PRE]
    assert certificate is not None and certificate.revoked_at is None
    assert client.get(f"/verifikasi/{certificate.code}").status_code == 200
    assert_verifies(client, certificate)
    login(client, PARTICIPANT_EMAIL, DEMO_PASSWORD)
    mine = client.get("/workshop-saya").get_data(as_text=True)
    assert f"/sertifikat/{certificate.id}.pdf" in mine
    pdf = client.get(f"/sertifikat/{certificate.id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")


def test_the_organizer_has_pending_registrants_and_a_waitlist(demo, db, client):
    workshop = _workshop(db, APPROVAL_SLUG)
    statuses = db.session.scalars(
        sa.select(Registration.status).where(Registration.workshop_id == workshop.id)
    ).all()

    assert workshop.requires_approval
    assert statuses.count(RegistrationStatus.CONFIRMED) == workshop.capacity
    assert statuses.count(RegistrationStatus.PENDING) >= 2
    assert statuses.count(RegistrationStatus.WAITLISTED) >= 2
    login(client, ORGANIZER, DEMO_PASSWORD)
    page = client.get(f"/kelola/{workshop.slug}/pendaftar")
    assert page.status_code == 200
    assert "Agus Salim" in page.get_data(as_text=True)


def test_loading_twice_changes_nothing(demo, app, db):
    def counts():
        return [
            db.session.scalar(sa.select(sa.func.count()).select_from(model))
            for model in (Workshop, Registration, Quiz, Attempt, CheckIn, Certificate, User)
        ]

    before = counts()
    again = app.test_cli_runner().invoke(args=["demo", "load"])

    assert again.exit_code == 0, again.output
    assert counts() == before
    assert "Demo tour" in again.output


def test_the_tour_names_each_role_and_its_pages(demo):
    tour = demo.output[demo.output.index("Demo tour") :]
    for expected in (PARTICIPANT_EMAIL, ORGANIZER, "peninjau@", "/hadir", "/kelola", "/laporan"):
        assert expected in tour
    assert re.search(r"password for all: \S+", tour)


def test_flask_dev_serves_links_on_its_own_port_unless_the_environment_sets_one(monkeypatch):
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    assert dev_base_url("127.0.0.1", 5123, "http://127.0.0.1:5000") == "http://127.0.0.1:5123"
    assert dev_base_url("0.0.0.0", 8000, "x") == "http://127.0.0.1:8000"  # noqa: S104
    monkeypatch.setenv("PUBLIC_BASE_URL", "https://latih.example.org")
    assert dev_base_url("127.0.0.1", 5123, "https://latih.example.org") == (
        "https://latih.example.org"
    )


def test_flask_dev_on_another_port_puts_that_port_in_links_and_qr_codes(app, monkeypatch):
    from lokalatih import scheduler
    from lokalatih.outbox.services import external_url

    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    seen = {}

    def fake_run_simple(host, port, application, **options):
        with application.app_context():
            seen["link"] = external_url("attendance.scan", session_id=7, code="ABC")
        raise KeyboardInterrupt

    monkeypatch.setattr(scheduler, "run_simple", fake_run_simple)

    result = app.test_cli_runner().invoke(args=["dev", "--port", "5077"])

    assert result.exit_code == 0, result.output
    assert seen["link"] == "http://127.0.0.1:5077/hadir/7/ABC"


def test_development_links_default_to_the_address_make_run_serves():
    import os

    from config import DevelopmentConfig

    # The environment's address wins where one is set; otherwise the one `make run` serves on.
    expected = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    assert expected == DevelopmentConfig.PUBLIC_BASE_URL


def test_the_reviewers_dashboard_of_the_demo_stays_under_150_kb(demo, db, client):
    """Issue 21: the dashboard travels to phones on slow data. The 514-row kabupaten/kota table
    waits for a province to be chosen (all of it is in the XLSX); indentation is not sent."""
    login(client, "peninjau@demo.lokalatih.example.org", DEMO_PASSWORD)

    whole = client.get("/laporan")
    one_province = client.get("/laporan?province=53")

    assert whole.status_code == one_province.status_code == 200
    assert len(whole.data) < 150_000, len(whole.data)
    assert len(one_province.data) < 150_000, len(one_province.data)
    assert 'id="regency-table"' not in whole.get_data(as_text=True)
    assert "Pilih satu provinsi pada filter" in whole.get_data(as_text=True)
    regencies = one_province.get_data(as_text=True)
    assert 'id="regency-table"' in regencies and "Kota Kupang" in regencies
    content = whole.get_data(as_text=True).split("<h1>", 1)[1].split("<footer", 1)[0]
    assert "\n    " not in content
