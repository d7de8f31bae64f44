"""`flask demo load`: demo accounts (and, as features arrive, demo workshops) for trying lokalatih."""

from __future__ import annotations

from dataclasses import dataclass

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup
from werkzeug.security import generate_password_hash

from .extensions import db
from .models import (
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

demo_cli = AppGroup("demo", help="Demo data for trying lokalatih locally.")

DEMO_PASSWORD = "Latih-HAM-2026"  # noqa: S105 (a published demo password, refused in production)


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


def load_demo_accounts() -> list[DemoAccount]:
    """Create the demo accounts that do not exist yet; returns the ones created."""
    created = []
    consent = db.session.scalar(sa.select(ConsentVersion).order_by(ConsentVersion.version.desc()))
    for account in DEMO_ACCOUNTS:
        if db.session.scalar(sa.select(User.id).where(User.email == account.email)):
            continue
        user = User(
            email=account.email,
            password_hash=generate_password_hash(DEMO_PASSWORD),
            role=account.role,
            email_verified_at=utcnow(),
        )
        db.session.add(user)
        db.session.add(Profile(user=user, **account.profile))
        db.session.flush()
        if consent is not None:
            for purpose in ConsentPurpose:
                db.session.add(ConsentRecord(user_id=user.id, version=consent, purpose=purpose))
        created.append(account)
    db.session.flush()
    return created


@demo_cli.command("load")
@click.option("--force", is_flag=True, help="Allow loading into a production configuration.")
def load_command(force: bool) -> None:
    """Load demo accounts (idempotent) and print the logins."""
    if current_app.config.get("SESSION_COOKIE_SECURE") and not force:
        raise click.ClickException("Refusing to load demo accounts in production (use --force).")
    created = load_demo_accounts()
    db.session.commit()
    click.echo(f"Demo data ready ({len(created)} new accounts).")
    click.echo("Demo logins (password for all: " + DEMO_PASSWORD + "):")
    for account in DEMO_ACCOUNTS:
        click.echo(f"  {account.role.value:<12} {account.email}")
