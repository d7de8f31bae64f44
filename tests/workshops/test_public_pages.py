from datetime import date, timedelta

import pytest
from icalendar import Calendar

from lokalatih.models import (
    RegistrationStatus,
    Role,
    WorkshopMode,
    WorkshopSession,
    WorkshopStatus,
    WorkshopTimezone,
)
from lokalatih.workshops.ics import build_calendar
from lokalatih.workshops.markdown import render_markdown
from tests.support import recorded_statements
from tests.workshops.workshop_helpers import MEETING_URL, utc

NEXT_YEAR = date.today() + timedelta(days=365)
LAST_YEAR = date.today() - timedelta(days=365)


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


# --- catalogue -----------------------------------------------------------------------------------


def test_catalogue_shows_public_workshops_and_hides_drafts_cancelled_and_archived(
    client, make_workshop
):
    for status in WorkshopStatus:
        make_workshop(
            status=status, title=f"Loka {status.value}", start_date=NEXT_YEAR, end_date=NEXT_YEAR
        )

    page = _page(client, "/loka-latih")

    for shown in ("published", "registration_closed", "running", "completed"):
        assert f"Loka {shown}" in page
    for hidden in ("draft", "cancelled", "archived"):
        assert f"Loka {hidden}" not in page


def test_catalogue_splits_upcoming_and_past(client, make_workshop):
    make_workshop(title="Loka Mendatang", start_date=NEXT_YEAR, end_date=NEXT_YEAR)
    make_workshop(
        title="Loka Lampau",
        status=WorkshopStatus.COMPLETED,
        start_date=LAST_YEAR,
        end_date=LAST_YEAR,
    )

    upcoming = _page(client, "/loka-latih")
    past = _page(client, "/loka-latih?waktu=lalu")

    assert "Loka Mendatang" in upcoming and "Loka Lampau" not in upcoming
    assert "Loka Lampau" in past and "Loka Mendatang" not in past


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("mode=online", {"Loka Daring Papua"}),
        ("mode=offline", {"Loka Luring Sulsel"}),
        ("provinsi=73", {"Loka Luring Sulsel"}),
        ("topik=kkpham", {"Loka Daring Papua", "Loka Luring Sulsel"}),
        ("topik=duham", {"Loka Daring Papua"}),
        ("mode=online&provinsi=73", set()),
        ("", {"Loka Daring Papua", "Loka Luring Sulsel", "Loka Hibrida"}),
    ],
)
def test_catalogue_filters_by_mode_province_and_topic(client, make_workshop, query, expected):
    make_workshop(
        title="Loka Daring Papua",
        mode=WorkshopMode.ONLINE,
        province_code="91",
        topics=("kkpham", "duham"),
        start_date=NEXT_YEAR,
        end_date=NEXT_YEAR,
    )
    make_workshop(
        title="Loka Luring Sulsel",
        mode=WorkshopMode.OFFLINE,
        province_code="73",
        topics=("kkpham",),
        start_date=NEXT_YEAR,
        end_date=NEXT_YEAR,
    )
    make_workshop(title="Loka Hibrida", start_date=NEXT_YEAR, end_date=NEXT_YEAR)

    page = _page(client, f"/loka-latih?{query}")

    shown = {t for t in ("Loka Daring Papua", "Loka Luring Sulsel", "Loka Hibrida") if t in page}
    assert shown == expected


def test_catalogue_keeps_the_chosen_filters_selected(client, make_workshop):
    make_workshop(province_code="73", topics=("kkpham",), start_date=NEXT_YEAR, end_date=NEXT_YEAR)

    page = _page(client, "/loka-latih?mode=hybrid&provinsi=73&topik=kkpham")

    assert '<option selected value="hybrid">' in page
    assert '<option selected value="73">' in page
    assert '<option selected value="kkpham">' in page


def test_catalogue_refuses_an_unknown_filter_value_but_still_lists(client, make_workshop):
    make_workshop(title="Loka Tetap Tampil", start_date=NEXT_YEAR, end_date=NEXT_YEAR)

    response = client.get("/loka-latih?mode=terbang")

    assert response.status_code == 400
    assert "Loka Tetap Tampil" in response.get_data(as_text=True)


