"""The PDF as a reader sees it: rendered by pdfium, its QR decoded by zxing-cpp, its text layer."""

from __future__ import annotations

import shutil
import subprocess

import pypdfium2 as pdfium
import zxingcpp

from lokalatih.certificates import services
from lokalatih.certificates.pdf import BOLD, TEXT_WIDTH, fit_text, register_fonts
from lokalatih.outbox.services import external_url

DIACRITICS_NAME = "Dāwūd Ñúñez Šimić"
BALINESE_NAME = "Ni Luh Putu Ayu Ṣaraswatī Çelik"


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    assert data.startswith(b"%PDF-")
    return pdfium.PdfDocument(data)


def page_text(data: bytes) -> str:
    document = open_pdf(data)
    try:
        page = document[0]
        return page.get_textpage().get_text_range()
    finally:
        document.close()


def decode_qr(data: bytes) -> list[str]:
    document = open_pdf(data)
    try:
        image = document[0].render(scale=2).to_pil()
    finally:
        document.close()
    return [result.text for result in zxingcpp.read_barcodes(image)]


def poppler(tool: str, path, *args: str) -> str:
    """The output of a poppler-utils command (`make test` installs them when missing)."""
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


def pdffonts_rows(path) -> list[dict[str, str]]:
    """`pdffonts` as one dict per font, keyed by its header (columns cut where its dashes are)."""
    header, dashes, *rows = poppler("pdffonts", path).splitlines()
    spans, start = [], 0
    for part in dashes.split(" "):
        spans.append((start, start + len(part)))
        start += len(part) + 1
    keys = [header[a:b].strip() for a, b in spans]
    keys[-1] = header[spans[-1][0] :].strip()  # "object ID" runs past its dashes
    return [
        {key: row[a:b].strip() for key, (a, b) in zip(keys, spans, strict=True)} | {"line": row}
        for row in rows
        if row.strip()
    ]


def download(client, certificate) -> bytes:
    response = client.get(f"/sertifikat/{certificate.id}.pdf")
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    return response.data


def test_the_qr_in_the_rendered_pdf_opens_the_verification_page_which_says_valid_then_revoked(
    db, client, login_as, cert_workshop, cert_participant, cert_organizer
):
    registration = cert_participant(cert_workshop(), full_name=DIACRITICS_NAME)
    certificate = services.issue_certificate(registration)
    db.session.commit()
    login_as(registration.user)

    [url] = decode_qr(download(client, certificate))

    assert url == external_url("certificates.verify", code=certificate.code)
    page = client.get(url.removeprefix("http://localhost"))
    assert page.status_code == 200
    assert "Sertifikat berlaku" in page.get_data(as_text=True)
    assert DIACRITICS_NAME in page.get_data(as_text=True)

    services.revoke_certificate(certificate, "Data kehadiran keliru", cert_organizer)
    db.session.commit()
    page = client.get(url.removeprefix("http://localhost"))

    text = page.get_data(as_text=True)
    assert "Sertifikat dicabut" in text
    assert "Data kehadiran keliru" in text
    assert "Sertifikat berlaku" not in text


def test_the_text_layer_has_the_name_with_its_diacritics_and_the_certificate_details(
    db, client, login_as, cert_workshop, cert_participant
):
    workshop = cert_workshop(title="Loka Latih Kota Makassar Peduli HAM")
    registration = cert_participant(workshop, full_name=BALINESE_NAME)
    certificate = services.issue_certificate(registration)
    db.session.commit()
    login_as(registration.user)

    text = page_text(download(client, certificate))

    assert BALINESE_NAME in text
    for expected in (
        "SERTIFIKAT",
        "diberikan kepada",
        "telah mengikuti",
        "Loka Latih Kota Makassar Peduli HAM",
        "7–9 Desember 2026",
        "Aula Kantor Wilayah, Makassar dan daring",
        "(12,5 JP)",  # five sessions of two hours attended: 5 × 2.5 JP
        "Komnas HAM",  # the organizer's institution
        "INFID, Kemitraan",  # the partners
        "Dr. Hana Pratiwi, S.H.",
        "Direktur Jenderal HAM",
        certificate.number,
        services.format_code(certificate.code),
    ):
        assert expected in text, expected


