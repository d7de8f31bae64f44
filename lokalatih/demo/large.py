"""`flask demo load --size large`: a realistic data set to try the dashboard and to benchmark it.

Participants are spread over every province and many kabupaten/kota; each registers for one
workshop; held workshops have sessions, check-ins, a pre-test and a post-test (14 questions each)
whose scores depend on the participant's institution type (`largedemo_quizzes`), and certificates
for those who met the rule. Rows go in with bulk INSERTs (`bulk`); each stage is committed and
reported to `progress`.

Certificates are what real ones are, bar the audit entry and the email: the holder's name, a
number and a verification code made by the certificate service's own functions, issued on the
evening of the workshop's last session; the workshops have organizers with an institution and
signatories, so the PDF reads like a real one.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from ..certificates.services import (
    certificate_language,
    certificate_number,
    new_code,
    number_year,
    printed_name,
)
from ..extensions import db
from ..models import (
    Certificate,
    CheckIn,
    CheckInMethod,
    Gender,
    InstitutionType,
    Profile,
    Region,
    RegionLevel,
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
    workshop_organizers,
)
from .bulk import Ids, PlannedWorkshop, insert
from .large_quizzes import write_questions, write_tests

EMAIL_DOMAIN = "besar.demo.lokalatih.example.org"
TAGS = ("ham-dasar", "disabilitas", "anak", "gender", "kebebasan-beragama", "kesehatan", "bisnis")
# Institution type: (share of participants, pre-test ability 0..1, normalized gain of the training)
PROFILES = {
    InstitutionType.LOCAL_GOVERNMENT: (0.34, 0.42, 0.45),
    InstitutionType.DPRD: (0.08, 0.38, 0.30),
    InstitutionType.MINISTRY: (0.14, 0.48, 0.40),
    InstitutionType.KOMNAS_HAM: (0.04, 0.68, 0.25),
    InstitutionType.CIVIL_SOCIETY: (0.24, 0.55, 0.50),
    InstitutionType.ACADEMIA: (0.10, 0.60, 0.35),
    InstitutionType.OTHER: (0.06, 0.40, 0.38),
}
STATUSES = (
    (RegistrationStatus.CONFIRMED, 0.86),
    (RegistrationStatus.WAITLISTED, 0.04),
    (RegistrationStatus.PENDING, 0.03),
    (RegistrationStatus.REJECTED, 0.02),
    (RegistrationStatus.CANCELLED, 0.05),
)
HELD = (WorkshopStatus.RUNNING, WorkshopStatus.COMPLETED, WorkshopStatus.ARCHIVED)
FIRST_NAMES = (
    "Siti",
    "Agus",
    "Dewi",
    "Made",
    "Yohana",
    "Andi",
    "Rina",
    "Budi",
    "Nur",
    "Fransiskus",
)
LAST_NAMES = ("Rahmawati", "Santoso", "Lestari", "Suarjana", "Wenda", "Pratama", "Hasibuan", "Sari")
TIMEZONE = WorkshopTimezone.WIB  # every generated workshop's
LOCALE = "id"  # every generated account's language, so every certificate's
ORGANIZERS = (
    ("Larasati Widjaja", "Kantor Wilayah Kementerian Hukum dan HAM"),
    ("Hendra Simanjuntak", "Komnas HAM"),
    ("Theresia Ndun", "Biro Hukum Sekretariat Daerah Provinsi"),
    ("Muhammad Iqbal Lubis", "Bagian Hukum Sekretariat Daerah Kabupaten/Kota"),
)
SIGNATORIES = (
    {"name": "Dr. Hana Pratiwi, S.H., M.H.", "position": "Kepala Kantor Wilayah"},
    {"name": "Ahmad Taufan Damanik", "position": "Ketua Komnas HAM"},
)
# Real certificates are issued by the scheduler once the organizer marks the workshop completed:
# in the demo, the evening of the last session (in the workshop's zone).
ISSUED_AFTER_LAST_SESSION = timedelta(hours=3)


def load_large_demo(
    workshops: int = 200,
    participants: int = 100_000,
    progress: Callable[[str], None] = lambda message: None,
    seed: int = 2026,
) -> dict[str, int]:
    """Generate the data set; returns the number of rows written per table."""
    rng = random.Random(seed)
    ids = Ids()
    counts: dict[str, int] = {}
    password_hash = generate_password_hash(secrets.token_urlsafe(24))  # nobody can log in
    regencies = db.session.execute(
        sa.select(Region.code, Region.parent_code).where(Region.level != RegionLevel.PROVINCE)
    ).all()
    provinces = sorted({parent for _, parent in regencies})
    organizers = _organizers(ids, max(2, workshops // 10), password_hash, progress)
    topics = write_questions(ids, progress)
    plan = _workshops(rng, ids, workshops, provinces, organizers, progress)
    types, names = _participants(rng, ids, participants, regencies, password_hash, progress)
    counts["users"] = len(types)
    regs = _registrations(rng, ids, plan, types, progress)
    counts["registrations"] = len(regs)
    counts["checkins"], attended = _checkins(rng, plan, regs, progress)
    held = [w for w in plan if w.status in HELD]
    present = (
        (rid, workshop, *PROFILES.get(itype, PROFILES[InstitutionType.OTHER])[1:])
        for rid, _uid, workshop, itype in _present(regs)
    )
    counts["attempts"], counts["answers"], posted = write_tests(
        rng, ids, held, present, topics, progress
    )
    counts["certificates"] = _certificates(regs, names, attended, posted, progress)
    ids.fix_sequences()
    progress("Selesai.")
    return counts


def _organizers(ids: Ids, count: int, password_hash: str, progress) -> list[int]:
    user_ids = list(ids.take(User, count))
    rows = [
        {
            "id": i,
            "email": f"penyelenggara{i}@{EMAIL_DOMAIN}",
            "password_hash": password_hash,
            "role": Role.ORGANIZER,
            "locale": LOCALE,
            "email_verified_at": datetime.now(UTC),
        }
        for i in user_ids
    ]
    insert(User, rows, "penyelenggara", progress)
    # The certificate names the organizers' institutions.
    profiles = [
        {
            "user_id": i,
            "full_name": ORGANIZERS[n % len(ORGANIZERS)][0],
            "institution_type": InstitutionType.MINISTRY,
            "institution_name": ORGANIZERS[n % len(ORGANIZERS)][1],
            "position": "Penyuluh Hukum",
        }
        for n, i in enumerate(user_ids)
    ]
    insert(Profile, profiles, "profil penyelenggara", progress)
    return user_ids


def _workshops(rng, ids: Ids, count, provinces, organizers, progress) -> list[PlannedWorkshop]:
    plan, rows, sessions, topics, links = [], [], [], [], []
    first = date(2025, 1, 13)
    today = utcnow().date()
    for n, wid in enumerate(ids.take(Workshop, count)):
        start = first + timedelta(days=int(n * 640 / max(count, 1)))
        status = rng.choices(
            [
                WorkshopStatus.COMPLETED,
                WorkshopStatus.ARCHIVED,
                WorkshopStatus.RUNNING,
                WorkshopStatus.PUBLISHED,
                WorkshopStatus.CANCELLED,
            ],
            weights=[70, 12, 6, 10, 2],
        )[0]
        days = rng.choice((1, 2, 3))
        # A status that fits the dates as of today: registration is open only for a workshop
        # still ahead, and one whose last day has passed is no longer running.
        if status == WorkshopStatus.PUBLISHED and start <= today:
            start = today + timedelta(days=14 + 7 * (n % 6))
        elif status == WorkshopStatus.RUNNING and start + timedelta(days=days - 1) < today:
            status = WorkshopStatus.COMPLETED
        rows.append(
            {
                "id": wid,
                "slug": f"demo-besar-{wid}",
                "title": f"Loka Latih HAM Daerah {n + 1}",
                "summary": "Loka latih demo.",
                "mode": WorkshopMode.OFFLINE,
                "venue": "Aula",
                "province_code": rng.choice(provinces),
                "timezone": TIMEZONE,
                "start_date": start,
                "end_date": start + timedelta(days=days - 1),
                "capacity": 2000,
                "status": status,
                "training_hours": 8 * days,
                "signatories": list(SIGNATORIES),
            }
        )
        session_ids = list(ids.take(WorkshopSession, days * 2))
        last_end = None
        for position, sid in enumerate(session_ids):
            begins = datetime(start.year, start.month, start.day, 1, tzinfo=UTC) + timedelta(
                days=position // 2, hours=4 * (position % 2)
            )
            sessions.append(
                {
                    "id": sid,
                    "workshop_id": wid,
                    "position": position,
                    "title": f"Sesi {position + 1}",
                    "starts_at": begins,
                    "ends_at": begins + timedelta(hours=3),
                }
            )
            last_end = begins + timedelta(hours=3)
        for tag in rng.sample(TAGS, 2):
            topics.append({"workshop_id": wid, "tag": tag})
        links.append({"workshop_id": wid, "user_id": organizers[n % len(organizers)]})
        plan.append(PlannedWorkshop(wid, status, start, session_ids, last_end))
    insert(Workshop, rows, "loka latih", progress)
    insert(WorkshopSession, sessions, "sesi", progress)
    insert(WorkshopTopic, topics, "topik", progress)
    insert(workshop_organizers, links, "penyelenggara loka latih", progress)
    return plan


def _participants(rng, ids, count, regencies, password_hash, progress) -> tuple[dict, dict]:
    """Users and their profiles; returns each new user's institution type and full name."""
    types = list(PROFILES)
    chosen: dict[int, InstitutionType] = {}
    names: dict[int, str] = {}
    weights = [PROFILES[t][0] for t in types]
    user_ids = ids.take(User, count)
    now = datetime.now(UTC)
    users = (
        {
            "id": i,
            "email": f"peserta{i}@{EMAIL_DOMAIN}",
            "password_hash": password_hash,
            "role": Role.PARTICIPANT,
            "locale": LOCALE,
            "email_verified_at": now,
        }
        for i in user_ids
    )
    insert(User, users, "peserta", progress)

    by_province: dict[str, list] = {}
    for regency in regencies:
        by_province.setdefault(regency[1], []).append(regency)
    provinces = sorted(by_province)

    def profiles():
        for n, i in enumerate(user_ids):
            # Every province in turn first, then at random: all provinces appear even when small.
            pool = by_province[provinces[n % len(provinces)]] if n < 400 else regencies
            regency, province = rng.choice(pool)
            chosen[i] = rng.choices(types, weights)[0]
            names[i] = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            yield {
                "user_id": i,
                "full_name": names[i],
                "gender": Gender.FEMALE if rng.random() < 0.47 else Gender.MALE,
                "institution_type": chosen[i],
                "institution_name": "Instansi demo",
                "position": "Staf",
                "phone": f"+62812{i:08d}"[:16],
                "province_code": province,
                "regency_code": regency,
            }

    insert(Profile, profiles(), "profil", progress)
    return chosen, names


