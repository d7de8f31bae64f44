"""The scheduler lease: one holder at a time, renewal, takeover after expiry, release; /health."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest

from lokalatih import create_app, lease, scheduler
from lokalatih.models import SchedulerLease, utcnow
from lokalatih.outbox.services import queue_email

pytestmark = pytest.mark.real_clock

SECONDS = 30


def _row(db) -> SchedulerLease | None:
    db.session.expire_all()
    row = db.session.get(SchedulerLease, lease.SCHEDULER)
    db.session.rollback()
    return row


def test_first_holder_takes_a_free_lease(app, db):
    assert lease.try_acquire("host-a:1:aa", SECONDS)

    row = _row(db)
    assert row.holder == "host-a:1:aa"
    assert row.expires_at - row.renewed_at == timedelta(seconds=SECONDS)
    assert abs(row.renewed_at - utcnow()) < timedelta(seconds=5)


def test_the_holder_renews_and_keeps_its_acquisition_time(app, db):
    start = utcnow()
    assert lease.try_acquire("host-a:1:aa", SECONDS, now=start)

    assert lease.try_acquire("host-a:1:aa", SECONDS, now=start + timedelta(seconds=10))

    row = _row(db)
    assert row.acquired_at == start
    assert row.renewed_at == start + timedelta(seconds=10)
    assert row.expires_at == start + timedelta(seconds=10 + SECONDS)


def test_a_second_holder_is_refused_while_the_lease_is_valid(app, db):
    start = utcnow()
    assert lease.try_acquire("host-a:1:aa", SECONDS, now=start)

    refused = lease.try_acquire("host-b:2:bb", SECONDS, now=start + timedelta(seconds=SECONDS - 1))

    assert refused is False
    assert _row(db).holder == "host-a:1:aa"


def test_a_second_holder_takes_over_after_expiry_and_the_first_cannot_renew(app, db):
    start = utcnow()
    assert lease.try_acquire("host-a:1:aa", SECONDS, now=start)
    later = start + timedelta(seconds=SECONDS + 1)

    assert lease.try_acquire("host-b:2:bb", SECONDS, now=later)
    assert not lease.try_acquire("host-a:1:aa", SECONDS, now=later + timedelta(seconds=1))

    row = _row(db)
    assert (row.holder, row.acquired_at) == ("host-b:2:bb", later)


def test_release_frees_the_lease_at_once_but_only_for_its_holder(app, db):
    assert lease.try_acquire("host-a:1:aa", SECONDS)

    assert lease.release("host-b:2:bb") is False
    assert _row(db).holder == "host-a:1:aa"
    assert lease.release("host-a:1:aa") is True
    assert _row(db) is None
    assert lease.try_acquire("host-b:2:bb", SECONDS)


def test_of_many_racing_for_a_free_lease_exactly_one_wins(app, db):
    racers = 6
    start = threading.Barrier(racers)
    won: list[str] = []

    def race(number: int) -> None:
        with app.app_context():
            start.wait()
            if lease.try_acquire(f"host:{number}:x", SECONDS):
                won.append(f"host:{number}:x")

    threads = [threading.Thread(target=race, args=(n,)) for n in range(racers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(won) == 1
    assert _row(db).holder == won[0]


def test_the_keeper_trusts_the_lease_only_until_its_last_renewal_runs_out(app):
    keeper = lease.LeaseKeeper(0.3)
    assert not keeper.held()

    assert keeper.renew()
    assert keeper.held()
    time.sleep(0.4)

    assert not keeper.held()  # not renewed in time: this process must not rely on it any more


def test_a_job_does_not_run_without_the_lease(app, db, smtp_server, caplog):
    queue_email("notice", "siti@contoh.id", subject="Uji", heading="Halo", paragraphs=["Isi."])
    db.session.commit()
    [job] = [job for job in scheduler.JOBS if job.id == "outbox"]
    other, mine = lease.LeaseKeeper(SECONDS), lease.LeaseKeeper(SECONDS)
    assert other.renew()
    assert not mine.renew()

    assert scheduler.run_job(app, job, mine) is None

    assert "job outbox skipped" in caplog.text
    assert smtp_server.messages == []
    assert scheduler.run_job(app, job, other).sent == 1


@pytest.fixture
def no_jobs(monkeypatch):
    monkeypatch.setattr(scheduler, "JOBS", [scheduler.Job("probe", "time:time", seconds=3600)])


def test_a_second_scheduler_waits_and_takes_over_when_the_first_releases(app, no_jobs, caplog):
    first, second = scheduler.LeasedScheduler(app), scheduler.LeasedScheduler(app)
    first.tick()
    second.tick()

    assert first.scheduler is not None and first.scheduler.running
    assert second.scheduler is None
    assert f"waiting; the lease is held by {first.keeper.holder}" in caplog.text

    first.stop()
    second.tick()

    assert first.scheduler is None
    assert second.scheduler is not None
    second.stop()


def test_a_holder_that_finds_its_lease_taken_stops_its_jobs_and_waits(app, db, no_jobs, caplog):
    runner = scheduler.LeasedScheduler(app)
    runner.tick()
    # As if this process had been paused past the expiry and another had taken over.
    later = utcnow() + timedelta(seconds=runner.keeper.seconds + 1)
    assert lease.try_acquire("host-b:2:bb", runner.keeper.seconds, now=later)

    runner.tick()

    assert runner.scheduler is None
    assert not runner.keeper.held()
    assert "lease lost" in caplog.text
    assert "waiting; the lease is held by host-b:2:bb" in caplog.text
    runner.stop()
    assert _row(db).holder == "host-b:2:bb"  # stopping never releases someone else's lease


# --- /health ----------------------------------------------------------------------------------


def test_health_reports_the_database_and_a_missing_scheduler(client):
    response = client.get("/health")

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_json() == {
        "status": "degraded",
        "database": "ok",
        "scheduler": {"status": "absent", "last_heartbeat": None, "age_seconds": None},
        "outbox": {"waiting": 0, "oldest_due_seconds": None, "dead": 0},
    }


def test_health_reports_a_live_scheduler_without_naming_its_host(client):
    assert lease.try_acquire("host-a:4242:aa", SECONDS)

    response = client.get("/health")

    body = response.get_json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["scheduler"]["status"] == "ok"
    assert body["scheduler"]["last_heartbeat"].endswith("Z")
    assert 0 <= body["scheduler"]["age_seconds"] < 5
    assert "host-a" not in response.get_data(as_text=True)


def test_a_stale_scheduler_is_reported_but_the_app_stays_in_service(client):
    assert lease.try_acquire("host-a:1:aa", SECONDS, now=utcnow() - timedelta(minutes=5))

    response = client.get("/health")

    assert response.status_code == 200
    assert response.get_json()["status"] == "degraded"
    assert response.get_json()["scheduler"]["status"] == "stale"
    assert response.get_json()["scheduler"]["age_seconds"] >= 299


def test_health_is_503_when_the_database_does_not_answer(tmp_path):
    unreachable = f"sqlite:///{tmp_path / 'missing-dir' / 'db.sqlite'}"
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=unreachable)

    response = app.test_client().get("/health")

    assert response.status_code == 503
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_json() == {
        "status": "error",
        "database": "error",
        "scheduler": None,
        "outbox": None,
    }


def test_a_scheduler_that_stopped_renewing_is_stale_within_15_seconds(client):
    # Renewed 16 s ago: its 30 s lease still holds, but a live holder renews every 10 s.
    assert lease.try_acquire("host-a:1:aa", SECONDS, now=utcnow() - timedelta(seconds=16))

    body = client.get("/health").get_json()

    assert body["status"] == "degraded"
    assert body["scheduler"]["status"] == "stale"


def test_health_reports_the_outbox_backlog(db, client):
    for number in range(3):
        queue_email(
            "notice", f"siti{number}@contoh.id", subject="Uji", heading="Halo", paragraphs=["Isi."]
        )
    db.session.commit()

    outbox = client.get("/health").get_json()["outbox"]

    assert outbox["waiting"] == 3
    assert outbox["oldest_due_seconds"] >= 0
    assert outbox["dead"] == 0


def test_health_answers_json_even_when_something_unexpected_breaks(client, monkeypatch, caplog):
    from lokalatih.main import health as health_module

    def broken(**kwargs):
        raise RuntimeError("surprise")

    monkeypatch.setattr(health_module, "heartbeat", broken)

    response = client.get("/health")

    assert response.status_code == 500
    assert response.mimetype == "application/json"
    assert response.get_json()["status"] == "error"
    assert "RuntimeError: surprise" in caplog.text  # the traceback is in the log


def test_health_is_exempt_from_rate_limits(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_DEFAULT="2 per minute")
    client = app.test_client()

    probes = [client.get("/health").status_code for _ in range(5)]
    pages = [client.get("/").status_code for _ in range(3)]

    assert probes == [200] * 5
    assert pages[-1] == 429  # the limit is real for other pages


def _signed_in_cookie(client) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = "1"
        session["sid"] = "a-login-session-token"


def test_health_answers_json_even_for_a_signed_in_browser_when_the_database_is_down(tmp_path):
    """The user loader must not run first: it would fail and answer the HTML error page."""
    unreachable = f"sqlite:///{tmp_path / 'missing-dir' / 'db.sqlite'}"
    client = create_app("testing", SQLALCHEMY_DATABASE_URI=unreachable).test_client()
    _signed_in_cookie(client)

    response = client.get("/health")

    assert response.status_code == 503
    assert response.get_json() == {
        "status": "error",
        "database": "error",
        "scheduler": None,
        "outbox": None,
    }


def test_a_json_request_during_an_outage_gets_json_with_retry_after(tmp_path):
    unreachable = f"sqlite:///{tmp_path / 'missing-dir' / 'db.sqlite'}"
    client = create_app("testing", SQLALCHEMY_DATABASE_URI=unreachable).test_client()
    _signed_in_cookie(client)

    saved = client.post("/percobaan/1/jawaban", json={"question_id": 1, "selected": ["a"]})
    page = client.get("/workshop-saya")

    assert (saved.status_code, page.status_code) == (503, 503)
    assert "error" in saved.get_json()
    assert saved.headers["Retry-After"] == page.headers["Retry-After"] == "10"
    assert "<html" in page.get_data(as_text=True)
