"""The retention job erases exactly the participants whose workshops and activity are older than
RETENTION_MONTHS, never staff, and a second run does nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from lokalatih import scheduler
from lokalatih.models import (
    AuditEvent,
    Registration,
    RegistrationStatus,
    Role,
    User,
    WorkshopStatus,
)
from lokalatih.privacy.tasks import anonymize_expired_participants, months_before

from .erasure_world import add_profile, make_workshop

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)
LONG_AGO = NOW - timedelta(days=3 * 365)  # older than 24 months
RECENTLY = NOW - timedelta(days=30)


def _person(db, make_user, name, number, *, role=Role.PARTICIPANT, created=LONG_AGO, login=None):
    user = make_user(f"{name.lower()}@retensi.contoh.id", role=role)
    user.created_at, user.last_login_at = created, login
    add_profile(db, user, f"{name} Saputra", f"+628130000{number:04d}", number)
    db.session.flush()
    user.profile.updated_at = created
    return user


def _register(db, workshop, user, *, at=LONG_AGO, status=RegistrationStatus.CONFIRMED):
    db.session.add(
        Registration(workshop=workshop, user=user, status=status, created_at=at, updated_at=at)
    )


def _people(db, make_user):
    organizer = _person(db, make_user, "Penyelenggara", 1, role=Role.ORGANIZER)
    old_day, recent_day = (NOW - timedelta(days=900)).date(), (NOW - timedelta(days=60)).date()
    archived = make_workshop(db, "lama", old_day, organizer, status=WorkshopStatus.ARCHIVED)
    completed = make_workshop(db, "lama-selesai", old_day, organizer,
                              status=WorkshopStatus.COMPLETED)  # fmt: skip
    recent = make_workshop(db, "baru", recent_day, organizer, status=WorkshopStatus.ARCHIVED)
    stuck = make_workshop(db, "belum-ditutup", old_day, organizer, status=WorkshopStatus.RUNNING)
    people = {
        # erased: every workshop finished long ago, no activity since
        "old_archived": _person(db, make_user, "Ani", 2, login=LONG_AGO),
        "old_completed": _person(db, make_user, "Bayu", 3),
        "never_registered": _person(db, make_user, "Cici", 4),
        # kept
        "logged_in_recently": _person(db, make_user, "Dodi", 5, login=RECENTLY),
        "recent_workshop_too": _person(db, make_user, "Euis", 6),
        "workshop_not_closed": _person(db, make_user, "Feri", 7),
        "signed_up_recently": _person(db, make_user, "Gita", 8, created=RECENTLY),
        "registered_recently": _person(db, make_user, "Hadi", 9),
        "organizer": organizer,
        "reviewer": _person(db, make_user, "Indah", 10, role=Role.REVIEWER),
        "admin": _person(db, make_user, "Joko", 11, role=Role.ADMIN),
    }
    _register(db, archived, people["old_archived"])
    _register(db, completed, people["old_completed"], status=RegistrationStatus.REJECTED)
    _register(db, archived, people["logged_in_recently"])
    _register(db, archived, people["recent_workshop_too"])
    _register(db, recent, people["recent_workshop_too"], at=RECENTLY)
    _register(db, stuck, people["workshop_not_closed"])
    _register(db, archived, people["registered_recently"], at=RECENTLY)
    for staff in ("organizer", "reviewer", "admin"):
        _register(db, archived, people[staff])
    db.session.commit()
    return people


ERASED = {"old_archived", "old_completed", "never_registered"}


def test_retention_erases_exactly_the_expired_participants_once(app, db, make_user):
    people = _people(db, make_user)
    app.config["RETENTION_MONTHS"] = 24

    assert anonymize_expired_participants(now=NOW) == len(ERASED)
    assert anonymize_expired_participants(now=NOW) == 0  # idempotent

    db.session.expire_all()
    erased = {key for key, user in people.items() if user.erased_at is not None}
    assert erased == ERASED
    for key in ERASED:
        assert people[key].email.endswith("@invalid.lokalatih")
        assert people[key].profile.full_name is None
    events = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "account_erased")
    ).all()
    assert len(events) == len(ERASED)
    assert all(e.actor_id is None and e.details["erasure_reason"] == "retention" for e in events)


def test_a_longer_retention_period_erases_nobody_yet(app, db, make_user):
    _people(db, make_user)
    app.config["RETENTION_MONTHS"] = 60

    assert anonymize_expired_participants(now=NOW) == 0


def test_months_before_counts_calendar_months():
    assert months_before(datetime(2026, 3, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 24) == datetime(2024, 1, 15, tzinfo=UTC)


def test_the_job_runs_daily_from_the_scheduler():
    [job] = [job for job in scheduler.JOBS if job.id == "retention"]

    assert job.resolve() is anonymize_expired_participants
    assert job.seconds == 24 * 3600


def test_cli_erases_a_participant_and_refuses_staff(app, db, make_user):
    participant = make_user("permintaan.tertulis@contoh.id")
    organizer = make_user("staf@contoh.id", role=Role.ORGANIZER)
    runner = app.test_cli_runner()

    done = runner.invoke(args=["users", "erase", "--yes", participant.email])
    refused = runner.invoke(args=["users", "erase", "--yes", organizer.email])

    assert done.exit_code == 0, done.output
    assert refused.exit_code != 0 and "peran" in refused.output
    db.session.expire_all()
    assert db.session.get(User, participant.id).erased_at is not None
    assert db.session.get(User, organizer.id).erased_at is None
    assert "permintaan.tertulis" not in done.output  # no email in the command's output
