"""Certificates: the rule, issuing (idempotent), revoking and re-issuing. Services add and flush,
never commit; routes and the scheduler job commit."""

from __future__ import annotations

import base64
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from ..audit import record_event
from ..extensions import db
from ..locks import hold_row_lock
from ..models import (
    ActionPlanItem,
    Certificate,
    Registration,
    RegistrationStatus,
    User,
    Workshop,
    WorkshopStatus,
    utcnow,
)
from ..outbox.services import external_url, queue_email
from .attestation import snapshot
from .eligibility import eligibility, eligibility_of
from .errors import (
    AlreadyRevokedError,
    CertificateError,
    IssuingNotOpenError,
    NameMissingError,
    NotConfirmedError,
    NotEligibleError,
    NoValidCertificateError,
    ReasonRequiredError,
)

CODE_BYTES = 10  # 80 random bits: 16 base32 characters
CODE_LENGTH = 16
MAX_SIGNATORIES = 3
ISSUABLE_STATUSES = (WorkshopStatus.RUNNING, WorkshopStatus.COMPLETED, WorkshopStatus.ARCHIVED)
# What people type for what they mean: base32 has no 0, 1 or 8.
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


@dataclass(frozen=True)
class CertificateRule:
    min_attendance_pct: int
    requires_post_test: bool
    min_post_score: int | None
    training_hours: int | None
    signatories: list[dict[str, str]]  # [{"name": ..., "position": ...}], at most three
    requires_evaluation: bool = False  # the reaction survey answered (evaluation_submissions)


def save_rule(workshop: Workshop, rule: CertificateRule, by: User, ip: str | None = None) -> None:
    """Store the certificate rule and what the certificate says; it applies to later issues."""
    workshop.cert_min_attendance_pct = rule.min_attendance_pct
    workshop.cert_requires_post_test = rule.requires_post_test
    workshop.cert_min_post_score = rule.min_post_score
    workshop.cert_requires_evaluation = rule.requires_evaluation
    workshop.training_hours = rule.training_hours
    workshop.signatories = list(rule.signatories[:MAX_SIGNATORIES])
    db.session.flush()
    record_event(
        "certificate_rule_changed",
        actor=by,
        target=workshop,
        details={
            "min_attendance_pct": rule.min_attendance_pct,
            "requires_post_test": rule.requires_post_test,
            "min_post_score": rule.min_post_score,
            "requires_evaluation": rule.requires_evaluation,
            "training_hours": rule.training_hours,
            "signatories": workshop.signatories,
            "issuing_institutions": workshop.issuing_institutions,
        },
        ip=ip,
    )


# --- codes -----------------------------------------------------------------------------------


def new_code() -> str:
    """80 random bits in base32 without padding: 16 characters from A–Z and 2–7."""
    return base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode("ascii").rstrip("=")


