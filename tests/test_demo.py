"""`flask demo load` gives a usable demo: staff logins and a published workshop with registrants."""

import sqlalchemy as sa

from lokalatih.demo import DEMO_PASSWORD, DEMO_WORKSHOP_SLUG
from lokalatih.models import Registration, RegistrationStatus, Workshop, WorkshopStatus
from tests.conftest import login


def test_demo_load_is_idempotent_and_prints_the_logins(app, db, consent_version):
    runner = app.test_cli_runner()

    first = runner.invoke(args=["demo", "load"])
    second = runner.invoke(args=["demo", "load"])

    assert first.exit_code == 0, first.output
    assert "admin@demo.lokalatih.example.org" in first.output
    assert DEMO_PASSWORD in first.output
    assert second.exit_code == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Workshop)) == 1


def test_demo_workshop_is_the_published_online_seed_event(app, db, consent_version):
    app.test_cli_runner().invoke(args=["demo", "load"])

    workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == DEMO_WORKSHOP_SLUG))
    confirmed = db.session.scalars(
        sa.select(Registration).where(
            Registration.workshop_id == workshop.id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
    ).all()

    assert workshop.status == WorkshopStatus.PUBLISHED
    assert workshop.title.startswith("Loka Latih Kabupaten/Kota HAM (Human Rights Cities)")
    assert set(workshop.partner_list) == {"INFID", "Komnas HAM"}
    assert len(workshop.sessions) >= 3
    assert len({r.user.profile.province_code for r in confirmed}) >= 5


def test_demo_logins_work(app, client, consent_version):
    app.test_cli_runner().invoke(args=["demo", "load"])

    response = login(client, "penyelenggara@demo.lokalatih.example.org", DEMO_PASSWORD)

    assert response.status_code == 302
    assert client.get("/kelola").status_code == 200
