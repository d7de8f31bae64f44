"""`GET /health` for load balancers and monitoring: the database, and the scheduler's heartbeat.

503 only when the database does not answer: a stale scheduler is reported but keeps the app
hosts in the load balancer, since they can serve requests without it.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import jsonify

from ..extensions import db, limiter
from ..lease import heartbeat
from .blueprint import bp

logger = logging.getLogger(__name__)


@bp.get("/health")
@limiter.exempt
def health():
    try:
        db.session.execute(sa.text("SELECT 1"))
        scheduler = heartbeat().as_json()
    except sa.exc.SQLAlchemyError as error:
        db.session.rollback()
        logger.warning("health: database check failed: %s", type(error).__name__)
        body, code = {"status": "error", "database": "error", "scheduler": None}, 503
    else:
        db.session.rollback()  # read only: nothing to keep, and the connection goes back clean
        status = "ok" if scheduler["status"] == "ok" else "degraded"
        body, code = {"status": status, "database": "ok", "scheduler": scheduler}, 200
    response = jsonify(body)
    response.status_code = code
    response.headers["Cache-Control"] = "no-store"
    return response
