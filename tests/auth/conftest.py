"""Helpers for the account tests: outbox reading, links in emails, old tokens, extra apps."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa
from itsdangerous.timed import TimestampSigner

from lokalatih.models import OutboxMessage


@pytest.fixture
def outbox(db):
    """`outbox()` lists queued emails, oldest first; `outbox("verify_email")` one template."""

    def messages(template: str | None = None) -> list[OutboxMessage]:
        query = sa.select(OutboxMessage).order_by(OutboxMessage.id)
        if template is not None:
            query = query.where(OutboxMessage.template == template)
        return list(db.session.scalars(query))

    return messages


@pytest.fixture
def signed_in_the_past(monkeypatch):
    """Run `make()` as if it were `seconds` ago: tokens it signs carry that old timestamp."""

    def run(seconds: int, make):
        then = int(time.time()) - seconds
        with monkeypatch.context() as patch:
            patch.setattr(TimestampSigner, "get_timestamp", lambda self: then)
            return make()

    return run
