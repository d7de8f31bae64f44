"""Check-in in a real Chromium: the organizer's screen, a participant typing the shown code, and
the offline scanner's queue."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import segno
import sqlalchemy as sa
from playwright.sync_api import Browser, Page, Playwright, expect

from lokalatih.attendance.services import personal_qr_payload
from lokalatih.models import (
    CheckIn,
    CheckInMethod,
    Role,
    WorkshopStatus,
    WorkshopTimezone,
)
from tests import factories
from tests.browser.fixtures import CHROMIUM, CHROMIUM_FLAGS
from tests.support import PASSWORD

pytestmark = pytest.mark.browser

# Instead of a camera, the scanner page gets a stand-in for qr-scanner whose "scans" the test makes.
FAKE_QR_SCANNER = """
window.QrScanner = function (video, onDecode) { window.scanQr = function (text) {
  onDecode({ data: text }); }; };
window.QrScanner.prototype.start = function () { return Promise.resolve(); };
"""


@pytest.fixture
def running_session(db, make_user):
    """A running workshop whose only session is open for check-in now, and one confirmed
    participant, Siti."""
    organizer = make_user(role=Role.ORGANIZER)
    participant = make_user()
    db.session.add(factories.profile(complete=False, user=participant, full_name="Siti Rahmawati"))
    now = datetime.now(UTC)
    workshop = factories.workshop(
        organizers=[organizer],
        sessions=[(now - timedelta(minutes=5), now + timedelta(hours=2))],
        session_title="DUHAM dan pemerintah daerah",
        slug="kota-peduli-ham-makassar",
        title="Loka Latih Kota Peduli HAM Makassar",
        timezone=WorkshopTimezone.WITA,
        start_date=now.date(),
        end_date=(now + timedelta(hours=2)).date(),
        status=WorkshopStatus.RUNNING,
        commit=False,
    )
    session = workshop.sessions[0]
    registration = factories.registration(workshop, participant)
    return organizer, participant, session, registration


def log_in(page: Page, base_url: str, user) -> None:
    page.goto(base_url + "/masuk")
    page.fill("#email", user.email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Masuk", exact=True).click()
    expect(page.get_by_text("Anda sudah masuk.")).to_be_visible()


def checkins(db) -> list[CheckIn]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(CheckIn)))


def test_a_participant_types_the_shown_code_and_the_organizers_count_goes_up(
    browser: Browser, live_server: str, running_session, db
):
    organizer, participant, session, _ = running_session
    screen_context, phone_context = browser.new_context(), browser.new_context()
    screen = screen_context.new_page()
    log_in(screen, live_server, organizer)
    screen.goto(f"{live_server}/kelola/{session.workshop.slug}/sesi/{session.id}/presensi")
    expect(screen.locator("#checkin-count")).to_have_text("0")
    shown_code = screen.locator("#checkin-code").text_content()  # "ACE 379": as people read it

    phone = phone_context.new_page()
    log_in(phone, live_server, participant)
    phone.goto(live_server + "/hadir")
    phone.select_option("#session_id", str(session.id))
    phone.fill("#code", shown_code.lower())
    phone.get_by_role("button", name="Catat kehadiran").click()

    expect(phone.get_by_text("Hadir tercatat")).to_be_visible()
    expect(screen.locator("#checkin-count")).to_have_text("1", timeout=15_000)  # polled status
    assert [c.method for c in checkins(db)] == [CheckInMethod.CODE]
    screen_context.close()
    phone_context.close()


def test_scans_made_offline_are_kept_and_sent_once_when_back_online(
    browser: Browser, live_server: str, running_session, db
):
    organizer, _, session, registration = running_session
    context = browser.new_context()
    context.add_init_script(FAKE_QR_SCANNER)
    context.route(
        "**/qr-scanner.umd.min.js",
        lambda route: route.fulfill(body="", content_type="application/javascript"),
    )
    page = context.new_page()
    log_in(page, live_server, organizer)
    scanner_path = f"/kelola/{session.workshop.slug}/sesi/{session.id}/presensi/pindai"
    page.goto(live_server + scanner_path)
    payload = personal_qr_payload(registration)

    context.set_offline(True)
    page.evaluate("text => { scanQr(text); scanQr(text); scanQr('LLQR1:palsu'); }", payload)
    expect(page.locator("#scanner-queue-size")).to_have_text("2")
    page.wait_for_timeout(500)
    assert checkins(db) == []

    context.set_offline(False)
    expect(page.locator("#scanner-queue-size")).to_have_text("0", timeout=15_000)
    expect(page.get_by_text("Siti Rahmawati tercatat hadir.")).to_be_visible()
    expect(page.get_by_text("QR tidak dikenal")).to_be_visible()
    expect(page.locator("#scanner-count")).to_have_text("1")

    page.evaluate("text => scanQr(text)", payload)  # scanned again much later: already recorded
    page.wait_for_timeout(5_500)
    page.evaluate("text => scanQr(text)", payload)
    expect(page.get_by_text("Siti Rahmawati sudah tercatat sebelumnya.")).to_be_visible()
    recorded = checkins(db)
    assert [(c.registration_id, c.method) for c in recorded] == [
        (registration.id, CheckInMethod.PERSONAL_QR)
    ]
    context.close()


def write_camera_video(path, text: str) -> None:
    """A short Y4M video of a QR code on white, for Chromium's fake camera."""
    width, height = 640, 480
    matrix = [list(row) for row in segno.make(text, error="m").matrix_iter(scale=8, border=4)]
    left, top = (width - len(matrix)) // 2, (height - len(matrix)) // 2
    luma = bytearray([235]) * (width * height)
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                luma[(top + y) * width + left + x] = 16
    chroma = bytes([128]) * (width * height // 4)
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(5):
            video.write(b"FRAME\n" + luma + chroma + chroma)


def test_the_camera_scanner_reads_a_personal_qr_and_records_it(
    playwright: Playwright, live_server: str, running_session, db, tmp_path
):
    organizer, _, session, registration = running_session
    video = tmp_path / "kamera.y4m"
    write_camera_video(video, personal_qr_payload(registration))
    camera_flags = [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
    ]
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_FLAGS + camera_flags
    )
    page = browser.new_context(permissions=["camera"]).new_page()
    log_in(page, live_server, organizer)

    response = page.goto(
        f"{live_server}/kelola/{session.workshop.slug}/sesi/{session.id}/presensi/pindai"
    )

    # Where the browser has no native BarcodeDetector, qr-scanner decodes in a Web Worker that it
    # creates from a blob: URL; the page's CSP must allow that or the camera never reads a code.
    assert "worker-src 'self' blob:" in response.headers["content-security-policy"]
    expect(page.get_by_text("Siti Rahmawati tercatat hadir.")).to_be_visible(timeout=20_000)
    assert [c.method for c in checkins(db)] == [CheckInMethod.PERSONAL_QR]
    browser.close()
