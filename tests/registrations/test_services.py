"""Registering, cancelling, approving and promoting: the seat rules and the emails they send."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest
from icalendar import Calendar

from lokalatih.models import (
    InstitutionType,
    QuotaKind,
    Registration,
    RegistrationStatus,
    WorkshopStatus,
    utcnow,
)
from lokalatih.registrations import decisions, services
from lokalatih.registrations.errors import (
    AlreadyRegisteredError,
    CancelClosedError,
    ConsentRequiredError,
    EmailNotVerifiedError,
    NoSeatFreeError,
    ProfileIncompleteError,
    RegistrationClosedError,
    SeatsFullError,
    WorkshopInactiveError,
)
from tests.registrations.registration_helpers import outbox, statuses

CONFIRMED = RegistrationStatus.CONFIRMED
PENDING = RegistrationStatus.PENDING
WAITLISTED = RegistrationStatus.WAITLISTED
CANCELLED = RegistrationStatus.CANCELLED
REJECTED = RegistrationStatus.REJECTED


def register_all(db, workshop, users) -> list[Registration]:
    registrations = []
    for user in users:
        registrations.append(services.register_participant(workshop, user))
        db.session.commit()
    return registrations


def positions(registrations: list[Registration]) -> list[int | None]:
    return [services.waitlist_position(registration) for registration in registrations]


# --- outcomes ---------------------------------------------------------------------------------


def test_free_seat_confirms_registration(db, make_workshop, make_participant):
    workshop = make_workshop(capacity=2)
    user = make_participant()

    registration = services.register_participant(workshop, user)
    db.session.commit()

    assert registration.status == CONFIRMED
    assert registration.confirmed_at is not None
    assert services.seats_left(workshop) == 1
    assert services.find_registration(workshop, user) == registration


def test_approval_required_makes_registration_pending_without_taking_a_seat(
    db, make_workshop, make_participant
):
    workshop = make_workshop(capacity=1, requires_approval=True)

    registration = services.register_participant(workshop, make_participant())
    db.session.commit()

    assert registration.status == PENDING
    assert services.seats_left(workshop) == 1


def test_full_workshop_waitlists_in_arrival_order(db, make_workshop, make_participants):
    workshop = make_workshop(capacity=2)

    registrations = register_all(db, workshop, make_participants(4))

    assert statuses(workshop) == [CONFIRMED, CONFIRMED, WAITLISTED, WAITLISTED]
    assert positions(registrations) == [None, None, 1, 2]
    assert services.seats_left(workshop) == 0


def test_full_workshop_without_waitlist_refuses(db, make_workshop, make_participants):
    workshop = make_workshop(capacity=1, waitlist_enabled=False)
    first, second = make_participants(2)
    register_all(db, workshop, [first])

    with pytest.raises(SeatsFullError):
        services.register_participant(workshop, second)
    db.session.rollback()

    assert statuses(workshop) == [CONFIRMED]


def test_seats_left_is_never_negative_after_capacity_drops(db, make_workshop, make_participants):
    workshop = make_workshop(capacity=3)
    register_all(db, workshop, make_participants(3))

    workshop.capacity = 1
    db.session.commit()

    assert services.seats_left(workshop) == 0


# --- quotas -----------------------------------------------------------------------------------


def test_quota_seat_stays_free_for_its_group_while_general_seats_fill(
    db, make_workshop, make_participants
):
    workshop = make_workshop(
        capacity=3, quotas=[(QuotaKind.INSTITUTION_TYPE, InstitutionType.CIVIL_SOCIETY.value, 1)]
    )
    officials = make_participants(3, institution_type=InstitutionType.LOCAL_GOVERNMENT)
    (activist,) = make_participants(1, institution_type=InstitutionType.CIVIL_SOCIETY)

    register_all(db, workshop, officials)
    late_activist = services.register_participant(workshop, activist)
    db.session.commit()

    assert statuses(workshop) == [CONFIRMED, CONFIRMED, WAITLISTED, CONFIRMED]
    assert late_activist.quota_id == workshop.quotas[0].id


def test_quota_never_exceeds_its_seats(db, make_workshop, make_participants):
    workshop = make_workshop(capacity=3, quotas=[(QuotaKind.PROVINCE, "73", 1)])
    sulawesi = make_participants(4, province_code="73", regency_code="73.71")

    registrations = register_all(db, workshop, sulawesi)

    quota_id = workshop.quotas[0].id
    assert [r.status for r in registrations] == [CONFIRMED, CONFIRMED, CONFIRMED, WAITLISTED]
    assert [r.quota_id for r in registrations[:3]] == [quota_id, None, None]


def test_participant_matching_no_quota_waits_while_only_reserved_seats_are_free(
    db, make_workshop, make_participants
):
    workshop = make_workshop(capacity=2, quotas=[(QuotaKind.PROVINCE, "91", 1)])
    jakarta = make_participants(2, province_code="31", regency_code="31.74")
    (papua,) = make_participants(1, province_code="91", regency_code="91.71")

    register_all(db, workshop, jakarta + [papua])

    assert statuses(workshop) == [CONFIRMED, WAITLISTED, CONFIRMED]


# --- refusals ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("participant", "error"),
    [
        ({"verified": False}, EmailNotVerifiedError),
        ({"complete_profile": False}, ProfileIncompleteError),
        ({"consent": False}, ConsentRequiredError),
    ],
)
def test_unready_participant_is_refused_with_the_reason(
    db, make_workshop, make_participant, participant, error
):
    workshop = make_workshop()
    user = make_participant(**participant)

    with pytest.raises(error) as raised:
        services.register_participant(workshop, user)
    db.session.rollback()

    assert raised.value.code == error.code
    assert statuses(workshop) == []


def test_participant_without_any_profile_is_refused(db, make_workshop, make_user, consent_version):
    workshop = make_workshop()
    user = make_user(complete_profile=False)

    with pytest.raises(ProfileIncompleteError):
        services.register_participant(workshop, user)


@pytest.mark.parametrize(
    "workshop_args",
    [
        {"registration_closes_at": utcnow() - timedelta(hours=1)},
        {"status": WorkshopStatus.REGISTRATION_CLOSED},
        {"status": WorkshopStatus.DRAFT},
        {"status": WorkshopStatus.CANCELLED},
    ],
)
def test_registration_outside_the_window_is_refused(
    db, make_workshop, make_participant, workshop_args
):
    workshop = make_workshop(**workshop_args)

    with pytest.raises(RegistrationClosedError):
        services.register_participant(workshop, make_participant())
    db.session.rollback()

    assert statuses(workshop) == []


def test_registering_twice_is_refused(db, make_workshop, make_participant):
    workshop = make_workshop()
    user = make_participant()
    register_all(db, workshop, [user])

    with pytest.raises(AlreadyRegisteredError):
        services.register_participant(workshop, user)
    db.session.rollback()

    assert statuses(workshop) == [CONFIRMED]


def test_reregistering_after_cancelling_reuses_the_registration(
    db, make_workshop, make_participant
):
    workshop = make_workshop()
    user = make_participant()
    (first,) = register_all(db, workshop, [user])
    services.cancel_registration(first, user)
    db.session.commit()

    again = services.register_participant(workshop, user)
    db.session.commit()

    assert again.id == first.id
    assert again.status == CONFIRMED
    assert again.cancelled_at is None


def test_rejected_participant_can_register_again_as_new(db, make_workshop, make_participant):
    workshop = make_workshop(requires_approval=True)
    user = make_participant()
    (registration,) = register_all(db, workshop, [user])
    decisions.reject_registration(registration, workshop.organizers[0], "Kuota instansi penuh.")
    db.session.commit()

    again = services.register_participant(workshop, user)
    db.session.commit()

    assert again.status == PENDING
    assert again.decision_reason is None


# --- cancelling and the waitlist --------------------------------------------------------------


def test_cancel_promotes_exactly_one_per_freed_seat(db, make_workshop, make_participants):
    workshop = make_workshop(capacity=2)
    first, second, third, fourth = register_all(db, workshop, make_participants(4))

    promoted = services.cancel_registration(first, first.user)
    db.session.commit()

    assert promoted == [third]
    assert [r.status for r in (first, second, third, fourth)] == [
        CANCELLED,
        CONFIRMED,
        CONFIRMED,
        WAITLISTED,
    ]
    assert services.waitlist_position(fourth) == 1


def test_cancelling_a_waitlisted_place_promotes_nobody(db, make_workshop, make_participants):
    workshop = make_workshop(capacity=1)
    first, second, third = register_all(db, workshop, make_participants(3))

    promoted = services.cancel_registration(second, second.user)
    db.session.commit()

    assert promoted == []
    assert [r.status for r in (first, second, third)] == [CONFIRMED, CANCELLED, WAITLISTED]
    assert services.waitlist_position(third) == 1


def test_cancelling_twice_is_harmless(db, make_workshop, make_participants):
    workshop = make_workshop(capacity=1)
    first, second, third = register_all(db, workshop, make_participants(3))
    services.cancel_registration(first, first.user)
    db.session.commit()

    promoted = services.cancel_registration(first, first.user)
    db.session.commit()

    assert promoted == []
    assert [r.status for r in (first, second, third)] == [CANCELLED, CONFIRMED, WAITLISTED]
    assert len(outbox("registration_cancelled")) == 1


def test_waitlist_positions_stay_gapless_in_arrival_order(db, make_workshop, make_participants):
    workshop = make_workshop(capacity=1)
    registrations = register_all(db, workshop, make_participants(6))
    confirmed, waiting = registrations[0], registrations[1:]

    services.cancel_registration(waiting[1], waiting[1].user)  # the 2nd in line leaves
    services.cancel_registration(confirmed, confirmed.user)  # the 1st in line moves up
    workshop.capacity = 2
    db.session.commit()
    decisions.promote_registration(waiting[4], workshop.organizers[0])  # the last, by hand
    db.session.commit()

    assert positions(waiting) == [None, None, 1, 2, None]
    assert services.waitlist_positions(workshop) == {waiting[2].id: 1, waiting[3].id: 2}


def test_fill_free_seats_after_capacity_raise_promotes_in_order(
    db, make_workshop, make_participants
):
    workshop = make_workshop(capacity=1)
    registrations = register_all(db, workshop, make_participants(5))
    workshop.capacity = 3
    db.session.commit()

    promoted = services.fill_free_seats(workshop)
    db.session.commit()

    assert promoted == registrations[1:3]
    assert positions(registrations) == [None, None, None, 1, 2]
    assert len(outbox("registration_promoted")) == 2


def test_raised_capacity_promotes_the_participant_waiting_behind_a_reserved_seat(
    db, make_workshop, make_participants
):
    workshop = make_workshop(capacity=1, quotas=[(QuotaKind.PROVINCE, "91", 1)])
    officials = make_participants(1, province_code="31", regency_code="31.74")
    (papua,) = make_participants(1, province_code="91", regency_code="91.71")
    # Capacity 1 with one reserved seat: the Jakarta official waits, the Papuan takes the seat.
    first, second = register_all(db, workshop, officials + [papua])
    workshop.capacity = 2
    db.session.commit()

    promoted = services.fill_free_seats(workshop)
    db.session.commit()

    assert [first.status, second.status] == [CONFIRMED, CONFIRMED]
    assert promoted == [first]


# --- organizer decisions ----------------------------------------------------------------------


def test_approve_confirms_when_a_seat_is_free_else_waitlists(db, make_workshop, make_participants):
    workshop = make_workshop(capacity=1, requires_approval=True)
    first, second = register_all(db, workshop, make_participants(2))
    organizer = workshop.organizers[0]

    seated = decisions.approve_registration(first, organizer)
    waiting = decisions.approve_registration(second, organizer)
    db.session.commit()

    assert [first.status, second.status] == [CONFIRMED, WAITLISTED]
    assert services.waitlist_position(second) == 1
    assert (seated.confirmed, seated.waitlist_position) == (True, None)
    assert (waiting.confirmed, waiting.waitlist_position) == (False, 1)


def test_approve_without_seat_or_waitlist_is_refused(db, make_workshop, make_participants):
    workshop = make_workshop(capacity=1, requires_approval=True, waitlist_enabled=False)
    first, second = register_all(db, workshop, make_participants(2))
    decisions.approve_registration(first, workshop.organizers[0])
    db.session.commit()

    with pytest.raises(SeatsFullError):
        decisions.approve_registration(second, workshop.organizers[0])
    db.session.rollback()

    assert second.status == PENDING


def test_rejecting_a_confirmed_participant_frees_the_seat_for_the_waitlist(
    db, make_workshop, make_participants
):
    workshop = make_workshop(capacity=1)
    first, second = register_all(db, workshop, make_participants(2))

    promoted = decisions.reject_registration(first, workshop.organizers[0], "Data tidak sesuai.")
    db.session.commit()

    assert promoted == [second]
    assert first.status == REJECTED
    assert first.decision_reason == "Data tidak sesuai."


def test_promoting_by_hand_needs_a_free_seat(db, make_workshop, make_participants):
    workshop = make_workshop(capacity=1)
    _, waiting = register_all(db, workshop, make_participants(2))

    with pytest.raises(NoSeatFreeError):
        decisions.promote_registration(waiting, workshop.organizers[0])
    db.session.rollback()

    assert waiting.status == WAITLISTED


# --- emails -----------------------------------------------------------------------------------


def _calendar_of(message) -> Calendar:
    (attachment,) = message.attachments
    assert attachment["filename"] == "loka-latih.ics"
    assert attachment["content_type"] == "text/calendar"
    return Calendar.from_ical(base64.b64decode(attachment["data"]))


def test_confirmation_email_carries_the_calendar_with_session_times_in_utc(
    db, make_workshop, make_participant
):
    workshop = make_workshop()
    user = make_participant()
    session = workshop.sessions[0]

    register_all(db, workshop, [user])

    (message,) = outbox("registration_confirmed")
    assert message.recipient == user.email
    assert workshop.title in message.subject
    assert "WITA" in message.body_text
    assert f"http://localhost/loka-latih/{workshop.slug}" in message.body_text
    assert workshop.meeting_url in message.body_text
    (event,) = _calendar_of(message).walk("VEVENT")
    assert event.decoded("dtstart") == session.starts_at


def test_each_outcome_sends_its_email(db, make_workshop, make_participants):
    workshop = make_workshop(capacity=1)
    first, second = make_participants(2)

    a, b = register_all(db, workshop, [first, second])
    services.cancel_registration(a, first)
    db.session.commit()

    templates = [message.template for message in outbox()]
    assert templates == [
        "registration_confirmed",
        "registration_waitlisted",
        "registration_cancelled",
        "registration_promoted",
    ]
    waitlisted, promoted = outbox("registration_waitlisted")[0], outbox("registration_promoted")[0]
    assert "urutan ke-1" in waitlisted.body_text
    assert workshop.meeting_url not in waitlisted.body_text
    assert _calendar_of(promoted).walk("VEVENT")


def test_pending_and_rejected_emails_tell_the_participant(db, make_workshop, make_participant):
    workshop = make_workshop(requires_approval=True)
    user = make_participant()
    (registration,) = register_all(db, workshop, [user])

    decisions.reject_registration(
        registration, workshop.organizers[0], "Peserta dari luar wilayah."
    )
    db.session.commit()

    assert [m.template for m in outbox()] == ["registration_pending", "registration_rejected"]
    assert "Peserta dari luar wilayah." in outbox("registration_rejected")[0].body_text


def test_no_seat_is_given_in_a_cancelled_workshop(db, make_workshop, make_participants):
    workshop = make_workshop(capacity=1, requires_approval=True)
    (registration,) = register_all(db, workshop, make_participants(1))
    workshop.status = WorkshopStatus.CANCELLED
    db.session.commit()

    with pytest.raises(WorkshopInactiveError):
        decisions.approve_registration(registration, workshop.organizers[0])
    db.session.rollback()

    assert registration.status == PENDING


def test_registration_cannot_be_cancelled_after_the_workshop_completed(
    db, make_workshop, make_participant
):
    workshop = make_workshop()
    user = make_participant()
    (registration,) = register_all(db, workshop, [user])
    workshop.status = WorkshopStatus.COMPLETED
    db.session.commit()

    with pytest.raises(CancelClosedError):
        services.cancel_registration(registration, user)
    db.session.rollback()

    assert registration.status == CONFIRMED
