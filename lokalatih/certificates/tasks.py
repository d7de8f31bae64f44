"""The scheduler job that issues certificates once a workshop is completed."""

from __future__ import annotations

import logging
from datetime import datetime

import sqlalchemy as sa

from ..extensions import db
from ..models import Certificate, Registration, RegistrationStatus, Workshop, WorkshopStatus, utcnow
from .errors import CertificateError
from .services import issue_certificate, lock_workshop, notify_issued, pending_registrations

logger = logging.getLogger(__name__)


def issue_certificates_for_completed(now: datetime | None = None) -> int:
    """Issue a certificate to every eligible participant of every completed workshop who never
    had one, and queue each an email with the link; returns how many were issued.

    Idempotent: a second run, or a second scheduler, finds the certificates and issues nothing
    (each workshop is claimed with FOR UPDATE SKIP LOCKED on PostgreSQL; on SQLite the single
    writer and the one-valid-certificate index do the same). One transaction per workshop, so a
    run killed half-way keeps what it finished. A certificate an organizer revoked is not issued
    again.
    """
    now = now or utcnow()
    issued = 0
    for workshop_id in _candidate_workshops():
        try:
            issued += _issue_for_workshop(workshop_id, now)
            db.session.commit()
        except Exception:
            db.session.rollback()
            logger.exception(
                "certificates: workshop %s failed, the next run tries again", workshop_id
            )
    return issued


def _candidate_workshops() -> list[int]:
    """Completed workshops with a confirmed registration that never had a certificate: one
    query, so a run with nothing to do costs almost nothing."""
    never_had = (
        ~sa.select(Certificate.id).where(Certificate.registration_id == Registration.id).exists()
    )
    return list(
        db.session.scalars(
            sa.select(Workshop.id)
            .join(Registration, Registration.workshop_id == Workshop.id)
            .where(
                Workshop.status == WorkshopStatus.COMPLETED,
                Registration.status == RegistrationStatus.CONFIRMED,
                never_had,
            )
            .distinct()
            .order_by(Workshop.id)
        )
    )


def _issue_for_workshop(workshop_id: int, now: datetime) -> int:
    workshop = db.session.scalar(
        sa.select(Workshop)
        .where(Workshop.id == workshop_id, Workshop.status == WorkshopStatus.COMPLETED)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    if workshop is None:
        return 0  # another scheduler holds it, or it is no longer completed
    lock_workshop(workshop)  # SQLite ignores FOR UPDATE: this waits for the other writer instead
    count = 0
    for registration in pending_registrations(workshop):
        try:
            certificate = issue_certificate(registration, now=now)
        except (
            CertificateError
        ) as error:  # e.g. no name in the profile: the others still get theirs
            logger.warning("certificates: registration %s skipped: %s", registration.id, error.code)
            continue
        notify_issued(certificate)
        count += 1
    if count:
        logger.info("certificates: %s issued for workshop %s", count, workshop.slug)
    return count