def test_catalogue_pages_by_twenty_with_a_constant_number_of_queries(db, client, make_workshop):
    for number in range(25):
        make_workshop(
            title=f"Loka Nomor {number:02d}",
            topics=("kkpham", f"t{number}"),
            start_date=NEXT_YEAR,
            end_date=NEXT_YEAR,
        )
    with recorded_statements(db.engine) as statements:
        first = _page(client, "/loka-latih")
    second = _page(client, "/loka-latih?page=2")

    assert first.count("Loka Nomor") == 20
    assert second.count("Loka Nomor") == 5
    assert "25 loka latih ditemukan." in first
    # The catalogue's version, then topics, provinces, one page, its topics, one count.
    assert len(statements) <= 6
    with recorded_statements(db.engine) as statements:
        again = _page(client, "/loka-latih")
    assert again.count("Loka Nomor") == 20  # the anonymous page, kept
    assert len(statements) == 1  # the version alone


# --- the workshop page ---------------------------------------------------------------------------


def test_workshop_page_shows_times_in_wita(client, make_workshop, db):
    workshop = make_workshop(
        timezone=WorkshopTimezone.WITA,
        sessions=0,
        start_date=date(2030, 12, 9),
        end_date=date(2030, 12, 9),
    )
    workshop.sessions.append(
        WorkshopSession(
            title="Pembukaan", starts_at=utc(2030, 12, 9, 1), ends_at=utc(2030, 12, 9, 2, 30)
        )
    )
    db.session.commit()

    page = _page(client, f"/loka-latih/{workshop.slug}")

    assert "Senin, 9 Desember 2030, 09.00–10.30 WITA" in page
    assert "WITA (Asia/Makassar)" in page


def test_draft_page_is_hidden_from_everyone_but_its_managers(
    client, login_as, make_workshop, make_user
):
    workshop = make_workshop(status=WorkshopStatus.DRAFT)

    assert client.get(f"/loka-latih/{workshop.slug}").status_code == 404
    assert client.get(f"/loka-latih/{workshop.slug}/jadwal.ics").status_code == 404
    login_as(make_user(role=Role.ORGANIZER))
    assert client.get(f"/loka-latih/{workshop.slug}").status_code == 404
    client.post("/keluar")
    login_as(workshop.organizers[0])
    assert "Draf: halaman ini hanya terlihat" in _page(client, f"/loka-latih/{workshop.slug}")


def test_workshop_page_renders_its_details(client, make_workshop, db):
    workshop = make_workshop(
        province_code="73",
        topics=("kkpham",),
        partners="INFID, Komnas HAM",
        target_audience="Aparatur OPD",
        summary="Ringkasan singkat.",
        description="Materi **DUHAM**.",
    )

    page = _page(client, f"/loka-latih/{workshop.slug}")

    for text in (
        "Sulawesi Selatan",
        "kkpham",
        "INFID, Komnas HAM",
        "Aparatur OPD",
        "Ringkasan singkat.",
        "<strong>DUHAM</strong>",
        "Hibrida",
        "Aula Kantor Wilayah",
        f"/loka-latih/{workshop.slug}/jadwal.ics",
    ):
        assert text in page, text


def test_cancelled_workshop_page_says_so_with_the_reason(client, make_workshop):
    workshop = make_workshop(status=WorkshopStatus.CANCELLED, cancel_reason="Banjir bandang.")

    page = _page(client, f"/loka-latih/{workshop.slug}")

    assert "Loka latih ini dibatalkan." in page
    assert "Banjir bandang." in page


@pytest.mark.parametrize(
    "status",
    [
        None,
        RegistrationStatus.PENDING,
        RegistrationStatus.WAITLISTED,
        RegistrationStatus.CANCELLED,
        RegistrationStatus.REJECTED,
    ],
)
def test_meeting_link_is_hidden_from_the_unconfirmed(
    client, login_as, make_workshop, make_user, register, db, status
):
    workshop = make_workshop(mode=WorkshopMode.ONLINE)
    workshop.sessions[0].place = "https://zoom.contoh.id/sesi-rahasia"
    db.session.commit()
    viewer = make_user()
    if status is not None:
        register(workshop, status, user=viewer)
    login_as(viewer)

    page = _page(client, f"/loka-latih/{workshop.slug}")
    calendar = client.get(f"/loka-latih/{workshop.slug}/jadwal.ics").get_data(as_text=True)

    for secret in ("meet.contoh.id", "zoom.contoh.id"):
        assert secret not in page
        assert secret not in calendar


