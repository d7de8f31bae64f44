"""Attachments the sender makes at send time (outbox/sources.py), and bulk queuing."""

from __future__ import annotations

from email import message_from_bytes, policy

import sqlalchemy as sa

from lokalatih.models import OutboxMessage, OutboxStatus
from lokalatih.outbox.attachments import Attachment, AttachmentRef
from lokalatih.outbox.services import queue_prepared
from lokalatih.outbox.sources import AttachmentUnavailable, register_source
from lokalatih.outbox.tasks import send_due_messages


def _row(key: str, source: str, document: str) -> dict:
    reference = AttachmentRef(source, document, "Tautan: http://localhost/x", "<p>Tautan</p>")
    return {
        "recipient": "siti@contoh.id",
        "subject": "Laporan loka latih",
        "body_text": "Terlampir.",
        "body_html": "<p>Terlampir.</p>",
        "template": "notice",
        "dedupe_key": key,
        "attachments": [reference.as_json()],
    }


def _documents(key: str) -> Attachment | None:
    if key == "besar":
        return None
    if key == "dicabut":
        raise AttachmentUnavailable("Sertifikat sudah dicabut.")
    return Attachment(f"{key}.txt", "text/plain", f"isi {key}".encode())


def test_the_sender_makes_the_attachment_or_sends_the_fallback(app, db, smtp_server):
    register_source(app, "dokumen", _documents)
    queue_prepared([_row("a", "dokumen", "kecil"), _row("b", "dokumen", "besar")])
    db.session.commit()

    send_due_messages()

    small, large = (message_from_bytes(raw, policy=policy.strict) for raw in smtp_server.inbox.raw)
    [attachment] = list(small.iter_attachments())
    assert attachment.get_filename() == "kecil.txt"
    assert attachment.get_content() == "isi kecil"
    assert "Terlampir." in small.get_body(preferencelist=("plain",)).get_content()
    assert list(large.iter_attachments()) == []
    assert "Tautan: http://localhost/x" in large.get_body(preferencelist=("plain",)).get_content()


def test_a_gone_document_is_dead_at_once_and_an_unknown_source_is_retried(app, db, smtp_server):
    register_source(app, "dokumen", _documents)
    queue_prepared([_row("a", "dokumen", "dicabut"), _row("b", "tidak-ada", "x")])
    db.session.commit()

    report = send_due_messages()

    gone, unknown = db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id))
    assert smtp_server.messages == []
    assert (report.dead, report.retried) == (1, 1)
    assert gone.status == OutboxStatus.DEAD and "dicabut" in gone.last_error
    assert unknown.status == OutboxStatus.PENDING and "tidak-ada" in unknown.last_error


def test_bulk_queuing_writes_each_key_once(db):
    first = queue_prepared([_row("a", "dokumen", "1"), _row("b", "dokumen", "2")])
    again = queue_prepared([_row("b", "dokumen", "2"), _row("c", "dokumen", "3")])
    db.session.commit()

    assert (first, again) == (2, 1)
    keys = db.session.scalars(sa.select(OutboxMessage.dedupe_key).order_by(OutboxMessage.id))
    assert list(keys) == ["a", "b", "c"]
