"""Scheduled jobs, run by exactly one process: `flask scheduler` in production, `flask dev` locally.

Never started by `create_app`: under gunicorn every worker would run every job. A feature adds its
job by appending a `Job` to `JOBS`; each job must be idempotent (safe to run twice or be killed).
"""

from __future__ import annotations

import importlib
import logging
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import click
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask, current_app
from flask.cli import with_appcontext
from werkzeug.serving import run_simple

from .extensions import db

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
]


def run_job(app: Flask, job: Job) -> object:
    """Run one job in its own app context; a failure is logged and rolled back, never raised."""
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


def add_jobs(scheduler: BaseScheduler, app: Flask, jobs: list[Job] | None = None) -> None:
    for job in JOBS if jobs is None else jobs:
        scheduler.add_job(
            run_job,
            "interval",
            seconds=job.interval(app),
            args=(app, job),
            id=job.id,
            name=job.id,
            max_instances=1,  # a slow run is never overlapped by the next one
            coalesce=True,  # runs missed while busy or asleep collapse into one
            misfire_grace_time=None,
            next_run_time=datetime.now(UTC),  # run once at start, then every interval
            replace_existing=True,
        )


def build_scheduler(app: Flask, scheduler_class: type[BaseScheduler]) -> BaseScheduler:
    scheduler = scheduler_class(timezone=UTC)
    add_jobs(scheduler, app)
    return scheduler


@click.command("scheduler")
@with_appcontext
def scheduler_command() -> None:
    """Run the scheduled jobs in this process until SIGTERM or Ctrl-C (one per deployment)."""
    app = current_app._get_current_object()
    scheduler = build_scheduler(app, BlockingScheduler)

    def stop(signum: int, frame: object) -> None:
        if scheduler.running:  # a second signal while stopping changes nothing
            logger.info("scheduler: stopping on signal %s", signum)
            scheduler.shutdown(wait=True)  # lets a running job finish its batch

    with _signal_handlers(stop):
        logger.info("scheduler: started with jobs %s", ", ".join(job.id for job in JOBS))
        scheduler.start()
    logger.info("scheduler: stopped")


@click.command("dev")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@with_appcontext
def dev_command(host: str, port: int) -> None:
    """Serve the app for development with the scheduled jobs running in the background."""
    app = current_app._get_current_object()
    scheduler = build_scheduler(app, BackgroundScheduler)
    scheduler.start()
    try:
        with _signal_handlers(_interrupt):
            # Not app.run(): inside a `flask` command it refuses to serve (FLASK_RUN_FROM_CLI).
            run_simple(host, port, app, use_reloader=False, use_debugger=False, threaded=True)
    except KeyboardInterrupt:
        pass
    finally:
        scheduler.shutdown(wait=True)
        logger.info("dev: scheduler stopped")


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
