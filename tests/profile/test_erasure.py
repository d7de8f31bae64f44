"""Erasing an account: personal data gone from every text column, statistics unchanged,
certificates revoked "at the holder's request", the seat of an upcoming workshop freed."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

import pytest
import sqlalchemy as sa

from lokalatih.auth import services as auth_services
from lokalatih.models import (
    AuditEvent,
    Certificate,
    ConsentRecord,
    Gender,
    InstitutionType,
    LoginSession,
    OutboxMessage,
    Registration,
    RegistrationStatus,
    Role,
    User,
)
from lokalatih.privacy import erasure
from lokalatih.privacy.erasure import ErasureReason, erase_account
from lokalatih.privacy.errors import AlreadyErasedError, StaffAccountError
from lokalatih.reports import services as report_services
from lokalatih.reports.figures import Filters
from tests.support import PASSWORD, login

from .erasure_world import (
    TARGET_CODE,
    TARGET_EMAIL,
    TARGET_NAME,
    TARGET_PHONE,
    build_world,
    find_text,
)


@pytest.fixture
def world(db, make_user, consent_version):
    return build_world(db, make_user, consent_version)


FILTERS = [
    Filters(),
    Filters(province="31"),
    Filters(province="32", regency="32.73"),
    Filters(regency="31.74"),
    Filters(institution_type=InstitutionType.LOCAL_GOVERNMENT),
    Filters(institution_type=InstitutionType.CIVIL_SOCIETY),
    Filters(gender=Gender.FEMALE),
    Filters(gender=Gender.MALE),
    Filters(topic="ham-dasar"),
    Filters(date_from=date(2026, 3, 1), date_to=date(2026, 3, 31)),
]


def _everything_the_dashboard_shows(world) -> list:
    """Every figure and breakdown, for the reviewer and the organizer, under every filter, and
    the pseudonymous participant table. The workshops in scope are those already held: the
    upcoming one's seat goes to the waitlist, which changes its registrations by design."""
    figures = []
    # One moment for both calls (`as_of` is part of the report compared).
    by_organizer = Filters(organizer_id=world.organizer.id, as_of=FILTERS[0].as_of)
    for filters in [*FILTERS, by_organizer]:
        if filters.date_from is None:
            filters = Filters(**{**asdict(filters), "date_to": date(2026, 4, 30)})
        for viewer in (world.reviewer, world.organizer):
            report = report_services.build_report(filters, viewer)
            table = report_services.participant_page(filters, viewer, page=None, secret="k")
            rows, total = table.rows, table.total
            figures.append((asdict(report), [asdict(row) for row in rows], total))
    return figures


def _erase(db, user, reason=ErasureReason.SELF_REQUEST):
    erase_account(user, reason, actor=user, ip="203.0.113.7")
    db.session.commit()


def test_dashboard_figures_are_the_same_before_and_after_erasure(db, world):
    before = _everything_the_dashboard_shows(world)
    # The data set is not trivial: groups of 5 or more are shown, certificates counted.
    headline = before[0][0]["headline"]
    assert headline["participants"] == 6 and headline["certificates"] == 4
    assert headline["pairs"] == 6

    _erase(db, world.target)
    db.session.expire_all()

    assert _everything_the_dashboard_shows(world) == before


def test_no_text_column_of_any_table_still_holds_the_email_phone_or_name(db, world):
    assert find_text(db, TARGET_EMAIL)  # the search does find them beforehand
    assert find_text(db, TARGET_PHONE)
    assert find_text(db, TARGET_NAME)

    _erase(db, world.target)

    assert find_text(db, TARGET_EMAIL) == []
    assert find_text(db, TARGET_PHONE) == []
    assert find_text(db, TARGET_NAME) == []


