"""Signed certificate PDFs: the signature as pyHanko's validator and poppler's pdfsig see it, and
the public verification page that checks an uploaded PDF."""

from __future__ import annotations

import asyncio
import io
import warnings
from concurrent.futures import ThreadPoolExecutor

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from lokalatih.certificates import services, signer_choice, signing, upload_check
from lokalatih.certificates.documents import build_content
from lokalatih.certificates.errors import (
    DemoKeyRefusedError,
    PreviousCertificateError,
    SigningNotConfiguredError,
)
from lokalatih.certificates.pdf import render_certificate

from .test_pdf import download, poppler

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext


def pyhanko_status(data: bytes):
    """pyHanko's verdict on the PDF's one signature, the app's certificate as trust anchor."""
    [embedded] = PdfFileReader(io.BytesIO(data)).embedded_signatures
    trust = ValidationContext(
        trust_roots=[signer_choice.current_signer().signer.signing_cert], allow_fetching=False
    )
    # In a thread of its own: after a browser test the suite's thread runs Playwright's event loop.
    with ThreadPoolExecutor(max_workers=1) as pool:
        validation = async_validate_pdf_signature(embedded, signer_validation_context=trust)
        return pool.submit(asyncio.run, validation).result()


def pdfsig(tmp_path, data: bytes) -> str:
    path = tmp_path / "sertifikat.pdf"
    path.write_bytes(data)
    return poppler("pdfsig", path)


def upload(client, data: bytes, filename: str = "sertifikat.pdf"):
    return client.post(
        "/verifikasi/berkas",
        data={"berkas": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )


def changed_copy(data: bytes) -> bytes:
    """The PDF with one signed byte changed: the author 'lokalatih' becomes 'lokalatiH'."""
    marker = b"/Author (lokalatih)"
    assert marker in data
    return data.replace(marker, b"/Author (lokalatiH)", 1)


def test_the_downloaded_pdf_carries_a_valid_pades_signature_of_the_whole_file(
    client, issued, tmp_path
):
    data = download(client, issued)

    status = pyhanko_status(data)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.signer_reported_dt is not None
    report = pdfsig(tmp_path, data)
    assert "Signature is Valid." in report
    assert "Total document signed" in report
    assert "ETSI.CAdES.detached" in report  # PAdES
    assert "lokalatih DEMO - tidak dipercaya" in report


def test_a_changed_copy_is_invalid_for_pyhanko_pdfsig_and_the_verification_page(
    client, issued, tmp_path
):
    data = changed_copy(download(client, issued))

    status = pyhanko_status(data)
    assert not status.intact and not status.bottom_line  # the digest no longer matches
    report = pdfsig(tmp_path, data)
    assert "Signature Validation: Digest Mismatch." in report
    assert "Signature is Valid." not in report
    page = upload(client, data)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Berkas telah diubah" in text
    assert "Sertifikat berlaku" not in text


def test_a_copy_with_a_page_added_after_signing_is_reported_as_changed(client, issued):
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(download(client, issued)))
    writer.root["/Lang"] = generic.pdf_string("en")  # a later revision the signature does not cover
    writer.update_root()
    output = io.BytesIO()
    writer.write(output)

    text = upload(client, output.getvalue()).get_data(as_text=True)

    assert "Berkas telah diubah" in text


def test_an_unchanged_pdf_is_issued_by_lokalatih_then_revoked_with_its_signature_as_made(
    db, client, issued, cert_organizer, tmp_path
):
    data = download(client, issued)

    text = upload(client, data).get_data(as_text=True)
    assert "Sertifikat berlaku" in text
    assert "tidak diubah sejak ditandatangani" in text
    assert "Dāwūd Ñúñez Šimić" in text

    services.revoke_certificate(issued, "Data kehadiran keliru", cert_organizer)
    db.session.commit()

    assert pyhanko_status(data).intact and pyhanko_status(data).valid
    assert "Signature is Valid." in pdfsig(tmp_path, data)
    text = upload(client, data).get_data(as_text=True)
    assert "Sertifikat dicabut" in text
    assert "Data kehadiran keliru" in text
    assert "Sertifikat berlaku" not in text


