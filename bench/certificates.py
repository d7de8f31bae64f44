"""Benchmark: 1,000 certificate PDFs in one process, against a bare ReportLab page; with
`--emails`, 1,000 certificate emails queued and sent through a local SMTP server.

    .venv/bin/python bench/certificates.py [--count 1000]
    .venv/bin/python bench/certificates.py --emails [--count 1000] [--database-url URL]

The certificates go through `lokalatih.certificates.pdf.render_certificate` with plain data (no
database, no app). The baseline draws the same strings and the same QR code on an A4 landscape
page with ReportLab directly, the way a first attempt would (a path rectangle per dark module),
with the same embedded TTF fonts and the same ReportLab settings (importing the certificate module
turns ASCII85 off for both): it is what the certificate code is measured against.
The target (issue 5) is under 10 s for 1,000 on this machine. Wall time depends on what else the
machine is doing; CPU time of this process is printed too.

`--emails` (issue 19; the anchor is a Moodle certificate email task that ran 17 minutes) builds a
completed workshop with `count` valid certificates in a migrated database (a temporary SQLite file
unless a URL is given), then times "Kirim sertifikat ke semua" (`mailing.send_all`: the queuing,
which renders no PDF) and the outbox sender (`send_due_messages` in batches until nothing is
left: each PDF rendered and attached, delivered over SMTP to aiosmtpd on localhost).
Signed (issue 19): the same certificates rendered and signed (PAdES, pyHanko) with a demo key made
for the run, the key and certificate loaded once and the signer reused, as the app does; then again
with what a workshop with issuing institutions prints: two logos and three signature images (drawn
here with Pillow at the largest size lokalatih stores, 1200 pixels, and prepared as an upload is).
The target is 1,000 signed certificates in under 20 s.
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import segno
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lokalatih.certificates.pdf import (  # noqa: E402
    FONT_DIR,
    CertificateContent,
    Signatory,
    register_fonts,
    render_certificate,
)

TARGET_SECONDS_PER_1000 = 10.0
SIGNED_TARGET_SECONDS_PER_1000 = 20.0
FIRST_NAMES = ["Dāwūd", "Ni Luh Putu Ayu", "Siti", "Yohanes", "Çelik", "Ṣaraswatī", "Made", "Öznur"]
LAST_NAMES = ["Ñúñez Šimić", "Rahmawati", "Hutapea", "Wenda", "Łukasiewicz", "Pratiwi", "Sitompul"]


def sample_contents(count: int) -> list[CertificateContent]:
    """`count` certificates with different names, numbers and codes (so different font subsets)."""
    contents = []
    for index in range(count):
        name = f"{FIRST_NAMES[index % len(FIRST_NAMES)]} {LAST_NAMES[index % len(LAST_NAMES)]}"
        code = f"{index:016X}".replace("0", "A").replace("1", "B")[:16]
        url = f"https://lokalatih.id/verifikasi/{code}"
        contents.append(
            CertificateContent(
                heading="SERTIFIKAT",
                number_line=f"Nomor: LL/2026/0012/{index + 1:05d}",
                given_to="diberikan kepada",
                name=name,
                attended="telah mengikuti",
                workshop_title=(
                    "Loka Latih Kabupaten/Kota Peduli Hak Asasi Manusia bagi Aparatur "
                    "Pemerintah Daerah Provinsi Sulawesi Selatan"
                ),
                details="7–9 Desember 2026 · Aula Kantor Wilayah, Makassar dan daring · (32 JP)",
                organizers="Diselenggarakan oleh Direktorat Jenderal HAM bersama Komnas HAM, INFID",
                issued_line="Diterbitkan 12 Desember 2026",
                signatories=(
                    Signatory("Dr. Hana Pratiwi, S.H., M.H.", "Direktur Jenderal HAM"),
                    Signatory("Ahmad Taufan", "Ketua Komnas HAM"),
                    Signatory("Sugeng Bahagijo", "Direktur Eksekutif INFID"),
                ),
                code_line=f"Kode verifikasi: {code[:4]}-{code[4:8]}-{code[8:12]}-{code[12:]}",
                verify_hint=f"Periksa keaslian sertifikat ini di {url}",
                verify_url=url,
                document_title=f"Sertifikat {name}",
                code=code,
            )
        )
    return contents


def with_images(contents: list[CertificateContent]) -> list[CertificateContent]:
    """The same certificates with two institution logos and a signature image per signatory."""
    from PIL import Image, ImageDraw

    from lokalatih.certificates.branding import prepare_image

    def drawn(width: int, height: int, color: tuple[int, int, int], seed: int) -> bytes:
        image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
        draw = ImageDraw.Draw(image)
        for index in range(40):
            left, top = (index * seed) % width, (index * 7) % height
            draw.ellipse((left, top, left + 200, top + 120), outline=(*color, 255), width=6)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return prepare_image(buffer.getvalue()).png

    logos = (drawn(1200, 1200, (10, 80, 120), 31), drawn(1200, 600, (150, 30, 30), 17))
    signatures = [drawn(1200, 400, (20, 20, 90), seed) for seed in (3, 5, 11)]
    return [
        dataclasses.replace(
            content,
            logos=logos,
            signatories=tuple(
                dataclasses.replace(signatory, signature=signature)
                for signatory, signature in zip(content.signatories, signatures, strict=True)
            ),
        )
        for content in contents
    ]


# --- the baseline: the same page drawn with ReportLab directly --------------------------------

_bare_fonts = False


def bare_fonts() -> None:
    global _bare_fonts
    if not _bare_fonts:
        pdfmetrics.registerFont(TTFont("BareSans", str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("BareSans-Bold", str(FONT_DIR / "DejaVuSans-Bold.ttf")))
        _bare_fonts = True


def bare_page(content: CertificateContent) -> bytes:
    width, height = landscape(A4)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width, height))
    lines = [
        ("BareSans-Bold", 38, content.heading),
        ("BareSans", 10, content.number_line),
        ("BareSans", 14, content.given_to),
        ("BareSans-Bold", 32, content.name),
        ("BareSans", 14, content.attended),
        ("BareSans-Bold", 14, content.workshop_title),
        ("BareSans", 12, content.details),
        ("BareSans", 10, content.organizers),
        ("BareSans", 10, content.issued_line),
    ]
    y = 508
    for font, size, text in lines:
        canvas.setFont(font, size)
        canvas.drawCentredString(width / 2, y, text)
        y -= size + 18
    for index, signatory in enumerate(content.signatories):
        x = 250 + index * 190
        canvas.setFont("BareSans", 10)
        canvas.drawCentredString(x, 160, signatory.position)
        canvas.setFont("BareSans-Bold", 11)
        canvas.drawCentredString(x, 82, signatory.name)
    canvas.setFont("BareSans-Bold", 8.5)
    canvas.drawString(56, 58, content.code_line)
    canvas.setFont("BareSans", 7)
    canvas.drawString(56, 47, content.verify_hint)
    matrix = segno.make(content.verify_url, error="m").matrix
    module = 92 / len(matrix)
    path = canvas.beginPath()
    for row, cells in enumerate(matrix):
        for col, dark in enumerate(cells):
            if dark:
                path.rect(56 + col * module, 162 - (row + 1) * module, module, module)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


# --- measuring --------------------------------------------------------------------------------


def measure(render: Callable[[CertificateContent], bytes], contents) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds, total bytes) to render every content once."""
    size = 0
    wall, cpu = time.perf_counter(), time.process_time()
    for content in contents:
        size += len(render(content))
    return time.perf_counter() - wall, time.process_time() - cpu, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--emails", action="store_true", help="time queuing and sending emails")
    parser.add_argument("--database-url", help="with --emails; default a temporary SQLite file")
    args = parser.parse_args()
    count = args.count
    if args.emails:
        from certificate_emails import bench_emails  # bench/ is on sys.path: the script's folder

        return bench_emails(count, args.database_url)
    contents = sample_contents(count)

    started = time.perf_counter()
    register_fonts()
    bare_fonts()
    print(f"fonts parsed once per process: {(time.perf_counter() - started) * 1000:.0f} ms")
    render_certificate(contents[0])  # warm-up: imports and caches outside the measurement
    bare_page(contents[0])

    wall, cpu, size = measure(render_certificate, contents)
    bare_wall, bare_cpu, bare_size = measure(bare_page, contents)

    print(
        f"certificates: {count} PDFs in {wall:.2f} s wall, {cpu:.2f} s CPU "
        f"({wall / count * 1000:.1f} ms each, {size / count / 1024:.0f} KB average)"
    )
    print(
        f"bare ReportLab page: {count} PDFs in {bare_wall:.2f} s wall, {bare_cpu:.2f} s CPU "
        f"({bare_wall / count * 1000:.1f} ms each, {bare_size / count / 1024:.0f} KB average)"
    )
    print(f"ratio certificate / bare page: {wall / bare_wall:.2f} (CPU {cpu / bare_cpu:.2f})")
    print(
        "  (the bare page draws the QR one module at a time through ReportLab's path API; the "
        "certificate writes runs of modules as PDF operators, and lays out and shrinks its text)"
    )
    per_thousand = wall / count * 1000
    verdict = "met" if per_thousand < TARGET_SECONDS_PER_1000 else "NOT met"
    print(
        f"target under {TARGET_SECONDS_PER_1000:.0f} s per 1,000: {per_thousand:.2f} s, {verdict}"
    )
    measure_signed(contents)
    return 0


