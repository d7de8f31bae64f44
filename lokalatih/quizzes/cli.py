"""`flask questions load-starter | import FILE | export FILE`: the question bank from a shell."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from ..errors import LokalatihError
from ..extensions import db
from . import bank, bank_io

questions_cli = AppGroup("questions", help="Manage the question bank.")


@questions_cli.command("load-starter")
def load_starter_command() -> None:
    """Add the shipped starter questions that are not in the bank yet (safe to run again)."""
    added = bank_io.load_starter_bank()
    db.session.commit()
    click.echo(f"added {added} starter questions")


@questions_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_command(file: Path) -> None:
    """Import questions from an XLSX or CSV file: all rows, or none if one is bad."""
    try:
        with file.open("rb") as stream:
            report = bank_io.import_bank_file(file.name, stream, actor=None)
    except bank_io.ImportRowsError as error:
        db.session.rollback()
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(str(error.message)) from None
    except LokalatihError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"added {report.added} questions")


@questions_cli.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--all", "include_retired", is_flag=True, help="Include retired questions.")
def export_command(file: Path, include_retired: bool) -> None:
    """Export the bank to FILE (.xlsx or .csv, by its extension)."""
    fmt = file.suffix.lower().lstrip(".")
    if fmt not in bank_io.FORMATS:
        raise click.UsageError("FILE must end in .xlsx or .csv")
    statement = bank.filtered_select(include_retired=include_retired)
    data = bank_io.export_bank(
        fmt, statement, actor=None, ip=None, filters={"include_retired": include_retired}
    )
    file.write_bytes(data)
    db.session.commit()
    click.echo(f"wrote {file}")
