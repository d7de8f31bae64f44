"""Issuing is idempotent, numbers and codes have their shape, revoking and re-issuing."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from lokalatih.certificates import services
from lokalatih.certificates.errors import (
    AlreadyRevokedError,
    IssuingNotOpenError,
    NameMissingError,
    NotConfirmedError,
    NotEligibleError,
    NoValidCertificateError,
    ReasonRequiredError,
)
from lokalatih.extensions import db as _db
from lokalatih.models import (
    AuditEvent,
    Certificate,
    Registration,
    RegistrationStatus,
    WorkshopStatus,
)
from tests import factories
from tests.certificates.fixtures import NO_ATTEMPT
from tests.support import at_once

ISSUED_AT = datetime(2026, 12, 10, 3, 0, tzinfo=UTC)


def certificates_of(db, registration) -> list[Certificate]:
    return list(
        db.session.scalars(
            sa.select(Certificate)
            .where(Certificate.registration_id == registration.id)
            .order_by(Certificate.id)
        )
    )


def audit_actions(db) -> list[str]:
    return list(db.session.scalars(sa.select(AuditEvent.action).order_by(AuditEvent.id)))


def test_issuing_twice_gives_one_certificate(db, cert_workshop, cert_participant):
    registration = cert_participant(cert_workshop())

    first = services.issue_certificate(registration, now=ISSUED_AT)
    second = services.issue_certificate(registration, now=ISSUED_AT)
    db.session.commit()

    assert first.id == second.id
    assert len(certificates_of(db, registration)) == 1
    assert audit_actions(db) == ["certificate_issued"]


def test_a_certificate_has_a_number_a_random_code_and_the_profile_name(
    db, cert_workshop, cert_participant
):
    workshop = cert_workshop()
    registration = cert_participant(workshop, full_name="  Dāwūd   Ñúñez Šimić ")
    other = cert_participant(workshop)

    certificate = services.issue_certificate(registration, now=ISSUED_AT)
    second = services.issue_certificate(other, now=ISSUED_AT)

    assert certificate.number == f"LL/2026/{workshop.id:04d}/00001"
    assert second.number == f"LL/2026/{workshop.id:04d}/00002"
    assert re.fullmatch(r"[A-Z2-7]{16}", certificate.code)
    assert certificate.code != second.code
    assert certificate.name_on_certificate == "Dāwūd Ñúñez Šimić"
    assert certificate.language == "id"
    assert certificate.issued_at == ISSUED_AT


def test_the_certificate_language_is_the_participant_language(cert_workshop, cert_participant):
    registration = cert_participant(cert_workshop(), locale="en")

    assert services.issue_certificate(registration).language == "en"


def test_codes_are_shown_grouped_and_accepted_however_typed():
    code = services.new_code()

    grouped = services.format_code(code)

    assert re.fullmatch(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){3}", grouped)
    assert services.normalize_code(grouped) == code
    assert services.normalize_code(grouped.lower()) == code
    assert services.normalize_code(" ".join(grouped.split("-"))) == code
    assert services.normalize_code("ABCD-EFGH") is None
    assert services.normalize_code("<script>") is None


def test_look_alike_digits_are_read_as_the_letters_they_resemble():
    assert services.normalize_code("0ABC-1DEF-8GHJ-KLMN") == "OABCIDEFBGHJKLMN"


def test_a_registration_that_is_not_confirmed_gets_no_certificate(cert_workshop, cert_participant):
    registration = cert_participant(cert_workshop(), status=RegistrationStatus.CANCELLED)

    with pytest.raises(NotConfirmedError):
        services.issue_certificate(registration)


def test_a_participant_without_a_name_gets_no_certificate(cert_workshop, cert_participant):
    registration = cert_participant(cert_workshop(), full_name=None)

    with pytest.raises(NameMissingError):
        services.issue_certificate(registration)


def test_the_organizer_cannot_issue_to_someone_not_eligible(
    cert_workshop, cert_participant, cert_organizer
):
    registration = cert_participant(cert_workshop(), score=NO_ATTEMPT)

    with pytest.raises(NotEligibleError) as raised:
        services.issue_if_eligible(registration, cert_organizer)

    assert "Belum mengirim pasca-tes" in str(raised.value.message)


def test_simultaneous_issues_for_one_registration_make_one_certificate(
    app, db, cert_workshop, cert_participant
):
    registration = cert_participant(cert_workshop())
    registration_id = registration.id
    db.session.remove()

    results = at_once(app, 8, lambda _: issue_in_thread(registration_id))

    assert [value for kind, value in results if kind != "ok"] == []
    assert len({value for _, value in results}) == 1
    valid = db.session.scalars(sa.select(Certificate).where(Certificate.revoked_at.is_(None)))
    assert len(valid.all()) == 1


def test_simultaneous_issues_in_one_workshop_take_distinct_numbers(
    app, db, cert_workshop, cert_participant
):
    workshop = cert_workshop()
    ids = [cert_participant(workshop).id for _ in range(6)]
    db.session.remove()

    results = at_once(app, 6, lambda index: issue_in_thread(ids[index]))

    assert [value for kind, value in results if kind != "ok"] == []
    numbers = db.session.scalars(sa.select(Certificate.number)).all()
    assert len(set(numbers)) == 6


def issue_in_thread(registration_id: int) -> int:
    registration = _db.session.get(Registration, registration_id)
    certificate = services.issue_certificate(registration)
    _db.session.commit()
    return certificate.id


def test_revoking_needs_a_reason_and_is_audited(
    db, cert_workshop, cert_participant, cert_organizer
):
    certificate = services.issue_certificate(cert_participant(cert_workshop()))

    with pytest.raises(ReasonRequiredError):
        services.revoke_certificate(certificate, "   ", cert_organizer)
    services.revoke_certificate(certificate, "Data kehadiran keliru", cert_organizer)
    db.session.commit()

    assert not certificate.is_valid
    assert certificate.revoke_reason == "Data kehadiran keliru"
    assert audit_actions(db) == ["certificate_issued", "certificate_revoked"]
    with pytest.raises(AlreadyRevokedError):
        services.revoke_certificate(certificate, "Lagi", cert_organizer)


def test_reissuing_after_a_name_correction_revokes_the_old_and_issues_a_new_code(
    db, cert_workshop, cert_participant, cert_organizer
):
    registration = cert_participant(cert_workshop(), full_name="Siti Rahmawti")
    old = services.issue_certificate(registration)
    registration.user.profile.full_name = "Siti Rahmawati"

    new = services.reissue_certificate(registration, cert_organizer, "Nama diperbaiki")
    db.session.commit()

    assert old.revoke_reason == "Diterbitkan ulang: Nama diperbaiki"
    assert new.is_valid and new.id != old.id
    assert new.code != old.code and new.number != old.number
    assert new.name_on_certificate == "Siti Rahmawati"
    assert [c.id for c in certificates_of(db, registration) if c.is_valid] == [new.id]
    assert audit_actions(db) == [
        "certificate_issued",
        "certificate_revoked",
        "certificate_issued",
        "certificate_reissued",
    ]


def test_reissuing_without_a_valid_certificate_is_refused(
    cert_workshop, cert_participant, cert_organizer
):
    registration = cert_participant(cert_workshop())

    with pytest.raises(NoValidCertificateError):
        services.reissue_certificate(registration, cert_organizer, "Nama diperbaiki")


def test_issuing_all_skips_the_ineligible_and_those_already_served(
    db, cert_workshop, cert_participant, cert_organizer
):
    workshop = cert_workshop()
    eligible = cert_participant(workshop)
    served = cert_participant(workshop)
    cert_participant(workshop, attended=1)
    existing = services.issue_certificate(served)

    issued = services.issue_all_eligible(workshop, cert_organizer)
    db.session.commit()

    assert [c.registration_id for c in issued] == [eligible.id]
    assert services.find_valid_certificate(served).id == existing.id


def test_certificates_are_not_issued_before_the_workshop_runs(
    cert_workshop, cert_participant, cert_organizer
):
    workshop = cert_workshop(status=WorkshopStatus.REGISTRATION_CLOSED)
    registration = cert_participant(workshop)

    with pytest.raises(IssuingNotOpenError):
        services.issue_if_eligible(registration, cert_organizer)


def test_a_certificate_that_appears_during_issuing_is_returned_not_duplicated(
    db, monkeypatch, cert_workshop, cert_participant
):
    registration = cert_participant(cert_workshop())
    meanwhile = factories.certificate(registration, number="LL/2026/9999/00001")
    real_find = services.find_valid_certificate
    calls = []

    def racing_find(registration):
        calls.append(registration.id)
        # The two checks before the insert ran before the other transaction committed.
        return None if len(calls) <= 2 else real_find(registration)

    monkeypatch.setattr(services, "find_valid_certificate", racing_find)

    returned = services.issue_certificate(registration)
    db.session.commit()

    assert returned.id == meanwhile.id
    assert len(calls) == 3  # the insert was refused by the database, then the existing one found
    assert len(certificates_of(db, registration)) == 1
