"""Certificate PDFs signed through a PKCS#11 token: a real SoftHSM2 token made for the run, holding
a fresh demo key and its certificate; the key never leaves it. `make pdf-deps` installs SoftHSM2."""

from __future__ import annotations

import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    pkcs12,
)

from lokalatih.certificates import signer_choice, signing, token_signing, upload_check
from lokalatih.certificates.documents import build_content
from lokalatih.certificates.errors import DemoKeyRefusedError
from lokalatih.certificates.pdf import render_certificate

from .test_pdf import download
from .test_signing import changed_copy, pdfsig, pyhanko_status, upload

PIN = "246810"
OTHER_TOKEN_PIN = "135791"
SO_PIN = "97531864"
MODULES = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
)


@dataclass(frozen=True)
class Token:
    module: str
    certificate_der: bytes

    def config(self, **overrides) -> dict:
        return {
            "CERTIFICATE_SIGNING_PKCS11_LIB": self.module,
            "CERTIFICATE_SIGNING_PKCS11_TOKEN": "lokalatih-test",
            "CERTIFICATE_SIGNING_PKCS11_KEY": "penanda-tangan",
            "CERTIFICATE_SIGNING_PKCS11_PIN": PIN,
            **overrides,
        }


def softhsm(*args: str) -> str:
    executable = shutil.which("softhsm2-util")
    assert executable, "softhsm2-util is missing: run `make pdf-deps`"
    done = subprocess.run(
        [executable, *args], check=True, capture_output=True, text=True, timeout=60
    )
    return done.stdout


@pytest.fixture(scope="session")
def token(tmp_path_factory) -> Token:
    """Two tokens in a directory of the run's own: 'lokalatih-test' with a demo key and its
    certificate, and an empty 'lokalatih-other' for the wrong PIN. SoftHSM reads SOFTHSM2_CONF
    once per process, when the module is first loaded: both exist before that."""
    module = next((path for path in MODULES if Path(path).exists()), None)
    assert module, "SoftHSM2's module is missing: run `make pdf-deps`"
    folder = tmp_path_factory.mktemp("softhsm")
    (folder / "tokens").mkdir()
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n")
    environment = pytest.MonkeyPatch()
    environment.setenv("SOFTHSM2_CONF", str(conf))
    for label, pin in (("lokalatih-test", PIN), ("lokalatih-other", OTHER_TOKEN_PIN)):
        softhsm("--init-token", "--free", "--label", label, "--pin", pin, "--so-pin", SO_PIN)

    p12 = folder / "demo.p12"
    signing.write_demo_p12(p12)
    key, certificate, _ = pkcs12.load_key_and_certificates(
        p12.read_bytes(), signing.DEMO_PASSPHRASE.encode()
    )
    pem = folder / "key.pem"
    pem.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    softhsm("--import", str(pem), "--token", "lokalatih-test", "--label", "penanda-tangan",
            "--id", "01", "--pin", PIN)  # fmt: skip
    pem.unlink()
    p12.unlink()
    der = certificate.public_bytes(Encoding.DER)
    _store_certificate(module, der, certificate.subject.public_bytes())
    yield Token(module=module, certificate_der=der)
    environment.undo()


def _store_certificate(module: str, der: bytes, subject: bytes) -> None:
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    token = pkcs11.lib(module).get_token(token_label="lokalatih-test")
    # Closing the session logs the process out again: the app logs in by itself.
    with token.open(rw=True, user_pin=PIN) as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: "penanda-tangan",
                Attribute.ID: b"\x01",
                Attribute.SUBJECT: subject,
                Attribute.VALUE: der,
            }
        )


@pytest.fixture
def token_app(app, token, monkeypatch):
    """The test app signing with the token instead of its PKCS#12 file."""
    for name, value in token.config().items():
        monkeypatch.setitem(app.config, name, value)
    return app


def test_a_pdf_signed_by_the_token_validates_with_pyhanko_pdfsig_and_the_upload_check(
    token_app, token, client, issued, tmp_path
):
    data = download(client, issued)

    signer = signer_choice.current_signer()
    assert isinstance(signer.signer, token_signing.TokenSigner)
    assert signer.certificate_der == token.certificate_der  # the token's, not the PKCS#12 file's
    assert signer.signer._template is not None  # the token signed the prepared CMS container
    status = pyhanko_status(data)
    assert status.intact and status.valid and status.trusted and status.bottom_line
    report = pdfsig(tmp_path, data)
    assert "Signature is Valid." in report
    assert "Total document signed" in report
    assert "ETSI.CAdES.detached" in report
    text = upload(client, data).get_data(as_text=True)
    assert "Sertifikat berlaku" in text
    assert "tidak diubah sejak ditandatangani" in text
    text = upload(client, changed_copy(data)).get_data(as_text=True)
    assert "Berkas telah diubah" in text


