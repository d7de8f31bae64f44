"""The organizer's side: the check-in screen, marking by hand, offline scanning, the report."""

from __future__ import annotations

import csv
import io
import re

import openpyxl
import pytest
import sqlalchemy as sa

from lokalatih.attendance import codes, services
from lokalatih.models import AuditEvent, CheckIn, CheckInMethod, Role
from tests.attendance.attendance_helpers import minutes, now_utc


def screen_path(workshop, session=None) -> str:
    session = session or workshop.sessions[0]
    return f"/kelola/{workshop.slug}/sesi/{session.id}/presensi"


def checkins(db) -> list[CheckIn]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(CheckIn).order_by(CheckIn.id)))


ORGANIZER_PAGES = [
    ("get", "{screen}"),
    ("get", "{screen}/qr.svg"),
    ("get", "{screen}/status.json"),
    ("get", "{screen}/daftar-hadir"),
    ("get", "{screen}/pindai"),
    ("post", "{screen}/pindai"),
    ("post", "{screen}/tandai"),
    ("post", "{screen}/hapus"),
    ("get", "/kelola/{slug}/presensi"),
    ("get", "/kelola/{slug}/presensi.csv"),
]


def request(client, method: str, template: str, workshop):
    path = template.format(screen=screen_path(workshop), slug=workshop.slug)
    return getattr(client, method)(path)


@pytest.mark.parametrize(("method", "template"), ORGANIZER_PAGES)
@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.REVIEWER])
def test_participants_and_reviewers_are_forbidden(
    client, make_workshop, make_person, login_as, method, template, role
):
    workshop = make_workshop()
    login_as(make_person(role))

    assert request(client, method, template, workshop).status_code == 403


@pytest.mark.parametrize(("method", "template"), ORGANIZER_PAGES)
def test_another_workshops_organizer_gets_not_found(
    client, make_workshop, make_person, login_as, method, template
):
    workshop = make_workshop()
    login_as(make_person(Role.ORGANIZER))

    assert request(client, method, template, workshop).status_code == 404


def test_a_session_of_another_workshop_is_not_found(client, make_workshop, organizer, login_as):
    mine, other = make_workshop(), make_workshop()
    login_as(organizer)

    response = client.get(screen_path(mine, other.sessions[0]))

    assert response.status_code == 404


def test_the_screen_shows_the_current_code_the_qr_and_the_count(
    client, db, make_workshop, enroll, organizer, login_as
):
    workshop = make_workshop()
    session = workshop.sessions[0]
    present, _absent = enroll(workshop), enroll(workshop)
    services.mark_present(session, present, organizer, "Hadir", now_utc())
    db.session.commit()
    login_as(organizer)

    page = client.get(screen_path(workshop)).get_data(as_text=True)

    shown = re.search(r'id="checkin-code" data-code="([A-Z0-9]{6})"', page).group(1)
    assert codes.verify_code(session, shown, now_utc())
    assert re.search(r'id="checkin-count">1<', page)
    assert re.search(r'id="checkin-confirmed">2<', page)
    assert '<noscript><meta http-equiv="refresh"' in page
    assert "/presensi/qr.svg?step=" in page


def test_the_status_follows_the_code_and_the_count_without_caching(
    client, db, make_workshop, enroll, organizer, login_as
):
    workshop = make_workshop()
    session = workshop.sessions[0]
    registration = enroll(workshop)
    login_as(organizer)
    before = client.get(f"{screen_path(workshop)}/status.json").get_json()
    services.check_in(
        session,
        registration.user,
        codes.current_code(session, now_utc()),
        CheckInMethod.CODE,
        now_utc(),
    )
    db.session.commit()

    after = client.get(f"{screen_path(workshop)}/status.json")

    state = after.get_json()
    assert after.headers["Cache-Control"] == "no-store"
    assert (before["checked_in"], state["checked_in"], state["confirmed"]) == (0, 1, 1)
    assert codes.verify_code(session, state["code"], now_utc())
    assert 1 <= state["seconds_left"] <= 30
    assert state["qr_url"].endswith(f"qr.svg?step={state['step']}")
    assert state["open"] is True


def test_the_qr_image_is_an_svg_that_is_never_cached(client, make_workshop, organizer, login_as):
    workshop = make_workshop()
    login_as(organizer)

    response = client.get(f"{screen_path(workshop)}/qr.svg?step=1")

    assert response.content_type == "image/svg+xml"
    assert response.headers["Cache-Control"] == "no-store"
    assert b"<path" in response.data


def test_marking_by_hand_needs_a_reason(client, db, make_workshop, enroll, organizer, login_as):
    workshop = make_workshop()
    registration = enroll(workshop)
    login_as(organizer)

    response = client.post(
        f"{screen_path(workshop)}/tandai",
        data={"registration_id": registration.id, "reason": "  "},
    )

    assert response.status_code == 400
    assert f'id="reason-{registration.id}-error"' in response.get_data(as_text=True)
    assert checkins(db) == []


