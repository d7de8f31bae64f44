"""The certificate PDF: A4 landscape, drawn directly with ReportLab from plain data.

`render_certificate` knows nothing of Flask or the database: it takes a `CertificateContent` whose
every string is already in the certificate's language (see `documents.build_content`), so the
benchmark and the ZIP builder call it without a request. The fonts (DejaVu Sans, which covers Latin
Extended, so "Dāwūd Ñúñez Šimić" prints right) are parsed once per process and embedded as subsets.
The QR code is drawn as vector rectangles: sharp at any zoom and no bitmap to encode.
Logos and signature images are decoded and compressed once per process and image (see
`_prepared_image`): the same few images print on every certificate of a workshop.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import io
import threading
from dataclasses import dataclass
from pathlib import Path

import segno
from reportlab import rl_config
from reportlab.lib.colors import Color
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONT_DIR = Path(__file__).resolve().parent.parent / "data" / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
PAGE_WIDTH, PAGE_HEIGHT = landscape(A4)
MARGIN = 56
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN - 40
INK = Color(0.11, 0.16, 0.22)
ACCENT = Color(0.05, 0.37, 0.42)
MUTED = Color(0.35, 0.38, 0.42)
QR_SIZE = 92
LOGO_HEIGHT, LOGO_MAX_WIDTH, LOGO_GAP, LOGO_TOP = 42, 130, 28, 554
LOGO_SHIFT = 36  # the text moves down this far when logos stand above it
SIGNATURE_BOX = (150, 52)  # width, height above the signatory's line
MIN_FONT_SIZE = 4

# Binary (Flate-only) streams: ASCII85 on top makes files a quarter larger and costs time.
rl_config.useA85 = 0

_font_lock = threading.Lock()
_fonts_ready = False


@dataclass(frozen=True)
class Signatory:
    name: str
    position: str
    signature: bytes | None = None  # PNG, drawn above the line


@dataclass(frozen=True)
class CertificateContent:
    """Everything printed on one certificate, already translated and formatted."""

    heading: str  # "SERTIFIKAT"
    number_line: str  # "Nomor: LL/2026/0012/00001"
    given_to: str  # "diberikan kepada"
    name: str
    attended: str  # "telah mengikuti"
    workshop_title: str
    details: str  # "7–9 Desember 2026 · Makassar · (32 JP)"
    organizers: str  # "Diselenggarakan oleh … bersama …"
    issued_line: str  # "Diterbitkan 12 Desember 2026"
    signatories: tuple[Signatory, ...]
    code_line: str  # "Kode verifikasi: ABCD-EFGH-JKLM-NPQR"
    verify_hint: str  # "Periksa keaslian di <url>"
    verify_url: str  # the QR's content
    document_title: str  # the PDF's metadata title
    language: str = "id"  # the document language screen readers announce
    code: str = ""  # the verification code, written into the signed PDF (signing.CODE_KEY)
    logos: tuple[bytes, ...] = ()  # PNGs of the issuing institutions' logos, drawn at the top


def register_fonts() -> None:
    """Parse the TTF files once per process (the slow part); later calls return at once."""
    global _fonts_ready
    if _fonts_ready:
        return
    with _font_lock:
        if not _fonts_ready:
            pdfmetrics.registerFont(TTFont(REGULAR, str(FONT_DIR / "DejaVuSans.ttf")))
            pdfmetrics.registerFont(TTFont(BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
            _fonts_ready = True


def render_certificate(content: CertificateContent) -> bytes:
    """The certificate as the bytes of a one-page PDF."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
        pageCompression=1,
        lang=content.language,
        # The canvas otherwise starts in Helvetica, which its preamble declares in the page's
        # resources although no text uses it: an unembedded font that PDF/A forbids. An
        # embedded TrueType font as the initial one is only declared once text is drawn in it.
        initialFontName=REGULAR,
        initialFontSize=10,
    )
    canvas.setTitle(content.document_title)
    canvas.setAuthor("lokalatih")
    canvas.setSubject(content.code_line)
    _draw_frame(canvas)
    _draw_logos(canvas, content.logos)
    _draw_body(canvas, content, shift=LOGO_SHIFT if content.logos else 0)
    _draw_signatories(canvas, content)
    _draw_verification(canvas, content)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _draw_frame(canvas: Canvas) -> None:
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(3)
    canvas.rect(24, 24, PAGE_WIDTH - 48, PAGE_HEIGHT - 48)
    canvas.setLineWidth(0.8)
    canvas.rect(32, 32, PAGE_WIDTH - 64, PAGE_HEIGHT - 64)