def test_pyhankos_own_path_signs_through_the_token_too(
    token_app, client, issued, tmp_path, monkeypatch
):
    """The path a timestamp or a non-RSA key takes: pyHanko asks the token for the signature."""
    monkeypatch.setattr(token_signing.TokenSigner, "_fills_template", lambda self: False)

    data = download(client, issued)

    status = pyhanko_status(data)
    assert status.intact and status.valid and status.trusted
    assert "Signature is Valid." in pdfsig(tmp_path, data)


def test_each_thread_keeps_one_session_and_threads_sign_side_by_side(token_app, issued):
    pdf = render_certificate(build_content(issued))
    first = signer_choice.current_signer()
    assert signer_choice.current_signer() is first  # kept: no new session or login per PDF
    found: dict[str, object] = {}

    def in_a_thread(name: str) -> None:
        with token_app.app_context():
            signer = signer_choice.current_signer()
            found[name] = (signer, [signer.sign(pdf, issued.code) for _ in range(3)])

    threads = [threading.Thread(target=in_a_thread, args=(name,)) for name in "ab"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    signers = {id(first), *(id(signer) for signer, _ in found.values())}
    assert len(signers) == 3  # one session per thread
    for _signer, pdfs in found.values():
        for data in pdfs:
            assert upload_check.check_pdf(data, first).finding == upload_check.Finding.UNCHANGED


def test_production_refuses_the_demo_certificate_on_a_token(token_app, monkeypatch):
    monkeypatch.setitem(token_app.config, "REFUSE_DEMO_SIGNING_KEY", True)

    with pytest.raises(DemoKeyRefusedError):
        signer_choice.current_signer()


def test_a_wrong_pin_is_named_by_its_setting_and_never_shown_or_tried_twice(
    app, make_app, token, client, issued, caplog, monkeypatch
):
    wrong = "000111"
    config = token.config(
        CERTIFICATE_SIGNING_PKCS11_TOKEN="lokalatih-other", CERTIFICATE_SIGNING_PKCS11_PIN=wrong
    )

    refusing = make_app(**config)
    with refusing.app_context():  # the command runs in it, not in the test app's context
        result = refusing.test_cli_runner().invoke(args=["certificates", "signing-cert"])
    assert result.exit_code != 0, result.output
    assert "CERTIFICATE_SIGNING_PKCS11_PIN" in result.output
    assert "lokalatih-other" in result.output
    assert wrong not in result.output

    # A request: a page that says so, not a server error, and the token is not asked again
    # (a token locks its PIN after a few wrong ones).
    monkeypatch.setattr(token_signing, "_open_session", pytest.fail)
    for name, value in config.items():
        monkeypatch.setitem(app.config, name, value)
    page = client.get(f"/sertifikat/{issued.id}.pdf")
    text = page.get_data(as_text=True)
    assert page.status_code == 503
    assert "tidak dapat ditandatangani" in text
    assert wrong not in text
    assert "CERTIFICATE_SIGNING_PKCS11_PIN" in caplog.text
    assert wrong not in caplog.text


def test_a_missing_token_or_key_is_named_by_its_setting(make_app, token):
    cases = {
        "CERTIFICATE_SIGNING_PKCS11_TOKEN": {"CERTIFICATE_SIGNING_PKCS11_TOKEN": "tidak-ada"},
        "CERTIFICATE_SIGNING_PKCS11_KEY": {"CERTIFICATE_SIGNING_PKCS11_KEY": "tidak-ada"},
        "CERTIFICATE_SIGNING_PKCS11_LIB": {"CERTIFICATE_SIGNING_PKCS11_LIB": "/tidak/ada.so"},
    }
    for setting, overrides in cases.items():
        app = make_app(**token.config(**overrides))
        result = app.test_cli_runner().invoke(args=["certificates", "signing-cert"])
        assert result.exit_code != 0
        assert setting in result.output
        assert PIN not in result.output
