"""An admin adds a staff account, resends a verification and changes a role in Chromium, at a
phone's and a laptop's size: no page scrolls sideways and axe-core finds nothing serious."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from lokalatih.models import OutboxMessage, Role, User
from tests.browser.fixtures import VIEWPORTS

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("LOKALATIH_SHOTS") or Path(__file__).parent / ".shots")


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_admin_adds_staff_and_resends_a_verification(
    db, make_user, signed_in_context, browser, live_server, check_page, size
):
    SHOTS.mkdir(exist_ok=True)
    admin = make_user("admin@contoh.id", role=Role.ADMIN, complete_profile=True)
    make_user("siti.rahmawati.dinas.sosial@contoh.id")
    make_user("belum.verifikasi.panjang.sekali@contoh.id", verified=False)
    page = signed_in_context(admin, viewport=VIEWPORTS[size], bypass_csp=True).new_page()

    page.goto(live_server + "/admin/pengguna")
    check_page(page)
    page.get_by_role("link", name="Tambah akun staf").click()
    expect(page.get_by_role("heading", name="Tambah akun staf")).to_be_visible()
    page.get_by_label("Nama lengkap").fill("Siti Aminah")
    page.get_by_label("Email").fill("siti.rahmawati.dinas.sosial@contoh.id")
    page.get_by_label("Peran").select_option("reviewer")
    page.get_by_role("button", name="Buat akun dan kirim undangan").click()
    expect(page.locator(".error")).to_contain_text("Alamat email ini sudah terdaftar.")
    expect(page.get_by_label("Nama lengkap")).to_have_value("Siti Aminah")
    check_page(page)
    page.screenshot(path=str(SHOTS / f"staf-tambah-galat-{size}.png"), full_page=True)

    page.get_by_label("Email").fill("rina.wulandari@contoh.id")
    page.get_by_role("button", name="Buat akun dan kirim undangan").click()
    expect(page.get_by_text("Undangan untuk membuat sandi")).to_be_visible()
    expect(page.get_by_role("cell", name="rina.wulandari@contoh.id", exact=True)).to_be_visible()

    page.goto(live_server + "/admin/pengguna")
    page.get_by_role(
        "button", name="Kirim ulang verifikasi ke belum.verifikasi.panjang.sekali@contoh.id"
    ).click()
    expect(page.get_by_text("Email verifikasi baru dijadwalkan")).to_be_visible()
    check_page(page)
    page.screenshot(path=str(SHOTS / f"staf-pengguna-{size}.png"), full_page=True)
    page.get_by_role(
        "button", name="Kirim ulang verifikasi ke belum.verifikasi.panjang.sekali@contoh.id"
    ).click()
    expect(page.get_by_text("baru saja dikirim")).to_be_visible()

    db.session.expire_all()
    rina = db.session.scalar(sa.select(User).where(User.email == "rina.wulandari@contoh.id"))
    assert rina.role == Role.REVIEWER and not rina.is_verified
    templates = db.session.scalars(sa.select(OutboxMessage.template).order_by(OutboxMessage.id))
    assert list(templates) == ["staff_invitation", "verify_email"]

    # The invited person opens the link on their own device: a welcome page, not "atur ulang".
    invitation = db.session.scalar(
        sa.select(OutboxMessage).where(OutboxMessage.template == "staff_invitation")
    )
    link = re.search(r"https?://[^/\s]+(/undangan/[^\s\"<>]+)", invitation.body_text).group(1)
    guest = browser.new_context(viewport=VIEWPORTS[size], bypass_csp=True).new_page()
    guest.goto(live_server + link)
    expect(guest.get_by_role("heading", name="Selamat datang di lokalatih")).to_be_visible()
    expect(guest.get_by_text("Anda diundang sebagai Peninjau")).to_be_visible()
    check_page(guest)
    guest.screenshot(path=str(SHOTS / f"staf-undangan-{size}.png"), full_page=True)
    guest.get_by_label("Sandi baru", exact=True).fill("Lereng Merapi 2026 hijau")
    guest.get_by_label("Ulangi sandi baru").fill("Lereng Merapi 2026 hijau")
    guest.get_by_role("button", name="Buat sandi").click()
    expect(guest.get_by_text("Sandi Anda sudah dibuat")).to_be_visible()
    db.session.expire_all()
    assert db.session.get(User, rina.id).is_verified
    guest.context.close()


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_a_role_change_asks_first_without_javascript(
    db, make_user, signed_in_context, live_server, check_page, size
):
    admin = make_user("admin@contoh.id", role=Role.ADMIN)
    budi = make_user("budi@contoh.id")
    context = signed_in_context(
        admin, java_script_enabled=False, viewport=VIEWPORTS[size], bypass_csp=True
    )
    page = context.new_page()

    page.goto(live_server + "/admin/pengguna?q=budi")
    page.get_by_label("Peran untuk budi@contoh.id").select_option("organizer")
    page.get_by_role("button", name="Ubah").click()
    expect(page.get_by_role("heading", name="Ubah peran?")).to_be_visible()
    db.session.expire_all()
    assert db.session.get(User, budi.id).role == Role.PARTICIPANT
    page.screenshot(path=str(SHOTS / f"staf-ubah-peran-{size}.png"), full_page=True)
    page.get_by_role("button", name="Ya, ubah menjadi Penyelenggara").click()
    expect(page.get_by_text("sekarang Penyelenggara")).to_be_visible()

    db.session.expire_all()
    assert db.session.get(User, budi.id).role == Role.ORGANIZER