def _draw_image(
    canvas: Canvas, png: bytes, center: float, bottom: float, max_width: float, height: float
) -> None:
    """The image scaled to fit `max_width` × `height`, centred on `center`, resting on `bottom`."""
    image = _prepared_image(png)
    scale = min(max_width / image.xobject.width, height / image.xobject.height)
    width, drawn_height = image.xobject.width * scale, image.xobject.height * scale
    name = _register_image(canvas, image)
    canvas.saveState()
    canvas.translate(center - width / 2, bottom)
    canvas.scale(width, drawn_height)
    canvas._code.append(f"/{name} Do")
    canvas.restoreState()


@dataclass(frozen=True)
class _PreparedImage:
    """An image XObject (and its alpha as a soft mask) with its pixels already compressed."""

    name: str
    xobject: pdfdoc.PDFImageXObject
    smask: pdfdoc.PDFImageXObject | None


@functools.lru_cache(maxsize=16)  # six per certificate at most; a photo-like image is MBs
def _prepared_image(png: bytes) -> _PreparedImage:
    """`png` decoded and Flate-compressed once per process: ReportLab's drawImage does both for
    every document (about 25 ms for a large logo, most of a certificate's time with six images),
    and a workshop prints the same logos and signatures on every certificate."""
    name = "Img" + hashlib.sha256(png).hexdigest()[:32]
    xobject = pdfdoc.PDFImageXObject(name, ImageReader(io.BytesIO(png)), mask="auto")
    smask = xobject.__dict__.pop("_smask", None)  # the alpha channel, a separate XObject
    if smask is not None:
        smask.name = name + "A"
    return _PreparedImage(name, xobject, smask)


def _register_image(canvas: Canvas, image: _PreparedImage) -> str:
    """Put a copy of the prepared XObject in the canvas's document, once per document, as
    Canvas.drawImage does after loading an image; returns its resource name."""
    document = canvas._doc
    resource = document.getXObjectName(image.name)
    canvas._currentPageHasImages = 1
    canvas._formsinuse.append(image.name)
    if resource in document.idToObject:
        return resource
    xobject = copy.copy(image.xobject)  # the compressed pixels are shared bytes, never changed
    document.Reference(xobject, resource)
    document.addForm(image.name, xobject)
    if image.smask is not None:
        smask = copy.copy(image.smask)
        xobject.smask = document.Reference(smask, document.getXObjectName(smask.name))
    return resource


def _draw_logos(canvas: Canvas, logos: tuple[bytes, ...]) -> None:
    """The issuing institutions' logos in one centred row above the heading."""
    if not logos:
        return
    total = len(logos) * LOGO_MAX_WIDTH + (len(logos) - 1) * LOGO_GAP
    left = (PAGE_WIDTH - total) / 2
    for index, png in enumerate(logos):
        center = left + index * (LOGO_MAX_WIDTH + LOGO_GAP) + LOGO_MAX_WIDTH / 2
        _draw_image(canvas, png, center, LOGO_TOP - LOGO_HEIGHT, LOGO_MAX_WIDTH, LOGO_HEIGHT)


def _draw_body(canvas: Canvas, content: CertificateContent, shift: float = 0) -> None:
    center = PAGE_WIDTH / 2
    canvas.setFillColor(ACCENT)
    _centered(canvas, content.heading, BOLD, 38, 508 - shift, char_space=6)
    canvas.setFillColor(MUTED)
    _centered(canvas, content.number_line, REGULAR, 10, 486 - shift)
    canvas.setFillColor(INK)
    _centered(canvas, content.given_to, REGULAR, 14, 448 - shift)
    y = _draw_fitted(canvas, content.name, BOLD, (32, 18, 11), 404 - shift, max_lines=2)
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(0.8)
    canvas.line(center - 250, y - 10, center + 250, y - 10)
    _centered(canvas, content.attended, REGULAR, 14, y - 36)
    y = _draw_fitted(canvas, content.workshop_title, BOLD, (20, 14, 10), y - 64, max_lines=3)
    _draw_fitted(canvas, content.details, REGULAR, (12, 9, 8), y - 26, max_lines=2)
    canvas.setFillColor(MUTED)
    _draw_fitted(canvas, content.organizers, REGULAR, (10, 8, 7), y - 46, max_lines=2)


def _draw_signatories(canvas: Canvas, content: CertificateContent) -> None:
    left = MARGIN + QR_SIZE + 40
    right = PAGE_WIDTH - MARGIN
    canvas.setFillColor(INK)
    canvas.setFont(REGULAR, 10)
    canvas.drawRightString(right, 184, content.issued_line)
    if not content.signatories:
        return
    column = (right - left) / len(content.signatories)
    width = column - 16
    for index, signatory in enumerate(content.signatories):
        center = left + column * (index + 0.5)
        _fitted_line(canvas, signatory.position, REGULAR, 10, 7, width, center, 160)
        if signatory.signature:
            box_width, box_height = SIGNATURE_BOX
            _draw_image(canvas, signatory.signature, center, 100, min(width, box_width), box_height)
        canvas.setStrokeColor(MUTED)
        canvas.setLineWidth(0.5)
        canvas.line(center - min(width, 180) / 2, 96, center + min(width, 180) / 2, 96)
        _fitted_line(canvas, signatory.name, BOLD, 11, 7, width, center, 82)