def test_profile_is_anonymized_and_what_the_statistics_use_is_kept(db, world):
    _erase(db, world.target)
    db.session.expire_all()
    user, profile = world.target, world.target.profile

    assert user.email == f"dihapus-{user.id}@invalid.lokalatih"
    assert user.erased_at is not None
    assert (profile.full_name, profile.phone, profile.institution_name, profile.position) == (
        None, None, None, None,
    )  # fmt: skip
    assert (profile.gender, profile.institution_type) == (
        Gender.FEMALE,
        InstitutionType.LOCAL_GOVERNMENT,
    )
    assert (profile.province_code, profile.regency_code) == ("31", "31.74")
    assert not auth_services.verify_password(user.password_hash, PASSWORD)


def test_sessions_consents_and_mail_to_them_are_gone(db, world):
    _erase(db, world.target)

    sessions = db.session.scalars(
        sa.select(LoginSession).where(LoginSession.user_id == world.target.id)
    ).all()
    assert sessions and all(s.revoked_at is not None for s in sessions)
    consents = db.session.scalars(
        sa.select(ConsentRecord).where(ConsentRecord.user_id == world.target.id)
    ).all()
    assert consents and all(record.withdrawn_at is not None for record in consents)
    recipients = set(db.session.scalars(sa.select(OutboxMessage.recipient)))
    # Their own mail is deleted; the organizer's is kept, scrubbed; the promoted person is told.
    assert recipients == {world.organizer.email, world.others[0].email}
    kept = db.session.scalar(
        sa.select(OutboxMessage).where(OutboxMessage.recipient == world.organizer.email)
    )
    assert kept.body_text == "Peserta [dihapus] ([dihapus]) bertanya tentang jadwal."


def test_audit_keeps_every_event_without_their_details_or_address(db, world):
    count = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))

    _erase(db, world.target)

    events = db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    # + the upcoming registration cancelled, + the waitlisted person promoted, + the erasure
    assert [event.action for event in events[count:]] == [
        "registration_cancelled",
        "registration_promoted",
        "account_erased",
    ]
    by_action = {event.action: event for event in events}
    login_event = by_action["login"]
    assert (login_event.actor_id, login_event.ip) == (world.target.id, None)
    assert by_action["login_failed"].ip is None
    assert by_action["login_failed"].details == {"reason": "wrong_password"}  # a code, kept
    assert by_action["profile_updated"].details == {"fields": ["full_name", "phone"]}
    assert by_action["user_looked_up"].details is None
    assert by_action["registration_rejected"].details is None
    assert by_action["registration_rejected"].ip == "10.0.0.9"  # the organizer's, not theirs
    assert by_action["certificate_revoked"].details == {"number": "LL/2026/0001/00001"}
    erased = by_action["account_erased"]
    assert erased.object_id == str(world.target.id) and erased.actor_id == world.target.id
    assert erased.details == {
        "erasure_reason": "self_request",
        "registrations_cancelled": 1,
        "certificates_revoked": 1,
    }
    assert erased.ip is None


def test_upcoming_seat_goes_to_the_waitlist_and_past_registrations_stay(db, world):
    _erase(db, world.target)
    db.session.expire_all()

    statuses = dict(
        db.session.execute(
            sa.select(Registration.workshop_id, Registration.status).where(
                Registration.user_id == world.target.id
            )
        ).all()
    )
    assert statuses[world.upcoming.id] == RegistrationStatus.CANCELLED
    assert statuses[world.held.id] == RegistrationStatus.CONFIRMED
    assert world.waiting.status == RegistrationStatus.CONFIRMED
    # The person promoted is told; nothing is queued for the erased account.
    promoted_mail = db.session.scalars(
        sa.select(OutboxMessage.recipient).where(OutboxMessage.template == "registration_promoted")
    ).all()
    assert promoted_mail == [world.others[0].email]


def test_certificates_are_revoked_at_the_holders_request_without_a_name(db, world):
    _erase(db, world.target)
    db.session.expire_all()

    certificate = world.certificate
    assert certificate.revoked_at is not None and certificate.revoked_by_holder
    assert certificate.name_on_certificate == ""
    assert certificate.revoke_reason == erasure.HOLDER_REVOKE_REASON
    others = db.session.scalars(
        sa.select(Certificate).where(Certificate.registration_id != certificate.registration_id)
    ).all()
    assert others and all(c.revoked_at is None for c in others)