def test_a_reissued_certificate_is_signed_and_the_old_pdf_says_revoked(
    db, client, issued, cert_organizer
):
    old = download(client, issued)
    new_certificate = services.reissue_certificate(
        issued.registration, cert_organizer, "Nama salah ketik"
    )
    db.session.commit()

    assert "Sertifikat dicabut" in upload(client, old).get_data(as_text=True)
    new = download(client, new_certificate)
    assert pyhanko_status(new).valid
    assert "Sertifikat berlaku" in upload(client, new).get_data(as_text=True)


def test_a_pdf_signed_with_another_key_or_not_signed_is_not_ours(client, issued, tmp_path):
    other_p12 = tmp_path / "other.p12"
    signing.write_demo_p12(other_p12)
    other = signing.load_signer(other_p12, signing.DEMO_PASSPHRASE)
    unsigned = render_certificate(build_content(issued))
    forged = other.sign(unsigned, issued.code)

    for data in (forged, unsigned):
        page = upload(client, data)
        text = page.get_data(as_text=True)
        assert "Bukan sertifikat lokalatih" in text
        assert "Sertifikat berlaku" not in text


def test_a_file_that_is_not_a_pdf_or_no_file_is_refused_with_a_message(client):
    page = upload(client, b"bukan PDF sama sekali", "sertifikat.pdf")
    assert page.status_code == 400
    assert "bukan PDF yang dapat dibaca" in page.get_data(as_text=True)

    page = client.post("/verifikasi/berkas", data={}, content_type="multipart/form-data")
    assert page.status_code == 400
    assert "Pilih berkas PDF sertifikat" in page.get_data(as_text=True)


def test_a_file_over_the_size_limit_is_refused(client):
    big = b"%PDF-1.4\n" + b"0" * (upload_check.MAX_UPLOAD_BYTES + 1)
    # Encoded by hand: the test client would spool a body this large to a file it never closes.
    body = (
        b'--x\r\nContent-Disposition: form-data; name="berkas"; filename="s.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n" + big + b"\r\n--x--\r\n"
    )
    page = client.post(
        "/verifikasi/berkas", data=body, content_type="multipart/form-data; boundary=x"
    )

    assert page.status_code == 413
    assert "terlalu besar" in page.get_data(as_text=True)


def test_the_verification_pages_offer_the_pdf_check(client, issued):
    for path in ("/verifikasi", f"/verifikasi/{issued.code}"):
        text = client.get(path).get_data(as_text=True)
        assert 'action="/verifikasi/berkas"' in text
        assert 'enctype="multipart/form-data"' in text


def test_production_refuses_to_sign_with_the_demo_certificate(make_app, issued):
    production_like = make_app(REFUSE_DEMO_SIGNING_KEY=True)
    with production_like.test_request_context():
        with pytest.raises(DemoKeyRefusedError):
            signer_choice.current_signer()
        with pytest.raises(DemoKeyRefusedError):
            upload_check.verify_upload(b"%PDF-1.4")


def test_signing_without_a_configured_certificate_fails_clearly(make_app, tmp_path):
    unconfigured = make_app(CERTIFICATE_SIGNING_P12=str(tmp_path / "missing.p12"))
    with unconfigured.test_request_context(), pytest.raises(SigningNotConfiguredError):
        signer_choice.current_signer()


def test_the_demo_signing_key_command_writes_a_demo_certificate_once(make_app, tmp_path):
    path = tmp_path / "instance" / "demo-signing.p12"
    app = make_app(CERTIFICATE_SIGNING_P12=str(path))
    runner = app.test_cli_runner()

    first = runner.invoke(args=["certificates", "demo-signing-key"])
    content = path.read_bytes()
    second = runner.invoke(args=["certificates", "demo-signing-key"])

    assert first.exit_code == 0 and "DEMO" in first.output
    assert second.exit_code == 0 and path.read_bytes() == content  # kept
    loaded = signing.load_signer(path, signing.DEMO_PASSPHRASE)
    assert loaded.is_demo
    refused = make_app(CERTIFICATE_SIGNING_P12=str(path), REFUSE_DEMO_SIGNING_KEY=True)
    result = refused.test_cli_runner().invoke(args=["certificates", "demo-signing-key", "--force"])
    assert result.exit_code != 0 and path.read_bytes() == content


