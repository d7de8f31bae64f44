"""The scheduler job: certificates for exactly the eligible participants of completed workshops,
one email each, and nothing more on a second run."""

from __future__ import annotations

import sqlalchemy as sa

from lokalatih.certificates import services
from lokalatih.certificates.tasks import issue_certificates_for_completed
from lokalatih.models import Certificate, OutboxMessage, WorkshopStatus
from lokalatih.outbox.tasks import send_due_messages
from tests.certificates.fixtures import NO_ATTEMPT
from tests.support import at_once, text_body


def valid_holders(db) -> set[int]:
    return set(
        db.session.scalars(
            sa.select(Certificate.registration_id).where(Certificate.revoked_at.is_(None))
        )
    )


def outbox(db) -> list[OutboxMessage]:
    return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def test_the_job_issues_to_exactly_the_eligible_participants(db, cert_workshop, cert_participant):
    workshop = cert_workshop(sessions=5, min_score=60)
    eligible = [cert_participant(workshop, attended=4), cert_participant(workshop, score=60.0)]
    cert_participant(workshop, attended=3)
    cert_participant(workshop, score=NO_ATTEMPT)
    cert_participant(workshop, score=59.0)

    issued = issue_certificates_for_completed()

    assert issued == 2
    assert valid_holders(db) == {registration.id for registration in eligible}


def test_running_the_job_twice_issues_and_emails_once(db, cert_workshop, cert_participant):
    workshop = cert_workshop()
    registration = cert_participant(workshop)

    first = issue_certificates_for_completed()
    second = issue_certificates_for_completed()

    assert (first, second) == (1, 0)
    messages = outbox(db)
    assert [m.recipient for m in messages] == [registration.user.email]
    certificate = services.find_valid_certificate(registration)
    assert messages[0].dedupe_key == f"certificate:{certificate.id}"


def test_the_email_links_to_the_download_and_the_verification_page(
    app, db, cert_workshop, cert_participant, smtp_server
):
    workshop = cert_workshop(title="Loka Latih Kota Makassar Peduli HAM")
    registration = cert_participant(workshop)
    issue_certificates_for_completed()
    certificate = services.find_valid_certificate(registration)

    send_due_messages()

    [message] = smtp_server.messages
    body = text_body(message)
    assert "Loka Latih Kota Makassar Peduli HAM" in message["Subject"]
    assert f"http://localhost/sertifikat/{certificate.id}.pdf" in body
    assert f"http://localhost/verifikasi/{certificate.code}" in body
    assert services.format_code(certificate.code) in body


def test_workshops_that_are_not_completed_are_left_alone(db, cert_workshop, cert_participant):
    for status in (WorkshopStatus.RUNNING, WorkshopStatus.ARCHIVED, WorkshopStatus.CANCELLED):
        cert_participant(cert_workshop(status=status))

    assert issue_certificates_for_completed() == 0
    assert valid_holders(db) == set()


def test_a_certificate_the_organizer_revoked_is_not_issued_again(
    db, cert_workshop, cert_participant, cert_organizer
):
    workshop = cert_workshop()
    registration = cert_participant(workshop)
    certificate = services.issue_certificate(registration)
    services.revoke_certificate(certificate, "Ternyata tidak hadir", cert_organizer)
    db.session.commit()

    assert issue_certificates_for_completed() == 0
    assert valid_holders(db) == set()


def test_a_participant_without_a_name_does_not_stop_the_others(db, cert_workshop, cert_participant):
    workshop = cert_workshop()
    nameless = cert_participant(workshop, full_name=None)
    named = cert_participant(workshop)

    assert issue_certificates_for_completed() == 1
    assert valid_holders(db) == {named.id}
    assert nameless.id not in valid_holders(db)


def test_two_schedulers_running_at_once_issue_and_email_each_certificate_once(
    app, db, cert_workshop, cert_participant
):
    workshops = [cert_workshop(), cert_workshop()]
    holders = {cert_participant(workshop).id for workshop in workshops for _ in range(3)}
    db.session.remove()

    results = at_once(app, 2, lambda _: issue_certificates_for_completed())

    assert [value for kind, value in results if kind != "ok"] == []
    assert sum(value for _, value in results) == 6
    assert valid_holders(db) == holders
    assert len(outbox(db)) == 6
