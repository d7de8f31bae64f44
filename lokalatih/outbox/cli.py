"""`flask outbox send | status | retry ID`: operate the email outbox by hand."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..errors import LokalatihError
from ..extensions import db
from ..models import OutboxStatus
from .services import outbox_stats, retry_dead_message
from .tasks import send_due_messages

outbox_cli = AppGroup("outbox", help="The email outbox.")


@outbox_cli.command("send")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many messages.")
def send_command(limit: int | None) -> None:
    """Send the messages that are due, once."""
    report = send_due_messages(limit)
    click.echo(f"sent: {report.sent}, retried later: {report.retried}, dead: {report.dead}")


@outbox_cli.command("status")
def status_command() -> None:
    """Count the messages in each state."""
    stats = outbox_stats()
    for status in OutboxStatus:
        click.echo(f"{status.value}: {stats[status]}")
    if stats.oldest_due_at is not None:
        click.echo(f"oldest pending due at: {stats.oldest_due_at.isoformat(timespec='seconds')}")


@outbox_cli.command("retry")
@click.argument("message_id", type=int)
def retry_command(message_id: int) -> None:
    """Queue a dead message again (attempts start from zero)."""
    try:
        retry_dead_message(message_id)
    except LokalatihError as error:
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"message {message_id} queued again")
