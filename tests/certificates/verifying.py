"""What a certificate's holder and whoever checks it see: the verification page its QR opens and
the text of its PDF. Shared by the certificate tests and the demo tests, so demo certificates are
held to what real ones show."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

from babel.dates import format_date

from lokalatih.certificates.documents import certificate_pdf
from lokalatih.models import Certificate
from lokalatih.outbox.services import external_url

from .test_pdf import decode_qr, page_text

__all__ = ["decode_qr"]  # the demo tests read the QR as the certificate tests do

# A certificate is issued when the workshop is over: the evening of the last session or the next
# day, not weeks later.
ISSUED_WITHIN = timedelta(days=1)


def last_session_day(certificate: Certificate) -> date:
    workshop = certificate.registration.workshop
    last_end = max(session.ends_at for session in workshop.sessions)
    return last_end.astimezone(workshop.zone).date()


def assert_issued_just_after_the_workshop(certificate: Certificate) -> None:
    workshop = certificate.registration.workshop
    last_end = max(session.ends_at for session in workshop.sessions)
    issued = certificate.issued_at
    assert last_end <= issued <= last_end + ISSUED_WITHIN, (certificate.number, issued, last_end)


def verification_path(certificate: Certificate) -> str:
    return external_url("certificates.verify", code=certificate.code).removeprefix(
        "http://localhost"
    )


def assert_verifies(client, certificate: Certificate, path: str | None = None) -> None:
    """The verification page (at `path`, e.g. read from the QR) says valid, with the holder's
    name, the workshop and the day it was issued."""
    page = client.get(path or verification_path(certificate))
    assert page.status_code == 200, (certificate.number, page.status_code)
    text = html.unescape(page.get_data(as_text=True))
    holder = certificate.registration.user.profile.full_name
    assert "Sertifikat berlaku" in text
    assert certificate.name_on_certificate == holder
    assert f"<dd>{holder}</dd>" in text
    assert f"<dd>{certificate.registration.workshop.title}</dd>" in text
    issued = re.search(r"Diterbitkan</dt><dd>([^<]*)</dd>", text).group(1)
    day = certificate.issued_at.astimezone(certificate.registration.workshop.zone).date()
    assert format_date(day, "d MMMM y", locale="id") in issued


def pdf_text_lines(certificate: Certificate) -> list[str]:
    """The PDF's text layer, one line of the page per item (read by pdfium)."""
    return [" ".join(line.split()) for line in page_text(certificate_pdf(certificate)).splitlines()]
