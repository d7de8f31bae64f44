"""Configuration classes; the environment selects values, `create_app` selects the class."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("LOKALATIH_INSTANCE_DIR", BASE_DIR / "instance"))


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _keys(name: str) -> tuple[str, ...]:
    return tuple(key.strip() for key in os.environ.get(name, "").split(",") if key.strip())


# Known to everyone who reads this file: development and tests only; production refuses it.
DEV_TWO_FACTOR_KEY = "ZGV2LW9ubHktdHdvLWZhY3Rvci1rZXktbm90LXNhZmU="


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-not-secret")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or (
        f"sqlite:///{INSTANCE_DIR / 'lokalatih.sqlite'}"
    )
    # A pooled connection idle for this long is pinged before a request uses it, so the pool
    # recovers by itself after the database restarts (lokalatih/database_health.py); one a
    # request returned moments ago is not, which spares a busy server a round trip per request.
    DATABASE_PING_AFTER_IDLE_SECONDS = float(
        os.environ.get("DATABASE_PING_AFTER_IDLE_SECONDS", "1")
    )
    INSTANCE_DIR = INSTANCE_DIR
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024  # uploads (question-bank spreadsheets) stay small

    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "lokalatih" / "translations")
    LANGUAGES = ("id", "en")

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "lokalatih <noreply@lokalatih.id>")
    MAIL_SUPPRESS_SEND = _bool("MAIL_SUPPRESS_SEND", False)
    # Without an SMTP server in development, messages are printed instead of sent.
    MAIL_CONSOLE = _bool("MAIL_CONSOLE", False)

    OUTBOX_BATCH_SIZE = int(os.environ.get("OUTBOX_BATCH_SIZE", "50"))
    OUTBOX_MAX_ATTEMPTS = int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "8"))
    OUTBOX_LEASE_SECONDS = int(os.environ.get("OUTBOX_LEASE_SECONDS", "300"))
    OUTBOX_INTERVAL_SECONDS = int(os.environ.get("OUTBOX_INTERVAL_SECONDS", "15"))
    # A message handed to the SMTP server whose answer was never recorded (a crash, a lost
    # database connection) is sent again only after this delay, with the same Message-ID.
    OUTBOX_UNCERTAIN_RETRY_SECONDS = int(os.environ.get("OUTBOX_UNCERTAIN_RETRY_SECONDS", "3600"))
    # A certificate PDF larger than this goes out as a download link instead of an attachment.
    CERTIFICATE_ATTACH_MAX_BYTES = int(os.environ.get("CERTIFICATE_ATTACH_MAX_BYTES", "2000000"))
    # The scheduler's lease: renewed every third of this; a second scheduler waits this long after
    # the holder stops renewing before it takes over.
    SCHEDULER_LEASE_SECONDS = int(os.environ.get("SCHEDULER_LEASE_SECONDS", "30"))
    # /health calls the scheduler stale when its last renewal (every third of the lease) is older
    # than this: a stopped scheduler shows within 15 s, not when its lease runs out.
    SCHEDULER_STALE_SECONDS = int(os.environ.get("SCHEDULER_STALE_SECONDS", "15"))

    # Base URL used in emails when there is no request (scheduler jobs).
    SERVER_NAME = os.environ.get("SERVER_NAME")
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_ENABLED = _bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute;50 per hour")
    SIGNUP_RATE_LIMIT = os.environ.get("SIGNUP_RATE_LIMIT", "10 per hour")
    RESET_RATE_LIMIT = os.environ.get("RESET_RATE_LIMIT", "5 per 15 minutes")
    LOGIN_LOCK_THRESHOLD = 10
    LOGIN_LOCK_MINUTES = 15

    VERIFY_TOKEN_MAX_AGE = int(timedelta(days=3).total_seconds())
    RESET_TOKEN_MAX_AGE = int(timedelta(hours=2).total_seconds())
    INVITE_TOKEN_MAX_AGE = int(timedelta(days=7).total_seconds())

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Group emails to registrants: sends per workshop and messages per organizer in 24 hours.
    GROUP_EMAIL_SENDS_PER_WORKSHOP_DAY = int(
        os.environ.get("GROUP_EMAIL_SENDS_PER_WORKSHOP_DAY", "5")
    )
    GROUP_EMAIL_RECIPIENTS_PER_SENDER_DAY = int(
        os.environ.get("GROUP_EMAIL_RECIPIENTS_PER_SENDER_DAY", "1000")
    )
    WORKSHOP_EDIT_RATE_LIMIT = os.environ.get("WORKSHOP_EDIT_RATE_LIMIT", "30 per hour")
    SESSION_IDLE_TIMEOUT = timedelta(minutes=int(os.environ.get("SESSION_IDLE_MINUTES", "120")))
    # However active, a login session ends this long after sign-in (sign in again): a workshop
    # day for participants, shorter for staff, whose sessions open personal data and decisions.
    SESSION_MAX_AGE = timedelta(hours=int(os.environ.get("SESSION_MAX_HOURS", "12")))
    STAFF_SESSION_MAX_AGE = timedelta(hours=int(os.environ.get("STAFF_SESSION_MAX_HOURS", "8")))
    # The signed cookie is refused after this age too (Flask checks it even for non-permanent
    # sessions); it is written at sign-in, so it must not end before the server-side lifetime.
    PERMANENT_SESSION_LIFETIME = SESSION_MAX_AGE
    HSTS = False
    # Reverse proxies in front of gunicorn whose X-Forwarded-For and -Proto are trusted
    # (werkzeug ProxyFix); 0 trusts none, so a client cannot forge its address.
    TRUSTED_PROXY_HOPS = int(os.environ.get("TRUSTED_PROXY_HOPS", "0"))
    WTF_CSRF_TIME_LIMIT = None  # the session bounds the token; a slow form must not expire
    # Participants with no workshop or activity in this many months are anonymized by a daily job.
    RETENTION_MONTHS = int(os.environ.get("RETENTION_MONTHS", "24"))
    # Roles that must sign in with a second factor (TOTP): signed in without one, they are sent
    # to the set-up page. Empty here; every staff role in production.
    TWO_FACTOR_REQUIRED_ROLES: tuple[str, ...] = ()
    TWO_FACTOR_ISSUER = "lokalatih"  # the account name shown in authenticator apps
    # Fernet keys that seal the two-step secrets at rest, separate from SECRET_KEY: the first
    # seals, the others only open (a rotation, `flask two-factor rotate-key`). Comma-separated
    # in the environment; `flask two-factor new-key` makes one. Required in production.
    TWO_FACTOR_KEYS: tuple[str, ...] = _keys("TWO_FACTOR_KEYS") or (DEV_TWO_FACTOR_KEY,)
    # The organisation's signing certificate for certificate PDFs (PAdES): a PKCS#12 file and its
    # passphrase, read once per process and never stored or logged. Without the variable, the demo
    # certificate that `flask certificates demo-signing-key` (run by `make demo`) writes to
    # instance/: self-signed, named as a demo, trusted by no one, refused in production.
    CERTIFICATE_SIGNING_P12 = os.environ.get("CERTIFICATE_SIGNING_P12") or str(
        INSTANCE_DIR / "demo-signing.p12"
    )
    CERTIFICATE_SIGNING_PASSPHRASE = os.environ.get(
        "CERTIFICATE_SIGNING_PASSPHRASE", "demo-tidak-rahasia"
    )
    # Or a PKCS#11 token (a hardware token or HSM, whose key never leaves it): with the module
    # set, the token is used instead of the PKCS#12 file. The token and key by their labels; the
    # certificate has the key's label unless CERTIFICATE_SIGNING_PKCS11_CERT names another. The
    # PIN, like the passphrase, is read from the environment only, never stored or logged.
    CERTIFICATE_SIGNING_PKCS11_LIB = os.environ.get("CERTIFICATE_SIGNING_PKCS11_LIB") or None
    CERTIFICATE_SIGNING_PKCS11_TOKEN = os.environ.get("CERTIFICATE_SIGNING_PKCS11_TOKEN") or None
    CERTIFICATE_SIGNING_PKCS11_KEY = os.environ.get("CERTIFICATE_SIGNING_PKCS11_KEY") or None
    CERTIFICATE_SIGNING_PKCS11_CERT = os.environ.get("CERTIFICATE_SIGNING_PKCS11_CERT") or None
    CERTIFICATE_SIGNING_PKCS11_PIN = os.environ.get("CERTIFICATE_SIGNING_PKCS11_PIN") or None
    # An RFC 3161 timestamp server (e.g. https://freetsa.org/tsr); none: signatures carry only the
    # signing time the server's clock states.
    CERTIFICATE_TIMESTAMP_URL = os.environ.get("CERTIFICATE_TIMESTAMP_URL") or None
    # Key rotation: the certificates of earlier signing keys (comma-separated paths to PEM or DER
    # files, the public certificate only, never a key; `flask certificates signing-cert` writes
    # the current one before it is replaced). The PDF upload check trusts them as well, so a
    # certificate PDF signed with an earlier key still reads as issued by lokalatih and unchanged.
    CERTIFICATE_SIGNING_PREVIOUS_CERTS: tuple[str, ...] = _keys(
        "CERTIFICATE_SIGNING_PREVIOUS_CERTS"
    )
    REFUSE_DEMO_SIGNING_KEY = False


class DevelopmentConfig(Config):
    DEBUG = False
    MAIL_CONSOLE = _bool("MAIL_CONSOLE", True)


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = os.environ.get("LOKALATIH_TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    MAIL_SUPPRESS_SEND = True
    MAIL_CONSOLE = False
    PUBLIC_BASE_URL = "http://localhost"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)
    HSTS = True
    TWO_FACTOR_REQUIRED_ROLES = ("admin", "organizer", "reviewer")  # not switchable off
    REFUSE_DEMO_PASSWORD = True  # the published demo password never signs anyone in
    # No default file and no default passphrase; the demo certificate never signs here.
    CERTIFICATE_SIGNING_P12 = os.environ.get("CERTIFICATE_SIGNING_P12") or None
    CERTIFICATE_SIGNING_PASSPHRASE = os.environ.get("CERTIFICATE_SIGNING_PASSPHRASE")
    REFUSE_DEMO_SIGNING_KEY = True
    # Production runs behind a TLS proxy (docs/DEPLOY.md), whose hop count the operator sets
    # (TRUSTED_PROXY_HOPS=1 behind one nginx): rate limits and the audit log need the client's
    # address, url_for(_external) the https scheme. Trusting none by default, a client reaching
    # gunicorn directly cannot choose its own address; web.py warns when headers are ignored.
    TRUSTED_PROXY_HOPS = int(os.environ.get("TRUSTED_PROXY_HOPS", "0"))

    @classmethod
    def check(cls) -> dict:
        """Refuse to start without a real secret; returns settings read at start-up."""
        secret = os.environ.get("SECRET_KEY")
        if not secret:
            raise RuntimeError("SECRET_KEY must be set in production (a long random string).")
        two_factor_keys = _keys("TWO_FACTOR_KEYS")
        if not two_factor_keys or DEV_TWO_FACTOR_KEY in two_factor_keys:
            raise RuntimeError(
                "TWO_FACTOR_KEYS must be set in production to keys of its own "
                "(flask two-factor new-key makes one; not the development key)."
            )
        return {"SECRET_KEY": secret, "TWO_FACTOR_KEYS": two_factor_keys}


CONFIGS: dict[str, type[Config]] = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
