"""`flask demo load`: demo accounts and a demo workshop for trying lokalatih."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from ..auth.passwords import DEMO_PASSWORD
from ..extensions import db
from ..models import (
    Gender,
    InstitutionType,
    Question,
    Registration,
    RegistrationStatus,
    Role,
    User,
    Workshop,
    WorkshopMode,
    WorkshopSession,
    WorkshopStatus,
    WorkshopTimezone,
    WorkshopTopic,
    utcnow,
)
from ..quizzes.bank_io import load_starter_bank
from .accounts import (
    DEMO_ACCOUNTS,
    DEMO_WORKSHOP_SLUG,
    load_demo_accounts,
    new_demo_user,
)

demo_cli = AppGroup("demo", help="Demo data for trying lokalatih locally.")


# Participants from several provinces:
# (name, gender, institution type, institution, province, regency).
DEMO_PARTICIPANTS = (
    (
        "Ahmad Fauzi",
        Gender.MALE,
        InstitutionType.LOCAL_GOVERNMENT,
        "Bappeda Kota Banda Aceh",
        "11",
        "11.71",
    ),
    (
        "Maria Goreti Lobo",
        Gender.FEMALE,
        InstitutionType.CIVIL_SOCIETY,
        "Perkumpulan Warga Peduli HAM Kupang",
        "53",
        "53.71",
    ),
    ("I Made Suarjana", Gender.MALE, InstitutionType.DPRD, "DPRD Kabupaten Gianyar", "51", "51.04"),
    (
        "Nur Aisyah Rahman",
        Gender.FEMALE,
        InstitutionType.LOCAL_GOVERNMENT,
        "Dinas Sosial Kota Makassar",
        "73",
        "73.71",
    ),
    (
        "Yohanes Wenda",
        Gender.MALE,
        InstitutionType.CIVIL_SOCIETY,
        "Lembaga Bantuan Hukum Papua",
        "91",
        "91.71",
    ),
    (
        "Dewi Lestari",
        Gender.FEMALE,
        InstitutionType.ACADEMIA,
        "Universitas Gadjah Mada",
        "34",
        "34.71",
    ),
    (
        "Rizky Pratama",
        Gender.MALE,
        InstitutionType.MINISTRY,
        "Kanwil Kementerian Hukum Jawa Timur",
        "35",
        "35.78",
    ),
    (
        "Fransiska Siahaan",
        Gender.FEMALE,
        InstitutionType.LOCAL_GOVERNMENT,
        "Bagian Hukum Setda Kabupaten Wonosobo",
        "33",
        "33.07",
    ),
)

DEMO_DESCRIPTION = """Loka latih daring tentang **Kabupaten/Kota Peduli HAM** dan gerakan
*Human Rights Cities* bagi aparatur pemerintah daerah, anggota DPRD, dan aktivis masyarakat sipil.

Materi:
- Dasar-dasar HAM: DUHAM (10 Desember 1948) dan Pasal 28A–28J UUD 1945
- Kewajiban negara: menghormati, melindungi, dan memenuhi HAM
- Pemerintah daerah dan HAM: Gwangju Guiding Principles (2014) dan SDG 11
- Menyusun rencana aksi kota/kabupaten ramah HAM

