"""The certificate settings page with issuing institutions, logos and signatures, in Chromium at a
phone's and a laptop's size: the organizer uploads a logo, sees a bad file refused next to its
field with everything typed kept, and removes the logo after a confirm page."""

# ruff: noqa: F811 (the certificate tests' fixtures, imported, are this test's arguments)
from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from lokalatih.certificates import attestation
from tests.browser.fixtures import VIEWPORTS
from tests.certificates.fixtures import (  # noqa: F401 (fixtures)
    cert_organizer,
    cert_participant,
    cert_workshop,
)
from tests.certificates.test_institutions import png_bytes

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("LOKALATIH_SHOTS", Path(tempfile.gettempdir()) / "shots_issuers"))


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_the_organizer_sets_issuers_and_images(
    db, signed_in_context, cert_workshop, cert_organizer, check_page, size, tmp_path
):
    workshop = cert_workshop()
    logo = tmp_path / "logo-palu.png"
    logo.write_bytes(png_bytes(size=(360, 120)))
    renamed = tmp_path / "catatan.png"
    renamed.write_bytes(b"Ini catatan rapat, bukan gambar.\n")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page = signed_in_context(cert_organizer, viewport=VIEWPORTS[size], bypass_csp=True).new_page()
    page.goto(f"/kelola/{workshop.slug}/sertifikat/pengaturan")
    check_page(page)

    page.get_by_label("Instansi penerbit 1", exact=True).fill("Pemerintah Kota Palu")
    page.get_by_label("Logo instansi penerbit 1").set_input_files(str(logo))
    page.get_by_label("Instansi penerbit 2", exact=True).fill("Komnas HAM")
    page.get_by_label("Logo instansi penerbit 2").set_input_files(str(renamed))
    page.get_by_role("button", name="Simpan aturan").click()

    expect(page.get_by_text("bukan gambar PNG atau JPEG yang dapat dibaca")).to_be_visible()
    expect(page.get_by_label("Instansi penerbit 1", exact=True)).to_have_value(
        "Pemerintah Kota Palu"
    )
    expect(page.get_by_label("Instansi penerbit 2", exact=True)).to_have_value("Komnas HAM")
    check_page(page)
    page.screenshot(path=str(SHOTS / f"settings-refused-{size}.png"), full_page=True)

    page.get_by_label("Logo instansi penerbit 1").set_input_files(str(logo))
    page.get_by_role("button", name="Simpan aturan").click()
    expect(page.get_by_text("Aturan sertifikat disimpan.")).to_be_visible()

    page.goto(f"/kelola/{workshop.slug}/sertifikat/pengaturan")
    image = page.get_by_role("img", name="Logo Pemerintah Kota Palu")
    expect(image).to_be_visible()
    assert image.evaluate("img => img.naturalWidth") == 360  # served and decoded
    check_page(page)
    page.screenshot(path=str(SHOTS / f"settings-{size}.png"), full_page=True)

    page.get_by_role("link", name="Hapus gambar ini").click()
    expect(page.get_by_role("heading", name="Hapus gambar?")).to_be_visible()
    check_page(page)
    page.screenshot(path=str(SHOTS / f"remove-{size}.png"), full_page=True)
    page.get_by_role("button", name="Ya, hapus gambar").click()
    expect(page.get_by_text("Gambar dihapus dari sertifikat")).to_be_visible()
    expect(page.get_by_role("img", name="Logo Pemerintah Kota Palu")).to_have_count(0)
    db.session.expire_all()
    assert attestation.current_images(workshop) == {}