def _registrations(rng, ids, plan, types: dict, progress) -> list[tuple]:
    """(registration id, user id, workshop plan, status, institution type) per registration."""
    open_ones = [w for w in plan if w.status != WorkshopStatus.CANCELLED] or plan
    user_ids = list(types)
    statuses = [s for s, _ in STATUSES]
    weights = [w for _, w in STATUSES]
    regs, rows = [], []
    reg_ids = ids.take(Registration, len(user_ids))
    for rid, uid in zip(reg_ids, user_ids, strict=True):
        workshop = rng.choice(open_ones)
        status = rng.choices(statuses, weights)[0]
        regs.append((rid, uid, workshop, status, types.get(uid)))
        rows.append(
            {
                "id": rid,
                "workshop_id": workshop.id,
                "user_id": uid,
                "status": status,
                "checkin_token": secrets.token_urlsafe(16),
                "confirmed_at": datetime.now(UTC)
                if status == RegistrationStatus.CONFIRMED
                else None,
            }
        )
    insert(Registration, rows, "pendaftaran", progress)
    return regs


def _present(regs):
    for rid, uid, workshop, status, itype in regs:
        if status == RegistrationStatus.CONFIRMED and workshop.status in HELD:
            yield rid, uid, workshop, itype


def _checkins(rng, plan, regs, progress) -> tuple[int, dict[int, float]]:
    attended: dict[int, float] = {}

    def rows():
        for rid, _uid, workshop, _ in _present(regs):
            diligence = rng.choice((0.55, 0.8, 0.95, 1.0, 1.0))
            here = [sid for sid in workshop.sessions if rng.random() < diligence]
            attended[rid] = len(here) / len(workshop.sessions)
            for sid in here:
                yield {"session_id": sid, "registration_id": rid, "method": CheckInMethod.QR}

    return insert(CheckIn, rows(), "check-in", progress), attended


def _certificates(regs, names: dict[int, str], attended, posted, progress) -> int:
    """One certificate per participant who met the rule (80 % attendance and the post-test, the
    workshops' default rule), numbered per workshop in registration order as the service does."""
    zone = TIMEZONE.zone
    sequences: dict[int, int] = {}

    def rows():
        for rid, uid, workshop, _ in _present(regs):
            done = workshop.status in (WorkshopStatus.COMPLETED, WorkshopStatus.ARCHIVED)
            if done and attended.get(rid, 0) >= 0.8 and rid in posted:
                issued_at = workshop.last_end + ISSUED_AFTER_LAST_SESSION
                sequences[workshop.id] = sequences.get(workshop.id, 0) + 1
                yield {
                    "registration_id": rid,
                    "number": certificate_number(
                        workshop.id, number_year(issued_at, zone), sequences[workshop.id]
                    ),
                    "code": new_code(),
                    "name_on_certificate": printed_name(names[uid]),
                    "language": certificate_language(LOCALE),
                    "issued_at": issued_at,
                }

    return insert(Certificate, rows(), "sertifikat", progress)
