"""Demo action plans and follow-ups on the demo's past workshops (`flask demo load`)."""

from __future__ import annotations

import random
from datetime import timedelta

import sqlalchemy as sa

from ..extensions import db
from ..models import (
    ActionPlanItem,
    ActionStatus,
    Registration,
    RegistrationStatus,
    Theme,
    Workshop,
    utcnow,
)
from .services import PLANNED_STATUSES, REMINDER_AFTER, follow_up_at, workshop_end

ACTIONS = [
    "Menyusun SOP layanan pengaduan HAM di OPD",
    "Sosialisasi hak atas informasi kepada PPID pembantu",
    "Mengusulkan ranperda bantuan hukum bagi warga miskin",
    "Audit aksesibilitas kantor pelayanan publik bagi penyandang disabilitas",
    "Forum konsultasi publik rencana tata ruang bersama warga",
    "Pendataan anak tanpa akta kelahiran bersama Disdukcapil",
    "Pelatihan petugas puskesmas tentang hak pasien",
    "Menyusun indikator KKPHAM untuk rencana kerja dinas",
]
PARTNERS = ["Bagian Hukum Setda", "Bappeda", "LBH setempat", "Disdukcapil", "DPRD", ""]
PLANNING_SHARE = 0.4  # of confirmed participants
REPORTING_SHARE = 0.7  # of those whose follow-up is due
STATUSES = (
    [ActionStatus.DONE] * 3
    + [ActionStatus.IN_PROGRESS] * 4
    + [
        ActionStatus.NOT_STARTED,
        ActionStatus.DROPPED,
    ]
)


def load_demo_plans(slug_pattern: str = "demo-besar-%", seed: int = 17) -> int:
    """Once: plans for some participants of the demo's past workshops, reports for most of those
    whose follow-up is due; returns how many actions were written. The demo's follow-ups and
    reminders count as already sent, so the job emails no demo address."""
    workshops = list(
        db.session.scalars(
            sa.select(Workshop)
            .where(Workshop.slug.like(slug_pattern), Workshop.status.in_(PLANNED_STATUSES))
            .order_by(Workshop.id)
        )
    )
    ids = [w.id for w in workshops]
    has_plans = (
        sa.select(ActionPlanItem.id)
        .join(Registration, ActionPlanItem.registration_id == Registration.id)
        .where(Registration.workshop_id.in_(ids))
        .limit(1)
    )
    if not workshops or db.session.scalar(has_plans) is not None:
        return 0
    rng = random.Random(seed)
    themes = list(db.session.scalars(sa.select(Theme.id).where(Theme.active.is_(True))))
    now, written = utcnow(), 0
    for workshop in workshops:
        end, asked = workshop_end(workshop), follow_up_at(workshop)
        due = now >= asked
        registrations = db.session.scalars(
            sa.select(Registration.id).where(
                Registration.workshop_id == workshop.id,
                Registration.status == RegistrationStatus.CONFIRMED,
            )
        )
        for registration_id in registrations:
            if rng.random() >= PLANNING_SHARE:
                continue
            reports = due and rng.random() < REPORTING_SHARE
            for position in range(1, rng.randint(1, 3) + 1):
                status = rng.choice(STATUSES) if reports else None
                db.session.add(
                    ActionPlanItem(
                        registration_id=registration_id,
                        position=position,
                        action=rng.choice(ACTIONS),
                        due_date=(end + timedelta(days=rng.choice([30, 60, 90, 180]))).date(),
                        theme_id=rng.choice([*themes, None]),
                        partners=rng.choice(PARTNERS),
                        created_at=end,
                        status=status,
                        note="Sudah dibahas bersama tim" if status else "",
                        reported_at=asked + timedelta(days=rng.randint(1, 20)) if status else None,
                        followed_up_at=asked if due else None,
                        reminded_at=asked + REMINDER_AFTER if due else None,
                    )
                )
                written += 1
    db.session.commit()
    return written
