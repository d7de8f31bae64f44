"""The scheduler: which jobs it runs, how, and that only its own process ever starts it."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from lokalatih import create_app, scheduler
from lokalatih.outbox.services import queue_email

pytestmark = pytest.mark.real_clock

ROOT = Path(__file__).resolve().parent.parent


def _scheduler_threads() -> list[threading.Thread]:
    return [thread for thread in threading.enumerate() if thread.name == "APScheduler"]


def _queue_notice(db, to: str = "siti@contoh.id") -> None:
    queue_email("notice", to, subject="Uji penjadwal", heading="Halo", paragraphs=["Isi."])
    db.session.commit()


def test_scheduler_registers_the_outbox_job_without_overlapping_runs(app):
    jobs = scheduler.build_scheduler(app, BackgroundScheduler).get_jobs()

    [outbox] = [job for job in jobs if job.id == "outbox"]
    assert outbox.trigger.interval == timedelta(seconds=app.config["OUTBOX_INTERVAL_SECONDS"])
    assert outbox.max_instances == 1
    assert outbox.coalesce is True


def test_running_the_registered_outbox_job_sends_a_due_message(app, db, smtp_server):
    _queue_notice(db)
    [job] = [job for job in scheduler.JOBS if job.id == "outbox"]
    keeper = scheduler.new_keeper(app)
    assert keeper.renew()

    report = scheduler.run_job(app, job, keeper)

    assert report.sent == 1
    assert [m["To"] for m in smtp_server.messages] == ["siti@contoh.id"]


def test_a_failing_job_is_logged_and_does_not_stop_the_scheduler(app, caplog):
    broken = scheduler.Job("broken", "math:factorial", seconds=60)  # needs an argument
    keeper = scheduler.new_keeper(app)
    assert keeper.renew()

    result = scheduler.run_job(app, broken, keeper)

    assert result is None
    assert "job broken failed" in caplog.text


def test_creating_the_app_starts_no_scheduler(database_url):
    before = len(_scheduler_threads())

    create_app("testing", SQLALCHEMY_DATABASE_URI=database_url)
    create_app("development", SQLALCHEMY_DATABASE_URI=database_url)

    assert len(_scheduler_threads()) == before == 0


def test_dev_serves_the_app_with_the_jobs_running_and_stops_them_on_exit(app, monkeypatch):
    seen = {}

    def fake_run_simple(host, port, application, **options):
        seen.update(host=host, port=port, threads=len(_scheduler_threads()))
        seen["reloader"] = options["use_reloader"]
        raise KeyboardInterrupt  # Ctrl-C

    monkeypatch.setattr(scheduler, "run_simple", fake_run_simple)

    result = app.test_cli_runner().invoke(args=["dev", "--port", "5055"])

    assert result.exit_code == 0, result.output
    assert seen == {"host": "127.0.0.1", "port": 5055, "threads": 1, "reloader": False}
    assert _scheduler_threads() == []


def _read_lines(stream, lines: queue.Queue) -> None:
    for line in stream:
        lines.put(line)


def _wait_for(lines: queue.Queue, text: str, log: list[str], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            continue
        log.append(line)
        if text in line:
            return
    pytest.fail(f"{text!r} not logged in {timeout}s:\n{''.join(log)}")


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "INT"])
def test_flask_scheduler_runs_the_outbox_and_stops_cleanly_on_a_signal(
    db, database_url, stop_signal
):
    _queue_notice(db, "rahasia.peserta@contoh.id")
    env = os.environ | {
        "FLASK_APP": "wsgi",
        "LOKALATIH_CONFIG": "testing",
        "LOKALATIH_TEST_DATABASE_URL": database_url,
    }
    lines: queue.Queue = queue.Queue()
    log: list[str] = []
    with subprocess.Popen(
        [sys.executable, "-m", "flask", "scheduler"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    ) as process:
        reader = threading.Thread(target=_read_lines, args=(process.stderr, lines), daemon=True)
        reader.start()
        try:
            _wait_for(lines, "job outbox: sent=1", log)
            process.send_signal(stop_signal)
            assert process.wait(timeout=20) == 0
        finally:
            if process.poll() is None:
                process.kill()
            reader.join(timeout=10)
    _wait_for(lines, "scheduler: stopped", log)
    assert "rahasia.peserta" not in "".join(log)  # no email addresses in the logs
