"""Who has earned a certificate under the workshop's rule, and why the others have not.

A handful of queries for the whole workshop, whatever its size: the confirmed registrations, the
number of sessions, one GROUP BY over the check-ins, the post-test, and its submitted attempts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import format_decimal
from flask_babel import gettext as _

from ..extensions import db
from ..models import (
    Attempt,
    Certificate,
    EvaluationSubmission,
    Profile,
    Quiz,
    QuizKind,
    Registration,
    RegistrationStatus,
    User,
    Workshop,
)
from ..participation import attendance_shares
from ..privacy.erasure import ERASED_NAME


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reasons: list[str] = field(default_factory=list)  # why not, in the reader's language
    attended: int = 0
    total: int = 0  # sessions of the workshop
    post_score: float | None = None  # None: no submitted post-test
    post_submitted: bool = False

    @property
    def percent(self) -> int:
        """The attended share, rounded down: 79.9% shows as 79%, never as a passing 80%."""
        return self.attended * 100 // self.total if self.total else 0


def eligibility(workshop: Workshop) -> dict[int, Eligibility]:
    """{registration id: Eligibility} for every confirmed registration of `workshop`."""
    # The same counts as the attendance report and the registrant export (one function).
    shares = attendance_shares(workshop)
    if not shares:
        return {}
    post_quiz_id = _post_quiz_id(workshop)
    scores = _post_scores(post_quiz_id) if post_quiz_id is not None else {}
    evaluated = _evaluated(workshop) if workshop.cert_requires_evaluation else set()
    return {
        registration_id: _judge(
            workshop,
            attended=attended,
            total=total,
            has_post_quiz=post_quiz_id is not None,
            submitted=registration_id in scores,
            score=scores.get(registration_id),
            evaluated=registration_id in evaluated,
        )
        for registration_id, (attended, total) in shares.items()
    }


def eligibility_of(registration: Registration) -> Eligibility:
    """The verdict for one registration; not confirmed means not eligible."""
    verdict = eligibility(registration.workshop).get(registration.id)
    if verdict is None:
        return Eligibility(
            eligible=False, reasons=[_("Pendaftaran peserta ini belum terkonfirmasi.")]
        )
    return verdict


def _post_quiz_id(workshop: Workshop) -> int | None:
    return db.session.scalar(
        sa.select(Quiz.id).where(Quiz.workshop_id == workshop.id, Quiz.kind == QuizKind.POST)
    )


def _post_scores(quiz_id: int) -> dict[int, float | None]:
    rows = db.session.execute(
        sa.select(Attempt.registration_id, Attempt.score).where(
            Attempt.quiz_id == quiz_id, Attempt.submitted_at.is_not(None)
        )
    ).all()
    return dict(rows)


def _evaluated(workshop: Workshop) -> set[int]:
    """Registrations that answered the reaction survey (the submissions only: never a response)."""
    return set(
        db.session.scalars(
            sa.select(EvaluationSubmission.registration_id).where(
                EvaluationSubmission.workshop_id == workshop.id
            )
        )
    )


def _judge(
    workshop: Workshop,
    *,
    attended: int,
    total: int,
    has_post_quiz: bool,
    submitted: bool,
    score: float | None,
    evaluated: bool = False,
) -> Eligibility:
    reasons = _attendance_reasons(workshop, attended, total)
    if workshop.cert_requires_post_test:
        reasons += _post_test_reasons(workshop, has_post_quiz, submitted, score)
    if workshop.cert_requires_evaluation and not evaluated:
        reasons.append(_("Belum mengisi evaluasi loka latih"))
    return Eligibility(
        eligible=not reasons,
        reasons=reasons,
        attended=attended,
        total=total,
        post_score=score if submitted else None,
        post_submitted=submitted,
    )


def _attendance_reasons(workshop: Workshop, attended: int, total: int) -> list[str]:
    minimum = workshop.cert_min_attendance_pct
    if total == 0:
        return [_("Loka latih ini belum memiliki sesi.")] if minimum > 0 else []
    # Integers on both sides: 79.99% against 80% is decided exactly, never by float rounding.
    if attended * 100 >= minimum * total:
        return []
    return [
        _(
            "Hadir %(attended)s dari %(total)s sesi (%(percent)s%%), minimal %(minimum)s%%",
            attended=attended,
            total=total,
            percent=attended * 100 // total,
            minimum=minimum,
        )
    ]


def _post_test_reasons(
    workshop: Workshop, has_post_quiz: bool, submitted: bool, score: float | None
) -> list[str]:
    if not has_post_quiz:
        return [_("Loka latih ini belum memiliki pasca-tes")]
    if not submitted:
        return [_("Belum mengirim pasca-tes")]
    minimum = workshop.cert_min_post_score
    if minimum is not None and (score or 0) < minimum:
        return [
            _(
                "Nilai pasca-tes %(score)s, minimal %(minimum)s",
                score=format_score(score),
                minimum=minimum,
            )
        ]
    return []


def format_score(score: float | None) -> str:
    """55.0 -> '55', 66.666 -> '66,7' (Indonesian); None -> '–'."""
    if score is None:
        return "–"
    return format_decimal(round(score, 1), format="#,##0.#")


@dataclass(frozen=True)
class CertificateRow:
    """One line of the organizer's certificate page."""

    registration: Registration
    name: str
    verdict: Eligibility
    certificate: Certificate | None  # the valid one, else the latest revoked, else None

    @property
    def has_valid(self) -> bool:
        return self.certificate is not None and self.certificate.is_valid


def certificate_rows(workshop: Workshop) -> list[CertificateRow]:
    """Confirmed registrants by name, with their verdict and certificate (a few queries)."""
    registrants = db.session.execute(
        sa.select(Registration, User.email, Profile.full_name, User.erased_at)
        .join(User, User.id == Registration.user_id)
        .outerjoin(Profile, Profile.user_id == User.id)
        .where(
            Registration.workshop_id == workshop.id,
            Registration.status == RegistrationStatus.CONFIRMED,
        )
        .order_by(sa.func.lower(sa.func.coalesce(Profile.full_name, User.email)), Registration.id)
    ).all()
    verdicts = eligibility(workshop)
    certificates = latest_certificates(workshop)
    return [
        CertificateRow(
            registration=registration,
            name=str(ERASED_NAME) if erased_at else full_name or email,
            verdict=verdicts[registration.id],
            certificate=certificates.get(registration.id),
        )
        for registration, email, full_name, erased_at in registrants
    ]


def latest_certificates(workshop: Workshop) -> dict[int, Certificate]:
    """Registration id → its valid certificate, else its latest revoked one (one query)."""
    certificates = db.session.scalars(
        sa.select(Certificate)
        .join(Registration, Registration.id == Certificate.registration_id)
        .where(Registration.workshop_id == workshop.id)
        .order_by(Certificate.id)
    )
    latest: dict[int, Certificate] = {}
    for certificate in certificates:
        current = latest.get(certificate.registration_id)
        if current is None or not current.is_valid:
            latest[certificate.registration_id] = certificate  # later ones win, valid stays
    return latest
