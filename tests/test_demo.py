"""`flask demo load` gives a usable demo: staff logins and a published workshop with registrants."""

import re

import sqlalchemy as sa
from babel.dates import format_date

from lokalatih.certificates.documents import certificate_pdf
from lokalatih.demo.load import DEMO_PASSWORD, DEMO_WORKSHOP_SLUG, HISTORY_WORKSHOPS
from lokalatih.models import (
    Certificate,
    Registration,
    RegistrationStatus,
    Workshop,
    WorkshopStatus,
)
from tests.certificates.verifying import (
    assert_issued_just_after_the_workshop,
    assert_verifies,
    decode_qr,
    last_session_day,
    pdf_text_lines,
)
from tests.support import login


def test_demo_load_is_idempotent_and_prints_the_logins(app, db, consent_version):
    runner = app.test_cli_runner()

    first = runner.invoke(args=["demo", "load"])
    second = runner.invoke(args=["demo", "load"])

    assert first.exit_code == 0, first.output
    assert "admin@demo.lokalatih.example.org" in first.output
    assert DEMO_PASSWORD in first.output
    assert second.exit_code == 0
    assert "Past workshops: 12 workshops" in first.output
    assert "Past workshops" not in second.output
    assert "Demo tour (http://127.0.0.1:5000" in first.output
    assert "/workshop-saya" in first.output and "/hadir" in first.output
    workshops = db.session.scalar(sa.select(sa.func.count()).select_from(Workshop))
    assert workshops == 1 + HISTORY_WORKSHOPS + 3  # + today's, the completed, the approval one


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


def test_the_reviewer_dashboard_has_past_workshops_to_show(app, client, consent_version):
    app.test_cli_runner().invoke(args=["demo", "load"])
    login(client, "peninjau@demo.lokalatih.example.org", DEMO_PASSWORD)

    html = client.get("/laporan").get_data(as_text=True)

    def figure(name: str) -> str:
        return re.search(rf'data-figure="{name}">([^<]*)<', html).group(1).strip()

    assert int(figure("workshops")) >= 5  # held ones among the twelve
    assert int(figure("participants")) > 500
    assert int(figure("certificates")) > 0
    assert figure("mean_pre") != "–" and figure("mean_post") != "–"


def test_the_past_workshops_statements_stay_out_of_the_question_bank(app, client, consent_version):
    app.test_cli_runner().invoke(args=["demo", "load"])
    login(client, "admin@demo.lokalatih.example.org", DEMO_PASSWORD)

    searched = client.get("/bank-soal?q=Pernyataan+contoh")
    listed = client.get("/bank-soal")

    assert searched.status_code == listed.status_code == 200
    assert "Pernyataan contoh nomor" not in searched.get_data(as_text=True)
    assert "HAM" in listed.get_data(as_text=True)  # the starter bank is listed


def test_every_past_certificate_of_the_demo_verifies_and_its_pdf_names_who_and_when(
    app, db, client, consent_version, clock
):
    app.test_cli_runner().invoke(args=["demo", "load"])
    certificates = db.session.scalars(sa.select(Certificate).order_by(Certificate.id)).all()

    assert len(certificates) > 100
    for certificate in certificates:
        assert_verifies(client, certificate)
        assert_issued_just_after_the_workshop(certificate)
    # One certificate per workshop, read from its PDF as its holder would: the QR opens the
    # verification page; the page names the holder, the organizer, a signatory and the day.
    first_of_each = {c.registration.workshop_id: c for c in reversed(certificates)}
    for certificate in first_of_each.values():
        data = certificate_pdf(certificate)
        [url] = decode_qr(data)
        assert_verifies(client, certificate, url.removeprefix("http://localhost"))
        lines = pdf_text_lines(certificate)
        workshop = certificate.registration.workshop
        assert certificate.registration.user.profile.full_name in lines
        assert "Peserta demo" not in lines
        organizer = workshop.organizers[0].profile.institution_name
        assert any(line.startswith(f"Diselenggarakan oleh {organizer}") for line in lines)
        assert workshop.signatories[0]["name"] in lines
        issued = format_date(last_session_day(certificate), "d MMMM y", locale="id")
        assert f"Diterbitkan {issued}" in lines


def test_the_demo_tags_themes_so_the_themes_section_has_figures(app, db, consent_version):
    from lokalatih.models import User
    from lokalatih.reports.figures import Filters
    from lokalatih.reports.themes import theme_report

    first = app.test_cli_runner().invoke(args=["demo", "load"])
    second = app.test_cli_runner().invoke(args=["demo", "load"])

    assert "KKPHAM themes on 12 past workshops" in first.output
    assert "KKPHAM themes" not in second.output
    reviewer = db.session.scalar(
        sa.select(User).where(User.email == "peninjau@demo.lokalatih.example.org")
    )
    rows = theme_report(Filters(), reviewer).rows
    assert sum(1 for row in rows if row.participants >= 5) >= 3
    assert any(row.pre_correct is not None for row in rows)
    showcase = db.session.scalar(sa.select(Workshop).where(Workshop.slug == DEMO_WORKSHOP_SLUG))
    assert {theme.code for theme in showcase.themes} == {"turut_serta_pemerintahan", "informasi"}