def format_code(code: str) -> str:
    """'ABCDEFGHJKLMNPQR' -> 'ABCD-EFGH-JKLM-NPQR' (easier to read aloud and to type)."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalize_code(text: str) -> str | None:
    """What a person typed or scanned as a stored code, or None if it cannot be one."""
    code = re.sub(r"[\s\-]", "", text or "").upper().translate(_LOOKALIKES)
    if len(code) != CODE_LENGTH or not re.fullmatch(r"[A-Z2-7]+", code):
        return None
    return code


def find_by_code(text: str) -> Certificate | None:
    code = normalize_code(text)
    if code is None:
        return None
    return db.session.scalar(sa.select(Certificate).where(Certificate.code == code))


# --- issuing ---------------------------------------------------------------------------------


def find_valid_certificate(registration: Registration) -> Certificate | None:
    return db.session.scalar(
        sa.select(Certificate).where(
            Certificate.registration_id == registration.id, Certificate.revoked_at.is_(None)
        )
    )


def valid_certificates_of(registration_ids: Sequence[int]) -> dict[int, Certificate]:
    """`find_valid_certificate` for many registrations in one statement: id → certificate."""
    if not registration_ids:
        return {}
    certificates = db.session.scalars(
        sa.select(Certificate).where(
            Certificate.registration_id.in_(registration_ids), Certificate.revoked_at.is_(None)
        )
    )
    return {certificate.registration_id: certificate for certificate in certificates}


def issue_certificate(
    registration: Registration,
    issued_by: User | None = None,
    now: datetime | None = None,
    attested: dict | None = None,
) -> Certificate:
    """The registration's valid certificate, issuing it if there is none (idempotent).

    Numbers are taken one at a time per workshop (the workshop row is locked for the rest of the
    transaction). Should another transaction still have issued one meanwhile, the partial unique
    index refuses the second valid certificate: the savepoint rolls back and the existing one is
    returned.
    """
    existing = find_valid_certificate(registration)
    if existing is not None:
        return existing
    profile = registration.user.profile
    if registration.status != RegistrationStatus.CONFIRMED:
        raise NotConfirmedError()
    if profile is None or not (profile.full_name or "").strip():
        raise NameMissingError()
    lock_workshop(registration.workshop)
    now = now or utcnow()
    for _attempt in range(5):
        existing = find_valid_certificate(registration)
        if existing is not None:
            return existing
        certificate = Certificate(
            registration_id=registration.id,
            number=_next_number(registration.workshop, now),
            code=new_code(),
            name_on_certificate=printed_name(profile.full_name),
            language=certificate_language(registration.user.locale),
            issued_at=now,
            issued_by_id=issued_by.id if issued_by is not None else None,
            # Frozen now: later edits of the workshop do not change what this one attests.
            attested=attested or snapshot(registration.workshop, registration),
        )
        try:
            with db.session.begin_nested():
                db.session.add(certificate)
        except IntegrityError:
            continue  # a valid certificate, number or code appeared meanwhile: look again
        record_event(
            "certificate_issued",
            actor=issued_by,
            target=certificate,
            details=_details(certificate, registration),
        )
        return certificate
    raise CertificateError()


def lock_workshop(workshop: Workshop) -> None:
    """Hold the workshop's certificate lock until the transaction ends: two transactions issuing
    in one workshop take numbers one after the other."""
    hold_row_lock(Workshop, workshop.id)


def _next_number(workshop: Workshop, now: datetime) -> str:
    year = number_year(now, workshop.zone)
    last = db.session.scalar(
        sa.select(sa.func.max(Certificate.number)).where(
            Certificate.number.startswith(_number_prefix(workshop.id, year), autoescape=True)
        )
    )
    sequence = int(last.rsplit("/", 1)[1]) + 1 if last else 1
    return certificate_number(workshop.id, year, sequence)


# The fields below are computed here for every certificate, including the demo generator's bulk
# rows (which cannot afford a service call each): whatever the verification page and the PDF
# read is then made one way.


def certificate_number(workshop_id: int, year: int, sequence: int) -> str:
    """'LL/<year>/<workshop id:04d>/<sequence:05d>', the sequence counting per workshop and year."""
    return f"{_number_prefix(workshop_id, year)}{sequence:05d}"


def _number_prefix(workshop_id: int, year: int) -> str:
    return f"LL/{year}/{workshop_id:04d}/"


def number_year(issued_at: datetime, zone: tzinfo) -> int:
    """The year in a certificate's number: the issue date's, in the workshop's zone."""
    return issued_at.astimezone(zone).year


def printed_name(full_name: str) -> str:
    """The profile's name as the certificate prints it (spaces collapsed)."""
    return " ".join(full_name.split())


def certificate_language(locale: str | None) -> str:
    """The holder's language if the app has it, else the default one."""
    languages = current_app.config["LANGUAGES"]
    return locale if locale in languages else current_app.config["BABEL_DEFAULT_LOCALE"]


def _details(certificate: Certificate, registration: Registration, **extra) -> dict:
    return {
        "number": certificate.number,
        "registration_id": registration.id,
        "workshop_id": registration.workshop_id,
        "user_id": registration.user_id,
    } | extra


def check_issuing_open(workshop: Workshop) -> None:
    if workshop.status not in ISSUABLE_STATUSES:
        raise IssuingNotOpenError()


def issue_if_eligible(
    registration: Registration, by: User | None, now: datetime | None = None
) -> Certificate:
    """An organizer's "issue": only to a participant who meets the rule; emails them the link."""
    check_issuing_open(registration.workshop)
    verdict = eligibility_of(registration)
    if not verdict.eligible:
        raise NotEligibleError(verdict.reasons)
    certificate = issue_certificate(registration, issued_by=by, now=now)
    notify_issued(certificate)
    return certificate


