"""Scheduled jobs, run by exactly one process: `flask scheduler` in production, `flask dev` locally.

Never started by `create_app`: under gunicorn every worker would run every job. A feature adds its
job by appending a `Job` to `JOBS`; each job must be idempotent (safe to run twice or be killed).

A process runs the jobs only while it holds the scheduler lease (`lokalatih.lease`): a second
`flask scheduler` started by mistake waits, and takes over when the first stops renewing. A holder
that finds its lease taken stops its jobs and goes back to waiting.
"""

from __future__ import annotations

import importlib
import logging
import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import click
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.serving import run_simple

from .extensions import db
from .lease import LeaseKeeper, current_holder

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    """A job run every `seconds`, or every `app.config[seconds_from]` seconds."""

    id: str
    func: str  # "package.module:function", called with no arguments inside an app context
    seconds: int | None = None
    seconds_from: str | None = None

    def interval(self, app: Flask) -> int:
        return int(app.config[self.seconds_from]) if self.seconds_from else int(self.seconds or 60)

    def resolve(self) -> Callable[[], object]:
        module, _, name = self.func.partition(":")
        return getattr(importlib.import_module(module), name)


JOBS: list[Job] = [
    Job(
        "outbox", "lokalatih.outbox.tasks:send_due_messages", seconds_from="OUTBOX_INTERVAL_SECONDS"
    ),
    Job("session_reminders", "lokalatih.registrations.tasks:send_session_reminders", seconds=300),
    Job("quiz_deadlines", "lokalatih.quizzes.tasks:close_overdue_attempts", seconds=60),
    Job(
        "certificates", "lokalatih.certificates.tasks:issue_certificates_for_completed", seconds=300
    ),
    Job("action_plan_follow_ups", "lokalatih.action_plans.tasks:send_follow_ups", seconds=3600),
    Job("retention", "lokalatih.privacy.tasks:anonymize_expired_participants", seconds=86400),
]


def run_job(app: Flask, job: Job, keeper: LeaseKeeper) -> object:
    """Run one job in its own app context; a failure is logged and rolled back, never raised.

    Nothing runs unless `keeper` holds the lease: a process that lost it (or cannot reach the
    database to renew it) may still have runs queued in APScheduler.
    """
    if not keeper.held():
        logger.warning("job %s skipped: this process does not hold the scheduler lease", job.id)
        return None
    with app.app_context():
        try:
            result = job.resolve()()
        except Exception:
            db.session.rollback()
            logger.exception("job %s failed", job.id)
            return None
        finally:
            db.session.remove()
    logger.info("job %s: %s", job.id, result)
    return result


def add_jobs(
    scheduler: BaseScheduler, app: Flask, keeper: LeaseKeeper, jobs: list[Job] | None = None
) -> None:
    for job in JOBS if jobs is None else jobs:
        scheduler.add_job(
            run_job,
            "interval",
            seconds=job.interval(app),
            args=(app, job, keeper),
            id=job.id,
            name=job.id,
            max_instances=1,  # a slow run is never overlapped by the next one
            coalesce=True,  # runs missed while busy or asleep collapse into one
            misfire_grace_time=None,
            next_run_time=datetime.now(UTC),  # run once at start, then every interval
            replace_existing=True,
        )


def build_scheduler(
    app: Flask, scheduler_class: type[BaseScheduler], keeper: LeaseKeeper | None = None
) -> BaseScheduler:
    """The jobs, run only while `keeper` holds the lease (by default a keeper that does not)."""
    scheduler = scheduler_class(timezone=UTC)
    add_jobs(scheduler, app, keeper or new_keeper(app))
    return scheduler


def new_keeper(app: Flask) -> LeaseKeeper:
    return LeaseKeeper(app.config["SCHEDULER_LEASE_SECONDS"])