def test_verification_page_says_revoked_at_the_holders_request_and_shows_no_name(client, db, world):
    assert TARGET_NAME in client.get(f"/verifikasi/{TARGET_CODE}").get_data(as_text=True)

    _erase(db, world.target)
    page = client.get(f"/verifikasi/{TARGET_CODE}").get_data(as_text=True)

    assert "dicabut atas permintaan pemegang" in page
    assert "Sertifikat dicabut" in page
    assert TARGET_NAME not in page
    assert "Wahyuni" not in page


def test_erasing_twice_is_refused_and_staff_are_never_erased(db, world):
    _erase(db, world.target)

    with pytest.raises(AlreadyErasedError):
        erase_account(world.target, ErasureReason.ADMIN_REQUEST)
    for staff in (world.organizer, world.reviewer, world.admin):
        with pytest.raises(StaffAccountError):
            erase_account(staff, ErasureReason.ADMIN_REQUEST)


def test_erased_account_cannot_log_in_and_its_email_can_sign_up_again(client, db, world):
    _erase(db, world.target)

    assert login(client, TARGET_EMAIL).status_code != 302
    assert login(client, world.target.email).status_code != 302
    assert client.get("/profil").status_code == 302  # still signed out

    new = auth_services.sign_up(TARGET_EMAIL, "Sandi-Baru-Yang-Kuat-2026", "id")
    db.session.commit()
    assert new.id != world.target.id
    assert db.session.scalar(sa.select(User).where(User.email == TARGET_EMAIL)) is new


def test_organizer_pages_and_exports_keep_working_and_show_the_placeholder(
    client, db, world, login_as
):
    _erase(db, world.target)
    login_as(world.organizer)
    slug = world.held.slug

    registrants = client.get(f"/kelola/{slug}/pendaftar")
    certificates = client.get(f"/kelola/{slug}/sertifikat")
    export = client.get(f"/kelola/{slug}/pendaftar.csv")
    attendance = client.get(f"/kelola/{slug}/presensi.csv")
    pdf = client.get(f"/sertifikat/{world.certificate.id}.pdf")

    for response in (registrants, certificates, export, attendance):
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert "Peserta terhapus" in body
        assert TARGET_NAME not in body and TARGET_EMAIL not in body
    assert "dicabut atas permintaan pemegang" in certificates.get_data(as_text=True)
    assert pdf.status_code == 410
    assert "dicabut atas permintaan pemegang" in pdf.get_data(as_text=True)


def test_no_certificate_is_issued_later_to_an_erased_account(db, world):
    from lokalatih.certificates.services import pending_registrations

    db.session.execute(sa.delete(Certificate))  # as if nobody had one yet
    db.session.commit()
    before = {r.user_id for r in pending_registrations(world.held)}
    assert world.target.id in before

    _erase(db, world.target)

    after = {r.user_id for r in pending_registrations(world.held)}
    assert after == before - {world.target.id}


def test_a_staff_member_demoted_to_participant_can_be_erased(db, world):
    world.organizer.role = Role.PARTICIPANT  # an admin demoted them first: now it is allowed
    db.session.commit()

    _erase(db, world.organizer, ErasureReason.ADMIN_REQUEST)

    assert world.organizer.erased_at is not None


def test_the_second_factor_and_its_recovery_codes_are_gone(db, world):
    from lokalatih.auth import totp, twofactor
    from lokalatih.models import RecoveryCode

    target = world.target
    sealed = twofactor.new_pending_secret(target)
    secret = twofactor.open_pending_secret(target, sealed)
    assert len(twofactor.enable(target, sealed, totp.totp(secret))) == 10
    db.session.commit()

    _erase(db, target)

    assert target.totp_secret is None and not target.two_factor_enabled
    recovery = sa.select(sa.func.count()).select_from(RecoveryCode)
    assert db.session.scalar(recovery.where(RecoveryCode.user_id == target.id)) == 0
