"""“Data saya”: a copy of everything lokalatih holds about one user (UU No. 27 Tahun 2022).

The export is a ZIP with `data.json` (everything, nested) and one CSV per table. Only the user's
own data goes in: of audit entries made by someone else about them, neither that person's account
nor their IP address is included.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from enum import Enum
from typing import Any

import sqlalchemy as sa

from .. import spreadsheets
from ..audit import record_event
from ..extensions import db
from ..models import (
    Answer,
    Attempt,
    AuditEvent,
    Certificate,
    CheckIn,
    ConsentRecord,
    Question,
    Registration,
    User,
    WorkshopSession,
    utcnow,
)


def _value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


def _row(**values: Any) -> dict[str, Any]:
    return {key: _value(value) for key, value in values.items()}


def _profile(user: User) -> dict[str, Any]:
    profile = user.profile
    row = _row(
        email=user.email,
        role=user.role,
        locale=user.locale,
        created_at=user.created_at,
        email_verified_at=user.email_verified_at,
        last_login_at=user.last_login_at,
    )
    fields = [
        "full_name",
        "gender",
        "institution_type",
        "institution_name",
        "position",
        "phone",
        "province_code",
        "regency_code",
    ]
    row.update({name: _value(getattr(profile, name, None)) for name in fields})
    return row


def _consents(user: User) -> list[dict[str, Any]]:
    records = db.session.scalars(
        sa.select(ConsentRecord)
        .where(ConsentRecord.user_id == user.id)
        .order_by(ConsentRecord.given_at, ConsentRecord.id)
    )
    return [
        _row(
            version=record.version.version,
            purpose=record.purpose,
            given_at=record.given_at,
            withdrawn_at=record.withdrawn_at,
        )
        for record in records
    ]


def _registrations(user: User) -> list[Registration]:
    return list(
        db.session.scalars(
            sa.select(Registration)
            .where(Registration.user_id == user.id)
            .order_by(Registration.created_at, Registration.id)
        )
    )


def _registration_rows(registrations: list[Registration]) -> list[dict[str, Any]]:
    return [
        _row(
            registration_id=r.id,
            workshop=r.workshop.title,
            workshop_slug=r.workshop.slug,
            status=r.status,
            created_at=r.created_at,
            confirmed_at=r.confirmed_at,
            cancelled_at=r.cancelled_at,
            waitlisted_at=r.waitlisted_at,
            decision_reason=r.decision_reason,
        )
        for r in registrations
    ]


def _attempts(ids: list[int]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    attempts = db.session.scalars(
        sa.select(Attempt).where(Attempt.registration_id.in_(ids)).order_by(Attempt.id)
    ).all()
    attempt_rows, answer_rows = [], []
    for attempt in attempts:
        attempt_rows.append(
            _row(
                attempt_id=attempt.id,
                registration_id=attempt.registration_id,
                workshop=attempt.registration.workshop.title,
                quiz=attempt.quiz.kind,
                started_at=attempt.started_at,
                submitted_at=attempt.submitted_at,
                score=attempt.score,
            )
        )
        answer_rows.extend(_answers(attempt))
    return attempt_rows, answer_rows


def _answers(attempt: Attempt) -> list[dict[str, Any]]:
    rows = db.session.execute(
        sa.select(Answer, Question.text)
        .join(Question, Question.id == Answer.question_id)
        .where(Answer.attempt_id == attempt.id)
        .order_by(Answer.id)
    )
    return [
        _row(
            attempt_id=attempt.id,
            question=text,
            selected=",".join(answer.selected_keys or []),
            is_correct=answer.is_correct,
            saved_at=answer.saved_at,
        )
        for answer, text in rows
    ]


def _check_ins(ids: list[int]) -> list[dict[str, Any]]:
    rows = db.session.execute(
        sa.select(CheckIn, WorkshopSession.title)
        .join(WorkshopSession, WorkshopSession.id == CheckIn.session_id)
        .where(CheckIn.registration_id.in_(ids))
        .order_by(CheckIn.checked_in_at, CheckIn.id)
    )
    return [
        _row(
            registration_id=check_in.registration_id,
            session=title,
            method=check_in.method,
            checked_in_at=check_in.checked_in_at,
        )
        for check_in, title in rows
    ]


def _certificates(ids: list[int]) -> list[dict[str, Any]]:
    certificates = db.session.scalars(
        sa.select(Certificate).where(Certificate.registration_id.in_(ids)).order_by(Certificate.id)
    )
    return [
        _row(
            registration_id=c.registration_id,
            number=c.number,
            code=c.code,
            name_on_certificate=c.name_on_certificate,
            language=c.language,
            issued_at=c.issued_at,
            revoked_at=c.revoked_at,
            revoke_reason=c.revoke_reason,
        )
        for c in certificates
    ]


def _audit(user: User, registration_ids: list[int]) -> list[dict[str, Any]]:
    about_user = sa.and_(AuditEvent.object_type == "User", AuditEvent.object_id == str(user.id))
    about_registrations = sa.and_(
        AuditEvent.object_type == "Registration",
        AuditEvent.object_id.in_([str(i) for i in registration_ids]),
    )
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(sa.or_(AuditEvent.actor_id == user.id, about_user, about_registrations))
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    rows = []
    for event in events:
        by_self = event.actor_id == user.id
        rows.append(
            _row(
                at=event.at,
                action=event.action,
                by_self=by_self,
                object_type=event.object_type,
                object_id=event.object_id,
                # Another person's IP address is their personal data, not this user's.
                ip=event.ip if by_self else None,
                details=json.dumps(event.details, ensure_ascii=False) if event.details else None,
            )
        )
    return rows


def collect_personal_data(user: User) -> dict[str, Any]:
    """Everything about `user`, as plain JSON-ready values, one list per kind of record."""
    registrations = _registrations(user)
    ids = [r.id for r in registrations]
    attempts, answers = _attempts(ids)
    return {
        "exported_at": _value(utcnow()),
        "profile": _profile(user),
        "consents": _consents(user),
        "registrations": _registration_rows(registrations),
        "quiz_attempts": attempts,
        "quiz_answers": answers,
        "check_ins": _check_ins(ids),
        "certificates": _certificates(ids),
        "audit_events": _audit(user, ids),
    }


def _csv(rows: list[dict[str, Any]]) -> bytes:
    """UTF-8 with a byte-order mark, text cells guarded against formulas; empty when no rows."""
    header = list(rows[0]) if rows else []
    table = [[row.get(key) for key in header] for row in rows]
    return spreadsheets.csv_bytes([header, *table] if rows else [])


def build_export_zip(data: dict[str, Any]) -> bytes:
    """A ZIP with data.json and one CSV per kind of record (UTF-8 with BOM, for spreadsheets)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        archive.writestr("profile.csv", _csv([data["profile"]]))
        for name, rows in data.items():
            if isinstance(rows, list):
                archive.writestr(f"{name}.csv", _csv(rows))
    return buffer.getvalue()


def export_personal_data(user: User, *, ip: str | None = None) -> bytes:
    """The ZIP of the user's data; the export itself is recorded in the audit log."""
    archive = build_export_zip(collect_personal_data(user))
    record_event("personal_data_exported", actor=user, target=user, ip=ip)
    db.session.flush()
    return archive
