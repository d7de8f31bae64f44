"""two-step secrets sealed with Fernet under keys of their own (issue 20)

Until now a TOTP secret was sealed with a hand-made cipher (an HMAC-SHA256 keystream and tag, keys
derived from SECRET_KEY). It is now a Fernet token under TWO_FACTOR_KEYS (lokalatih/auth/totp.py).
This migration opens every "v1." value with SECRET_KEY (or one of SECRET_KEY_FALLBACKS) and seals it
again with the first key of TWO_FACTOR_KEYS, so nobody has to set up their authenticator again. A
value no configured key opens is left as it is: its owner signs in with a recovery code and sets up
again, as before.

The old opening code and today's sealing are copied here, frozen: the application keeps no trace
of the old cipher, and a later change of the sealing does not change what this migration does.

Revision ID: 0013_two_factor_fernet
Revises: 0012_certificate_attested
Create Date: 2026-12-06 05:20:00
"""

import base64
import hashlib
import hmac
import logging

import sqlalchemy as sa
from alembic import op
from cryptography.fernet import Fernet
from flask import current_app

revision = "0013_two_factor_fernet"
down_revision = "0012_certificate_attested"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

_NONCE_BYTES = 16
_TAG_BYTES = 32

users = sa.table(
    "users",
    sa.column("id", sa.Integer),
    sa.column("totp_secret", sa.String),
)


def _subkey(secret_key, purpose: bytes) -> bytes:
    key = secret_key.encode() if isinstance(secret_key, str) else secret_key
    return hmac.new(key, b"lokalatih-totp-" + purpose, hashlib.sha256).digest()


def _open_v1(sealed: str, owner: int, secret_keys) -> bytes | None:
    payload = sealed.partition(".")[2]
    try:
        blob = base64.urlsafe_b64decode(payload.encode())
    except ValueError:
        return None
    if len(blob) <= _NONCE_BYTES + _TAG_BYTES:
        return None
    nonce, ciphertext, tag = blob[:_NONCE_BYTES], blob[_NONCE_BYTES:-_TAG_BYTES], blob[-_TAG_BYTES:]
    for key in secret_keys:
        message = b"v1" + owner.to_bytes(8, "big") + nonce + ciphertext
        if hmac.compare_digest(
            hmac.new(_subkey(key, b"mac"), message, hashlib.sha256).digest(), tag
        ):
            stream = b"".join(
                hmac.new(
                    _subkey(key, b"enc"), nonce + i.to_bytes(4, "big"), hashlib.sha256
                ).digest()
                for i in range((len(ciphertext) + 31) // 32)
            )
            return bytes(a ^ b for a, b in zip(ciphertext, stream, strict=False))
    return None


def _seal_v2(secret: bytes, owner: int, key: str) -> str:
    # lokalatih.auth.totp.seal as it is on the day of this migration.
    return "v2." + Fernet(key).encrypt(owner.to_bytes(8, "big") + secret).decode()


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.alter_column(
            "totp_secret",
            type_=sa.String(255),
            existing_type=sa.String(128),
            existing_nullable=True,
        )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(users.c.id, users.c.totp_secret).where(users.c.totp_secret.like("v1.%"))
    ).all()
    if not rows:
        return
    config = current_app.config
    secret_keys = [config["SECRET_KEY"], *(config.get("SECRET_KEY_FALLBACKS") or [])]
    new_key = config["TWO_FACTOR_KEYS"][0]
    unopened = []
    for user_id, sealed in rows:
        secret = _open_v1(sealed, user_id, secret_keys)
        if secret is None:
            unopened.append(user_id)
            continue
        connection.execute(
            users.update()
            .where(users.c.id == user_id)
            .values(totp_secret=_seal_v2(secret, user_id, new_key))
        )
    if unopened:
        log.warning("two-step secrets of users %s open with no configured SECRET_KEY", unopened)


def downgrade():
    # The old cipher is not brought back: secrets sealed with Fernet stay as they are, and a
    # downgraded application cannot open them (their owners use a recovery code).
    with op.batch_alter_table("users") as batch:
        batch.alter_column(
            "totp_secret",
            type_=sa.String(128),
            existing_type=sa.String(255),
            existing_nullable=True,
        )