Peserta mengikuti pre-test, seluruh sesi, dan post-test untuk memperoleh sertifikat."""


def load_demo_workshop(organizer: User) -> Workshop | None:
    """The published online workshop modelled on the seed event, with registrants; idempotent."""
    if db.session.scalar(sa.select(Workshop.id).where(Workshop.slug == DEMO_WORKSHOP_SLUG)):
        return None
    zone = WorkshopTimezone.WIB.zone
    first_day = date.today() + timedelta(days=14)
    workshop = Workshop(
        slug=DEMO_WORKSHOP_SLUG,
        title=(
            "Loka Latih Kabupaten/Kota HAM (Human Rights Cities) bagi Pemerintah Daerah "
            "dan Aktivis Masyarakat Sipil"
        ),
        summary="Tiga sesi daring tentang Kabupaten/Kota Peduli HAM dan Human Rights Cities.",
        description=DEMO_DESCRIPTION,
        partners="INFID, Komnas HAM",
        target_audience=(
            "Aparatur pemerintah daerah (OPD), anggota DPRD, dan aktivis masyarakat sipil."
        ),
        mode=WorkshopMode.ONLINE,
        meeting_url="https://meet.example.org/loka-latih-ham",
        timezone=WorkshopTimezone.WIB,
        start_date=first_day,
        end_date=first_day + timedelta(days=2),
        capacity=60,
        status=WorkshopStatus.PUBLISHED,
        created_by_id=organizer.id,
    )
    workshop.organizers.append(organizer)
    workshop.topics = [WorkshopTopic(tag=tag) for tag in ("human rights cities", "kkpham", "duham")]
    agenda = (
        ("Dasar-dasar HAM dan kewajiban negara", "Komnas HAM"),
        ("Human Rights Cities dan Kabupaten/Kota Peduli HAM", "INFID"),
        ("Menyusun rencana aksi daerah ramah HAM", "INFID dan Komnas HAM"),
    )
    for position, (title, speakers) in enumerate(agenda):
        day = first_day + timedelta(days=position)
        starts = datetime.combine(day, time(9, 0), tzinfo=zone)
        workshop.sessions.append(
            WorkshopSession(
                position=position,
                title=title,
                speakers=speakers,
                starts_at=starts,
                ends_at=starts + timedelta(hours=3),
                place="Zoom",
            )
        )
    db.session.add(workshop)
    for index, (name, gender, kind, institution, province, regency) in enumerate(DEMO_PARTICIPANTS):
        email = f"peserta{index + 1}@demo.lokalatih.example.org"
        if db.session.scalar(sa.select(User.id).where(User.email == email)):
            continue
        user = new_demo_user(
            email,
            Role.PARTICIPANT,
            {
                "full_name": name,
                "gender": gender,
                "institution_type": kind,
                "institution_name": institution,
                "position": "Staf",
                "phone": f"+62812000000{index:02d}",
                "province_code": province,
                "regency_code": regency,
            },
        )
        db.session.add(
            Registration(
                workshop=workshop,
                user=user,
                status=RegistrationStatus.CONFIRMED,
                confirmed_at=utcnow(),
            )
        )
    db.session.flush()
    return workshop


HISTORY_WORKSHOPS = 12
HISTORY_PARTICIPANTS = 1_500


def load_demo_history() -> bool:
    """Once: past workshops with attendance, pre- and post-tests and certificates, so that the
    review dashboard has something to show (the large demo's generator at a small size)."""
    from .large import load_large_demo
    from .large_quizzes import DEMO_SOURCE

    loaded = sa.select(Workshop.id).where(Workshop.slug.like("demo-besar-%")).limit(1)
    if db.session.scalar(loaded) is not None:
        return False
    load_large_demo(HISTORY_WORKSHOPS, HISTORY_PARTICIPANTS)
    # Its generated statements stay in those workshops' tests but out of the bank's list.
    db.session.execute(
        sa.update(Question)
        .where(Question.source == DEMO_SOURCE, Question.retired_at.is_(None))
        .values(retired_at=utcnow())
    )
    db.session.commit()
    return True


# --- reaction survey answers on the past workshops (issue 17 §1) -------------------------------

DEMO_TEXTS = {
    "most_useful": (
        "Contoh penerapan KKPHAM di kabupaten lain.",
        "Diskusi kasus pelayanan publik yang ramah HAM.",
        "Penjelasan kewajiban negara: menghormati, melindungi, memenuhi.",
    ),
    "improve": (
        "Waktu diskusi kelompok lebih panjang.",
        "Bahan dibagikan sebelum sesi dimulai.",
        "Koneksi daring untuk peserta dari daerah.",
    ),
}


def load_demo_evaluations(share: float = 0.6) -> int:
    """Survey answers from about `share` of the confirmed participants of each past workshop
    whose survey has closed and has none yet (idempotent). Rows as the service writes them: a
    submission per participant, a response with a random id and no person."""
    import random

    from ..evaluations.items import OPEN_QUESTIONS, STANDARD_LIKERT_KEYS
    from ..evaluations.services import state
    from ..models import EvaluationResponse, EvaluationSubmission, Registration, RegistrationStatus

    rng = random.Random(17)
    answered = sa.select(EvaluationResponse.workshop_id)
    past = db.session.scalars(
        sa.select(Workshop)
        .where(Workshop.slug.like("demo-besar-%"), Workshop.id.not_in(answered))
        .order_by(Workshop.id)
    ).all()
    added = 0
    for workshop in past:
        if state(workshop) != "closed":
            continue
        confirmed = db.session.scalars(
            sa.select(Registration.id).where(
                Registration.workshop_id == workshop.id,
                Registration.status == RegistrationStatus.CONFIRMED,
            )
        ).all()
        chosen = [registration_id for registration_id in confirmed if rng.random() < share]
        tone = rng.choice((3, 4, 4, 5))  # some workshops go better than others
        for registration_id in chosen:
            answers: dict = {
                key: max(1, min(5, tone + rng.choice((-2, -1, 0, 0, 0, 1))))
                for key in STANDARD_LIKERT_KEYS
            }
            for key, _text in OPEN_QUESTIONS:
                if rng.random() < 0.4:
                    answers[key] = rng.choice(DEMO_TEXTS[key])
            db.session.add(
                EvaluationSubmission(registration_id=registration_id, workshop_id=workshop.id)
            )
            db.session.add(EvaluationResponse(workshop_id=workshop.id, answers=answers))
        added += len(chosen)
    db.session.commit()
    return added


@demo_cli.command("load")
@click.option("--force", is_flag=True, help="Allow loading into a production configuration.")
@click.option(
    "--size",
    type=click.Choice(["small", "large"]),
    default="small",
    help="large: 200 more workshops and 100,000 participants, for the dashboard benchmark.",
)
def load_command(force: bool, size: str) -> None:
    """Load demo accounts, a workshop and past workshops (idempotent) and print the logins."""
    if current_app.config.get("SESSION_COOKIE_SECURE") and not force:
        raise click.ClickException("Refusing to load demo accounts in production (use --force).")
    created = load_demo_accounts()
    organizer = db.session.scalar(sa.select(User).where(User.role == Role.ORGANIZER).limit(1))
    load_demo_workshop(organizer)
    added_questions = load_starter_bank()
    db.session.commit()
    click.echo(f"Starter question bank: {added_questions} new questions.")
    if load_demo_history():
        click.echo(
            f"Past workshops: {HISTORY_WORKSHOPS} workshops, {HISTORY_PARTICIPANTS} participants "
            "(reviewer dashboard: /laporan)."
        )
    evaluations = load_demo_evaluations()
    if evaluations:
        click.echo(f"Survey answers on past workshops: {evaluations}.")
    from ..action_plans.demodata import load_demo_plans

    if actions := load_demo_plans():
        click.echo(f"Action plans on past workshops: {actions} actions.")
    from .journeys import load_demo_journeys, tour

    load_demo_journeys()
    db.session.commit()
    if size == "large":
        from .large import load_large_demo

        load_large_demo(progress=click.echo)
    from .themes import load_demo_themes

    if tagged := load_demo_themes(showcase_slug=DEMO_WORKSHOP_SLUG):
        click.echo(f"KKPHAM themes on {tagged} past workshops (dashboard: /laporan#tema-kkpham).")
    click.echo(f"Demo data ready ({len(created)} new accounts).")
    click.echo("Demo logins (password for all: " + DEMO_PASSWORD + "):")
    for account in DEMO_ACCOUNTS:
        click.echo(f"  {account.role.value:<12} {account.email}")
    click.echo(tour())
