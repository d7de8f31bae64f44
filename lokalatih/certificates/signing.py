"""PAdES signatures on certificate PDFs, and checking an uploaded PDF against them.

The organisation's signing certificate comes from a PKCS#12 file named by the environment
(CERTIFICATE_SIGNING_P12, its passphrase in CERTIFICATE_SIGNING_PASSPHRASE); it is read once per
process and per file version, kept in memory only, and never written to the database or a log.
Or, with CERTIFICATE_SIGNING_PKCS11_LIB, a PKCS#11 token signs (CERTIFICATE_SIGNING_PKCS11_*): the
key stays on it; one logged-in session per process and thread is kept open.
A trusted RFC 3161 timestamp is added when CERTIFICATE_TIMESTAMP_URL names a server.
After a key rotation, the certificates of earlier keys (CERTIFICATE_SIGNING_PREVIOUS_CERTS, their
public part only) stay trusted by the upload check, so a PDF signed before still reads as ours.

Speed: pyHanko builds each CMS container through asn1crypto, which costs tens of milliseconds.
Without a timestamp, every container of one RSA key is byte for byte the same except the
document digest and the signature value (PAdES puts no signing time among the signed attributes),
so `TemplateSigner` builds one container with pyHanko and then only replaces those two fields.
With a token, the token signs those attributes. Other keys, and signing with a timestamp, take
pyHanko's own path.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
import os
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from flask import current_app

from ..models import Certificate
from .errors import (
    DemoKeyRefusedError,
    NotAPdfError,
    PreviousCertificateError,
    SigningError,
    SigningNotConfiguredError,
    TokenPinRefusedError,
)
from .services import find_by_code

with warnings.catch_warnings():
    # pyHanko imports cryptography's DSA module, which warns that DSA is deprecated.
    warnings.simplefilter("ignore")
    import pkcs11
    from asn1crypto import cms, pem, x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa
    from cryptography.hazmat.primitives.serialization import load_der_private_key
    from pkcs11 import Mechanism
    from pkcs11 import exceptions as pkcs11_errors
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields, signers, timestamps
    from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

logger = logging.getLogger(__name__)

DEMO_MARK = "lokalatih DEMO"  # in the demo certificate's common name and organisation
CODE_KEY = "/LokalatihCode"  # the certificate's code, written in the catalog of the signed revision
FIELD_NAME = "TandaTanganLokalatih"
# A certificate PDF is about 50 KB; 5 MB leaves room for any copy a printer or mailer made.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
_RESERVED = 8192  # bytes kept for the CMS container without a timestamp (RSA 4096 fits)
_RESERVED_WITH_TIMESTAMP = 16384


class _FilledTemplate:
    """For RSA keys without a timestamp: fill a CMS container prepared once by pyHanko with the
    document digest and the signature of the signed attributes (`_sign_attributes`)."""

    _template: tuple[bytes, int, int, int] | None = None  # (der, attrs at, digest at, attrs len)

    def _fills_template(self) -> bool:
        raise NotImplementedError

    def _sign_attributes(self, attrs: bytes) -> bytes:
        """The RSA PKCS#1 v1.5 SHA-256 signature of the DER-encoded signed attributes."""
        raise NotImplementedError

    async def async_sign(self, data_digest, digest_algorithm, dry_run=False, use_pades=False,
                         timestamper=None, signed_attr_settings=None, is_pdf_sig=True,
                         encap_content_info=None):  # fmt: skip
        fast = (
            not dry_run
            and timestamper is None
            and encap_content_info is None
            and digest_algorithm == "sha256"
            and self._fills_template()
        )
        if not fast:
            return await super().async_sign(
                data_digest, digest_algorithm, dry_run=dry_run, use_pades=use_pades,
                timestamper=timestamper, signed_attr_settings=signed_attr_settings,
                is_pdf_sig=is_pdf_sig, encap_content_info=encap_content_info,
            )  # fmt: skip
        if self._template is None:
            await self._prepare(use_pades, signed_attr_settings)
        der, attrs_at, digest_at, attrs_len = self._template
        der = bytearray(der)
        der[digest_at : digest_at + 32] = data_digest
        attrs = b"\x31" + bytes(der[attrs_at + 1 : attrs_at + attrs_len])  # [0] IMPLICIT -> SET
        signature = self._sign_attributes(attrs)
        der[len(der) - len(signature) :] = signature
        return cms.ContentInfo.load(bytes(der))

    async def _prepare(self, use_pades, signed_attr_settings) -> None:
        placeholder = b"\x5a" * 32
        info = await super().async_sign(placeholder, "sha256", use_pades=use_pades,
                                        signed_attr_settings=signed_attr_settings)  # fmt: skip
        der = info.dump()
        signer_info = info["content"]["signer_infos"][0]
        attrs = signer_info["signed_attrs"].dump()
        signature = signer_info["signature"].native
        # The signature value closes the container (no unsigned attributes without a timestamp).
        if not der.endswith(signature) or der.count(attrs) != 1:
            raise SigningError()
        if signer_info["signature_algorithm"]["algorithm"].native != "sha256_rsa":
            raise SigningError()  # the template is filled with PKCS#1 v1.5 signatures only
        attrs_at = der.index(attrs)
        digest_at = der.index(b"\x04\x20" + placeholder, attrs_at) + 2
        self._template = (der, attrs_at, digest_at, len(attrs))


