"""The participant's side: scanning the venue QR, typing the code, the personal QR."""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa

from lokalatih.attendance import codes
from lokalatih.models import CheckIn, CheckInMethod, RegistrationStatus
from lokalatih.my_workshops.read_model import my_workshops
from tests.attendance.attendance_helpers import minutes, now_utc
from tests.support import login


def checkin_count(db) -> int:
    db.session.expire_all()
    return db.session.scalar(sa.select(sa.func.count()).select_from(CheckIn))


def code_now(session) -> str:
    return codes.current_code(session, now_utc())


def test_opening_the_qr_link_shows_a_button_and_records_nothing(
    client, db, make_workshop, enroll, login_as
):
    workshop = make_workshop()
    session, registration = workshop.sessions[0], enroll(workshop)
    login_as(registration.user)

    response = client.get(f"/hadir/{session.id}/{code_now(session)}")

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Catat kehadiran" in page
    assert 'method="post"' in page
    assert checkin_count(db) == 0


def test_an_anonymous_scan_goes_through_login_and_back_to_the_confirmation(
    client, make_workshop, enroll
):
    workshop = make_workshop()
    session, registration = workshop.sessions[0], enroll(workshop)
    scan_path = f"/hadir/{session.id}/{code_now(session)}"

    to_login = client.get(scan_path)
    login_page = urlsplit(to_login.headers["Location"])
    back = client.post(
        f"{login_page.path}?{login_page.query}",
        data={"email": registration.user.email, "password": "Lokalatih#Uji2026"},
    )

    assert to_login.status_code == 302
    assert login_page.path == "/masuk"
    assert back.headers["Location"] == scan_path


def test_confirming_records_the_check_in_and_says_hadir_tercatat(
    client, db, make_workshop, enroll, login_as
):
    workshop = make_workshop()
    session, registration = workshop.sessions[0], enroll(workshop)
    login_as(registration.user)

    response = client.post(
        f"/hadir/{session.id}", data={"code": code_now(session)}, follow_redirects=True
    )

    page = response.get_data(as_text=True)
    assert "Hadir tercatat" in page
    assert "sudah tercatat" not in page
    checkin = db.session.scalar(sa.select(CheckIn))
    assert (checkin.registration_id, checkin.method) == (registration.id, CheckInMethod.QR)


def test_a_second_check_in_says_sudah_tercatat_and_adds_nothing(
    client, db, make_workshop, enroll, login_as
):
    workshop = make_workshop()
    session, registration = workshop.sessions[0], enroll(workshop)
    login_as(registration.user)
    client.post(f"/hadir/{session.id}", data={"code": code_now(session)})

    response = client.post(
        f"/hadir/{session.id}", data={"code": code_now(session)}, follow_redirects=True
    )

    assert "Kehadiran Anda sudah tercatat" in response.get_data(as_text=True)
    assert checkin_count(db) == 1


def test_reopening_the_qr_link_after_checking_in_says_sudah_tercatat_without_a_button(
    client, db, make_workshop, enroll, login_as
):
    workshop = make_workshop()
    session, registration = workshop.sessions[0], enroll(workshop)
    login_as(registration.user)
    client.post(f"/hadir/{session.id}", data={"code": code_now(session)})

    reopened = client.get(f"/hadir/{session.id}/{code_now(session)}")
    page = client.get(reopened.headers["Location"]).get_data(as_text=True)

    assert reopened.status_code == 302
    assert reopened.headers["Location"] == f"/hadir/{session.id}/tercatat"
    assert "Kehadiran Anda sudah tercatat." in page
    assert "Catat kehadiran" not in page
    assert checkin_count(db) == 1


def test_a_qr_link_of_someone_elses_workshop_shows_nothing_of_its_session(
    client, db, make_workshop, make_person, login_as
):
    from lokalatih.models import WorkshopStatus

    draft = make_workshop(status=WorkshopStatus.DRAFT)
    session = draft.sessions[0]
    login_as(make_person())

    opened = client.get(f"/hadir/{session.id}/{code_now(session)}")
    sent = client.post(f"/hadir/{session.id}", data={"code": code_now(session)})

    for response in (opened, sent):
        assert response.status_code == 404
        assert session.title not in response.get_data(as_text=True)
        assert draft.title not in response.get_data(as_text=True)
    assert checkin_count(db) == 0


def test_a_registrant_not_yet_confirmed_is_told_so_and_gets_no_button_that_submits_itself(
    client, db, make_workshop, enroll, login_as
):
    workshop = make_workshop()
    session = workshop.sessions[0]
    registration = enroll(workshop, status=RegistrationStatus.PENDING)
    login_as(registration.user)

    page = client.get(f"/hadir/{session.id}/{code_now(session)}").get_data(as_text=True)

    assert "Presensi hanya untuk peserta terkonfirmasi" in page
    assert "data-autosubmit" not in page
    assert checkin_count(db) == 0


def test_an_expired_code_is_refused_on_the_page_with_its_message(
    client, db, make_workshop, enroll, login_as
):
    workshop = make_workshop()
    session, registration = workshop.sessions[0], enroll(workshop)
    login_as(registration.user)
    old = codes.current_code(session, now_utc() - minutes(5))

    opened = client.get(f"/hadir/{session.id}/{old}")
    sent = client.post(f"/hadir/{session.id}", data={"code": old})

    assert "Kode sudah kedaluwarsa" in opened.get_data(as_text=True)
    assert sent.status_code == 400
    assert "Kode sudah kedaluwarsa" in sent.get_data(as_text=True)
    assert checkin_count(db) == 0