def measure_signed(contents: list[CertificateContent]) -> None:
    from lokalatih.certificates.signing import DEMO_PASSPHRASE, load_signer, write_demo_p12

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench-signing.p12"
        write_demo_p12(path)
        started = time.perf_counter()
        signer = load_signer(path, DEMO_PASSPHRASE)
        signer.sign(render_certificate(contents[0]), contents[0].code)  # builds the CMS template
        print(f"signer loaded and ready once per process: {time.perf_counter() - started:.2f} s")

        def signed(content: CertificateContent) -> bytes:
            return signer.sign(render_certificate(content), content.code)

        report_signed("signed certificates", measure(signed, contents), len(contents))
        # No warm-up here: preparing the images once per process is part of the measured time.
        illustrated = with_images(contents)
        report_signed(
            "signed, with 2 logos and 3 signature images",
            measure(signed, illustrated),
            len(contents),
        )


def report_signed(label: str, measured: tuple[float, float, int], count: int) -> None:
    wall, cpu, size = measured
    print(
        f"{label}: {count} PDFs in {wall:.2f} s wall, {cpu:.2f} s CPU "
        f"({count / wall:.0f} signed PDFs per second, {size / count / 1024:.0f} KB average)"
    )
    per_thousand = wall / count * 1000
    verdict = "met" if per_thousand < SIGNED_TARGET_SECONDS_PER_1000 else "NOT met"
    print(
        f"  target under {SIGNED_TARGET_SECONDS_PER_1000:.0f} s per 1,000 signed: "
        f"{per_thousand:.2f} s, {verdict}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
