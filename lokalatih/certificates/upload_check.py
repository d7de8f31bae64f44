"""Checking an uploaded PDF (POST /verifikasi/berkas) against lokalatih's signatures.

pyHanko validates the signature with the app's own signing certificate, and those of earlier keys
(CERTIFICATE_SIGNING_PREVIOUS_CERTS, their public part only), as the trust anchors, without
network: a signature by another certificate, or none, is "not ours"; a digest mismatch or anything
appended after signing is "changed"; otherwise the certificate found by the code in the catalog
says valid or revoked.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from flask import current_app

from ..models import Certificate
from .errors import DemoKeyRefusedError, NotAPdfError, PreviousCertificateError
from .services import find_by_code
from .signer_choice import current_signer
from .signing import CODE_KEY, CertificateSigner, is_demo_certificate

with warnings.catch_warnings():
    # pyHanko imports cryptography's DSA module, which warns that DSA is deprecated.
    warnings.simplefilter("ignore")
    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

# A certificate PDF is about 50 KB; 5 MB leaves room for any copy a printer or mailer made.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024

_previous: dict[tuple, tuple[x509.Certificate, ...]] = {}


def load_certificates(path: str | Path) -> tuple[x509.Certificate, ...]:
    """The X.509 certificates in a PEM (one or more blocks) or DER file, read once per process
    and file version. A file holding a private key is refused: only the public part belongs
    here, and a key left in it would be one more copy to protect."""
    path = Path(path)
    try:
        key = (str(path), path.stat().st_mtime_ns)
        loaded = _previous.get(key)
        if loaded is not None:
            return loaded
        data = path.read_bytes()
    except OSError:
        raise PreviousCertificateError() from None
    try:
        if pem.detect(data):
            blocks = list(pem.unarmor(data, multiple=True))
            if any("PRIVATE KEY" in kind for kind, _headers, _der in blocks):
                raise PreviousCertificateError()
            ders = [der for kind, _headers, der in blocks if kind == "CERTIFICATE"]
        else:
            ders = [data]
        loaded = tuple(x509.Certificate.load(der) for der in ders)
        for certificate in loaded:
            certificate.native  # noqa: B018 (parses it all: a damaged file fails here, not later)
    except PreviousCertificateError:
        raise
    except Exception:  # noqa: BLE001 (asn1crypto raises many kinds on a damaged file)
        raise PreviousCertificateError() from None
    if not loaded:
        raise PreviousCertificateError()
    _previous[key] = loaded
    return loaded


def previous_certificates() -> tuple[x509.Certificate, ...]:
    """The certificates of earlier signing keys (CERTIFICATE_SIGNING_PREVIOUS_CERTS); a demo
    certificate among them is refused where REFUSE_DEMO_SIGNING_KEY is set."""
    config = current_app.config
    found = tuple(
        certificate
        for path in config.get("CERTIFICATE_SIGNING_PREVIOUS_CERTS") or ()
        for certificate in load_certificates(path)
    )
    if config.get("REFUSE_DEMO_SIGNING_KEY") and any(map(is_demo_certificate, found)):
        raise DemoKeyRefusedError()
    return found


class Finding(StrEnum):
    NOT_PDF = "not_pdf"  # not a PDF that can be read
    NOT_OURS = "not_ours"  # no signature, or a signature by someone else
    CHANGED = "changed"  # signed by lokalatih, then changed
    UNCHANGED = "unchanged"  # signed by lokalatih and unchanged since


@dataclass(frozen=True)
class Checked:
    finding: Finding
    code: str | None = None


def check_pdf(
    data: bytes, signer: CertificateSigner, previous: tuple[x509.Certificate, ...] = ()
) -> Checked:
    """What the signature of an uploaded PDF says, validated with pyHanko against the app's own
    signing certificate and the `previous` ones of earlier keys (no network: these certificates
    are the trust anchors)."""
    if not data.startswith(b"%PDF-"):
        return Checked(Finding.NOT_PDF)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfFileReader(io.BytesIO(data), strict=False)
            signatures = reader.embedded_signatures
    except Exception:  # noqa: BLE001 (any parsing failure means an unreadable file)
        return Checked(Finding.NOT_PDF)
    anchors = {c.dump(): c for c in (signer.signer.signing_cert, *previous)}
    ours = [s for s in signatures if _signer_der(s) in anchors]
    if not ours:
        return Checked(Finding.NOT_OURS)
    embedded = ours[0]
    code = _code(reader)
    context = ValidationContext(trust_roots=list(anchors.values()), allow_fetching=False)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            status = signer.run(
                async_validate_pdf_signature(embedded, signer_validation_context=context)
            )
    except Exception:  # noqa: BLE001 (a damaged signature container)
        return Checked(Finding.CHANGED, code)
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    if status.intact and status.valid and whole:
        return Checked(Finding.UNCHANGED, code)
    return Checked(Finding.CHANGED, code)


@dataclass(frozen=True)
class UploadVerdict:
    finding: Finding
    certificate: Certificate | None = None


def verify_upload(data: bytes) -> UploadVerdict:
    """Whether an uploaded PDF is a certificate lokalatih signed, unchanged since, and which one
    (its validity, revoked or not, is the certificate's own)."""
    checked = check_pdf(data, current_signer(), previous_certificates())
    if checked.finding == Finding.NOT_PDF:
        raise NotAPdfError()
    certificate = find_by_code(checked.code) if checked.code else None
    if checked.finding == Finding.UNCHANGED and certificate is None:
        return UploadVerdict(Finding.NOT_OURS)  # signed by us, but no such certificate (any more)
    return UploadVerdict(checked.finding, certificate)


def _signer_der(embedded) -> bytes | None:
    try:
        return embedded.signer_cert.dump()
    except Exception:  # noqa: BLE001
        return None


def _code(reader: PdfFileReader) -> str | None:
    try:
        value = reader.root.get(CODE_KEY)
    except Exception:  # noqa: BLE001
        return None
    return str(value) if value is not None else None