def test_windows_and_status_are_refused_on_the_page_with_distinct_messages(
    client, db, make_workshop, enroll, login_as, make_person
):
    now = now_utc()
    early = make_workshop([(now + minutes(90), now + minutes(150))])
    late = make_workshop([(now - minutes(150), now - minutes(90))])
    open_now = make_workshop()
    user = make_person()
    for workshop in (early, late):
        enroll(workshop, user)
    enroll(open_now, user, status=RegistrationStatus.PENDING)
    login_as(user)

    pages = {
        name: client.post(
            f"/hadir/{workshop.sessions[0].id}", data={"code": code_now(workshop.sessions[0])}
        )
        for name, workshop in (("early", early), ("late", late), ("pending", open_now))
    }

    assert {response.status_code for response in pages.values()} == {400}
    assert "Presensi belum dibuka" in pages["early"].get_data(as_text=True)
    assert "sudah ditutup" in pages["late"].get_data(as_text=True)
    assert "peserta terkonfirmasi" in pages["pending"].get_data(as_text=True)
    assert checkin_count(db) == 0


def test_online_participants_type_the_code_for_an_open_session(
    client, db, make_workshop, enroll, login_as
):
    workshop = make_workshop()
    session, registration = workshop.sessions[0], enroll(workshop)
    login_as(registration.user)

    form = client.get("/hadir")
    response = client.post(
        "/hadir",
        data={"session_id": session.id, "code": code_now(session).lower()},
        follow_redirects=True,
    )

    assert session.title in form.get_data(as_text=True)
    assert "Hadir tercatat" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(CheckIn.method)) == CheckInMethod.CODE


def test_typing_another_sessions_code_is_refused(client, db, make_workshop, enroll, login_as):
    now = now_utc()
    workshop = make_workshop([(now - minutes(5), now + minutes(55))] * 2)
    first, second = workshop.sessions
    registration = enroll(workshop)
    login_as(registration.user)

    response = client.post("/hadir", data={"session_id": first.id, "code": code_now(second)})

    assert response.status_code == 400
    assert "bukan untuk sesi ini" in response.get_data(as_text=True)
    assert checkin_count(db) == 0


def test_the_code_page_offers_no_session_of_a_workshop_one_is_not_confirmed_in(
    client, make_workshop, enroll, login_as, make_person
):
    workshop = make_workshop()
    user = make_person()
    enroll(workshop, user, status=RegistrationStatus.WAITLISTED)
    login_as(user)

    page = client.get("/hadir").get_data(as_text=True)
    refused = client.post("/hadir", data={"session_id": workshop.sessions[0].id, "code": "ACE379"})

    assert "tidak ada sesi yang membuka presensi" in page
    assert refused.status_code == 400


def test_participants_see_their_own_personal_qr_only(client, make_workshop, enroll, login_as):
    workshop = make_workshop()
    mine, theirs = enroll(workshop), enroll(workshop)
    login_as(mine.user)

    own = client.get(f"/workshop-saya/{mine.id}/qr.svg")
    other = client.get(f"/workshop-saya/{theirs.id}/qr.svg")

    assert own.status_code == 200
    assert own.content_type == "image/svg+xml"
    assert own.data.startswith(b"<svg")
    assert other.status_code == 404


def test_the_check_in_limit_is_per_participant_not_per_address(make_app, make_workshop, enroll):
    app = make_app(RATELIMIT_ENABLED=True)
    workshop = make_workshop()
    session = workshop.sessions[0]
    guesser, neighbour = enroll(workshop), enroll(workshop)
    guessing, other = app.test_client(), app.test_client()
    login(guessing, guesser.user)
    login(other, neighbour.user)

    statuses = [
        guessing.post(f"/hadir/{session.id}", data={"code": "ACE379"}).status_code
        for _ in range(21)
    ]
    neighbours = other.post(f"/hadir/{session.id}", data={"code": code_now(session)})

    assert statuses[:20] == [400] * 20
    assert statuses[20] == 429
    assert neighbours.status_code == 302


def test_the_attendance_links_partial_shows_the_share_and_the_personal_qr(
    app, db, make_workshop, enroll, organizer
):
    from flask import render_template_string

    from lokalatih.attendance import services

    now = now_utc()
    workshop = make_workshop([(now - minutes(10), now + minutes(50))] * 3)
    registration = enroll(workshop)
    services.mark_present(workshop.sessions[0], registration, organizer, "Hadir", now)
    db.session.commit()

    with app.test_request_context():
        html = render_template_string(
            '{% include "attendance/_mine_links.html" %}',
            registration=registration,
            row=my_workshops(registration.user)[0],
        )

    assert "1 dari 3 sesi (33,3%)" in html
    assert f"/workshop-saya/{registration.id}/qr.svg" in html


def test_opening_qr_links_is_limited_too_so_codes_cannot_be_guessed(
    make_app, make_workshop, enroll
):
    app = make_app(RATELIMIT_ENABLED=True)
    workshop = make_workshop()
    session, registration = workshop.sessions[0], enroll(workshop)
    guessing = app.test_client()
    login(guessing, registration.user)

    statuses = [guessing.get(f"/hadir/{session.id}/ACE37{n % 10}").status_code for n in range(21)]

    assert statuses == [200] * 20 + [429]


def test_the_check_in_status_page_is_only_for_registered_participants(
    client, make_workshop, make_person, login_as
):
    workshop = make_workshop()
    login_as(make_person())

    assert client.get(f"/hadir/{workshop.sessions[0].id}/tercatat").status_code == 404