def test_marking_and_unmarking_by_hand_are_recorded_and_audited(
    client, db, make_workshop, enroll, organizer, login_as
):
    workshop = make_workshop()
    registration = enroll(workshop, full_name="Budi Santoso")
    login_as(organizer)
    path = screen_path(workshop)

    marked = client.post(
        f"{path}/tandai",
        data={"registration_id": registration.id, "reason": "Daftar hadir kertas"},
        follow_redirects=True,
    )
    recorded = checkins(db)
    unmarked = client.post(
        f"{path}/hapus",
        data={"registration_id": registration.id, "reason": "Salah tandai"},
        follow_redirects=True,
    )

    assert "Kehadiran peserta ditandai" in marked.get_data(as_text=True)
    assert [(c.method, c.note) for c in recorded] == [(CheckInMethod.MANUAL, "Daftar hadir kertas")]
    assert "Tanda hadir peserta dihapus" in unmarked.get_data(as_text=True)
    assert checkins(db) == []
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action.like("checkin_%")).order_by(AuditEvent.id)
    ).all()
    assert [(e.action, e.details["reason"]) for e in events] == [
        ("checkin_marked", "Daftar hadir kertas"),
        ("checkin_unmarked", "Salah tandai"),
    ]


def test_marking_before_check_in_opens_asks_for_a_reason_on_the_screen(
    client, db, make_workshop, enroll, organizer, login_as, clock
):
    now = clock.now()
    workshop = make_workshop([(now + minutes(120), now + minutes(180))])
    registration = enroll(workshop, full_name="Budi Santoso")
    login_as(organizer)
    path = screen_path(workshop)

    screen_page = client.get(path).get_data(as_text=True)
    refused = client.post(
        f"{path}/tandai",
        data={"registration_id": registration.id, "reason": "Datang awal"},
        follow_redirects=True,
    )
    after_refusal = checkins(db)
    accepted = client.post(
        f"{path}/tandai",
        data={
            "registration_id": registration.id,
            "reason": "Datang awal",
            "override_reason": "Peserta harus pulang sebelum sesi dimulai.",
        },
        follow_redirects=True,
    )

    assert f'id="override-{registration.id}"' in screen_page
    assert "Sesi ini belum dimulai: presensi dibuka mulai" in refused.get_data(as_text=True)
    assert after_refusal == []
    assert "Kehadiran peserta ditandai" in accepted.get_data(as_text=True)
    assert len(checkins(db)) == 1


def test_the_screen_asks_no_override_reason_once_check_in_is_open(
    client, make_workshop, enroll, organizer, login_as
):
    workshop = make_workshop()  # started ten minutes ago
    registration = enroll(workshop)
    login_as(organizer)

    page = client.get(screen_path(workshop)).get_data(as_text=True)

    assert f'id="reason-{registration.id}"' in page
    assert f'id="override-{registration.id}"' not in page


def test_a_registration_of_another_workshop_cannot_be_marked(
    client, db, make_workshop, enroll, organizer, login_as
):
    workshop, other = make_workshop(), make_workshop()
    stranger = enroll(other)
    login_as(organizer)

    response = client.post(
        f"{screen_path(workshop)}/tandai", data={"registration_id": stranger.id, "reason": "x"}
    )

    assert response.status_code == 404
    assert checkins(db) == []


def test_batch_scans_are_idempotent_and_report_unknown_codes(
    client, db, make_workshop, enroll, organizer, login_as
):
    workshop = make_workshop()
    siti = enroll(workshop, full_name="Siti Rahmawati")
    login_as(organizer)
    path = f"{screen_path(workshop)}/pindai"
    tokens = [services.personal_qr_payload(siti), "LLQR1:palsu"]

    first = client.post(path, json={"tokens": tokens}).get_json()
    again = client.post(path, json={"tokens": tokens}).get_json()

    assert [(r["token"], r["status"]) for r in first["results"]] == [
        (tokens[0], "recorded"),
        (tokens[1], "unknown"),
    ]
    assert [r["status"] for r in again["results"]] == ["already", "unknown"]
    assert first["checked_in"] == again["checked_in"] == 1
    assert [(c.method, c.recorded_by_id) for c in checkins(db)] == [
        (CheckInMethod.PERSONAL_QR, organizer.id)
    ]


@pytest.mark.parametrize("payload", [{"tokens": "LLQR1:x"}, {"tokens": [1]}, ["LLQR1:x"], {}])
def test_a_malformed_batch_is_refused(client, make_workshop, organizer, login_as, payload):
    workshop = make_workshop()
    login_as(organizer)

    response = client.post(f"{screen_path(workshop)}/pindai", json=payload)

    assert response.status_code == 400
    assert "error" in response.get_json()