def _draw_verification(canvas: Canvas, content: CertificateContent) -> None:
    x, y = MARGIN, MARGIN + 14
    draw_qr(canvas, content.verify_url, x, y, QR_SIZE)
    canvas.setFillColor(INK)
    canvas.setFont(BOLD, 8.5)
    canvas.drawString(x, y - 12, content.code_line)
    canvas.setFillColor(MUTED)
    _fitted_line(
        canvas, content.verify_hint, REGULAR, 7, 5, PAGE_WIDTH - 2 * MARGIN, None, y - 23, left=x
    )


def draw_qr(canvas: Canvas, data: str, x: float, y: float, size: float) -> None:
    """`data` as a QR code whose lower-left corner is (x, y), in vector form: one filled path
    with a rectangle per run of dark modules in a row."""
    # A fixed mask skips segno's scoring of all eight masks (a third of the rendering time);
    # every mask is valid and decodes alike.
    matrix = segno.make(data, error="m", mask=0).matrix
    count = len(matrix)
    operators = [f"q 0 g {size / count:.4f} 0 0 {size / count:.4f} {x:.2f} {y:.2f} cm"]
    for row_index, row in enumerate(matrix):
        row_y = count - 1 - row_index  # in modules, from the bottom
        start = None
        for col, dark in enumerate(row):
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                operators.append(f"{start} {row_y} {col - start} 1 re")
                start = None
        if start is not None:
            operators.append(f"{start} {row_y} {count - start} 1 re")
    operators.append("f Q")
    # Written as PDF operators with small integers: ReportLab's path API formats every number
    # through a slow pure-Python routine, and a QR code has hundreds of rectangles.
    canvas.addLiteral("\n".join(operators))


def _centered(
    canvas: Canvas, text: str, font: str, size: float, y: float, char_space: float = 0
) -> None:
    if char_space:
        width = pdfmetrics.stringWidth(text, font, size) + char_space * (len(text) - 1)
        text_object = canvas.beginText((PAGE_WIDTH - width) / 2, y)
        text_object.setFont(font, size)
        text_object.setCharSpace(char_space)
        text_object.textOut(text)
        canvas.saveState()  # the character spacing would otherwise stay for all later text
        canvas.drawText(text_object)
        canvas.restoreState()
        return
    canvas.setFont(font, size)
    canvas.drawCentredString(PAGE_WIDTH / 2, y, text)


def fit_text(
    text: str, font: str, sizes: tuple[float, float, float], width: float, max_lines: int
) -> tuple[list[str], float]:
    """Lines and font size for `text` within `width`: one line shrunk from sizes[0] down to
    sizes[1]; if still too wide, up to `max_lines` lines shrunk down to sizes[2], and below it
    only if nothing else fits (the layout has room for `max_lines` lines, not more)."""
    largest, one_line_floor, floor = sizes
    natural = pdfmetrics.stringWidth(text, font, largest)
    if natural <= width:
        return [text], largest
    size = largest * width / natural
    if size >= one_line_floor or max_lines == 1:
        return [text], size
    size = one_line_floor
    while True:
        lines = simpleSplit(text, font, size, width)
        widest = max(pdfmetrics.stringWidth(line, font, size) for line in lines)
        if len(lines) <= max_lines and widest <= width:
            return lines, size
        if size <= MIN_FONT_SIZE:
            # An unbreakable word wider than the page: shrink it to fit, whatever it takes.
            return lines, size * min(1.0, width / widest)
        size = max(MIN_FONT_SIZE, size - (1 if size > floor else 0.5))


def _draw_fitted(
    canvas: Canvas,
    text: str,
    font: str,
    sizes: tuple[float, float, float],
    y: float,
    max_lines: int,
) -> float:
    """Draw `text` centred from baseline `y` down; returns the baseline of the last line."""
    lines, size = fit_text(text, font, sizes, TEXT_WIDTH, max_lines)
    canvas.setFont(font, size)
    for index, line in enumerate(lines):
        canvas.drawCentredString(PAGE_WIDTH / 2, y - index * size * 1.2, line)
    return y - (len(lines) - 1) * size * 1.2


def _fitted_line(
    canvas: Canvas,
    text: str,
    font: str,
    size: float,
    floor: float,
    width: float,
    center: float | None,
    y: float,
    left: float | None = None,
) -> None:
    """One line shrunk to `width`, centred on `center` or starting at `left`."""
    lines, size = fit_text(text, font, (size, floor, floor), width, 1)
    canvas.setFont(font, size)
    if center is None:
        canvas.drawString(left or 0, y, lines[0])
    else:
        canvas.drawCentredString(center, y, lines[0])
