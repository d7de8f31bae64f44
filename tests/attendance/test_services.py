"""Check-in rules: the window, the code, confirmed participants only, one check-in each."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from lokalatih.attendance import codes, presence, services
from lokalatih.attendance.errors import (
    CheckInClosedError,
    CheckInNotOpenError,
    CheckInNotYetOpenError,
    CodeExpiredError,
    CodeInvalidError,
    MarkedBeforeOpeningError,
    NotCheckedInError,
    NotConfirmedError,
)
from lokalatih.models import (
    AuditEvent,
    CheckIn,
    CheckInMethod,
    RegistrationStatus,
    WorkshopStatus,
)
from tests.attendance.attendance_helpers import minutes, now_utc

CODE = CheckInMethod.CODE


def checkins(db) -> list[CheckIn]:
    return list(db.session.scalars(sa.select(CheckIn).order_by(CheckIn.id)))


def test_a_confirmed_participant_checks_in_with_the_current_code(db, make_workshop, enroll):
    workshop = make_workshop()
    session, registration = workshop.sessions[0], enroll(workshop)
    now = now_utc()

    checkin, created = services.check_in(
        session, registration.user, codes.current_code(session, now), CODE, now
    )
    db.session.commit()

    assert created
    assert (checkin.registration_id, checkin.method) == (registration.id, CODE)
    assert len(checkins(db)) == 1


def test_checking_in_again_returns_the_first_check_in(db, make_workshop, enroll):
    workshop = make_workshop()
    session, registration = workshop.sessions[0], enroll(workshop)
    now = now_utc()
    first, _ = services.check_in(
        session, registration.user, codes.current_code(session, now), CODE, now
    )

    later = now + timedelta(seconds=45)
    again, created = services.check_in(
        session, registration.user, codes.current_code(session, later), CheckInMethod.QR, later
    )

    assert not created
    assert again.id == first.id
    assert len(checkins(db)) == 1


def test_an_expired_code_is_refused_with_its_own_message(db, make_workshop, enroll):
    workshop = make_workshop()
    session, registration = workshop.sessions[0], enroll(workshop)
    now = now_utc()
    old_code = codes.current_code(session, now - timedelta(minutes=3))

    with pytest.raises(CodeExpiredError) as refused:
        services.check_in(session, registration.user, old_code, CODE, now)

    assert "kedaluwarsa" in str(refused.value.message)
    assert checkins(db) == []


def test_another_sessions_code_is_refused_as_invalid(db, make_workshop, enroll):
    now = now_utc()
    workshop = make_workshop([(now - minutes(5), now + minutes(55))] * 2)
    first, second = workshop.sessions
    registration = enroll(workshop)

    with pytest.raises(CodeInvalidError) as refused:
        services.check_in(first, registration.user, codes.current_code(second, now), CODE, now)

    assert "bukan untuk sesi ini" in str(refused.value.message)
    assert checkins(db) == []


def test_check_in_before_the_window_opens_is_refused_as_not_yet_open(make_workshop, enroll):
    now = now_utc()
    workshop = make_workshop([(now + minutes(31), now + minutes(120))])
    session, registration = workshop.sessions[0], enroll(workshop)

    with pytest.raises(CheckInNotYetOpenError) as refused:
        services.check_in(session, registration.user, codes.current_code(session, now), CODE, now)

    assert isinstance(refused.value, CheckInNotOpenError)
    assert str(refused.value.message).startswith("Presensi belum dibuka")


def test_check_in_opens_the_configured_minutes_before_the_start(db, make_workshop, enroll):
    now = now_utc()
    workshop = make_workshop([(now + minutes(29), now + minutes(120))])
    session, registration = workshop.sessions[0], enroll(workshop)

    _, created = services.check_in(
        session, registration.user, codes.current_code(session, now), CODE, now
    )

    assert created


def test_check_in_after_the_session_ended_is_refused_as_closed(make_workshop, enroll):
    now = now_utc()
    workshop = make_workshop([(now - minutes(120), now - minutes(1))])
    session, registration = workshop.sessions[0], enroll(workshop)

    with pytest.raises(CheckInClosedError) as refused:
        services.check_in(session, registration.user, codes.current_code(session, now), CODE, now)

    assert "sudah ditutup" in str(refused.value.message)


def test_a_cancelled_workshop_takes_no_check_ins(make_workshop, enroll):
    workshop = make_workshop(status=WorkshopStatus.CANCELLED)
    session, registration = workshop.sessions[0], enroll(workshop)
    now = now_utc()

    with pytest.raises(CheckInClosedError):
        services.check_in(session, registration.user, codes.current_code(session, now), CODE, now)


@pytest.mark.parametrize(
    "status",
    [RegistrationStatus.PENDING, RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED],
)
def test_only_confirmed_participants_check_in(db, make_workshop, enroll, status):
    workshop = make_workshop()
    session, registration = workshop.sessions[0], enroll(workshop, status=status)
    now = now_utc()

    with pytest.raises(NotConfirmedError):
        services.check_in(session, registration.user, codes.current_code(session, now), CODE, now)

    assert checkins(db) == []


def test_someone_not_registered_at_all_cannot_check_in(db, make_workshop, make_person):
    session = make_workshop().sessions[0]
    now = now_utc()

    with pytest.raises(NotConfirmedError):
        services.check_in(session, make_person(), codes.current_code(session, now), CODE, now)


def test_a_check_in_always_belongs_to_the_user_who_sent_the_code(db, make_workshop, enroll):
    workshop = make_workshop()
    session = workshop.sessions[0]
    siti, budi = enroll(workshop), enroll(workshop)
    now = now_utc()

    checkin, _ = services.check_in(session, budi.user, codes.current_code(session, now), CODE, now)

    assert checkin.registration_id == budi.id
    assert services.find_checkin(session, siti) is None


def test_marking_by_hand_records_the_organizer_and_the_reason_in_the_audit_log(
    db, make_workshop, enroll, organizer
):
    workshop = make_workshop()
    session, registration = workshop.sessions[0], enroll(workshop)

    checkin, created = services.mark_present(
        session, registration, organizer, "Ponsel peserta mati", now_utc(), ip="10.0.0.5"
    )
    db.session.commit()

    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "checkin_marked"))
    assert created
    assert (checkin.method, checkin.recorded_by_id) == (CheckInMethod.MANUAL, organizer.id)
    assert event.actor_id == organizer.id
    assert event.details["reason"] == "Ponsel peserta mati"
    assert event.details["registration_id"] == registration.id


def _events(db, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def test_marking_by_hand_before_check_in_opens_is_refused_and_records_nothing(
    db, make_workshop, enroll, organizer, clock
):
    now = clock.now()
    workshop = make_workshop([(now + minutes(120), now + minutes(180))])
    session, registration = workshop.sessions[0], enroll(workshop)

    with pytest.raises(MarkedBeforeOpeningError) as refused:
        services.mark_present(session, registration, organizer, "Datang awal", now)
    db.session.rollback()

    assert str(refused.value.message).startswith("Sesi ini belum dimulai: presensi dibuka mulai ")
    assert checkins(db) == []
    assert db.session.scalars(sa.select(AuditEvent)).all() == []


def test_marking_by_hand_before_check_in_opens_with_a_reason_is_audited_as_an_override(
    db, make_workshop, enroll, organizer, clock
):
    now = clock.now()
    workshop = make_workshop([(now + minutes(120), now + minutes(180))])
    session, registration = workshop.sessions[0], enroll(workshop)

    _, created = services.mark_present(
        session,
        registration,
        organizer,
        "Datang awal",
        now,
        override_reason="Peserta harus pulang sebelum sesi dimulai.",
    )
    db.session.commit()

    assert created
    [override] = _events(db, "state_guard_overridden")
    assert override.actor_id == organizer.id
    assert override.details["guard"] == "mark_before_checkin_opens"
    assert override.details["reason"] == "Peserta harus pulang sebelum sesi dimulai."
    assert override.details["registration_id"] == registration.id
    assert len(_events(db, "checkin_marked")) == 1


def test_marking_by_hand_follows_the_check_in_window_of_participants(
    db, make_workshop, enroll, organizer, clock
):
    """Check-in opens 30 minutes before the session (as for the screen's code); marking by hand
    then, and after the session, needs no override."""
    now = clock.now()
    workshop = make_workshop(
        [(now + minutes(30), now + minutes(90)), (now - minutes(120), now - minutes(60))]
    )
    opening, finished = workshop.sessions
    registration = enroll(workshop)

    services.mark_present(opening, registration, organizer, "Datang awal", now)
    services.mark_present(finished, registration, organizer, "Daftar hadir kertas", now)
    db.session.commit()

    assert len(checkins(db)) == 2
    assert _events(db, "state_guard_overridden") == []


def test_unmarking_removes_the_check_in_and_audits_what_was_removed(
    db, make_workshop, enroll, organizer
):
    workshop = make_workshop()
    session, registration = workshop.sessions[0], enroll(workshop)
    now = now_utc()
    services.check_in(session, registration.user, codes.current_code(session, now), CODE, now)

    services.unmark(session, registration, organizer, "Salah pindai: orang lain")
    db.session.commit()

    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "checkin_unmarked"))
    assert checkins(db) == []
    assert event.details["reason"] == "Salah pindai: orang lain"
    assert event.details["method"] == "code"


def test_unmarking_someone_not_checked_in_is_refused(make_workshop, enroll, organizer):
    workshop = make_workshop()
    session, registration = workshop.sessions[0], enroll(workshop)

    with pytest.raises(NotCheckedInError):
        services.unmark(session, registration, organizer, "Tidak hadir")


def test_scanned_personal_codes_are_recorded_once_and_unknown_ones_reported(
    db, make_workshop, enroll, organizer, make_person
):
    workshop, other_workshop = make_workshop(), make_workshop()
    session = workshop.sessions[0]
    siti = enroll(workshop, full_name="Siti Rahmawati")
    waiting = enroll(workshop, status=RegistrationStatus.WAITLISTED)
    elsewhere = enroll(other_workshop)
    sent = [
        services.personal_qr_payload(siti),
        services.personal_qr_payload(waiting),
        services.personal_qr_payload(elsewhere),
        "LLQR1:tidak-ada",
    ]

    first = services.record_scans(session, sent, organizer, now_utc())
    again = services.record_scans(session, sent[:1], organizer, now_utc())
    db.session.commit()

    assert [(r.status, r.name) for r in first] == [
        ("recorded", "Siti Rahmawati"),
        ("not_confirmed", waiting.user.email),
        ("unknown", None),
        ("unknown", None),
    ]
    assert [r.status for r in again] == ["already"]
    assert [(c.registration_id, c.method) for c in checkins(db)] == [
        (siti.id, CheckInMethod.PERSONAL_QR)
    ]
    assert checkins(db)[0].recorded_by_id == organizer.id


def test_the_personal_qr_holds_no_personal_data(make_workshop, enroll):
    registration = enroll(make_workshop(), full_name="Siti Rahmawati")

    payload = services.personal_qr_payload(registration)

    assert payload == f"LLQR1:{registration.checkin_token}"
    assert "Siti" not in payload and registration.user.email not in payload


def test_open_sessions_are_those_of_confirmed_workshops_within_their_window(
    make_workshop, enroll, make_person
):
    now = now_utc()
    user = make_person()
    running = make_workshop(
        [(now - minutes(10), now + minutes(50)), (now + minutes(60), now + minutes(120))]
    )
    waiting = make_workshop()
    enroll(running, user)
    enroll(waiting, user, status=RegistrationStatus.WAITLISTED)

    assert services.open_sessions_for(user, now) == [running.sessions[0]]


def test_attendance_shares_count_sessions_attended_of_all_sessions(
    db, make_workshop, enroll, organizer
):
    now = now_utc()
    workshop = make_workshop([(now - minutes(10), now + minutes(50))] * 5)
    always, twice, never = enroll(workshop), enroll(workshop), enroll(workshop)
    enroll(workshop, status=RegistrationStatus.CANCELLED)
    for session in workshop.sessions:
        services.mark_present(session, always, organizer, "Daftar hadir kertas", now)
    for session in workshop.sessions[:2]:
        services.mark_present(session, twice, organizer, "Daftar hadir kertas", now)
    db.session.commit()

    shares = services.attendance_shares(workshop)

    assert shares == {always.id: (5, 5), twice.id: (2, 5), never.id: (0, 5)}
    assert presence.attendance_share(always) == 100.0
    assert presence.attendance_share(twice) == 40.0
    assert presence.attendance_share(never) == 0.0


def test_four_of_five_sessions_is_exactly_80_percent(db, make_workshop, enroll, organizer):
    now = now_utc()
    workshop = make_workshop([(now - minutes(10), now + minutes(50))] * 5)
    registration = enroll(workshop)
    for session in workshop.sessions[:4]:
        services.mark_present(session, registration, organizer, "Hadir", now)

    assert presence.attendance_share(registration) == 80.0


def test_a_workshop_without_sessions_gives_a_share_of_zero(db, make_workshop, enroll):
    workshop = make_workshop()
    registration = enroll(workshop)
    workshop.sessions.clear()
    db.session.commit()

    assert services.attendance_shares(workshop) == {registration.id: (0, 0)}
    assert presence.attendance_share(registration) == 0.0