def test_without_javascript_one_typed_qr_text_is_recorded(
    client, db, make_workshop, enroll, organizer, login_as
):
    workshop = make_workshop()
    siti = enroll(workshop, full_name="Siti Rahmawati")
    login_as(organizer)

    response = client.post(
        f"{screen_path(workshop)}/pindai",
        data={"token": services.personal_qr_payload(siti)},
        follow_redirects=True,
    )

    assert "Siti Rahmawati tercatat hadir" in response.get_data(as_text=True)
    assert len(checkins(db)) == 1


def test_the_scanner_page_loads_the_local_scanner_and_a_csrf_token(
    client, make_workshop, organizer, login_as
):
    workshop = make_workshop()
    login_as(organizer)

    page = client.get(f"{screen_path(workshop)}/pindai").get_data(as_text=True)

    assert "/static/vendor/qr-scanner/qr-scanner.umd.min.js" in page
    assert '<meta name="csrf-token"' in page


def test_the_printable_roster_has_each_confirmed_name_with_a_qr(
    client, make_workshop, enroll, organizer, login_as
):
    workshop = make_workshop()
    enroll(workshop, full_name="Ni Luh Putu Ayu")
    enroll(workshop, full_name="Muhammad Rizky")
    login_as(organizer)

    page = client.get(f"{screen_path(workshop)}/daftar-hadir").get_data(as_text=True)

    assert page.index("Muhammad Rizky") < page.index("Ni Luh Putu Ayu")
    assert page.count('src="data:image/svg+xml') == 2


@pytest.fixture
def attended(db, make_workshop, enroll, organizer):
    """Three sessions; Ani came to all three, Budi to one, Citra to none."""
    now = now_utc()
    workshop = make_workshop([(now - minutes(10), now + minutes(50))] * 3)
    ani = enroll(workshop, full_name="Ani")
    budi = enroll(workshop, full_name='=HYPERLINK("http://contoh.id")')
    enroll(workshop, full_name="Citra")
    for session in workshop.sessions:
        services.mark_present(session, ani, organizer, "Hadir", now)
    services.mark_present(workshop.sessions[1], budi, organizer, "Hadir", now)
    db.session.commit()
    return workshop


def test_the_report_shows_counts_per_session_and_shares_per_participant(
    client, attended, organizer, login_as
):
    login_as(organizer)

    page = client.get(f"/kelola/{attended.slug}/presensi").get_data(as_text=True)

    assert page.count("1 dari 3") == 2  # sessions 1 and 3: Ani only
    assert "2 dari 3" in page  # session 2: Ani and Budi
    assert "3/3" in page and "100%" in page
    assert "1/3" in page and "33,3%" in page
    assert "0/3" in page


def test_the_csv_export_is_safe_to_open_in_a_spreadsheet(client, attended, organizer, login_as):
    login_as(organizer)

    response = client.get(f"/kelola/{attended.slug}/presensi.csv")

    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    by_name = {row[0]: row for row in rows[1:]}
    assert response.headers["Content-Disposition"].endswith("presensi-" + attended.slug + '.csv"')
    assert rows[0][-3:] == ["Sesi dihadiri", "Jumlah sesi", "Persentase kehadiran"]
    assert by_name["Ani"][-3:] == ["3", "3", "100.0"]
    assert '\'=HYPERLINK("http://contoh.id")' in by_name


def test_the_xlsx_export_keeps_numbers_as_numbers(client, attended, organizer, login_as):
    login_as(organizer)

    response = client.get(f"/kelola/{attended.slug}/presensi.xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Ani"][-3:] == (3, 3, 100)
    assert rows["Citra"][3:6] == ("Tidak hadir",) * 3
    assert rows['=HYPERLINK("http://contoh.id")'][-1] == pytest.approx(33.3)


def test_the_xlsx_export_writes_text_as_text_without_the_csv_guard(
    client, attended, organizer, login_as
):
    """In XLSX a string cell is never run, so the CSV's apostrophe would only show as text."""
    login_as(organizer)

    response = client.get(f"/kelola/{attended.slug}/presensi.xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    names = {cell.value: cell for (cell,) in sheet.iter_rows(min_row=2, max_col=1)}
    hostile = names['=HYPERLINK("http://contoh.id")']
    assert hostile.data_type == "s"
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [text for text in texts if text.startswith("'")]
    assert sheet.freeze_panes == "B2"
    widths = [sheet.column_dimensions[letter].width for letter in ("A", "B", "C", "D")]
    assert all(width and width >= 8 for width in widths), widths
    assert sheet["A1"].font.b


def test_an_unknown_export_format_is_not_found(client, attended, organizer, login_as):
    login_as(organizer)

    assert client.get(f"/kelola/{attended.slug}/presensi.pdf").status_code == 404
