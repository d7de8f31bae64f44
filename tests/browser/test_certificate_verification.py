"""The public verification pages with the PDF check, in Chromium at a phone's and a laptop's size:
a visitor uploads a certificate's PDF and reads whether lokalatih issued it unchanged."""

# ruff: noqa: F811 (the certificate tests' fixtures, imported, are this test's arguments)
from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from lokalatih.certificates import services
from lokalatih.certificates.documents import certificate_pdf
from tests.certificates.fixtures import (  # noqa: F401 (fixtures)
    cert_organizer,
    cert_participant,
    cert_workshop,
)

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("LOKALATIH_SHOTS")  # a folder to keep screenshots in, when set


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_a_visitor_checks_a_certificate_pdf(
    browser,
    live_server,
    db,
    cert_workshop,
    cert_participant,
    check_page,
    size,
    tmp_path,
):
    from tests.browser.fixtures import VIEWPORTS

    certificate = services.issue_certificate(
        cert_participant(cert_workshop(), full_name="Dāwūd Ñúñez Šimić")
    )
    db.session.commit()
    with live_server.app.test_request_context():
        data = certificate_pdf(certificate)
    original = tmp_path / "sertifikat.pdf"
    original.write_bytes(data)
    changed = tmp_path / "diubah.pdf"
    changed.write_bytes(data.replace(b"/Author (lokalatih)", b"/Author (lokalatiH)", 1))
    context = browser.new_context(
        base_url=live_server.url, viewport=VIEWPORTS[size], bypass_csp=True
    )
    page = context.new_page()

    page.goto("/verifikasi")
    check_page(page)
    _shot(page, f"verify-form-{size}")
    page.get_by_label("Berkas PDF sertifikat").set_input_files(str(original))
    page.get_by_role("button", name="Periksa berkas").click()
    expect(page.get_by_text("Sertifikat berlaku")).to_be_visible()
    expect(page.get_by_text("Dāwūd Ñúñez Šimić")).to_be_visible()
    check_page(page)
    _shot(page, f"verify-upload-valid-{size}")

    page.get_by_label("Berkas PDF sertifikat").set_input_files(str(changed))
    page.get_by_role("button", name="Periksa berkas").click()
    expect(page.get_by_text("Berkas telah diubah")).to_be_visible()
    check_page(page)
    _shot(page, f"verify-upload-changed-{size}")

    page.get_by_role("button", name="Periksa berkas").click()  # no file chosen
    expect(page.get_by_text("Pilih berkas PDF sertifikat yang akan diperiksa.")).to_be_visible()
    check_page(page)

    page.goto(f"/verifikasi/{certificate.code}")
    check_page(page)
    _shot(page, f"verify-code-{size}")
    context.close()


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)