def rotated_app(make_app, tmp_path, *previous: str):
    """The app after a key rotation: a new signing key, the given earlier certificates kept."""
    new_key = tmp_path / "new-signing.p12"
    if not new_key.exists():
        signing.write_demo_p12(new_key)
    return make_app(
        CERTIFICATE_SIGNING_P12=str(new_key), CERTIFICATE_SIGNING_PREVIOUS_CERTS=previous
    )


def test_after_a_key_rotation_a_pdf_signed_with_the_earlier_key_verifies_when_it_is_kept(
    app, client, issued, make_app, tmp_path
):
    old_pdf = download(client, issued)
    kept = tmp_path / "previous-signing.pem"
    result = app.test_cli_runner().invoke(
        args=["certificates", "signing-cert", "--output", str(kept)]
    )
    assert result.exit_code == 0, result.output
    assert kept.read_text().startswith("-----BEGIN CERTIFICATE-----")
    assert "PRIVATE KEY" not in kept.read_text()

    rotated = rotated_app(make_app, tmp_path, str(kept))
    with rotated.test_client() as after:
        text = upload(after, old_pdf).get_data(as_text=True)
        assert "Sertifikat berlaku" in text
        assert "tidak diubah sejak ditandatangani" in text
        assert "Dāwūd Ñúñez Šimić" in text

        text = upload(after, changed_copy(old_pdf)).get_data(as_text=True)
        assert "Berkas telah diubah" in text
        assert "Sertifikat berlaku" not in text

    forgotten = rotated_app(make_app, tmp_path)  # the same new key, the earlier one not kept
    with forgotten.test_client() as after:
        text = upload(after, old_pdf).get_data(as_text=True)
        assert "Bukan sertifikat lokalatih" in text
        assert "Sertifikat berlaku" not in text


def test_a_pdf_signed_after_the_rotation_is_signed_with_the_new_key_and_verifies(
    client, issued, make_app, tmp_path
):
    kept = tmp_path / "previous-signing.der"
    kept.write_bytes(signer_choice.current_signer().certificate_der)  # DER works as well as PEM
    rotated = rotated_app(make_app, tmp_path, str(kept))
    with rotated.test_request_context():
        new_signer = signer_choice.current_signer()
        new_pdf = new_signer.sign(render_certificate(build_content(issued)), issued.code)
    assert new_signer.certificate_der != kept.read_bytes()

    with rotated.test_client() as after:
        assert "Sertifikat berlaku" in upload(after, new_pdf).get_data(as_text=True)
    # The app before the rotation never trusted the new key.
    assert "Bukan sertifikat lokalatih" in upload(client, new_pdf).get_data(as_text=True)


def test_a_previous_certificate_file_must_hold_a_certificate_and_no_key(tmp_path):
    p12 = tmp_path / "old.p12"
    signing.write_demo_p12(p12)
    key, certificate, _ = pkcs12.load_key_and_certificates(
        p12.read_bytes(), signing.DEMO_PASSPHRASE.encode()
    )
    public = certificate.public_bytes(serialization.Encoding.PEM)
    with_key = public + key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    files = {"public.pem": public, "with-key.pem": with_key, "junk.der": b"\x30\x03\x02\x01"}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)

    [loaded] = upload_check.load_certificates(tmp_path / "public.pem")
    assert signing.is_demo_certificate(loaded)
    for name in ("with-key.pem", "junk.der", "missing.pem"):
        with pytest.raises(PreviousCertificateError):
            upload_check.load_certificates(tmp_path / name)


def test_production_refuses_a_demo_certificate_among_the_previous_ones(make_app, issued, tmp_path):
    kept = tmp_path / "demo.pem"
    kept.write_text(signer_choice.current_signer().certificate_pem())
    production_like = make_app(
        CERTIFICATE_SIGNING_PREVIOUS_CERTS=(str(kept),), REFUSE_DEMO_SIGNING_KEY=True
    )
    with production_like.test_request_context(), pytest.raises(DemoKeyRefusedError):
        upload_check.previous_certificates()
