"""The registrant export: typed XLSX cells, the CSV guard, and each registrant's attendance,
test scores and certificate."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import openpyxl
import pytest

from lokalatih.models import (
    CheckIn,
    CheckInMethod,
    QuizKind,
    RegistrationStatus,
)
from lokalatih.registrations import services
from lokalatih.registrations.exports import export_registrants
from lokalatih.registrations.registrants import RegistrantFilters, list_registrants
from tests import factories
from tests.office import xlsx_to_csv
from tests.support import recorded_statements

HOSTILE = '=HYPERLINK("http://evil.contoh","klik")'
FIGURES = ["Sesi dihadiri", "Sesi yang sudah dimulai", "Nilai pra-tes", "Nilai pasca-tes"]


@pytest.fixture
def held(db, clock, make_workshop, make_participants):
    """Three sessions, two of them started; four confirmed registrants and one on the waitlist.
    Ani came twice, did both tests and holds a certificate; Budi (a hostile name) came once, did
    the pre-test only, and his certificate was revoked; Citra started a post-test she never sent;
    Dedi only checked in early for the session to come; Eka waits."""
    now = clock.now()
    sessions = [(now + timedelta(days=d), now + timedelta(days=d, hours=2)) for d in (-2, -1, 3)]
    workshop = make_workshop(capacity=4, sessions=sessions)
    ani, budi, citra, dedi, eka = make_participants(5)
    ani.profile.full_name, budi.profile.full_name = "Ani", HOSTILE
    citra.profile.full_name, dedi.profile.full_name, eka.profile.full_name = "Citra", "Dedi", "Eka"
    earlier = now - timedelta(days=5)  # registration closes when the workshop starts
    regs = [services.register_participant(workshop, u, earlier) for u in (ani, budi, citra, dedi)]
    services.register_participant(workshop, eka, earlier)
    db.session.flush()
    pre = factories.quiz(workshop, kind=QuizKind.PRE, commit=False)
    post = factories.quiz(workshop, kind=QuizKind.POST, commit=False)
    first, second, future = workshop.sessions
    # Dedi's check-in at the session yet to come counts neither as attended nor as started.
    checkins = [(regs[0], first), (regs[0], second), (regs[1], second), (regs[3], future)]
    db.session.add_all(
        CheckIn(session_id=s.id, registration_id=r.id, method=CheckInMethod.CODE)
        for r, s in checkins
    )
    attempts = [(regs[0], pre, 40.0), (regs[0], post, 200 / 3), (regs[1], pre, 55.0)]
    for registration, quiz, score in attempts:
        _attempt(quiz, registration, now, score)
    _attempt(post, regs[2], now, None)
    factories.certificate(regs[0], commit=False)
    factories.certificate(regs[1], revoked_at=now, commit=False)
    db.session.commit()
    return workshop


def _attempt(quiz, registration, now, score) -> None:
    """Started an hour before `now` and, unless `score` is None, sent 15 minutes later."""
    factories.attempt(
        quiz,
        registration,
        score=score,
        started_at=now - timedelta(hours=1),
        submitted_at=now - timedelta(minutes=45),
        deadline_at=now - timedelta(minutes=40),
        commit=False,
    )


def _xlsx(workshop):
    data = export_registrants(list_registrants(workshop, RegistrantFilters()), workshop, "xlsx")
    return openpyxl.load_workbook(io.BytesIO(data)).active


def _csv(workshop) -> list[list[str]]:
    data = export_registrants(list_registrants(workshop, RegistrantFilters()), workshop, "csv")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_xlsx_writes_text_as_it_is_stored_and_never_as_a_formula(db, held):
    sheet = _xlsx(held)

    cells = [cell for row in sheet.iter_rows() for cell in row]
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert not [text for text in texts if text.startswith("'")], "the CSV guard leaked into XLSX"
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    by_name = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert by_name[HOSTILE][0].data_type == "s"
    phone = by_name["Ani"][2]
    assert phone.data_type == "s" and phone.value == "+6281234567890"


def test_the_xlsx_has_a_bold_frozen_header_fitted_widths_and_a_date_cell(db, held):
    sheet = _xlsx(held)

    assert sheet.freeze_panes == "B2"
    assert all(cell.font.b for cell in sheet[1])
    widths = {
        cell.column_letter: sheet.column_dimensions[cell.column_letter].width for cell in sheet[1]
    }
    assert all(8 <= width <= 60 for width in widths.values()), widths
    assert widths["B"] > widths["C"]  # e-mail addresses are longer than phone numbers
    registered = sheet.cell(row=2, column=11)
    assert sheet.cell(row=1, column=11).value == "Waktu mendaftar (WITA)"
    assert registered.is_date and registered.number_format == "yyyy-mm-dd hh:mm"


def test_the_export_carries_attendance_scores_and_certificate_per_registrant(db, held):
    sheet = _xlsx(held)

    header = [cell.value for cell in sheet[1]]
    assert header[-5:] == FIGURES + ["Status sertifikat"]
    rows = {row[0]: row[-5:] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["Ani"] == (2, 2, 40, 66.7, "Terbit")
    assert rows[HOSTILE] == (1, 2, 55, None, "Dicabut")
    assert rows["Citra"] == (0, 2, None, None, "Belum ada")  # a post-test not sent has no score
    assert rows["Dedi"] == (0, 2, None, None, "Belum ada")
    assert rows["Eka"] == (None, None, None, None, "Belum ada")  # waitlisted: no attendance


def test_the_csv_keeps_the_formula_guard_and_the_same_figures(db, held):
    rows = _csv(held)

    assert rows[0][-5:] == FIGURES + ["Status sertifikat"]
    by_name = {row[0]: row for row in rows[1:]}
    assert "'" + HOSTILE in by_name
    assert by_name["Ani"][2] == "'+6281234567890"
    assert by_name["Ani"][-5:] == ["2", "2", "40.0", "66.7", "Terbit"]
    assert by_name["Eka"][-5:] == ["", "", "", "", "Belum ada"]


def test_the_figures_cost_the_same_queries_for_five_registrants_or_eleven(
    db, clock, held, make_participants
):
    def statements_of_export() -> int:
        db.session.expire_all()
        rows = list_registrants(held, RegistrantFilters())
        with recorded_statements(db.engine) as statements:
            export_registrants(rows, held, "xlsx")
        return len(statements)

    before = statements_of_export()
    held.capacity = 20
    added = [
        services.register_participant(held, user, clock.now() - timedelta(days=5))
        for user in make_participants(6)
    ]
    db.session.commit()

    assert {r.status for r in added} == {RegistrationStatus.CONFIRMED}
    assert statements_of_export() == before


def test_libreoffice_shows_the_phone_and_a_formula_like_name_as_stored(db, held, tmp_path):
    """LibreOffice Calc converts the XLSX to CSV as it displays the cells: no apostrophe shows,
    the phone keeps its +, the name is the text, not a link, and the figures are numbers."""
    data = export_registrants(list_registrants(held, RegistrantFilters()), held, "xlsx")
    xlsx = tmp_path / "pendaftar.xlsx"
    xlsx.write_bytes(data)

    (rows,) = xlsx_to_csv(xlsx, tmp_path).values()

    assert not [cell for row in rows for cell in row if cell.startswith("'")]
    by_name = {row[0]: row for row in rows[1:]}
    assert HOSTILE in by_name
    assert by_name["Ani"][2] == "+6281234567890"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d(:\d\d)?", by_name["Ani"][10])
    assert by_name["Ani"][-5:] == ["2", "2", "40", "66.7", "Terbit"]
