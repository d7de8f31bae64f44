"""Registers every `flask` command the project has."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    from . import scheduler
    from .admin.cli import users_cli
    from .auth.twofactor_cli import reset_two_factor_command, two_factor_cli
    from .certificates.cli import certificates_cli
    from .demo.load import demo_cli
    from .outbox.cli import outbox_cli
    from .quizzes.cli import questions_cli

    app.cli.add_command(users_cli)
    users_cli.add_command(reset_two_factor_command)
    app.cli.add_command(two_factor_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(questions_cli)
    app.cli.add_command(certificates_cli)
    app.cli.add_command(scheduler.scheduler_command)
    app.cli.add_command(scheduler.dev_command)
    app.cli.add_command(demo_cli)
