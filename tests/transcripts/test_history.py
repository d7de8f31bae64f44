"""The participant's "Riwayat pelatihan": the page, the one-page PDF transcript (read with
poppler) and the XLSX (read with openpyxl)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from datetime import datetime, timedelta

import openpyxl
import pytest

from lokalatih.models import Role, WorkshopStatus, WorkshopTimezone
from tests import factories

MAKASSAR_DAY = datetime(2026, 3, 2, 9, 0)
NAME = "Dāwūd Ñúñez Šimić"


def poppler(tool: str, path, *args: str) -> str:
    executable = shutil.which(tool)
    assert executable, f"{tool} is missing: run `make pdf-deps`"
    done = subprocess.run(
        [executable, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return done.stdout


@pytest.fixture
def history(db, jp_workshop, jp_participant):
    """A participant with two workshops in 2026 (one with a certificate) and one in 2027, and a
    workshop that has not taken place yet (not on the transcript)."""

    def make():
        first = jp_workshop(
            [(MAKASSAR_DAY, 120, None), (MAKASSAR_DAY + timedelta(hours=3), 90, None)],
            timezone=WorkshopTimezone.WITA,
            title="Loka Latih Kota Makassar Peduli HAM",
        )
        registration = jp_participant(first, [0, 1], full_name=NAME)
        user = registration.user
        factories.certificate(
            registration,
            number="LL/2026/0001/00001",
            code="ABCDEFGHJKLMNPQR",
            name_on_certificate=NAME,
            commit=False,
        )
        second = jp_workshop(
            [(datetime(2026, 12, 31, 23, 0), 90, 8)],  # 4 JP set by the organizer, in 2026 WIT
            timezone=WorkshopTimezone.WIT,
            title="Pelatihan HAM Jayapura",
        )
        jp_participant(second, [0], user=user)
        third = jp_workshop(
            [(datetime(2027, 2, 1, 9, 0), 45 * 6, None)],
            title="Bimtek RANHAM Jakarta",
        )
        jp_participant(third, [0], user=user)
        upcoming = jp_workshop(
            [(datetime(2027, 6, 1, 9, 0), 90, None)],
            status=WorkshopStatus.PUBLISHED,
            title="Workshop Yang Belum Berlangsung",
        )
        jp_participant(upcoming, [], user=user)
        db.session.commit()
        return user

    return make


def test_the_page_lists_the_workshops_and_jp_per_year_against_the_target(client, login_as, history):
    user = history()
    login_as(user)

    page = client.get("/riwayat-pelatihan")

    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Loka Latih Kota Makassar Peduli HAM" in text
    assert "Pelatihan HAM Jayapura" in text
    assert "Workshop Yang Belum Berlangsung" not in text
    assert "LL/2026/0001/00001" in text
    # 2026: 2.5 + 2 (Makassar) + 4 (Jayapura, 31 December WIT) = 8.5; 2027: 6 JP.
    assert "8,5 dari 20 JP" in text and "Kurang 11,5 JP" in text
    assert "6 dari 20 JP" in text
    assert "Jumlah seluruhnya: 14,5 JP" in text


def test_workshop_saya_links_to_the_history(client, login_as, history):
    login_as(history())

    assert 'href="/riwayat-pelatihan"' in client.get("/workshop-saya").get_data(as_text=True)


def test_the_page_needs_a_login(client):
    assert client.get("/riwayat-pelatihan").status_code == 302


def test_someone_without_workshops_sees_zero_for_this_year(client, login_as, make_user, clock):
    login_as(make_user(role=Role.PARTICIPANT))

    text = client.get("/riwayat-pelatihan").get_data(as_text=True)

    assert "Belum ada loka latih yang Anda ikuti." in text
    assert "0 dari 20 JP" in text


def test_the_pdf_transcript_is_one_page_with_the_name_workshops_totals_and_embedded_fonts(
    client, login_as, history, tmp_path
):
    login_as(history())

    response = client.get("/riwayat-pelatihan/transkrip.pdf")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "transkrip-jp-dawud-nunez-simic.pdf" in response.headers["Content-Disposition"]
    path = tmp_path / "transkrip.pdf"
    path.write_bytes(response.data)
    assert re.search(r"^Pages:\s+1$", poppler("pdfinfo", path), re.MULTILINE)
    text = " ".join(poppler("pdftotext", path).split())
    for expected in (
        NAME,
        "Loka Latih Kota Makassar Peduli HAM",
        "Pelatihan HAM Jayapura",
        "Bimtek RANHAM Jakarta",
        "LL/2026/0001/00001",
        "4,5 dari 4,5",
        "8,5",
        "Kurang 11,5 JP",
        "Jumlah seluruhnya: 14,5 JP",
    ):
        assert expected in text, expected
    assert "Belum Berlangsung" not in text
    fonts = poppler("pdffonts", path).splitlines()[2:]
    assert fonts, "pdffonts lists no font"
    assert all(" yes " in line for line in fonts), fonts  # every font embedded (emb column)
    assert {line.split()[0].split("+")[-1] for line in fonts} == {"DejaVuSans", "DejaVuSans-Bold"}


def test_a_long_history_stays_on_one_page(
    db, client, login_as, jp_workshop, jp_participant, tmp_path
):
    first = jp_workshop([(MAKASSAR_DAY, 90, None)], title="Loka Latih " + "Panjang Sekali " * 12)
    user = jp_participant(first, [0]).user
    for number in range(40):
        workshop = jp_workshop([(MAKASSAR_DAY + timedelta(days=number + 1), 90, None)])
        jp_participant(workshop, [0], user=user)
    login_as(user)

    path = tmp_path / "panjang.pdf"
    path.write_bytes(client.get("/riwayat-pelatihan/transkrip.pdf").data)

    assert re.search(r"^Pages:\s+1$", poppler("pdfinfo", path), re.MULTILINE)
    assert "loka latih lainnya" in poppler("pdftotext", path)


def test_the_xlsx_has_typed_numbers_and_dates(client, login_as, history):
    login_as(history())

    response = client.get("/riwayat-pelatihan/transkrip.xlsx")

    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    workshops, years = book.worksheets
    rows = {row[0]: row for row in workshops.iter_rows(min_row=2, values_only=True)}
    makassar = rows["Loka Latih Kota Makassar Peduli HAM"]
    assert makassar[1] == datetime(2026, 3, 2)  # a date cell, not text
    assert makassar[4] == 4.5 and isinstance(makassar[4], float)
    assert makassar[6] == "LL/2026/0001/00001"
    assert rows["Pelatihan HAM Jayapura"][4] == 4
    totals = {row[0]: row for row in years.iter_rows(min_row=2, values_only=True)}
    assert totals[2026][1] == 8.5 and totals[2026][2] == 20
    assert totals[2027][1] == 6


def test_the_history_speaks_english_to_an_english_reader(db, client, login_as, history):
    user = history()
    user.locale = "en"
    db.session.commit()
    login_as(user)

    text = client.get("/riwayat-pelatihan").get_data(as_text=True)

    assert "Training history" in text
    assert "8.5 of 20 JP" in text
