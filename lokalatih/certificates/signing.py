"""PAdES signatures on certificate PDFs: the signer, its PKCS#12 key, and the demo certificate.

The organisation's signing certificate comes from a PKCS#12 file named by the environment
(CERTIFICATE_SIGNING_P12, its passphrase in CERTIFICATE_SIGNING_PASSPHRASE); it is read once per
process and per file version, kept in memory only, and never written to the database or a log.
Or, with CERTIFICATE_SIGNING_PKCS11_LIB, a PKCS#11 token signs (token_signing.py);
`signer_choice.current_signer` chooses between the two. A trusted RFC 3161 timestamp is added
when CERTIFICATE_TIMESTAMP_URL names a server. Checking an uploaded PDF against these signatures
is in upload_check.py.

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
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .errors import SigningError, SigningNotConfiguredError

with warnings.catch_warnings():
    # pyHanko imports cryptography's DSA module, which warns that DSA is deprecated.
    warnings.simplefilter("ignore")
    from asn1crypto import cms, pem
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa
    from cryptography.hazmat.primitives.serialization import load_der_private_key
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers, timestamps

DEMO_MARK = "lokalatih DEMO"  # in the demo certificate's common name and organisation
CODE_KEY = "/LokalatihCode"  # the certificate's code, written in the catalog of the signed revision
FIELD_NAME = "TandaTanganLokalatih"
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


@dataclass
class CertificateSigner:
    """The signing identity of one process: the key, its certificate and pyHanko's signer."""

    signer: signers.Signer  # TemplateSigner, or token_signing.TokenSigner
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