class TemplateSigner(_FilledTemplate, signers.SimpleSigner):
    """A SimpleSigner (a PKCS#12 key in memory) that, for RSA keys without a timestamp, fills a
    prepared CMS container."""

    def _fills_template(self) -> bool:
        return isinstance(self._crypto_key, rsa.RSAPrivateKey)

    def _sign_attributes(self, attrs: bytes) -> bytes:
        return self._crypto_key.sign(attrs, padding.PKCS1v15(), hashes.SHA256())

    @property
    def _crypto_key(self):
        key = self.__dict__.get("_loaded_key")
        if key is None:
            key = load_der_private_key(self.signing_key.dump(), password=None)
            self.__dict__["_loaded_key"] = key
        return key


class TokenSigner(_FilledTemplate, PKCS11Signer):
    """pyHanko's PKCS#11 signer (the key stays on the token) that, for RSA keys without a
    timestamp, asks the token to sign the attributes of a prepared CMS container."""

    def _fills_template(self) -> bool:
        return self.signing_cert.public_key.algorithm == "rsa" and not self.prefer_pss

    def _sign_attributes(self, attrs: bytes) -> bytes:
        with _token_calls:
            return self._key_handle.sign(attrs, mechanism=Mechanism.SHA256_RSA_PKCS)

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run=False) -> bytes:
        with _token_calls:
            return await super().async_sign_raw(data, digest_algorithm, dry_run=dry_run)


# python-pkcs11 initializes the module without locking callbacks (C_Initialize(NULL)), which
# tells it that no two threads call it at once: the threads' sessions take turns.
_token_calls = threading.RLock()


@dataclass
class CertificateSigner:
    """The signing identity of one process: the key, its certificate and pyHanko's signer."""

    signer: TemplateSigner | TokenSigner
    timestamp_url: str | None
    is_demo: bool
    _loop: asyncio.AbstractEventLoop | None = None

    @property
    def certificate_der(self) -> bytes:
        return self.signer.signing_cert.dump()

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.certificate_der).hexdigest()

    def certificate_pem(self) -> str:
        """The signing certificate (public part only) as PEM."""
        return pem.armor("CERTIFICATE", self.certificate_der).decode("ascii")

    def sign(self, pdf: bytes, code: str) -> bytes:
        """`pdf` with an incremental update holding the signature and the certificate's code."""
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        writer.root[CODE_KEY] = generic.pdf_string(code)
        writer.update_root()
        timestamper = timestamps.HTTPTimeStamper(self.timestamp_url) if self.timestamp_url else None
        pdf_signer = signers.PdfSigner(
            signers.PdfSignatureMetadata(
                field_name=FIELD_NAME,
                subfilter=fields.SigSeedSubFilter.PADES,
                md_algorithm="sha256",
                reason=f"lokalatih {code}",
            ),
            signer=self.signer,
            timestamper=timestamper,
        )
        reserved = _RESERVED_WITH_TIMESTAMP if timestamper else _RESERVED
        output = self.run(pdf_signer.async_sign_pdf(writer, bytes_reserved=reserved))
        return output.getvalue()

    def run(self, coroutine):
        """Run one of pyHanko's coroutines to its end, whether or not this thread already runs
        an event loop (pyHanko's synchronous wrappers call asyncio.run, which refuses to)."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            # One event loop per signer (and thread), not one per PDF: asyncio.run costs a
            # millisecond each.
            if self._loop is None or self._loop.is_closed():
                self._loop = asyncio.new_event_loop()
            return self._loop.run_until_complete(coroutine)
        # Called where an event loop already runs in this thread (an async worker, Playwright's
        # sync API in tests): sign in a thread of its own.
        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, coroutine).result()


_signers: dict[tuple, CertificateSigner] = {}
_signers_lock = threading.Lock()


def load_signer(p12_path: str | Path, passphrase: str | None, timestamp_url: str | None = None):
    """The signer for this PKCS#12 file, loaded once per process and file version."""
    path = Path(p12_path)
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        raise SigningNotConfiguredError() from None
    key = (str(path), stamp, passphrase, timestamp_url, threading.get_ident())
    signer = _signers.get(key)
    if signer is not None:
        return signer
    with _signers_lock:
        loaded = TemplateSigner.load_pkcs12(
            str(path), passphrase=passphrase.encode() if passphrase else None
        )
        if loaded is None:  # pyHanko logs the cause without the passphrase
            raise SigningNotConfiguredError()
        # pyHanko's loader builds a SimpleSigner whatever class it is called on.
        loaded.__class__ = TemplateSigner
        signer = CertificateSigner(
            signer=loaded,
            timestamp_url=timestamp_url or None,
            is_demo=is_demo_certificate(loaded.signing_cert),
        )
        _signers[key] = signer
    return signer