def test_meeting_link_is_hidden_from_anonymous_visitors(client, make_workshop):
    workshop = make_workshop(mode=WorkshopMode.ONLINE)

    page = _page(client, f"/loka-latih/{workshop.slug}")

    assert "meet.contoh.id" not in page


def test_meeting_link_is_shown_to_confirmed_participants_and_managers(
    client, login_as, make_workshop, register
):
    workshop = make_workshop(mode=WorkshopMode.ONLINE)
    confirmed = register(workshop, RegistrationStatus.CONFIRMED)

    login_as(confirmed.user)
    participant_page = _page(client, f"/loka-latih/{workshop.slug}")
    participant_calendar = client.get(f"/loka-latih/{workshop.slug}/jadwal.ics").data.decode()
    client.post("/keluar")
    login_as(workshop.organizers[0])
    manager_page = _page(client, f"/loka-latih/{workshop.slug}")

    assert f'href="{MEETING_URL}"' in participant_page
    assert MEETING_URL in participant_calendar.replace("\r\n ", "")
    assert f'href="{MEETING_URL}"' in manager_page


# --- calendar file and Markdown ------------------------------------------------------------------


def test_ics_download_has_one_event_per_session_in_utc(client, make_workshop, db):
    workshop = make_workshop(timezone=WorkshopTimezone.WITA, sessions=0, title="Loka Latih Palu")
    workshop.sessions.extend(
        [
            WorkshopSession(
                title="Pembukaan",
                place="Ruang Melati",
                starts_at=utc(2030, 12, 7, 1),
                ends_at=utc(2030, 12, 7, 2),
            ),
            WorkshopSession(
                title="DUHAM", starts_at=utc(2030, 12, 8, 1), ends_at=utc(2030, 12, 8, 3)
            ),
        ]
    )
    db.session.commit()

    response = client.get(f"/loka-latih/{workshop.slug}/jadwal.ics")
    calendar = Calendar.from_ical(response.data)
    events = calendar.walk("VEVENT")

    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert f'filename="{workshop.slug}.ics"' in response.headers["Content-Disposition"]
    assert len(events) == 2
    first = events[0]
    assert first.decoded("dtstart") == utc(2030, 12, 7, 1)  # 09.00 WITA
    assert first.decoded("dtend") == utc(2030, 12, 7, 2)
    assert b"DTSTART:20301207T010000Z" in response.data
    assert str(first["uid"]) == f"session-{workshop.sessions[0].id}@lokalatih"
    assert str(first["summary"]) == "Loka Latih Palu: Pembukaan"
    assert str(first["location"]) == "Ruang Melati"
    assert f"http://localhost/loka-latih/{workshop.slug}" in str(first["description"])
    assert str(events[1]["location"]) == "Aula Kantor Wilayah, Jl. Merdeka 1"
    assert str(first["status"]) == "CONFIRMED"


def test_ics_of_a_cancelled_workshop_marks_its_events_cancelled(make_workshop):
    workshop = make_workshop(status=WorkshopStatus.CANCELLED, cancel_reason="Banjir.")

    calendar = Calendar.from_ical(build_calendar(workshop, include_meeting_url=False))

    assert [str(event["status"]) for event in calendar.walk("VEVENT")] == ["CANCELLED"]


def test_build_calendar_includes_the_meeting_link_only_when_asked(make_workshop):
    workshop = make_workshop(mode=WorkshopMode.ONLINE, venue=None)

    with_link = build_calendar(workshop, include_meeting_url=True).decode().replace("\r\n ", "")
    without = build_calendar(workshop, include_meeting_url=False).decode().replace("\r\n ", "")

    assert MEETING_URL in with_link
    assert "meet.contoh.id" not in without


def test_markdown_escapes_html_and_refuses_javascript_links():
    html = render_markdown(
        "<script>alert(1)</script>\n\n[x](javascript:alert(1)) [ok](https://komnasham.go.id)"
    )

    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert 'href="javascript' not in html.lower()
    assert '<a href="https://komnasham.go.id">ok</a>' in html


def test_workshop_page_escapes_a_hostile_description(client, make_workshop):
    workshop = make_workshop(description="<img src=x onerror=alert(1)> [x](javascript:alert(1))")

    page = _page(client, f"/loka-latih/{workshop.slug}")

    assert "<img src=x" not in page
    assert 'href="javascript' not in page.lower()
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
