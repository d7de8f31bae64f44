"""`GET /health` for load balancers and monitoring: the database, the scheduler's heartbeat and the
outbox backlog, always as JSON.

503 only when the database does not answer: a stale scheduler or a backlog is reported but keeps
the app hosts in the load balancer, since they can serve requests without it. Whatever fails, the
answer is JSON (a monitor parses it), and an unexpected failure is logged with its traceback.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import current_app, jsonify

from ..extensions import db, limiter
from ..lease import heartbeat
from ..models import OutboxMessage, OutboxStatus, utcnow
from .blueprint import bp

logger = logging.getLogger(__name__)

WAITING = (OutboxStatus.PENDING, OutboxStatus.SENDING)


def outbox_backlog() -> dict:
    """Emails waiting to be sent, the age of the oldest one due, and those given up on."""
    counts = dict(
        db.session.execute(
            sa.select(OutboxMessage.status, sa.func.count())
            .where(OutboxMessage.status.in_([*WAITING, OutboxStatus.DEAD]))
            .group_by(OutboxMessage.status)
        ).all()
    )
    oldest = db.session.scalar(
        sa.select(sa.func.min(OutboxMessage.next_attempt_at)).where(
            OutboxMessage.status.in_(WAITING), OutboxMessage.next_attempt_at <= utcnow()
        )
    )
    return {
        "waiting": sum(counts.get(status, 0) for status in WAITING),
        "oldest_due_seconds": (
            None if oldest is None else round(max((utcnow() - oldest).total_seconds(), 0.0), 1)
        ),
        "dead": counts.get(OutboxStatus.DEAD, 0),
    }


@bp.get("/health")
@limiter.exempt
def health():
    try:
        db.session.execute(sa.text("SELECT 1"))
        scheduler = heartbeat(stale_after=current_app.config["SCHEDULER_STALE_SECONDS"]).as_json()
        outbox = outbox_backlog()
    except sa.exc.SQLAlchemyError as error:
        db.session.rollback()
        logger.warning("health: database check failed: %s", type(error).__name__)
        body, code = (
            {"status": "error", "database": "error", "scheduler": None, "outbox": None},
            503,
        )
    except Exception:
        db.session.rollback()
        logger.exception("health: unexpected failure")
        body, code = (
            {"status": "error", "database": "unknown", "scheduler": None, "outbox": None},
            500,
        )
    else:
        db.session.rollback()  # read only: nothing to keep, and the connection goes back clean
        status = "ok" if scheduler["status"] == "ok" else "degraded"
        body = {"status": status, "database": "ok", "scheduler": scheduler, "outbox": outbox}
        code = 200
    response = jsonify(body)
    response.status_code = code
    response.headers["Cache-Control"] = "no-store"
    return response