def test_an_english_speaking_participant_gets_an_english_certificate(
    db, client, login_as, cert_workshop, cert_participant
):
    registration = cert_participant(cert_workshop(), full_name=DIACRITICS_NAME, locale="en")
    certificate = services.issue_certificate(registration)
    db.session.commit()
    login_as(registration.user)

    text = page_text(download(client, certificate))

    assert certificate.language == "en"
    assert "7–9 December 2026" in text
    assert "Desember" not in text
    assert DIACRITICS_NAME in text


def test_a_very_long_name_and_title_shrink_to_stay_on_the_page(
    db, client, login_as, cert_workshop, cert_participant
):
    long_name = "Raden Ajeng " + " ".join(["Kusumawardhani Ṣaraswatī"] * 5)
    long_title = " ".join(["Penguatan Kapasitas Aparatur Kabupaten/Kota Peduli HAM"] * 3)
    registration = cert_participant(cert_workshop(title=long_title), full_name=long_name)
    certificate = services.issue_certificate(registration)
    db.session.commit()
    login_as(registration.user)
    data = download(client, certificate)

    document = open_pdf(data)
    try:
        page = document[0]
        width, _ = page.get_size()
        textpage = page.get_textpage()
        boxes = [textpage.get_charbox(index) for index in range(textpage.count_chars())]
        words = " ".join(textpage.get_text_range().split())
    finally:
        document.close()

    assert all(left > 0 and right < width for left, _, right, _ in boxes if right > left)
    assert long_name in words
    assert long_title in words


def test_fit_text_keeps_a_short_name_large_and_shrinks_or_wraps_a_long_one():
    register_fonts()

    short_lines, short_size = fit_text("Siti", BOLD, (32, 18, 11), TEXT_WIDTH, 2)
    long_lines, long_size = fit_text("Nama " * 40, BOLD, (32, 18, 11), TEXT_WIDTH, 2)

    assert (short_lines, short_size) == (["Siti"], 32)
    assert len(long_lines) <= 2 and long_size < 18


def test_the_pdf_holds_only_embedded_fonts_and_still_its_text_and_qr(
    db, client, login_as, cert_workshop, cert_participant, tmp_path
):
    registration = cert_participant(cert_workshop(), full_name=DIACRITICS_NAME)
    certificate = services.issue_certificate(registration)
    db.session.commit()
    login_as(registration.user)
    data = download(client, certificate)
    path = tmp_path / "sertifikat.pdf"
    path.write_bytes(data)

    fonts = pdffonts_rows(path)

    # PDF/A allows no font that is not embedded, used or not (ReportLab's initial Helvetica was).
    assert fonts, "pdffonts lists no font"
    assert [row["line"] for row in fonts if row["emb"] != "yes"] == []
    assert not any("helvetica" in row["name"].lower() for row in fonts)
    assert {row["name"].split("+")[-1] for row in fonts} == {"DejaVuSans", "DejaVuSans-Bold"}
    assert DIACRITICS_NAME in poppler("pdftotext", path)
    assert decode_qr(data) == [external_url("certificates.verify", code=certificate.code)]


def test_poppler_renders_the_certificate_and_zbarimg_reads_its_qr(
    db, client, login_as, cert_workshop, cert_participant, tmp_path
):
    """The reader's own tools, not the ones the tests render with: poppler draws the page and
    ZBar (a phone scanner's library) finds the verification address in it."""
    registration = cert_participant(cert_workshop())
    certificate = services.issue_certificate(registration)
    db.session.commit()
    login_as(registration.user)
    path = tmp_path / "sertifikat.pdf"
    path.write_bytes(download(client, certificate))
    pdftoppm, zbarimg = shutil.which("pdftoppm"), shutil.which("zbarimg")
    assert pdftoppm and zbarimg, "pdftoppm or zbarimg is missing: run `make pdf-deps`"
    page = tmp_path / "halaman"
    subprocess.run(
        [pdftoppm, "-png", "-r", "150", "-singlefile", str(path), str(page)], check=True, timeout=60
    )
    done = subprocess.run(
        [
            zbarimg,
            "--quiet",
            "--raw",
            "-Sdisable",
            "-Sqrcode.enable",
            str(tmp_path / "halaman.png"),
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.stdout.split() == [external_url("certificates.verify", code=certificate.code)]
