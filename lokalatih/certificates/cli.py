"""`flask certificates demo-signing-key`: the demo signing certificate for a fresh machine."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from .signing import DEMO_COMMON_NAME, write_demo_p12

certificates_cli = AppGroup("certificates", help="Certificate PDFs and their signature.")


@certificates_cli.command("demo-signing-key")
@click.option("--force", is_flag=True, help="Replace an existing file.")
def demo_signing_key_command(force: bool) -> None:
    """Write a self-signed demo key and certificate to CERTIFICATE_SIGNING_P12 (instance/ by
    default), unless the file exists. Trusted by no one; production refuses to sign with it."""
    config = current_app.config
    if config.get("REFUSE_DEMO_SIGNING_KEY"):
        raise click.ClickException("this configuration refuses the demo signing certificate")
    path = Path(config["CERTIFICATE_SIGNING_P12"])
    if path.exists() and not force:
        click.echo(f"{path} exists; kept (--force replaces it)")
        return
    write_demo_p12(path, config["CERTIFICATE_SIGNING_PASSPHRASE"])
    click.echo(f"wrote {path}: {DEMO_COMMON_NAME!r}, a demo certificate trusted by no one")
