"""`flask users create | set-role | list | erase`: accounts from the command line (first admin,
staff, erasure on a written request)."""

from __future__ import annotations

import sys

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from ..errors import LokalatihError
from ..extensions import db
from ..models import Role, User
from . import services
from .errors import UserNotFoundError

users_cli = AppGroup("users", help="Manage accounts.")

ROLE_NAMES = [role.value for role in Role]


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLE_NAMES), default=Role.PARTICIPANT.value)
@click.option("--password", help="The password (visible in the shell history: prefer the prompt).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
def create_command(email: str, role: str, password: str | None, password_stdin: bool) -> None:
    """Create an account with a verified email address."""
    if password is not None and password_stdin:
        raise click.UsageError("use either --password or --password-stdin, not both")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    elif password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not password:
        raise click.UsageError("the password is empty")
    try:
        user = services.create_user(email, password, Role(role))
    except LokalatihError as error:
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"created {user.email} ({user.role.value})")


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLE_NAMES))
def set_role_command(email: str, role: str) -> None:
    """Change the role of an existing account."""
    user = services.find_user_by_email(email)
    if user is None:
        raise click.ClickException(str(UserNotFoundError.message))
    old_role = user.role
    try:
        services.change_role(None, user, Role(role))
    except LokalatihError as error:
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"{user.email}: {old_role.value} -> {user.role.value}")


@users_cli.command("list")
@click.option("--role", type=click.Choice(ROLE_NAMES), help="Only accounts with this role.")
def list_command(role: str | None) -> None:
    """List accounts: id, role, verified, email."""
    statement = sa.select(User).order_by(User.id)
    if role:
        statement = statement.where(User.role == Role(role))
    for user in db.session.scalars(statement):
        verified = "verified" if user.is_verified else "unverified"
        click.echo(f"{user.id}\t{user.role.value}\t{verified}\t{user.email}")


@users_cli.command("erase")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def erase_command(email: str, yes: bool) -> None:
    """Erase a participant's personal data (a written request under UU No. 27 Tahun 2022)."""
    from ..privacy.erasure import ErasureReason, erase_account

    user = services.find_user_by_email(email)
    if user is None:
        raise click.ClickException(str(UserNotFoundError.message))
    if not yes:
        click.confirm(f"Erase the personal data of account {user.id} for good?", abort=True)
    try:
        erase_account(user, ErasureReason.ADMIN_REQUEST)
    except LokalatihError as error:
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"erased account {user.id}")
