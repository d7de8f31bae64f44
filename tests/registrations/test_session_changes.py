"""Moving or editing a session after participants were told: each confirmed participant is
emailed the change with an updated .ics (same UID, higher SEQUENCE), so calendars update the
event in place; a change that calendars do not show, or a draft's, tells no one."""

from __future__ import annotations

import base64
from datetime import timedelta

from icalendar import Calendar

from lokalatih.models import WorkshopStatus
from lokalatih.registrations import services
from lokalatih.workshops.timefmt import session_times
from tests.registrations.registration_helpers import outbox


def _edit_form(session, **changes) -> dict:
    zone = session.workshop.timezone.zone

    def local(moment) -> str:
        return moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M")

    data = {
        "title": session.title,
        "speakers": session.speakers or "",
        "starts_at": local(session.starts_at),
        "ends_at": local(session.ends_at),
        "place": session.place or "",
    }
    data.update(changes)
    return data


def _events(message) -> list:
    [attachment] = message.attachments
    assert attachment["content_type"] == "text/calendar"
    calendar = Calendar.from_ical(base64.b64decode(attachment["data"]))
    return list(calendar.walk("VEVENT"))


def _confirmed_and_waitlisted(db, make_workshop, make_participants):
    workshop = make_workshop(capacity=2)
    people = make_participants(3)
    for person in people:
        services.register_participant(workshop, person)
    db.session.commit()
    return workshop, people


def test_moving_a_session_emails_each_confirmed_participant_the_updated_ics(
    db, client, login_as, make_workshop, make_participants
):
    workshop, people = _confirmed_and_waitlisted(db, make_workshop, make_participants)
    session = workshop.sessions[0]
    new_start = session.starts_at + timedelta(hours=3)  # later the same day
    login_as(workshop.organizers[0])
    zone = workshop.timezone.zone

    response = client.post(
        f"/kelola/{workshop.slug}/sesi/{session.id}/ubah",
        data=_edit_form(
            session,
            starts_at=new_start.astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
            ends_at=(new_start + timedelta(hours=2)).astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
        ),
    )

    assert response.status_code == 302
    messages = outbox("session_changed")
    assert sorted(m.recipient for m in messages) == sorted(p.email for p in people[:2])
    db.session.refresh(session)
    for message in messages:
        assert message.subject == f"Perubahan jadwal: {session.title}"
        assert f"Waktu: {session_times(session)} (diubah)" in message.body_text
        [event] = _events(message)
        assert str(event["UID"]) == f"session-{session.id}@lokalatih"
        assert int(event["SEQUENCE"]) == 1
        assert event.decoded("DTSTART") == new_start
    # The workshop's own .ics download says the same, so a re-import also updates in place.
    public = Calendar.from_ical(client.get(f"/loka-latih/{workshop.slug}/jadwal.ics").data)
    assert [int(e["SEQUENCE"]) for e in public.walk("VEVENT")] == [1]


def test_each_change_raises_the_sequence_and_is_told_once(
    db, client, login_as, make_workshop, make_participants
):
    workshop, people = _confirmed_and_waitlisted(db, make_workshop, make_participants)
    session = workshop.sessions[0]
    login_as(workshop.organizers[0])
    path = f"/kelola/{workshop.slug}/sesi/{session.id}/ubah"

    client.post(path, data=_edit_form(session, place="Aula Kantor Gubernur"))
    client.post(path, data=_edit_form(session, place="Ruang Rapat Bappeda"))
    client.post(path, data=_edit_form(session, place="Ruang Rapat Bappeda"))  # nothing changed

    db.session.refresh(session)
    assert session.sequence == 2
    messages = outbox("session_changed")
    assert len(messages) == 4  # two changes, two confirmed participants
    assert sorted(int(_events(m)[0]["SEQUENCE"]) for m in messages) == [1, 1, 2, 2]
    assert all("Ruang Rapat Bappeda" in m.body_text for m in messages[2:])


def test_a_change_calendars_do_not_show_or_a_drafts_change_tells_no_one(
    db, client, login_as, make_workshop, make_participants
):
    workshop, _ = _confirmed_and_waitlisted(db, make_workshop, make_participants)
    draft = make_workshop(status=WorkshopStatus.DRAFT, organizer=workshop.organizers[0])
    login_as(workshop.organizers[0])
    session = workshop.sessions[0]

    client.post(
        f"/kelola/{workshop.slug}/sesi/{session.id}/ubah",
        data=_edit_form(session, speakers="Komnas HAM, Pemerintah Kota"),
    )
    draft_session = draft.sessions[0]
    client.post(
        f"/kelola/{draft.slug}/sesi/{draft_session.id}/ubah",
        data=_edit_form(draft_session, place="Ruang lain"),
    )

    assert outbox("session_changed") == []
    db.session.refresh(session)
    db.session.refresh(draft_session)
    assert (session.sequence, draft_session.sequence) == (0, 0)
    assert draft_session.place == "Ruang lain"
