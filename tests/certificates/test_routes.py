"""The certificate pages as people use them: who may do what, and what each page shows."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
import sqlalchemy as sa
from flask import render_template

from lokalatih.certificates import services
from lokalatih.models import Certificate, Role, WorkshopStatus
from lokalatih.my_workshops.read_model import my_workshops
from tests.certificates.fixtures import NO_ATTEMPT
from tests.support import login


def valid_certificates(db) -> list[Certificate]:
    return list(db.session.scalars(sa.select(Certificate).where(Certificate.revoked_at.is_(None))))


# --- who may open the organizer pages ---------------------------------------------------------


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.REVIEWER])
def test_organizer_pages_are_forbidden_to_participants_and_reviewers(
    client, login_as, make_user, cert_workshop, role
):
    workshop = cert_workshop()
    login_as(make_user(role=role))

    for method, path in (
        ("get", f"/kelola/{workshop.slug}/sertifikat"),
        ("get", f"/kelola/{workshop.slug}/sertifikat/pengaturan"),
        ("get", f"/kelola/{workshop.slug}/sertifikat.zip"),
        ("post", f"/kelola/{workshop.slug}/sertifikat/terbitkan-semua"),
    ):
        assert getattr(client, method)(path).status_code == 403, path


def test_another_organizers_workshop_is_not_found(client, login_as, make_user, cert_workshop):
    workshop = cert_workshop()
    login_as(make_user(role=Role.ORGANIZER))

    assert client.get(f"/kelola/{workshop.slug}/sertifikat").status_code == 404
    assert client.post(f"/kelola/{workshop.slug}/sertifikat/terbitkan-semua").status_code == 404


# --- the rule ---------------------------------------------------------------------------------


def test_the_organizer_sets_the_rule_and_signatories(
    db, client, login_as, cert_workshop, cert_organizer
):
    workshop = cert_workshop()
    login_as(cert_organizer)

    response = client.post(
        f"/kelola/{workshop.slug}/sertifikat/pengaturan",
        data={
            "min_attendance_pct": "75",
            "requires_post_test": "y",
            "min_post_score": "60",
            "training_hours": "24",
            "signatory_1_name": "Prof. Dr. Ayu Lestari",
            "signatory_1_position": "Rektor",
            "signatory_3_name": "Budi Santoso",
            "signatory_3_position": "Kepala Kanwil",
        },
    )

    assert response.status_code == 302
    db.session.refresh(workshop)
    assert workshop.cert_min_attendance_pct == 75
    assert workshop.cert_min_post_score == 60
    assert workshop.training_hours == 24
    assert workshop.signatories == [
        {"name": "Prof. Dr. Ayu Lestari", "position": "Rektor"},
        {"name": "Budi Santoso", "position": "Kepala Kanwil"},
    ]
    page = client.get(f"/kelola/{workshop.slug}/sertifikat/pengaturan").get_data(as_text=True)
    assert "Prof. Dr. Ayu Lestari" in page


def test_an_invalid_rule_is_shown_again_with_messages(
    db, client, login_as, cert_workshop, cert_organizer
):
    workshop = cert_workshop()
    login_as(cert_organizer)

    response = client.post(
        f"/kelola/{workshop.slug}/sertifikat/pengaturan",
        data={
            "min_attendance_pct": "120",
            "min_post_score": "50",
            "training_hours": "500",
            "signatory_1_name": "Budi Santoso",
            "signatory_2_position": "X" * 101,
        },
    )

    text = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Kehadiran minimal antara 0 dan 100 persen." in text
    assert "Jam pelajaran antara 1 dan 200 JP." in text
    assert "Isi jabatan penanda tangan ini." in text
    assert "Paling panjang 100 karakter." in text
    assert "Nilai minimal hanya berlaku bila pasca-tes wajib dikirim." in text
    assert 'value="Budi Santoso"' in text
    db.session.refresh(workshop)
    assert workshop.cert_min_attendance_pct == 80


# --- the list and its actions -----------------------------------------------------------------


def test_the_list_shows_attendance_score_and_why_not(
    client, login_as, cert_workshop, cert_participant, cert_organizer
):
    workshop = cert_workshop(sessions=5)
    cert_participant(workshop, full_name="Ayu Eligible", attended=4, score=72.5)
    cert_participant(workshop, full_name="Bima Absent", attended=3, score=NO_ATTEMPT)
    login_as(cert_organizer)

    text = client.get(f"/kelola/{workshop.slug}/sertifikat").get_data(as_text=True)

    assert "Ayu Eligible" in text and "4 dari 5 (80%)" in text and "72,5" in text
    assert "Memenuhi syarat" in text
    assert "Hadir 3 dari 5 sesi (60%), minimal 80%" in text
    assert "Belum mengirim pasca-tes" in text


def test_the_organizer_issues_one_then_all_eligible(
    db, client, login_as, cert_workshop, cert_participant, cert_organizer
):
    workshop = cert_workshop()
    first, second = cert_participant(workshop), cert_participant(workshop)
    not_eligible = cert_participant(workshop, attended=1)
    login_as(cert_organizer)

    one = client.post(f"/kelola/{workshop.slug}/sertifikat/{first.id}/terbitkan")
    refused = client.post(f"/kelola/{workshop.slug}/sertifikat/{not_eligible.id}/terbitkan")
    rest = client.post(f"/kelola/{workshop.slug}/sertifikat/terbitkan-semua")

    assert one.status_code == 302 and rest.status_code == 302
    assert refused.status_code == 400
    assert "belum memenuhi syarat" in refused.get_data(as_text=True)
    assert {c.registration_id for c in valid_certificates(db)} == {first.id, second.id}
    page = client.get(f"/kelola/{workshop.slug}/sertifikat").get_data(as_text=True)
    assert "1 sertifikat diterbitkan." in page


def test_revoking_and_reissuing_need_a_reason(
    db, client, login_as, cert_workshop, cert_participant, cert_organizer
):
    workshop = cert_workshop()
    registration = cert_participant(workshop)
    certificate = services.issue_certificate(registration)
    db.session.commit()
    login_as(cert_organizer)
    base = f"/kelola/{workshop.slug}/sertifikat"

    no_reason = client.post(f"{base}/cabut/{certificate.id}", data={"reason": "  "})
    reissued = client.post(
        f"{base}/{registration.id}/terbitkan-ulang", data={"reason": "Nama diperbaiki"}
    )
    new = services.find_valid_certificate(registration)
    revoked = client.post(f"{base}/cabut/{new.id}", data={"reason": "Tidak hadir sebenarnya"})

    assert no_reason.status_code == 400
    assert "Alasan wajib diisi." in no_reason.get_data(as_text=True)
    assert reissued.status_code == 302 and revoked.status_code == 302
    assert valid_certificates(db) == []
    page = client.get(base).get_data(as_text=True)
    assert "Tidak hadir sebenarnya" in page


def test_issuing_before_the_workshop_runs_is_refused_with_a_message(
    client, login_as, cert_workshop, cert_participant, cert_organizer
):
    workshop = cert_workshop(status=WorkshopStatus.REGISTRATION_CLOSED)
    registration = cert_participant(workshop)
    login_as(cert_organizer)

    response = client.post(f"/kelola/{workshop.slug}/sertifikat/{registration.id}/terbitkan")

    assert response.status_code == 400
    assert "setelah loka latih mulai berjalan" in response.get_data(as_text=True)


# --- downloads --------------------------------------------------------------------------------


def test_only_the_owner_and_the_workshop_managers_can_download(
    app, db, make_user, cert_workshop, cert_participant, cert_organizer
):
    workshop = cert_workshop()
    owner = cert_participant(workshop)
    classmate = cert_participant(workshop)
    certificate = services.issue_certificate(owner)
    db.session.commit()
    path = f"/sertifikat/{certificate.id}.pdf"
    expected = {
        owner.user: 200,
        classmate.user: 404,
        make_user(role=Role.ORGANIZER): 404,  # organizes other workshops
        cert_organizer: 200,
        make_user(role=Role.ADMIN): 200,
        make_user(role=Role.REVIEWER): 404,
    }

    for user, status in expected.items():
        client = app.test_client()
        login(client, user)
        assert client.get(path).status_code == status, user.role
    assert app.test_client().get(path).status_code == 302  # to the login page


def test_a_revoked_certificate_cannot_be_downloaded_and_says_why(
    db, client, login_as, cert_workshop, cert_participant, cert_organizer
):
    registration = cert_participant(cert_workshop())
    certificate = services.issue_certificate(registration)
    services.revoke_certificate(certificate, "Data kehadiran keliru", cert_organizer)
    db.session.commit()
    login_as(registration.user)

    response = client.get(f"/sertifikat/{certificate.id}.pdf")

    assert response.status_code == 410
    assert "telah dicabut" in response.get_data(as_text=True)
    assert "Data kehadiran keliru" in response.get_data(as_text=True)


def test_the_zip_holds_one_pdf_per_valid_certificate(
    db, client, login_as, cert_workshop, cert_participant, cert_organizer
):
    workshop = cert_workshop()
    holders = [cert_participant(workshop, full_name=f"Peserta Ke-{n}") for n in range(3)]
    certificates = [services.issue_certificate(registration) for registration in holders]
    services.revoke_certificate(certificates[1], "Dibatalkan", cert_organizer)
    cert_participant(workshop, attended=0)  # never issued
    db.session.commit()
    login_as(cert_organizer)

    response = client.get(f"/kelola/{workshop.slug}/sertifikat.zip")

    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    names = sorted(archive.namelist())
    assert len(names) == 2
    assert re.fullmatch(r"sertifikat-LL-\d{4}-\d{4}-\d{5}-peserta-ke-0\.pdf", names[0])
    assert all(archive.read(name).startswith(b"%PDF-") for name in names)
    assert archive.testzip() is None


# --- "Loka latih saya" --------------------------------------------------------------------------


def test_the_participant_partial_links_the_valid_certificate_only(
    app, db, cert_workshop, cert_participant
):
    registration = cert_participant(cert_workshop())

    def partial() -> str:
        (row,) = my_workshops(registration.user)
        with app.test_request_context():
            return render_template(
                "certificates/_mine_links.html", registration=registration, row=row
            )

    before = partial()
    certificate = services.issue_certificate(registration)
    after = partial()

    assert "sertifikat" not in before.lower()
    assert f"/sertifikat/{certificate.id}.pdf" in after
    assert services.format_code(certificate.code) in after


# --- public verification ----------------------------------------------------------------------


def test_the_verification_page_shows_only_name_workshop_dates_and_issue_date(
    db, client, cert_workshop, cert_participant
):
    workshop = cert_workshop(title="Loka Latih Kota Makassar Peduli HAM")
    registration = cert_participant(workshop, full_name="Dāwūd Ñúñez Šimić")
    certificate = services.issue_certificate(registration)
    db.session.commit()
    user, profile = registration.user, registration.user.profile

    response = client.get(f"/verifikasi/{certificate.code}")

    text = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Sertifikat berlaku" in text
    assert "Dāwūd Ñúñez Šimić" in text and "Loka Latih Kota Makassar Peduli HAM" in text
    for private in (user.email, profile.phone, profile.institution_name, profile.position):
        assert private not in text
    assert response.headers["Cache-Control"] == "private, no-cache"  # it names a person
    assert '<meta name="robots" content="noindex">' in text


def test_a_verifier_who_checks_again_downloads_nothing_unchanged_but_sees_a_revocation(
    db, client, cert_workshop, cert_participant, cert_organizer
):
    certificate = services.issue_certificate(cert_participant(cert_workshop()))
    db.session.commit()
    url = f"/verifikasi/{certificate.code}"
    phone = {"Accept-Encoding": "gzip"}  # the app compresses; the ETag turns weak

    first = client.get(url, headers=phone)
    etag = first.headers["ETag"]
    again = client.get(url, headers=phone | {"If-None-Match": etag})
    services.revoke_certificate(certificate, "Data kehadiran keliru", cert_organizer)
    db.session.commit()
    after_revocation = client.get(url, headers={"If-None-Match": etag})

    assert first.status_code == 200 and etag.startswith('W/"')
    assert again.status_code == 304 and again.data == b""
    assert after_revocation.status_code == 200
    assert "Sertifikat dicabut" in after_revocation.get_data(as_text=True)
    assert after_revocation.headers["ETag"] != etag


def test_another_visitor_never_gets_a_304_for_a_page_made_for_someone_else(
    app, db, client, cert_workshop, cert_participant
):
    """The page carries the visitor's CSRF token (the upload form): a 304 to another session
    would leave that visitor a form that is refused."""
    certificate = services.issue_certificate(cert_participant(cert_workshop()))
    db.session.commit()
    url = f"/verifikasi/{certificate.code}"
    etag = client.get(url).headers["ETag"]

    same_visitor = client.get(url, headers={"If-None-Match": etag})
    other_visitor = app.test_client().get(url, headers={"If-None-Match": etag})

    assert same_visitor.status_code == 304
    assert other_visitor.status_code == 200
    assert other_visitor.headers["ETag"] != etag


def test_a_code_is_found_however_it_is_typed(db, client, cert_workshop, cert_participant):
    certificate = services.issue_certificate(cert_participant(cert_workshop()))
    db.session.commit()
    typed = services.format_code(certificate.code).lower()

    redirect = client.get("/verifikasi", query_string={"kode": f" {typed} "})
    page = client.get(redirect.headers["Location"])

    assert redirect.status_code == 302
    assert "Sertifikat berlaku" in page.get_data(as_text=True)


def test_an_unknown_code_is_not_found(client):
    response = client.get("/verifikasi/AAAA-BBBB-CCCC-DDDD")

    assert response.status_code == 404
    assert "Tidak ada sertifikat dengan kode ini" in response.get_data(as_text=True)


def test_the_verification_form_asks_for_a_code(client):
    empty = client.get("/verifikasi")
    blank = client.get("/verifikasi", query_string={"kode": ""})

    assert empty.status_code == 200 and 'name="kode"' in empty.get_data(as_text=True)
    assert blank.status_code == 400
    assert "Tulis kode verifikasi" in blank.get_data(as_text=True)


def test_verification_is_rate_limited_per_address(make_app):
    limited = make_app(RATELIMIT_ENABLED=True)
    client = limited.test_client()

    with limited.app_context():
        statuses = [client.get("/verifikasi/AAAABBBBCCCCDDDD").status_code for _ in range(31)]
        other = client.get("/verifikasi/AAAABBBBCCCCDDDD", environ_base={"REMOTE_ADDR": "10.0.0.9"})

    assert statuses[:30] == [404] * 30
    assert statuses[30] == 429
    assert other.status_code == 404


def test_what_a_certificate_attests_is_frozen_at_issue(db, client, cert_workshop, cert_participant):
    """Renaming or moving the workshop afterwards changes neither the page nor the PDF."""
    from datetime import timedelta

    from lokalatih.certificates.documents import build_content

    workshop = cert_workshop(title="Loka Latih HAM Kota Palu")
    registration = cert_participant(workshop)
    certificate = services.issue_certificate(registration)
    db.session.commit()
    issued_dates = client.get(f"/verifikasi/{certificate.code}").get_data(as_text=True)

    workshop.title = "Judul Baru Setelah Terbit"
    workshop.start_date += timedelta(days=30)
    workshop.end_date += timedelta(days=30)
    workshop.training_hours = 99
    db.session.commit()

    page = client.get(f"/verifikasi/{certificate.code}").get_data(as_text=True)
    content = build_content(db.session.get(type(certificate), certificate.id))
    assert "Loka Latih HAM Kota Palu" in page and "Judul Baru" not in page
    assert page.count("<dd>") == issued_dates.count("<dd>")
    assert _dates_shown(page) == _dates_shown(issued_dates)
    assert content.workshop_title == "Loka Latih HAM Kota Palu"
    assert "99 JP" not in content.details
    # A certificate issued now attests the workshop as it is now.
    later = services.issue_certificate(cert_participant(workshop, full_name="Peserta Kedua"))
    assert build_content(later).workshop_title == "Judul Baru Setelah Terbit"


def _dates_shown(page: str) -> str:
    start = page.index("Tanggal</dt><dd>") + len("Tanggal</dt><dd>")
    return page[start : page.index("</dd>", start)]