def is_demo_certificate(certificate) -> bool:
    subject = certificate.subject.native
    return any(
        DEMO_MARK in str(subject.get(part, "")) for part in ("common_name", "organization_name")
    )


@dataclass(frozen=True, repr=False)
class TokenSettings:
    """Where the key is on a PKCS#11 token (CERTIFICATE_SIGNING_PKCS11_*)."""

    library: str  # the token's PKCS#11 module (a .so file)
    token: str  # the token's label
    key: str  # the private key's label
    certificate: str  # the certificate's label (the key's by default)
    pin: str | None  # the user PIN; None for a token that needs none

    @property
    def pin_digest(self) -> str:
        # Cache keys hold a digest, not the PIN itself (they are easier to print by mistake).
        return hashlib.sha256((self.pin or "").encode()).hexdigest()


_refused_pins: set[tuple] = set()
# PKCS#11 logs in the application, not one session: (module, token, process) -> the digest of
# the PIN this process logged in with. Its later sessions open without logging in again.
_logged_in: dict[tuple, str] = {}


def load_token_signer(settings: TokenSettings, timestamp_url: str | None = None):
    """The signer for a key on a PKCS#11 token: one session per process and thread, logged in
    once and kept open (a token has few sessions and a slow login). A PIN the token refused is
    not tried again by this process (a token locks its PIN after a few wrong ones)."""
    token_key = (settings.library, settings.token, settings.pin_digest, os.getpid())
    key = (*token_key, settings.key, settings.certificate, timestamp_url, threading.get_ident())
    signer = _signers.get(key)
    if signer is not None:
        return signer
    if token_key in _refused_pins:
        raise TokenPinRefusedError(_pin_refused(settings))
    with _signers_lock, _token_calls:
        loaded = _open_token(settings, token_key)
        signer = CertificateSigner(
            signer=loaded,
            timestamp_url=timestamp_url or None,
            is_demo=is_demo_certificate(loaded.signing_cert),
        )
        _signers[key] = signer
    return signer


def _pin_refused(settings: TokenSettings) -> str:
    return (
        f"CERTIFICATE_SIGNING_PKCS11_PIN: the token {settings.token!r} refused the PIN; this "
        "process does not try it again (a token locks after a few wrong PINs): set the right "
        "PIN and restart"
    )


