"""Two-step verification on the command line.

`flask users reset-two-factor EMAIL`: for someone who lost both the phone and the recovery codes,
after the operator has checked who is asking (outside the app).
`flask two-factor new-key` and `flask two-factor rotate-key`: the keys that seal the secrets at
rest (TWO_FACTOR_KEYS; docs/SECURITY.md says how to rotate them)."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from flask_babel import lazy_gettext as _l

from ..audit import record_event
from ..extensions import db
from . import totp, twofactor
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


two_factor_cli = AppGroup("two-factor", help="The keys that seal two-step secrets at rest.")


@two_factor_cli.command("new-key")
def new_key_command() -> None:
    """Print a fresh key to put first in TWO_FACTOR_KEYS."""
    click.echo(totp.new_key())


@two_factor_cli.command("rotate-key")
def rotate_key_command() -> None:
    """Seal every stored secret again with the first key of TWO_FACTOR_KEYS."""
    report = twofactor.reseal_all()
    db.session.commit()
    click.echo(f"sealed again with the first key: {report.resealed}; already: {report.current}")
    if report.unopened:
        click.echo(
            f"{report.unopened} secret(s) no configured key opens (ids {report.unopened_ids}); "
            "their owners sign in with a recovery code and set up again",
            err=True,
        )
