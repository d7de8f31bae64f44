"""`flask certificates demo-signing-key`: the demo signing certificate for a fresh machine;
`flask certificates signing-cert`: the current signing certificate (public part) as PEM, to keep
among CERTIFICATE_SIGNING_PREVIOUS_CERTS when the key is replaced."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from .errors import SigningError
from .signer_choice import current_signer
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


@certificates_cli.command("signing-cert")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), help="Default: stdout.")
def signing_cert_command(output: Path | None) -> None:
    """Print (or write to --output) the current signing certificate as PEM: its public part
    only, never the key. Before replacing the key, keep this file and list it in
    CERTIFICATE_SIGNING_PREVIOUS_CERTS, so PDFs signed until then still verify. It opens the
    key as the app does, so it also checks the signing settings (a PKCS#11 token and its PIN)."""
    try:
        signer = current_signer()
    except SigningError as error:
        raise click.ClickException(error.detail or str(error.message)) from None
    text = signer.certificate_pem()
    if output is None:
        click.echo(text, nl=False)
        return
    output.write_text(text)
    click.echo(f"wrote {output}: the certificate (SHA-256 {signer.fingerprint}), no key")
