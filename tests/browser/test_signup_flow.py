"""A visitor signs up, verifies by the emailed link, completes the profile and switches language."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from lokalatih.outbox.tasks import send_due_messages
from tests.support import text_body

pytestmark = pytest.mark.browser

EMAIL = "wulan.sari@contoh.id"
PASSWORD = "Hak-Asasi-Manusia-1948"


def test_sign_up_verify_complete_profile_and_switch_language(
    page: Page, live_server: str, smtp_server, app
):
    page.goto(live_server + "/daftar")
    expect(page.locator("html")).to_have_attribute("lang", "id")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.fill("#password_confirm", PASSWORD)
    page.get_by_role("button", name="Buat akun").click()
    expect(page.get_by_text(EMAIL).first).to_be_visible()

    # The scheduler's job sends the verification email through the real SMTP server.
    assert send_due_messages().sent == 1
    (message,) = smtp_server.inbox.to(EMAIL)
    link = re.search(r"https?://\S+/akun/verifikasi/\S+", text_body(message)).group(0)

    page.goto(link)
    page.get_by_role("button", name=re.compile("Verifikasi|Konfirmasi", re.I)).click()
    expect(page.get_by_text("sudah terverifikasi")).to_be_visible()

    page.goto(live_server + "/masuk")
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.locator("form").filter(has=page.locator("#password")).get_by_role("button").click()
    expect(page.get_by_role("button", name="Keluar")).to_be_visible()

    page.goto(live_server + "/profil")
    page.fill("#full_name", "Wulan Sari, S.Sos.")
    page.select_option("#gender", "female")
    page.select_option("#institution_type", "civil_society")
    page.fill("#institution_name", "Perkumpulan Peduli HAM Makassar")
    page.fill("#position", "Koordinator Program")
    page.fill("#phone", "0812-3456-7890")
    page.select_option("#province_code", "73")
    # The regency list follows the province (fetched by the page's script).
    expect(page.locator("#regency_code option[value='73.71']")).to_have_count(1)
    page.select_option("#regency_code", "73.71")
    page.locator("button.primary[name=save]").click()
    expect(page.get_by_text("Kota Makassar").first).to_be_attached()
    expect(page.locator("#phone")).to_have_value("+6281234567890")
    expect(page.get_by_text("Belum diisi")).to_have_count(0)

    page.get_by_role("button", name="EN").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
