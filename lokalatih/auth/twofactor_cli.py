"""`flask users reset-two-factor EMAIL`: for someone who lost both the phone and the recovery
codes, after the operator has checked who is asking (outside the app)."""

from __future__ import annotations

import click
from flask_babel import lazy_gettext as _l

from ..audit import record_event
from ..extensions import db
from . import twofactor
from .services import find_user_by_email


@click.command("reset-two-factor")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def reset_two_factor_command(email: str, yes: bool) -> None:
    """Turn off two-step verification of an account (its owner sets it up again)."""
    user = find_user_by_email(email)
    if user is None:
        raise click.ClickException("no account with that email")
    if not user.two_factor_enabled:
        raise click.ClickException("two-step verification is not on for that account")
    if not yes:
        click.confirm(f"Turn off two-step verification of {user.email}?", abort=True)
    twofactor.clear(user)
    record_event("two_factor_reset", target=user, details={"by": "command line"})
    twofactor.notify_change(user, _l("Verifikasi dua langkah dimatikan oleh admin"))
    db.session.commit()
    click.echo(f"{user.email}: two-step verification turned off")
