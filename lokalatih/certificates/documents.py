"""From a stored certificate to what is printed on it, to its PDF, and many PDFs to one ZIP."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date

import sqlalchemy as sa
from babel.dates import format_date
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from sqlalchemy.orm import contains_eager

from .. import lessonhours
from ..extensions import db
from ..models import Certificate, Registration, Workshop, WorkshopMode
from ..outbox.services import external_url
from .attestation import Attested, attested, image_bytes
from .pdf import CertificateContent, Signatory, render_certificate
from .services import format_code
from .signer_choice import current_signer
from .signing import CertificateSigner

LONG_DAY = "d MMMM y"  # "7 Desember 2026"


def date_span(start: date, end: date) -> str:
    """'7–9 Desember 2026', '30 November – 2 Desember 2026', '30 Desember 2026 – 2 Januari 2027'
    or '7 Desember 2026', in the current language."""
    locale = get_locale()
    last = format_date(end, LONG_DAY, locale=locale)
    if start == end:
        return last
    if (start.year, start.month) == (end.year, end.month):
        return f"{format_date(start, 'd', locale=locale)}–{last}"
    first_pattern = "d MMMM" if start.year == end.year else LONG_DAY
    return f"{format_date(start, first_pattern, locale=locale)} – {last}"


def long_day(value: date) -> str:
    return format_date(value, LONG_DAY, locale=get_locale())


def place_text(attested: Attested) -> str:
    venue = attested.venue.strip()
    if attested.mode == WorkshopMode.ONLINE or not venue:
        return _("daring")
    if attested.mode == WorkshopMode.HYBRID:
        return _("%(venue)s dan daring", venue=venue)
    return venue


def _organizers_line(attested: Attested) -> str:
    """The issuing institutions chosen for the workshop, else the organizers' institutions."""
    organizers = ", ".join(attested.issuers or attested.organizers)
    partners = ", ".join(attested.partners)
    if organizers and partners:
        return _(
            "Diselenggarakan oleh %(organizers)s bersama %(partners)s",
            organizers=organizers,
            partners=partners,
        )
    if organizers:
        return _("Diselenggarakan oleh %(organizers)s", organizers=organizers)
    if partners:
        return _("Bersama %(partners)s", partners=partners)
    return ""


def build_content(certificate: Certificate) -> CertificateContent:
    """Everything the certificate says, in the certificate's own language, as it was issued."""
    workshop = certificate.registration.workshop
    facts = attested(certificate)
    verify_url = external_url("certificates.verify", code=certificate.code)
    with force_locale(certificate.language):
        details = [date_span(facts.start_date, facts.end_date), place_text(facts)]
        if facts.attended_jp_halves is not None:
            if facts.attended_jp_halves:
                jp = lessonhours.format_jp(facts.attended_jp_halves, get_locale())
                details.append(_("(%(hours)s JP)", hours=jp))
        elif facts.training_hours:
            details.append(_("(%(hours)s JP)", hours=facts.training_hours))
        issued_on = certificate.issued_at.astimezone(workshop.zone).date()
        return CertificateContent(
            heading=_("SERTIFIKAT"),
            number_line=_("Nomor: %(number)s", number=certificate.number),
            given_to=_("diberikan kepada"),
            name=certificate.name_on_certificate,
            attended=_("telah mengikuti"),
            workshop_title=facts.title,
            details=" · ".join(details),
            organizers=_organizers_line(facts),
            issued_line=_("Diterbitkan %(date)s", date=long_day(issued_on)),
            signatories=tuple(
                Signatory(
                    name=item.get("name", ""),
                    position=item.get("position", ""),
                    signature=image_bytes(item.get("signature")),
                )
                for item in facts.signatories
                if item.get("name")
            ),
            code_line=_("Kode verifikasi: %(code)s", code=format_code(certificate.code)),
            verify_hint=_("Periksa keaslian sertifikat ini di %(url)s", url=verify_url),
            verify_url=verify_url,
            document_title=_(
                "Sertifikat %(name)s – %(title)s",
                name=certificate.name_on_certificate,
                title=facts.title,
            ),
            language=certificate.language,
            code=certificate.code,
            logos=tuple(png for png in map(image_bytes, facts.logos) if png),
        )


def signed_pdf(content: CertificateContent, signer: CertificateSigner) -> bytes:
    """The certificate's PDF with the organisation's PAdES signature."""
    return signer.sign(render_certificate(content), content.code)


def certificate_pdf(certificate: Certificate) -> bytes:
    return signed_pdf(build_content(certificate), current_signer())


def pdf_filename(certificate: Certificate) -> str:
    """'sertifikat-LL-2026-0012-00001-dawud-nunez-simic.pdf': plain ASCII for every system."""
    ascii_name = (
        unicodedata.normalize("NFKD", certificate.name_on_certificate)
        .encode("ascii", "ignore")
        .decode("ascii")
    )
    name = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60]
    number = certificate.number.replace("/", "-")
    return f"sertifikat-{number}-{name}.pdf" if name else f"sertifikat-{number}.pdf"


def valid_certificates(workshop: Workshop) -> list[Certificate]:
    """The workshop's valid certificates in number order, with their registrations (the
    workshop itself comes from the session's identity map)."""
    return list(
        db.session.scalars(
            sa.select(Certificate)
            .join(Registration, Registration.id == Certificate.registration_id)
            .where(Registration.workshop_id == workshop.id, Certificate.revoked_at.is_(None))
            .options(contains_eager(Certificate.registration))
            .order_by(Certificate.number)
        )
    )


class _Chunks:
    """A write-only file for `zipfile`: collects what is written until the stream takes it."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def zip_stream(documents: Iterable[tuple[str, CertificateContent]]) -> Iterator[bytes]:
    """A ZIP of one signed PDF per (filename, content), yielded as each PDF is ready: the first
    bytes leave at once and memory holds one certificate at a time, whatever the batch size.

    The signer is taken now, in the request (a missing or refused key fails before the download
    starts); the stream itself needs no application context. PDFs are already compressed, so
    they are stored, not deflated again.
    """
    return _zip_chunks(documents, current_signer())


def _zip_chunks(
    documents: Iterable[tuple[str, CertificateContent]], signer: CertificateSigner
) -> Iterator[bytes]:
    sink = _Chunks()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_STORED) as archive:
        for filename, content in documents:
            archive.writestr(filename, signed_pdf(content, signer))
            yield sink.take()
    yield sink.take()  # the central directory, written on close