def _open_token(settings: TokenSettings, token_key: tuple) -> TokenSigner:
    """Open a logged-in session and find the key and certificate; every failure names the
    setting to fix (and never the PIN)."""
    login_key = (settings.library, settings.token, os.getpid())
    logged_in_with = _logged_in.get(login_key)
    if logged_in_with not in (None, settings.pin_digest):
        # The token would not check another PIN while logged in: refuse it rather than accept it.
        raise TokenPinRefusedError(_pin_refused(settings))
    try:
        pkcs11.lib(settings.library)  # loaded and initialized once per process
    except (OSError, pkcs11_errors.PKCS11Error) as error:
        detail = f"CERTIFICATE_SIGNING_PKCS11_LIB: cannot load {settings.library!r} ({error})"
        logger.error("certificate signing: %s", detail)
        raise SigningNotConfiguredError(detail) from None
    try:
        try:
            session = _open_session(settings, logged_in=logged_in_with is not None)
        except pkcs11_errors.UserAlreadyLoggedIn:  # logged in by other code of this process
            session = _open_session(settings, logged_in=True)
        _logged_in[login_key] = settings.pin_digest
    except (pkcs11_errors.PinIncorrect, pkcs11_errors.PinInvalid, pkcs11_errors.PinLenRange):
        _refused_pins.add(token_key)
        detail = _pin_refused(settings)
        logger.error("certificate signing: %s", detail)
        raise TokenPinRefusedError(detail) from None
    except pkcs11_errors.PinLocked:
        detail = (
            f"CERTIFICATE_SIGNING_PKCS11_PIN: the token {settings.token!r} has locked its user "
            "PIN (after too many wrong ones; its security officer unlocks it)"
        )
        logger.error("certificate signing: %s", detail)
        raise TokenPinRefusedError(detail) from None
    except pkcs11_errors.PKCS11Error as error:
        detail = (
            f"CERTIFICATE_SIGNING_PKCS11_TOKEN: cannot open the token {settings.token!r} "
            f"({type(error).__name__}: {error})"
        )
        logger.error("certificate signing: %s", detail)
        raise SigningNotConfiguredError(detail) from None
    signer = TokenSigner(session, cert_label=settings.certificate, key_label=settings.key)
    try:
        signer._load_objects()  # now, in this thread: a missing key fails here, not mid-PDF
    except pkcs11_errors.PKCS11Error as error:
        session.close()
        if not any(key[: len(token_key)] == token_key for key in _signers):
            _logged_in.pop(login_key, None)  # closing its last session logged the process out
        detail = (
            "CERTIFICATE_SIGNING_PKCS11_KEY, CERTIFICATE_SIGNING_PKCS11_CERT: "
            f"on the token {settings.token!r}, {error}"
        )
        logger.error("certificate signing: %s", detail)
        raise SigningNotConfiguredError(detail) from None
    return signer


def _open_session(settings: TokenSettings, logged_in: bool):
    return open_pkcs11_session(
        settings.library,
        token_criteria=TokenCriteria(label=settings.token),
        user_pin=None if logged_in else settings.pin,
    )


def token_settings(config) -> TokenSettings | None:
    """The PKCS#11 settings of `config`, or None where no module is set (the PKCS#12 file)."""
    library = config.get("CERTIFICATE_SIGNING_PKCS11_LIB")
    if not library:
        return None
    token = config.get("CERTIFICATE_SIGNING_PKCS11_TOKEN")
    key = config.get("CERTIFICATE_SIGNING_PKCS11_KEY")
    if not token or not key:
        raise SigningNotConfiguredError(
            "CERTIFICATE_SIGNING_PKCS11_TOKEN and CERTIFICATE_SIGNING_PKCS11_KEY must name the "
            "token and the key when CERTIFICATE_SIGNING_PKCS11_LIB is set"
        )
    return TokenSettings(
        library=library,
        token=token,
        key=key,
        certificate=config.get("CERTIFICATE_SIGNING_PKCS11_CERT") or key,
        pin=config.get("CERTIFICATE_SIGNING_PKCS11_PIN") or None,
    )


def current_signer() -> CertificateSigner:
    """The app's signer: the PKCS#11 token where CERTIFICATE_SIGNING_PKCS11_LIB is set, else the
    PKCS#12 file; refuses the demo certificate where REFUSE_DEMO_SIGNING_KEY is set."""
    config = current_app.config
    timestamp_url = config.get("CERTIFICATE_TIMESTAMP_URL")
    token = token_settings(config)
    if token is not None:
        signer = load_token_signer(token, timestamp_url)
    else:
        path = config.get("CERTIFICATE_SIGNING_P12")
        if not path:
            raise SigningNotConfiguredError()
        signer = load_signer(path, config.get("CERTIFICATE_SIGNING_PASSPHRASE"), timestamp_url)
    if signer.is_demo and config.get("REFUSE_DEMO_SIGNING_KEY"):
        raise DemoKeyRefusedError()
    return signer


# --- checking an uploaded PDF ----------------------------------------------------------------


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


# --- the demo certificate --------------------------------------------------------------------

DEMO_PASSPHRASE = "demo-tidak-rahasia"  # noqa: S105 (published with the demo certificate)
DEMO_COMMON_NAME = f"{DEMO_MARK} - tidak dipercaya"


def write_demo_p12(path: Path, passphrase: str = DEMO_PASSPHRASE) -> None:
    """A self-signed RSA key and certificate, named as a demo and trusted by no one, as PKCS#12."""
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, DEMO_COMMON_NAME),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, f"{DEMO_MARK} (bukan untuk produksi)"),
        ]
    )
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=5 * 365))
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )  # fmt: skip
        .sign(key, hashes.SHA256())
    )
    data = pkcs12.serialize_key_and_certificates(
        DEMO_COMMON_NAME.encode(),
        key,
        certificate,
        None,
        BestAvailableEncryption(passphrase.encode()),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_bytes(data)
