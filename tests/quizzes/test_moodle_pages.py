"""Importing Moodle XML and GIFT through the bank pages (preview, then confirm), and exporting."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from lokalatih.models import AuditEvent, Question, Role
from lokalatih.quizzes import bank

FILES = Path(__file__).parent / "moodle_files"
SOURCE = "UU No. 39 Tahun 1999 tentang HAM"


@pytest.fixture
def bank_admin(make_user, login_as):
    user = make_user("moodle-admin@contoh.id", role=Role.ADMIN)
    login_as(user)
    return user


def upload(client, content: bytes, filename: str, **fields: str):
    boundary = "lokalatih-batas-uji"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    )
    body = b"".join(parts) + head.encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return client.post(
        "/bank-soal/impor-moodle",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


def token_of(page: str) -> str:
    match = re.search(r'name="token" type="hidden" value="([^"]+)"', page)
    assert match is not None, "no confirmation form"
    return match.group(1)


def confirm(client, page: str):
    return client.post(
        "/bank-soal/impor-moodle/konfirmasi", data={"token": token_of(page)}, follow_redirects=True
    )


def questions(db) -> list[Question]:
    return list(db.session.scalars(sa.select(Question).order_by(Question.id)))


@pytest.mark.parametrize(
    ("name", "summary"),
    [
        ("all_types.xml", "3 soal siap diimpor, 6 dilewati, 0 ditolak"),
        # The missing-word question has no feedback at all: no explanation, so refused.
        ("all_types.gift", "3 soal siap diimpor, 5 dilewati, 1 ditolak"),
    ],
)
def test_the_preview_lists_every_question_and_confirming_imports_the_ready_ones(
    db, client, bank_admin, name, summary
):
    response = upload(client, (FILES / name).read_bytes(), name, default_source=SOURCE)

    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 200
    assert summary in page
    assert "Esai kewajiban negara" in page and "Soal menjodohkan belum didukung" in page
    assert questions(db) == []  # the preview writes nothing

    done = confirm(client, response.get_data(as_text=True))

    imported = questions(db)
    assert done.status_code == 200
    assert f"{len(imported)} soal ditambahkan ke bank soal." in done.get_data(as_text=True)
    assert len(imported) == 3
    first = imported[0]
    assert first.topic == "Instrumen internasional"
    assert first.source == "Resolusi Majelis Umum PBB 217 A (III)"  # read from the file
    assert imported[1].source == SOURCE  # the file has none: the default given with the upload
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "question_bank_imported")
    )
    assert event.details["source"] == ("moodle-xml:" if name.endswith("xml") else "gift:") + name


def test_without_a_default_source_the_questions_lacking_one_are_refused_not_guessed(
    db, client, bank_admin
):
    response = upload(client, (FILES / "all_types.xml").read_bytes(), "bank.xml")

    page = html.unescape(response.get_data(as_text=True))
    assert "1 soal siap diimpor, 6 dilewati, 2 ditolak" in page
    assert "Sumber (pasal atau peraturan) wajib diisi." in page

    confirm(client, response.get_data(as_text=True))

    assert [q.text[:30] for q in questions(db)] == ["Berapa pasal yang dimuat DUHAM"]


def test_a_text_already_in_the_bank_or_earlier_in_the_file_is_refused_naming_which(
    db, client, bank_admin
):
    existing = bank.create_question(
        bank.question_data(
            topic="DUHAM",
            kind="true_false",
            text="Bab XA UUD 1945 tentang HAK ASASI MANUSIA ditambahkan oleh Perubahan Kedua.",
            correct_keys="a",
            explanation="Disahkan 18 Agustus 2000.",
            source="UUD 1945",
        ),
        actor=None,
    )
    db.session.commit()
    gift_file = (FILES / "all_types.gift").read_bytes()
    gift_file += (
        b"\n\n::Lagi::Berapa <strong>pasal</strong> yang dimuat DUHAM?<br>"
        b"Pilih satu &amp; hanya satu. {=30 ~10}\n"
    )

    response = upload(client, gift_file, "ulang.gift", default_source=SOURCE)

    page = html.unescape(response.get_data(as_text=True))
    assert (
        f'Teks soal sudah ada di bank soal (soal #{existing.id}): "Bab XA UUD 1945 tentang HAK '
        'ASASI MANUSIA ditambahkan oleh Perubahan Kedua."' in page
    )
    assert "Teks soal sama dengan soal ke-1 di berkas ini." in page

    confirm(client, response.get_data(as_text=True))

    assert (
        len(questions(db)) == 1 + 2
    )  # the two refused ones (and the one without feedback) stay out


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"<quiz><question type='truefalse'></quiz>", "rusak.xml", "Berkas bukan Moodle XML"),
        (b'<!DOCTYPE quiz [<!ENTITY x SYSTEM "file:///etc/passwd">]><quiz/>', "x.xml", "DOCTYPE"),
        (b"::Soal:: Tanpa penutup {=a ~b", "rusak.gift", "tanpa menutupnya dengan }"),
        (b"<quiz></quiz>", "kosong.xml", "Berkas tidak berisi satu soal pun."),
        (b"a,b", "soal.csv", "Pilih berkas Moodle XML (.xml) atau GIFT (.gift atau .txt)."),
    ],
)
def test_a_malformed_file_is_a_clear_error_and_nothing_is_imported(
    db, client, bank_admin, content, filename, message
):
    response = upload(client, content, filename)

    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert message in page
    assert 'name="token"' not in page
    assert questions(db) == []


def test_a_tampered_confirmation_imports_nothing(db, client, bank_admin):
    response = upload(client, (FILES / "all_types.xml").read_bytes(), "bank.xml")
    token = token_of(response.get_data(as_text=True))

    done = client.post(
        "/bank-soal/impor-moodle/konfirmasi",
        data={"token": token[:-3] + "abc"},
        follow_redirects=True,
    )

    assert "Pratinjau sudah kedaluwarsa atau rusak. Unggah berkasnya lagi." in done.get_data(
        as_text=True
    )
    assert questions(db) == []


def test_organizers_export_moodle_files_but_cannot_import(db, client, login_as, make_user):
    login_as(make_user(role=Role.ORGANIZER))

    assert client.get("/bank-soal/ekspor.xml").status_code == 200
    assert client.get("/bank-soal/ekspor.gift").status_code == 200
    assert client.get("/bank-soal/impor-moodle").status_code == 403
    assert client.post("/bank-soal/impor-moodle/konfirmasi").status_code == 403


@pytest.mark.parametrize(("fmt", "mimetype"), [("xml", "application/xml"), ("gift", "text/plain")])
def test_an_export_of_the_filtered_bank_imports_back_without_loss(
    db, client, bank_admin, fmt, mimetype
):
    preview = upload(client, (FILES / "all_types.xml").read_bytes(), "a.xml", default_source=SOURCE)
    confirm(client, preview.get_data(as_text=True))
    before = [bank.data_from_question(q) for q in questions(db) if q.topic == "Konstitusi"]

    exported = client.get(f"/bank-soal/ekspor.{fmt}?topik=Konstitusi")

    assert exported.mimetype == mimetype
    assert f"bank-soal.{fmt}" in exported.headers["Content-Disposition"]
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "question_bank_exported")
    )
    assert event.details == {
        "format": "moodle-xml" if fmt == "xml" else "gift",
        "count": 1,
        "topic": "Konstitusi",
    }
    db.session.execute(sa.delete(Question))
    db.session.commit()

    response = upload(client, exported.data, f"bank-soal.{fmt}")
    confirm(client, response.get_data(as_text=True))

    assert [bank.data_from_question(q) for q in questions(db)] == before


def test_the_list_links_the_moodle_import_and_exports(db, client, bank_admin):
    page = client.get("/bank-soal?topik=&q=DUHAM").get_data(as_text=True)

    assert "/bank-soal/impor-moodle" in page
    assert "/bank-soal/ekspor.xml?" in page and "/bank-soal/ekspor.gift?" in page


# --- two adds of one text at the same moment -----------------------------------------------------


def test_a_text_added_meanwhile_by_another_request_is_a_form_error_naming_it(
    db, client, bank_admin, monkeypatch
):
    other = bank.create_question(
        bank.question_data(
            topic="UUD 1945",
            kind="single",
            text="Pasal mana yang memuat hak yang tidak dapat dikurangi?",
            choices=["Pasal 28I ayat (1)", "Pasal 28J ayat (2)"],
            correct_keys="a",
            explanation="Pasal 28I ayat (1).",
            source="UUD 1945",
        ),
        actor=None,
    )
    db.session.commit()
    # This request checked before the other one committed: only the unique index sees the clash.
    monkeypatch.setattr(bank, "_require_new_text", lambda text, question=None: None)

    response = client.post(
        "/bank-soal/baru",
        data={
            "topic": "UUD 1945",
            "text": "pasal mana yang memuat hak yang tidak dapat dikurangi?",
            "kind": "single",
            "choice_a": "Pasal 28I ayat (1)",
            "choice_b": "Pasal 28I ayat (4)",
            "correct": ["a"],
            "explanation": "Pasal 28I ayat (1) menyebut hak yang tidak dapat dikurangi.",
            "source": "UUD 1945 Pasal 28I ayat (1)",
        },
    )

    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert (
        f'sudah ada di bank soal (soal #{other.id}): "Pasal mana yang memuat hak yang tidak '
        'dapat dikurangi?"' in page
    )
    assert db.session.scalar(sa.select(sa.func.count(Question.id))) == 1


@pytest.mark.parametrize("fmt", ["xml", "gift", "csv"])
def test_the_ticked_questions_are_exported_retired_ones_included(db, client, bank_admin, fmt):
    preview = upload(client, (FILES / "all_types.xml").read_bytes(), "a.xml", default_source=SOURCE)
    confirm(client, preview.get_data(as_text=True))
    single, multiple, true_false = questions(db)
    bank.retire_question(true_false)
    db.session.commit()
    listing = client.get("/bank-soal?pensiun=semua").get_data(as_text=True)
    assert 'form="bank-selection"' in listing and 'formaction="/bank-soal/ekspor.xml"' in listing

    exported = client.get(f"/bank-soal/ekspor.{fmt}?id={single.id}&id={true_false.id}&id=x")

    text = exported.get_data(as_text=True)
    assert single.choices[0]["text"] in text and "Bab XA UUD 1945" in text
    assert "International Bill" not in text
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "question_bank_exported")
    ).one()
    assert event.details["selected"] == 2 and event.details["count"] == 2