class LeasedScheduler:
    """Runs the jobs in a BackgroundScheduler while this process holds the lease.

    A thread renews the lease every third of its length. Taking the lease starts the jobs; losing
    it (another process renewed after ours expired, e.g. after this one was paused) stops them
    and this process waits again. When the database cannot be reached the jobs keep their slot
    until the last renewal runs out; `run_job` refuses to start anything after that.
    """

    def __init__(self, app: Flask, keeper: LeaseKeeper | None = None) -> None:
        self.app = app
        self.keeper = keeper or new_keeper(app)
        self.scheduler: BaseScheduler | None = None
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._waiting_for: str | None = None

    @property
    def renew_every(self) -> float:
        return self.keeper.seconds / 3

    def start(self) -> None:
        # The first try happens before this returns, so a free lease means running jobs at once.
        self.tick()
        self._thread = threading.Thread(target=self._loop, name="scheduler-lease", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop renewing, let a running job finish, then give the lease up."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join()
        self._stop_jobs()
        with self.app.app_context():
            self.keeper.release()

    def _loop(self) -> None:
        while not self._stopping.wait(self.renew_every):
            try:
                self.tick()
            except Exception:  # the renewal thread must outlive any surprise
                logger.exception("scheduler: lease renewal failed")

    def tick(self) -> None:
        with self.app.app_context():
            try:
                held = self.keeper.renew()
            except SQLAlchemyError as error:
                logger.warning("scheduler: cannot renew the lease: %s", type(error).__name__)
                held = self.keeper.held()
            if held and self.scheduler is None:
                self._start_jobs()
            elif not held and self.scheduler is not None:
                logger.warning("scheduler: lease lost by %s; stopping the jobs", self.keeper.holder)
                self._stop_jobs()
            if not held:
                self._log_waiting()

    def _start_jobs(self) -> None:
        self._waiting_for = None
        logger.info("scheduler: lease acquired by %s", self.keeper.holder)
        self.scheduler = build_scheduler(self.app, BackgroundScheduler, self.keeper)
        self.scheduler.start()
        logger.info("scheduler: started with jobs %s", ", ".join(job.id for job in JOBS))

    def _stop_jobs(self) -> None:
        if self.scheduler is not None:
            self.scheduler.shutdown(wait=True)  # lets a running job finish its batch
            self.scheduler = None

    def _log_waiting(self) -> None:
        try:
            holder = current_holder(name=self.keeper.name)
        except SQLAlchemyError:
            return
        if holder is not None and holder[0] != self._waiting_for:
            self._waiting_for = holder[0]
            logger.info(
                "scheduler: waiting; the lease is held by %s until %s",
                holder[0],
                holder[1].isoformat(timespec="seconds"),
            )


@click.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Run the scheduled jobs in this process until SIGTERM or Ctrl-C (one per deployment)."""
    app = current_app._get_current_object()
    runner = LeasedScheduler(app)
    stopped = threading.Event()

    def stop(signum: int, frame: object) -> None:
        if not stopped.is_set():  # a second signal while stopping changes nothing
            logger.info("scheduler: stopping on signal %s", signum)
            stopped.set()

    with _signal_handlers(stop):
        logger.info("scheduler: starting as %s", runner.keeper.holder)
        runner.start()
        stopped.wait()
        runner.stop()
    logger.info("scheduler: stopped")


@click.command("dev")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def dev_command(host: str, port: int) -> None:
    """Serve the app for development with the scheduled jobs running in the background."""
    app = current_app._get_current_object()
    app.config["PUBLIC_BASE_URL"] = dev_base_url(host, port, app.config["PUBLIC_BASE_URL"])
    runner = LeasedScheduler(app)
    runner.start()
    try:
        with _signal_handlers(_interrupt):
            # Not app.run(): inside a `flask` command it refuses to serve (FLASK_RUN_FROM_CLI).
            run_simple(host, port, app, use_reloader=False, use_debugger=False, threaded=True)
    except KeyboardInterrupt:
        pass
    finally:
        runner.stop()
        logger.info("dev: scheduler stopped")


def dev_base_url(host: str, port: int, configured: str) -> str:
    """The address emailed links and check-in QR codes use under `flask dev`: the one served on,
    unless PUBLIC_BASE_URL is set in the environment."""
    if os.environ.get("PUBLIC_BASE_URL"):
        return configured
    shown = "127.0.0.1" if host in ("0.0.0.0", "::", "") else host  # noqa: S104 (not a bind)
    return f"http://{shown}:{port}"


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@contextmanager
def _signal_handlers(handler: Callable) -> Iterator[None]:
    """Route SIGTERM and SIGINT to `handler`, and put the previous handlers back afterwards."""
    previous = {
        signum: signal.signal(signum, handler) for signum in (signal.SIGTERM, signal.SIGINT)
    }
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)
