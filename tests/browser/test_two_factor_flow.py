"""A participant turns on two-step verification in the browser and signs in with a code."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.auth.two_factor_helpers import rfc6238
from tests.support import PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page: Page, live_server: str, email: str) -> None:
    page.goto(live_server + "/masuk")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.locator("form").filter(has=page.locator("#password")).get_by_role("button").click()


def test_turn_on_two_step_verification_and_sign_in_with_a_code(
    page: Page, live_server: str, make_user
):
    user = make_user()
    refused_by_csp = []
    page.on(
        "console",
        lambda message: (
            refused_by_csp.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )

    sign_in(page, live_server, user.email)
    page.goto(live_server + "/profil")
    page.get_by_role("link", name="Aktifkan verifikasi dua langkah").click()
    expect(page.locator("svg.totp-qr")).to_be_visible()
    secret = page.locator("#totp-secret").inner_text()
    page.fill("#code", rfc6238(secret))
    page.get_by_role("button", name="Aktifkan").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="Saya sudah menyimpannya").click()
    expect(page.get_by_text("Sisa kode pemulihan yang belum dipakai: 10.")).to_be_visible()
    page.get_by_role("button", name="Keluar").click()

    sign_in(page, live_server, user.email)
    expect(page).to_have_url(live_server + "/masuk/kode")
    expect(page.get_by_role("button", name="Keluar")).to_have_count(0)
    # The step after the one used to confirm the set-up: the same code is never accepted twice.
    page.fill("#code", rfc6238(secret, 1))
    page.get_by_role("button", name="Masuk").last.click()

    expect(page.get_by_role("button", name="Keluar")).to_be_visible()
    assert refused_by_csp == []
