"""The registrant list as a back office: search, bulk actions and walk-ins, as services."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from lokalatih.auth.errors import InvalidEmailError
from lokalatih.models import (
    AuditEvent,
    InstitutionType,
    Registration,
    RegistrationStatus,
    User,
    WorkshopStatus,
)
from lokalatih.registrations import decisions, services
from lokalatih.registrations.errors import (
    WalkInAlreadyConfirmedError,
    WalkInFullError,
    WalkInNoWaitlistError,
    WorkshopInactiveError,
)
from lokalatih.registrations.registrants import (
    SEARCH_MAX_LENGTH,
    RegistrantFilters,
    list_registrants,
)
from tests.registrations.registration_helpers import outbox, statuses
from tests.support import PASSWORD

CONFIRMED = RegistrationStatus.CONFIRMED
PENDING = RegistrationStatus.PENDING
WAITLISTED = RegistrationStatus.WAITLISTED
REJECTED = RegistrationStatus.REJECTED


def register(db, workshop, users) -> list[Registration]:
    registrations = [services.register_participant(workshop, user) for user in users]
    db.session.commit()
    return registrations


def ids(registrations: list[Registration]) -> list[int]:
    return [registration.id for registration in registrations]


def names(workshop, **filters) -> list[str]:
    return [row.name for row in list_registrants(workshop, RegistrantFilters(**filters))]


# --- search -----------------------------------------------------------------------------------


def test_search_finds_by_name_email_or_institution_in_any_case(
    db, make_workshop, make_participants
):
    workshop = make_workshop()
    (siti,) = make_participants(1, full_name="Siti Rahmawati")
    (budi,) = make_participants(1, full_name="Budi Santoso")
    (rina,) = make_participants(1, full_name="Rina Aktivis")
    rina.profile.institution_name = "LBH Makassar"
    budi.email = "budi.kantor@pemkot-palu.go.id"
    db.session.commit()
    register(db, workshop, [siti, budi, rina])

    assert names(workshop, search="RAHMA") == ["Siti Rahmawati"]
    assert names(workshop, search="Pemkot-Palu") == ["Budi Santoso"]
    assert names(workshop, search="lbh makassar") == ["Rina Aktivis"]
    assert names(workshop, search="dinas sosial") == ["Siti Rahmawati", "Budi Santoso"]
    assert names(workshop, search="tidak ada") == []


def test_search_treats_wildcards_as_text_and_combines_with_the_other_filters(
    db, make_workshop, make_participants
):
    workshop = make_workshop(capacity=1)
    (first,) = make_participants(1, full_name="Andi 100% Hadir")
    (second,) = make_participants(1, full_name="Andi Saputra")
    register(db, workshop, [first, second])

    assert names(workshop, search="100%") == ["Andi 100% Hadir"]
    assert names(workshop, search="_") == []
    assert names(workshop, search="andi", status=WAITLISTED) == ["Andi Saputra"]
    assert names(workshop, search="andi", institution_type=InstitutionType.ACADEMIA) == []


def test_a_very_long_search_is_capped_and_matches_nothing(db, make_workshop, make_participant):
    from lokalatih.registrations.registrants import clean_search

    workshop = make_workshop()
    register(db, workshop, [make_participant()])

    text = clean_search("  peserta  " + "x" * 50_000)

    assert len(text) == SEARCH_MAX_LENGTH
    assert names(workshop, search=text) == []
    assert clean_search("   ") is None


# --- bulk actions -----------------------------------------------------------------------------


def test_bulk_approve_on_a_nearly_full_workshop_waitlists_the_rest_and_says_so(
    db, make_workshop, make_participants
):
    workshop = make_workshop(capacity=3, requires_approval=True)
    organizer = workshop.organizers[0]
    registrations = register(db, workshop, make_participants(5))
    decisions.approve_registration(registrations[0], organizer)
    db.session.commit()
    before = len(outbox())

    result = decisions.approve_registrations(workshop, ids(registrations), organizer)
    db.session.commit()

    assert (result.done, result.waitlisted, result.skipped) == (2, 2, {"not_pending": 1})
    assert statuses(workshop) == [CONFIRMED, CONFIRMED, CONFIRMED, WAITLISTED, WAITLISTED]
    assert [m.template for m in outbox()[before:]] == [
        "registration_confirmed",
        "registration_confirmed",
        "registration_waitlisted",
        "registration_waitlisted",
    ]
    approvals = db.session.scalar(
        sa.select(sa.func.count()).where(AuditEvent.action == "registration_approved")
    )
    assert approvals == 5  # one per registration, as the single action records


def test_bulk_approve_without_a_waitlist_skips_those_who_find_no_seat(
    db, make_workshop, make_participants
):
    workshop = make_workshop(capacity=1, requires_approval=True, waitlist_enabled=False)
    registrations = register(db, workshop, make_participants(3))

    result = decisions.approve_registrations(workshop, ids(registrations), workshop.organizers[0])

    assert (result.done, result.waitlisted, result.skipped) == (1, 0, {"seats_full": 2})
    assert result.skip_messages["seats_full"] == "Kursi sudah penuh."
    assert statuses(workshop) == [CONFIRMED, PENDING, PENDING]


def test_bulk_action_skips_registrations_of_another_workshop(db, make_workshop, make_participants):
    workshop = make_workshop(requires_approval=True)
    elsewhere = make_workshop(requires_approval=True, organizer=workshop.organizers[0])
    (mine,) = register(db, workshop, make_participants(1))
    (foreign,) = register(db, elsewhere, make_participants(1))

    result = decisions.approve_registrations(
        workshop, [mine.id, foreign.id, 999_999], workshop.organizers[0]
    )

    assert (result.done, result.skipped) == (1, {"not_found": 2})
    assert statuses(elsewhere) == [PENDING]


def test_bulk_reject_gives_everyone_the_same_reason_by_email(db, make_workshop, make_participants):
    workshop = make_workshop(capacity=2)
    registrations = register(db, workshop, make_participants(4))  # two seated, two waiting
    reason = "Peserta harus berasal dari Kota Palu."
    before = len(outbox())

    result = decisions.reject_registrations(
        workshop, ids(registrations[:3]), workshop.organizers[0], reason
    )
    db.session.commit()

    assert (result.done, result.skipped) == (3, {})
    assert result.promoted_from_waitlist == 1  # the fourth got a freed seat
    assert statuses(workshop) == [REJECTED, REJECTED, REJECTED, CONFIRMED]
    assert {r.decision_reason for r in registrations[:3]} == {reason}
    rejected_mail = outbox("registration_rejected")
    assert len(rejected_mail) == 3
    assert sorted(m.recipient for m in rejected_mail) == sorted(
        r.user.email for r in registrations[:3]
    )
    assert all(reason in m.body_text for m in rejected_mail)
    assert "registration_promoted" in [m.template for m in outbox()[before:]]


def test_bulk_reject_skips_what_is_already_rejected(db, make_workshop, make_participants):
    workshop = make_workshop()
    registrations = register(db, workshop, make_participants(2))
    decisions.reject_registration(registrations[0], workshop.organizers[0], "Alasan pertama.")
    db.session.commit()

    result = decisions.reject_registrations(
        workshop, ids(registrations), workshop.organizers[0], "Alasan kedua."
    )

    assert (result.done, result.skipped) == (1, {"not_active": 1})
    assert registrations[0].decision_reason == "Alasan pertama."


def test_bulk_promote_fills_the_free_seats_then_skips(db, make_workshop, make_participants):
    workshop = make_workshop(capacity=1)
    seated, *waiting = register(db, workshop, make_participants(4))
    workshop.capacity = 3
    db.session.commit()

    result = decisions.promote_registrations(
        workshop, ids([seated, *waiting]), workshop.organizers[0]
    )

    assert (result.done, result.skipped) == (2, {"not_waitlisted": 1, "no_seat_free": 1})
    assert statuses(workshop) == [CONFIRMED, CONFIRMED, CONFIRMED, WAITLISTED]


# --- walk-ins ---------------------------------------------------------------------------------


def test_walk_in_with_an_account_is_confirmed_without_the_participant_steps(
    db, make_workshop, make_participant
):
    workshop = make_workshop()
    known = make_participant(complete_profile=False, consent=False)

    walk_in = decisions.add_walk_in(workshop, f"  {known.email.upper()} ", workshop.organizers[0])
    db.session.commit()

    assert walk_in.confirmed and not walk_in.new_account
    assert walk_in.registration.user_id == known.id
    assert [m.template for m in outbox()] == ["registration_confirmed"]
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "registration_walk_in")
    )
    assert event.actor_id == workshop.organizers[0].id
    assert event.details == {"status": "confirmed", "new_account": False}


def test_walk_in_without_an_account_makes_one_and_invites_it_to_set_a_password(
    db, app, client, make_workshop
):
    workshop = make_workshop()

    walk_in = decisions.add_walk_in(
        workshop, "Tamu.Baru@Contoh.id", workshop.organizers[0], name="Tamu Baru"
    )
    db.session.commit()

    user = db.session.scalar(sa.select(User).where(User.email == "tamu.baru@contoh.id"))
    assert walk_in.new_account and walk_in.confirmed
    assert not user.is_verified and user.profile.full_name == "Tamu Baru"
    confirmed, invitation = outbox()
    assert (confirmed.template, invitation.template) == ("registration_confirmed", "notice")
    assert invitation.recipient == "tamu.baru@contoh.id"
    assert invitation.subject == "Akun lokalatih Anda sudah dibuat"
    # The link in the invitation sets a password, verifies the address, and lets them sign in.
    link = re.search(r"https?://\S+/atur-ulang-sandi/\S+", invitation.body_text)
    assert link, invitation.body_text
    path = urlsplit(link.group(0)).path
    assert client.get(path).status_code == 200
    client.post(path, data={"password": PASSWORD, "password_confirm": PASSWORD})
    db.session.expire_all()
    assert user.is_verified
    signed_in = client.post("/masuk", data={"email": user.email, "password": PASSWORD})
    assert signed_in.status_code == 302


def test_walk_in_on_a_full_workshop_is_refused_until_the_waitlist_is_chosen(
    db, make_workshop, make_participants
):
    workshop = make_workshop(capacity=1)
    register(db, workshop, make_participants(1))
    (late,) = make_participants(1)

    with pytest.raises(WalkInFullError):
        decisions.add_walk_in(workshop, late.email, workshop.organizers[0])
    db.session.rollback()
    walk_in = decisions.add_walk_in(workshop, late.email, workshop.organizers[0], waitlist=True)

    assert walk_in.registration.status == WAITLISTED
    assert walk_in.waitlist_position == 1


def test_walk_in_refusals(db, make_workshop, make_participants):
    full = make_workshop(capacity=1, waitlist_enabled=False)
    (seated, other) = make_participants(2)
    register(db, full, [seated])
    finished = make_workshop(status=WorkshopStatus.COMPLETED)
    organizer = full.organizers[0]

    with pytest.raises(WalkInNoWaitlistError):
        decisions.add_walk_in(full, other.email, organizer, waitlist=True)
    with pytest.raises(WalkInAlreadyConfirmedError):
        decisions.add_walk_in(full, seated.email, organizer)
    with pytest.raises(InvalidEmailError):
        decisions.add_walk_in(full, "bukan email", organizer)
    with pytest.raises(WorkshopInactiveError):
        decisions.add_walk_in(finished, other.email, finished.organizers[0])
