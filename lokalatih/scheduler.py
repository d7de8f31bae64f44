import click


@click.command("scheduler")
def scheduler_command():
    """Placeholder."""


@click.command("dev")
def dev_command():
    """Placeholder."""
