"""The email half of bench/certificates.py (`--emails`): queue `count` certificate emails, then
send them all through the outbox sender to a local aiosmtpd server; print both times."""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from datetime import UTC, date, datetime

import sqlalchemy as sa
from aiosmtpd.controller import Controller

from lokalatih import create_app
from lokalatih.certificates import mailing
from lokalatih.certificates.attestation import snapshot
from lokalatih.certificates.services import certificate_number, new_code
from lokalatih.extensions import db
from lokalatih.models import (
    Certificate,
    Gender,
    InstitutionType,
    OutboxMessage,
    OutboxStatus,
    Profile,
    Registration,
    RegistrationStatus,
    Role,
    User,
    Workshop,
    WorkshopMode,
    WorkshopStatus,
    WorkshopTimezone,
)
from lokalatih.outbox.tasks import send_due_messages

TARGET_QUEUE_SECONDS = 10.0  # "1,000 certificate emails queue in seconds"
NAMES = ["Dāwūd Ñúñez Šimić", "Ni Luh Putu Ayu Rahmawati", "Yohanes Wenda", "Siti Hutapea"]


class _Counter:
    def __init__(self) -> None:
        self.count = 0
        self.bytes = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        with self._lock:
            self.count += 1
            self.bytes += len(envelope.original_content)
        return "250 Message accepted for delivery"


def bench_emails(count: int, database_url: str | None) -> int:
    url = database_url or f"sqlite:///{tempfile.mkdtemp()}/certificate-emails.sqlite"
    inbox = _Counter()
    port = _free_port()  # Controller(port=0) cannot report its port
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    app = create_app(
        "testing",
        SQLALCHEMY_DATABASE_URI=url,
        MAIL_SUPPRESS_SEND=False,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=port,
    )
    try:
        with app.app_context():
            from flask_migrate import upgrade

            upgrade()
            workshop, organizer = _workshop_with_certificates(count)

            started = time.perf_counter()
            with app.test_request_context(base_url=app.config["PUBLIC_BASE_URL"]):
                result = mailing.send_all(workshop, organizer)  # as the organizer's POST does
            db.session.commit()
            queue_seconds = time.perf_counter() - started
            print(f"queued: {result.queued} certificate emails in {queue_seconds:.2f} s")

            started = time.perf_counter()
            rounds = 0
            while _left() and rounds < 10 * count:
                send_due_messages()
                rounds += 1
            send_seconds = time.perf_counter() - started
            dead = db.session.scalar(
                sa.select(sa.func.count()).where(OutboxMessage.status == OutboxStatus.DEAD)
            )
    finally:
        controller.stop()
    print(
        f"sent: {inbox.count} emails with the PDF attached to aiosmtpd in {send_seconds:.2f} s "
        f"({send_seconds / max(inbox.count, 1) * 1000:.1f} ms each, "
        f"{inbox.bytes / max(inbox.count, 1) / 1024:.0f} KB average, {dead} failed)"
    )
    verdict = "met" if queue_seconds < TARGET_QUEUE_SECONDS else "NOT met"
    print(f"target: queuing under {TARGET_QUEUE_SECONDS:.0f} s: {verdict}; no request sends")
    return 0 if inbox.count == count and not dead else 1


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _left() -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).where(
            OutboxMessage.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING])
        )
    )


def _workshop_with_certificates(count: int) -> tuple[Workshop, User]:
    """A completed workshop and `count` participants, each with a valid certificate (written in
    bulk, the way the demo generator does; issuing is not what is measured)."""
    organizer = User(email="penyelenggara@contoh.id", password_hash="-", role=Role.ORGANIZER)
    workshop = Workshop(
        slug="bench-sertifikat",
        title="Loka Latih Kabupaten/Kota Peduli HAM Provinsi Sulawesi Selatan",
        mode=WorkshopMode.OFFLINE,
        venue="Aula Kantor Wilayah, Makassar",
        timezone=WorkshopTimezone.WITA,
        start_date=date(2026, 12, 7),
        end_date=date(2026, 12, 9),
        capacity=count,
        status=WorkshopStatus.COMPLETED,
        organizers=[organizer],
        cert_min_attendance_pct=0,
        cert_requires_post_test=False,
        training_hours=32,
        signatories=[{"name": "Dr. Hana Pratiwi, S.H.", "position": "Direktur Jenderal HAM"}],
    )
    db.session.add(workshop)
    db.session.flush()
    attested = snapshot(workshop)
    issued_at = datetime(2026, 12, 10, 2, 0, tzinfo=UTC)
    for index in range(count):
        name = f"{NAMES[index % len(NAMES)]} {index + 1}"
        user = User(email=f"peserta{index}@contoh.id", password_hash="-", role=Role.PARTICIPANT)
        user.profile = Profile(
            full_name=name,
            gender=Gender.FEMALE,
            institution_type=InstitutionType.LOCAL_GOVERNMENT,
            institution_name="Dinas Sosial Kota Makassar",
            position="Analis Kebijakan",
            phone="+6281234567890",
            province_code="73",
            regency_code="73.71",
        )
        registration = Registration(
            workshop=workshop, user=user, status=RegistrationStatus.CONFIRMED
        )
        db.session.add(registration)
        db.session.flush()
        db.session.add(
            Certificate(
                registration_id=registration.id,
                number=certificate_number(workshop.id, 2026, index + 1),
                code=new_code(),
                name_on_certificate=name,
                language="id",
                issued_at=issued_at,
                attested=attested,
            )
        )
    db.session.commit()
    return workshop, organizer
