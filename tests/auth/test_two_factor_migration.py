"""Migration 0013: secrets sealed with the old cipher are sealed again with Fernet, so nobody sets
up their authenticator app again."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

import sqlalchemy as sa
from flask_migrate import upgrade

from lokalatih import create_app
from lokalatih.auth import totp
from tests.support import scratch_database


def _old_seal(secret: bytes, owner: int, secret_key: str) -> str:
    """The cipher lokalatih used before 0013 (an HMAC-SHA256 keystream and tag over the owner),
    as it was written, so the test does not lean on the migration's own copy."""

    def subkey(purpose: bytes) -> bytes:
        return hmac.new(secret_key.encode(), b"lokalatih-totp-" + purpose, hashlib.sha256).digest()

    nonce = secrets.token_bytes(16)
    stream = hmac.new(subkey(b"enc"), nonce + (0).to_bytes(4, "big"), hashlib.sha256).digest()
    ciphertext = bytes(a ^ b for a, b in zip(secret, stream[: len(secret)], strict=True))
    tag = hmac.new(
        subkey(b"mac"), b"v1" + owner.to_bytes(8, "big") + nonce + ciphertext, hashlib.sha256
    ).digest()
    return "v1." + base64.urlsafe_b64encode(nonce + ciphertext + tag).decode()


def test_old_secrets_are_sealed_again_and_open_with_the_two_factor_key(tmp_path):
    secret = totp.new_secret()
    with scratch_database(tmp_path, "fernet") as url:
        app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
        with app.app_context():
            from lokalatih.extensions import db

            upgrade(revision="0012_certificate_attested")
            with db.engine.begin() as connection:
                for user_id, sealed in [
                    (41, _old_seal(secret, 41, "testing-secret")),
                    (42, _old_seal(secret, 42, "a-key-nobody-has")),
                ]:
                    connection.execute(
                        sa.text(
                            "INSERT INTO users (id, email, password_hash, role, locale, "
                            "failed_logins, created_at, password_changed_at, totp_secret) "
                            "VALUES (:id, :email, 'x', 'participant', 'id', 0, "
                            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, :sealed)"
                        ),
                        {
                            "id": user_id,
                            "email": f"u{user_id}@example.id",
                            "yes": True,
                            "sealed": sealed,
                        },
                    )
            upgrade()

            with db.engine.connect() as connection:
                stored = dict(
                    connection.execute(sa.text("SELECT id, totp_secret FROM users")).all()
                )
            keys = app.config["TWO_FACTOR_KEYS"]
            assert totp.unseal(stored[41], 41, keys) == (secret, 0)
            assert stored[42].startswith("v1.")  # no key opens it: its owner uses a recovery code
            db.session.remove()
            db.engine.dispose()
