from datetime import timedelta

import pytest
import sqlalchemy as sa

from lokalatih.errors import OverrideNotAllowedError
from lokalatih.models import (
    AuditEvent,
    OutboxMessage,
    RegistrationStatus,
    Role,
    WorkshopMode,
    WorkshopStatus,
)
from lokalatih.workshops import labels, services, states
from lokalatih.workshops.errors import (
    CancelReasonRequiredError,
    InvalidTransitionError,
    MeetingUrlMissingError,
    NoSessionsError,
    SessionsNotOverError,
    VenueMissingError,
)
from tests.workshops.workshop_helpers import utc

S = WorkshopStatus

ALLOWED = [
    (S.DRAFT, S.PUBLISHED),
    (S.PUBLISHED, S.REGISTRATION_CLOSED),
    (S.REGISTRATION_CLOSED, S.PUBLISHED),
    (S.REGISTRATION_CLOSED, S.RUNNING),
    (S.RUNNING, S.COMPLETED),
    (S.COMPLETED, S.ARCHIVED),
    (S.DRAFT, S.CANCELLED),
    (S.PUBLISHED, S.CANCELLED),
    (S.REGISTRATION_CLOSED, S.CANCELLED),
    (S.RUNNING, S.CANCELLED),
]

REFUSED = [
    (S.DRAFT, S.COMPLETED, "Status tidak dapat diubah dari Draf ke Selesai."),
    (S.DRAFT, S.RUNNING, "Status tidak dapat diubah dari Draf ke Berlangsung."),
    (S.PUBLISHED, S.ARCHIVED, "Status tidak dapat diubah dari Pendaftaran dibuka ke Diarsipkan."),
    (S.COMPLETED, S.CANCELLED, "Status tidak dapat diubah dari Selesai ke Dibatalkan."),
    (S.CANCELLED, S.PUBLISHED, "Status tidak dapat diubah dari Dibatalkan ke Pendaftaran dibuka."),
    (S.ARCHIVED, S.DRAFT, "Status tidak dapat diubah dari Diarsipkan ke Draf."),
    (S.RUNNING, S.PUBLISHED, "Status tidak dapat diubah dari Berlangsung ke Pendaftaran dibuka."),
]


@pytest.mark.parametrize(("current", "target"), ALLOWED)
def test_allowed_transition_changes_the_status_and_is_audited(
    db, make_workshop, organizer, clock, current, target
):
    workshop = make_workshop(status=current)
    clock.set(utc(2030, 12, 9))  # after the workshop's only session: completing needs no reason

    services.change_status(workshop, target, organizer, reason="Banjir di lokasi.")
    db.session.commit()

    assert workshop.status == target
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.object_id == str(workshop.id)))
    assert event.action == "workshop_status_changed"
    assert event.details["from"] == current.value
    assert event.details["to"] == target.value


@pytest.mark.parametrize(("current", "target", "message"), REFUSED)
def test_wrong_transition_is_refused_naming_both_states(
    make_workshop, organizer, current, target, message
):
    workshop = make_workshop(status=current)

    with pytest.raises(InvalidTransitionError) as refused:
        services.change_status(workshop, target, organizer, reason="Alasan")

    assert str(refused.value.message) == message
    assert workshop.status == current


def test_publishing_without_sessions_is_refused(make_workshop, organizer):
    workshop = make_workshop(status=S.DRAFT, sessions=0)

    with pytest.raises(NoSessionsError) as refused:
        services.change_status(workshop, S.PUBLISHED, organizer)

    assert "setidaknya satu sesi" in str(refused.value.message)
    assert workshop.status == S.DRAFT


def test_publishing_an_online_workshop_needs_a_meeting_link(make_workshop, organizer):
    workshop = make_workshop(status=S.DRAFT, mode=WorkshopMode.ONLINE, meeting_url=None)

    with pytest.raises(MeetingUrlMissingError):
        services.change_status(workshop, S.PUBLISHED, organizer)


def test_publishing_an_offline_workshop_needs_a_venue(make_workshop, organizer):
    workshop = make_workshop(status=S.DRAFT, mode=WorkshopMode.OFFLINE, venue="  ")

    with pytest.raises(VenueMissingError):
        services.change_status(workshop, S.PUBLISHED, organizer)


def test_cancelling_requires_a_reason(make_workshop, organizer):
    workshop = make_workshop(status=S.PUBLISHED)

    with pytest.raises(CancelReasonRequiredError):
        services.change_status(workshop, S.CANCELLED, organizer, reason="   ")

    assert workshop.status == S.PUBLISHED


