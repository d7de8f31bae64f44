"""The demo's accounts (one per role, all with the published demo password) and the names the other
demo modules share: the showcase workshop's slug and the latest consent version."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from ..auth.passwords import DEMO_PASSWORD
from ..extensions import db
from ..models import (
    ConsentPurpose,
    ConsentRecord,
    ConsentVersion,
    Gender,
    InstitutionType,
    Profile,
    Role,
    User,
    utcnow,
)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: Role
    profile: dict


DEMO_ACCOUNTS = (
    DemoAccount(
        "admin@demo.lokalatih.example.org",
        Role.ADMIN,
        {"full_name": "Admin Lokalatih", "institution_type": InstitutionType.KOMNAS_HAM},
    ),
    DemoAccount(
        "penyelenggara@demo.lokalatih.example.org",
        Role.ORGANIZER,
        {
            "full_name": "Rina Wulandari",
            "gender": Gender.FEMALE,
            "institution_type": InstitutionType.MINISTRY,
            "institution_name": "Kantor Wilayah Kementerian Hukum dan HAM DKI Jakarta",
            "position": "Penyuluh Hukum",
            "phone": "+6281311112222",
            "province_code": "31",
            "regency_code": "31.71",
        },
    ),
    DemoAccount(
        "peninjau@demo.lokalatih.example.org",
        Role.REVIEWER,
        {"full_name": "Bagus Santoso", "institution_type": InstitutionType.KOMNAS_HAM},
    ),
    DemoAccount(
        "peserta@demo.lokalatih.example.org",
        Role.PARTICIPANT,
        {
            "full_name": "Siti Rahmawati, S.H.",
            "gender": Gender.FEMALE,
            "institution_type": InstitutionType.LOCAL_GOVERNMENT,
            "institution_name": "Bagian Hukum Sekretariat Daerah Kabupaten Sleman",
            "position": "Analis Hukum",
            "phone": "+6281234567890",
            "province_code": "34",
            "regency_code": "34.04",
        },
    ),
)


def new_demo_user(
    email: str, role: Role, profile: dict, *, consent: ConsentVersion | None = None
) -> User:
    """A verified demo account with the demo password and a profile; with `consent`, every
    purpose of that consent version given."""
    user = User(
        email=email,
        password_hash=generate_password_hash(DEMO_PASSWORD),
        role=role,
        email_verified_at=utcnow(),
    )
    user.profile = Profile(**profile)
    db.session.add(user)
    db.session.flush()
    if consent is not None:
        for purpose in ConsentPurpose:
            db.session.add(ConsentRecord(user_id=user.id, version=consent, purpose=purpose))
    return user


def latest_consent() -> ConsentVersion | None:
    return db.session.scalar(sa.select(ConsentVersion).order_by(ConsentVersion.version.desc()))


def load_demo_accounts() -> list[DemoAccount]:
    """Create the demo accounts that do not exist yet; returns the ones created."""
    created = []
    consent = latest_consent()
    for account in DEMO_ACCOUNTS:
        if db.session.scalar(sa.select(User.id).where(User.email == account.email)):
            continue
        new_demo_user(account.email, account.role, account.profile, consent=consent)
        created.append(account)
    db.session.flush()
    return created


DEMO_WORKSHOP_SLUG = "loka-latih-kabupaten-kota-ham-human-rights-cities"
