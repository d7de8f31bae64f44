"""The certificate states the JP of the sessions its holder attended; certificates issued before
sessions carried JP keep the text they were issued with."""

from __future__ import annotations

from lokalatih.certificates import services
from lokalatih.certificates.documents import build_content


def test_the_certificate_states_the_jp_of_the_sessions_attended(
    db, cert_workshop, cert_participant
):
    workshop = cert_workshop(sessions=5, min_pct=60)  # five sessions of 2 hours: 2.5 JP each
    all_five = cert_participant(workshop, full_name="Peserta Penuh")
    three = cert_participant(workshop, attended=3, full_name="Peserta Tiga Sesi")

    full = build_content(services.issue_certificate(all_five))
    partial = build_content(services.issue_certificate(three))

    assert "(12,5 JP)" in full.details
    assert "(7,5 JP)" in partial.details
    assert "32 JP" not in full.details  # the workshop's single figure is only the fallback


def test_an_english_certificate_writes_the_half_with_a_point(db, cert_workshop, cert_participant):
    workshop = cert_workshop(sessions=1)
    registration = cert_participant(workshop, locale="en")

    content = build_content(services.issue_certificate(registration))

    assert "(2.5 JP)" in content.details


def test_a_certificate_issued_before_session_jp_keeps_its_workshop_figure(
    db, cert_workshop, cert_participant
):
    workshop = cert_workshop(sessions=5)
    certificate = services.issue_certificate(cert_participant(workshop))
    # As a certificate issued before this change was frozen: no attended JP in its copy.
    certificate.attested = {
        key: value for key, value in certificate.attested.items() if key != "attended_jp_halves"
    }
    db.session.commit()

    assert "(32 JP)" in build_content(certificate).details


def test_the_attended_jp_is_frozen_at_issue(db, cert_workshop, cert_participant):
    workshop = cert_workshop(sessions=2)
    certificate = services.issue_certificate(cert_participant(workshop))
    workshop.sessions[0].jp_halves = 20
    db.session.commit()

    assert "(5 JP)" in build_content(certificate).details
