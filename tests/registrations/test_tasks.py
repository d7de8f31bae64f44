"""Session reminders: the day before and one hour before, each queued exactly once."""

from __future__ import annotations

from datetime import timedelta

from lokalatih.models import Registration, RegistrationStatus, WorkshopStatus, utcnow
from lokalatih.registrations.tasks import send_session_reminders
from tests.registrations.registration_helpers import hours_from_now, outbox


def add_registrations(db, workshop, users, status=RegistrationStatus.CONFIRMED):
    registrations = [
        Registration(workshop_id=workshop.id, user_id=user.id, status=status) for user in users
    ]
    db.session.add_all(registrations)
    db.session.commit()
    return registrations


def session_at(hours: float) -> list:
    start = hours_from_now(hours)
    return [(start, start + timedelta(hours=2))]


def test_reminders_are_queued_once_however_often_the_job_runs(db, make_workshop, make_participants):
    workshop = make_workshop(sessions=session_at(20))
    confirmed = add_registrations(db, workshop, make_participants(2))
    add_registrations(db, workshop, make_participants(1), RegistrationStatus.WAITLISTED)
    add_registrations(db, workshop, make_participants(1), RegistrationStatus.CANCELLED)

    runs = [send_session_reminders() for _ in range(3)]

    assert runs == [2, 0, 0]
    reminders = outbox("session_reminder")
    assert sorted(m.recipient for m in reminders) == sorted(r.user.email for r in confirmed)
    session_id = workshop.sessions[0].id
    assert {m.dedupe_key for m in reminders} == {
        f"reminder:{session_id}:{r.id}:day" for r in confirmed
    }


def test_hour_reminder_follows_the_day_reminder(db, make_workshop, make_participants):
    workshop = make_workshop(sessions=session_at(20))
    (registration,) = add_registrations(db, workshop, make_participants(1))
    starts_at = workshop.sessions[0].starts_at

    day = send_session_reminders()
    hour = [send_session_reminders(now=starts_at - timedelta(minutes=m)) for m in (50, 45, 5)]

    assert (day, hour) == (1, [1, 0, 0])
    day_message, hour_message = outbox("session_reminder")
    assert day_message.dedupe_key.endswith(":day")
    assert hour_message.dedupe_key.endswith(":hour")
    assert "satu jam lagi" in hour_message.body_text


def test_a_session_within_the_hour_gets_only_the_hour_reminder(
    db, make_workshop, make_participants
):
    workshop = make_workshop(sessions=session_at(0.5))
    add_registrations(db, workshop, make_participants(1))

    send_session_reminders()

    assert [m.dedupe_key.rsplit(":", 1)[1] for m in outbox("session_reminder")] == ["hour"]


def test_reminder_shows_the_session_time_in_the_workshops_zone(
    db, make_workshop, make_participants
):
    workshop = make_workshop(sessions=session_at(3))
    add_registrations(db, workshop, make_participants(1))

    send_session_reminders()

    (message,) = outbox("session_reminder")
    assert "WITA" in message.body_text
    assert workshop.sessions[0].title in message.body_text
    assert workshop.meeting_url in message.body_text


def test_no_reminders_for_distant_or_started_sessions_or_inactive_workshops(
    db, make_workshop, make_participants
):
    distant = make_workshop(sessions=session_at(30))
    started = make_workshop(sessions=session_at(-0.2))
    cancelled = make_workshop(sessions=session_at(2), status=WorkshopStatus.CANCELLED)
    draft = make_workshop(sessions=session_at(2), status=WorkshopStatus.DRAFT)
    for workshop in (distant, started, cancelled, draft):
        add_registrations(db, workshop, make_participants(1))

    queued = send_session_reminders(now=utcnow())

    assert queued == 0
    assert outbox("session_reminder") == []
