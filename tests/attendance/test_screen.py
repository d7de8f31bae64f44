"""The check-in screen as the room sees it: a code only inside the check-in window, the count and
the latest arrivals."""

from __future__ import annotations

import re

from lokalatih.attendance import codes, services
from lokalatih.models import CheckInMethod
from tests.attendance.attendance_helpers import minutes, now_utc


def screen_path(workshop) -> str:
    return f"/kelola/{workshop.slug}/sesi/{workshop.sessions[0].id}/presensi"


def test_after_the_session_no_code_is_shown_or_served(client, make_workshop, organizer, login_as):
    now = now_utc()
    workshop = make_workshop([(now - minutes(120), now - minutes(1))])
    login_as(organizer)

    page = client.get(screen_path(workshop)).get_data(as_text=True)
    state = client.get(f"{screen_path(workshop)}/status.json").get_json()
    image = client.get(f"{screen_path(workshop)}/qr.svg?step=1")

    assert re.search(r'id="checkin-code" data-code="" aria-live="polite"></p>', page)
    assert "presensi ditutup dan kode tidak ditampilkan lagi" in page
    assert (state["phase"], state["open"], state["code"], state["qr_url"]) == (
        "ended",
        False,
        None,
        None,
    )
    assert image.status_code == 404


def test_before_opening_the_screen_says_when_and_shows_no_code(
    client, make_workshop, organizer, login_as
):
    now = now_utc()
    workshop = make_workshop([(now + minutes(180), now + minutes(240))])
    login_as(organizer)

    state = client.get(f"{screen_path(workshop)}/status.json").get_json()
    page = client.get(screen_path(workshop)).get_data(as_text=True)

    assert (state["phase"], state["code"]) == ("before", None)
    assert "Presensi belum dibuka. Kode tampil di sini mulai" in page


def test_the_latest_arrivals_are_listed_newest_first(
    db, client, make_workshop, enroll, organizer, login_as
):
    workshop = make_workshop()
    session = workshop.sessions[0]
    first = enroll(workshop, full_name="Andi Pratama")
    second = enroll(workshop, full_name="Siti Rahmawati")
    enroll(workshop, full_name="Belum Datang")
    now = now_utc()
    for registration, at in [(first, now - minutes(3)), (second, now - minutes(1))]:
        code = codes.current_code(session, at)
        services.check_in(session, registration.user, code, CheckInMethod.CODE, at)
    db.session.commit()
    login_as(organizer)

    state = client.get(f"{screen_path(workshop)}/status.json").get_json()
    page = client.get(screen_path(workshop)).get_data(as_text=True)

    assert state["recent"] == ["Siti Rahmawati", "Andi Pratama"]
    assert (state["checked_in"], state["confirmed"]) == (2, 3)
    assert page.index("Siti Rahmawati") < page.index("Andi Pratama")
