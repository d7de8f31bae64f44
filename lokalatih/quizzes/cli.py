"""`flask questions load-starter | import FILE | export FILE`: the question bank from a shell.

FILE is XLSX or CSV, or Moodle XML (.xml) or GIFT (.gift, .txt)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from ..errors import LokalatihError
from ..extensions import db
from . import bank, bank_io, moodle_io
from .errors import ImportRowsError, NothingToImportError

questions_cli = AppGroup("questions", help="Manage the question bank.")


@questions_cli.command("load-starter")
def load_starter_command() -> None:
    """Add the shipped starter questions that are not in the bank yet (safe to run again)."""
    added = bank_io.load_starter_bank()
    db.session.commit()
    click.echo(f"added {added} starter questions")


@questions_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--topic", default="", help="Moodle files: topic of questions without a category.")
@click.option("--source", default="", help="Moodle files: source of questions without one.")
@click.option(
    "--dry-run", is_flag=True, help="Moodle files: list what would be imported, add none."
)
def import_command(file: Path, topic: str, source: str, dry_run: bool) -> None:
    """Import questions from an XLSX or CSV file: all rows, or none if one is bad. From a Moodle
    XML or GIFT file: the supported, valid, new questions; every other one is listed with why."""
    if file.suffix.lower().lstrip(".") in moodle_io.EXTENSIONS:
        _import_moodle(file, topic, source, dry_run)
        return
    try:
        with file.open("rb") as stream:
            report = bank_io.import_bank_file(file.name, stream, actor=None)
    except ImportRowsError as error:
        db.session.rollback()
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(str(error.message)) from None
    except LokalatihError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"added {report.added} questions")


def _import_moodle(file: Path, topic: str, source: str, dry_run: bool) -> None:
    data = file.read_bytes()
    try:
        result = moodle_io.preview(file.name, data, default_topic=topic, default_source=source)
        for item in result.skipped:
            click.echo(f"skipped #{item.number} {item.name} ({item.kind}): {item.reason}", err=True)
        for refused in result.refused:
            click.echo(
                f"refused #{refused.number} {refused.name}: {' '.join(refused.problems)}", err=True
            )
        if dry_run:
            click.echo(f"would add {len(result.ready)} questions")
            return
        if not result.ready:
            raise NothingToImportError()
        source_label = f"{moodle_io.FORMATS[result.fmt]}:{result.filename}"
        bank.add_questions(result.ready, actor=None, ip=None, source=source_label)
    except LokalatihError as error:
        db.session.rollback()
        raise click.ClickException(str(error.message)) from None
    db.session.commit()
    click.echo(f"added {len(result.ready)} questions")


@questions_cli.command("export")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--all", "include_retired", is_flag=True, help="Include retired questions.")
def export_command(file: Path, include_retired: bool) -> None:
    """Export the bank to FILE (.xlsx, .csv, .xml for Moodle XML or .gift, by its extension)."""
    fmt = file.suffix.lower().lstrip(".")
    if fmt not in (*bank_io.FORMATS, *moodle_io.FORMATS):
        raise click.UsageError("FILE must end in .xlsx, .csv, .xml or .gift")
    statement = bank.filtered_select(include_retired=include_retired)
    exporter = bank_io.export_bank if fmt in bank_io.FORMATS else moodle_io.export_bank
    data = exporter(
        fmt, statement, actor=None, ip=None, filters={"include_retired": include_retired}
    )
    file.write_bytes(data)
    db.session.commit()
    click.echo(f"wrote {file}")