def test_cancelling_emails_every_active_registrant_in_their_language(
    db, make_workshop, organizer, register
):
    workshop = make_workshop(status=S.PUBLISHED, title="Loka Latih HAM Palu")
    confirmed = register(workshop, RegistrationStatus.CONFIRMED, email="a@contoh.id")
    pending = register(workshop, RegistrationStatus.PENDING, email="b@contoh.id", locale="en")
    waitlisted = register(workshop, RegistrationStatus.WAITLISTED, email="c@contoh.id")
    register(workshop, RegistrationStatus.CANCELLED, email="d@contoh.id")
    register(workshop, RegistrationStatus.REJECTED, email="e@contoh.id")

    services.change_status(workshop, S.CANCELLED, organizer, reason="Gedung tidak tersedia.")
    db.session.commit()

    messages = {m.recipient: m for m in db.session.scalars(sa.select(OutboxMessage))}
    assert set(messages) == {confirmed.user.email, pending.user.email, waitlisted.user.email}
    indonesian = messages[confirmed.user.email]
    assert indonesian.subject == "Loka latih dibatalkan: Loka Latih HAM Palu"
    assert "Gedung tidak tersedia." in indonesian.body_text
    assert f"/loka-latih/{workshop.slug}" in indonesian.body_text
    assert workshop.cancel_reason == "Gedung tidak tersedia."


# --- completing waits for the last session ------------------------------------------------------


def _audit(db, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def test_completing_during_the_last_session_is_refused_and_changes_nothing(
    db, make_workshop, organizer, clock
):
    workshop = make_workshop(status=S.RUNNING, sessions=2)  # last: 7 Dec 2030, 03:00-04:00 UTC
    clock.set(utc(2030, 12, 7, 3, 30))

    with pytest.raises(SessionsNotOverError) as refused:
        services.change_status(workshop, S.COMPLETED, organizer, override_reason="   ")
    db.session.rollback()

    assert str(refused.value.message).startswith(
        "Sesi terakhir belum berakhir (berakhir Sabtu, 7 Desember 2030, 11.00 WIB)."
    )
    assert workshop.status == S.RUNNING
    assert db.session.scalars(sa.select(AuditEvent)).all() == []


def test_completing_early_with_a_reason_succeeds_and_the_override_is_audited(
    db, make_workshop, organizer, clock
):
    workshop = make_workshop(status=S.RUNNING)
    clock.set(utc(2030, 12, 7, 2, 30))

    services.change_status(
        workshop, S.COMPLETED, organizer, override_reason="  Narasumber  sakit; sesi dihentikan. "
    )
    db.session.commit()

    assert workshop.status == S.COMPLETED
    [override] = _audit(db, "state_guard_overridden")
    assert override.actor_id == organizer.id
    assert override.object_id == str(workshop.id)
    assert override.details["guard"] == "complete_before_last_session_ends"
    assert override.details["reason"] == "Narasumber sakit; sesi dihentikan."
    assert len(_audit(db, "workshop_status_changed")) == 1


def test_completing_after_the_last_session_needs_no_reason_and_records_no_override(
    db, make_workshop, organizer, clock
):
    workshop = make_workshop(status=S.RUNNING)
    clock.set(utc(2030, 12, 7, 3))  # the session ends exactly now

    services.change_status(workshop, S.COMPLETED, organizer)
    db.session.commit()

    assert workshop.status == S.COMPLETED
    assert _audit(db, "state_guard_overridden") == []


def test_only_organizers_and_admins_may_override(db, make_workshop, make_user, clock):
    workshop = make_workshop(status=S.RUNNING)
    clock.set(utc(2030, 12, 7, 2, 30))
    reviewer = make_user(role=Role.REVIEWER)

    with pytest.raises(OverrideNotAllowedError):
        services.change_status(workshop, S.COMPLETED, reviewer, override_reason="Alasan")

    assert workshop.status == S.RUNNING


def test_registration_is_open_only_when_published_and_inside_the_window(make_workshop):
    workshop = make_workshop(
        status=S.PUBLISHED,
        registration_opens_at=utc(2030, 11, 1),
        registration_closes_at=utc(2030, 12, 1),
    )

    assert not states.is_registration_open(workshop, utc(2030, 10, 31, 23))
    assert states.is_registration_open(workshop, utc(2030, 11, 1))
    assert states.is_registration_open(workshop, utc(2030, 11, 30, 23, 59))
    assert not states.is_registration_open(workshop, utc(2030, 12, 1))
    workshop.status = S.REGISTRATION_CLOSED
    assert not states.is_registration_open(workshop, utc(2030, 11, 15))


def test_without_a_closing_time_registration_closes_when_the_first_session_starts(
    make_workshop,
):
    workshop = make_workshop(status=S.PUBLISHED, sessions=2)
    first_start = min(session.starts_at for session in workshop.sessions)

    assert states.is_registration_open(workshop, first_start - timedelta(minutes=1))
    assert not states.is_registration_open(workshop, first_start)


def test_labels_are_indonesian(app):
    assert labels.status_label(S.REGISTRATION_CLOSED) == "Pendaftaran ditutup"
    assert labels.status_label("draft") == "Draf"
    assert labels.mode_label(WorkshopMode.ONLINE) == "Daring"


def test_admin_can_change_status_of_a_workshop_they_do_not_organize(make_workshop, make_user):
    workshop = make_workshop(status=S.PUBLISHED)
    admin = make_user(role=Role.ADMIN)

    services.change_status(workshop, S.REGISTRATION_CLOSED, admin)

    assert workshop.status == S.REGISTRATION_CLOSED