def pending_registrations(workshop: Workshop) -> list[Registration]:
    """Eligible confirmed registrations that never had a certificate.

    One that an organizer revoked is left alone: issuing it again is the organizer's decision.
    """
    verdicts = eligibility(workshop)
    eligible_ids = [rid for rid, verdict in verdicts.items() if verdict.eligible]
    if not eligible_ids:
        return []
    had_one = sa.select(Certificate.id).where(Certificate.registration_id == Registration.id)
    return list(
        db.session.scalars(
            sa.select(Registration)
            .join(User, User.id == Registration.user_id)
            # A deleted account gets no certificate: there is no name to print, nobody to tell.
            .where(Registration.id.in_(eligible_ids), ~had_one.exists(), User.erased_at.is_(None))
            .order_by(Registration.id)
        )
    )


def issue_all_eligible(
    workshop: Workshop, by: User | None, now: datetime | None = None
) -> list[Certificate]:
    """Issue to every eligible participant still without a certificate; emails each the link."""
    check_issuing_open(workshop)
    issued = []
    for registration in pending_registrations(workshop):
        certificate = issue_certificate(registration, issued_by=by, now=now)
        notify_issued(certificate)
        issued.append(certificate)
    return issued


def notify_issued(certificate: Certificate) -> None:
    """Queue the "your certificate is ready" email, once per certificate."""
    registration = certificate.registration
    queue_email(
        "certificate_issued",
        registration.user,
        locale=certificate.language,
        dedupe_key=f"certificate:{certificate.id}",
        name=certificate.name_on_certificate,
        workshop=registration.workshop,
        number=certificate.number,
        code=format_code(certificate.code),
        download_url=external_url("certificates.download", certificate_id=certificate.id),
        verify_url=external_url("certificates.verify", code=certificate.code),
        actions=_action_plan(registration),
    )


def _action_plan(registration: Registration) -> list[ActionPlanItem]:
    """The participant's action plan, for the certificate email (action_plans writes it)."""
    return list(
        db.session.scalars(
            sa.select(ActionPlanItem)
            .where(ActionPlanItem.registration_id == registration.id)
            .order_by(ActionPlanItem.position)
        )
    )


# --- revoking --------------------------------------------------------------------------------


def _reason(reason: str | None) -> str:
    cleaned = " ".join((reason or "").split())
    if not cleaned:
        raise ReasonRequiredError()
    return cleaned[:500]


def revoke_certificate(
    certificate: Certificate,
    reason: str,
    by: User | None,
    now: datetime | None = None,
    ip: str | None = None,
) -> Certificate:
    """Withdraw a certificate; the verification page then says so, with the date and reason."""
    reason = _reason(reason)
    if not certificate.is_valid:
        raise AlreadyRevokedError()
    certificate.revoked_at = now or utcnow()
    certificate.revoke_reason = reason
    db.session.flush()
    record_event(
        "certificate_revoked",
        actor=by,
        target=certificate,
        details=_details(certificate, certificate.registration, reason=reason),
        ip=ip,
    )
    return certificate


def reissue_certificate(
    registration: Registration,
    by: User | None,
    reason: str,
    now: datetime | None = None,
    ip: str | None = None,
) -> Certificate:
    """Replace the valid certificate (after a name correction): the old one is revoked with the
    reason "Diterbitkan ulang: …", the new one has a new number and code and the current name."""
    reason = _reason(reason)
    lock_workshop(registration.workshop)  # two organizers clicking at once replace it one by one
    old = find_valid_certificate(registration)
    if old is None:
        raise NoValidCertificateError()
    now = now or utcnow()
    revoke_certificate(old, _("Diterbitkan ulang: %(reason)s", reason=reason), by, now, ip)
    # A corrected name, the same attendance: the new one attests what the old one did.
    new = issue_certificate(registration, issued_by=by, now=now, attested=old.attested)
    record_event(
        "certificate_reissued",
        actor=by,
        target=new,
        details=_details(new, registration, reason=reason, replaces=old.number),
        ip=ip,
    )
    notify_issued(new)
    return new
