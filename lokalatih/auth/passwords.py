"""Password rules shared by sign-up, reset and change of password, and the hashing behind them."""

from __future__ import annotations

from functools import cache
from importlib import resources

from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 8
MAX_LENGTH = 128
# The local part of an email shorter than this is too common a string to forbid.
MIN_LOCAL_PART = 3
COMMON_PASSWORDS_FILE = "common-passwords.txt"
# The demo accounts' password, printed by `make run` and in the README: published, so as weak as
# a common one, and refused at login where REFUSE_DEMO_PASSWORD is set (production).
DEMO_PASSWORD = "Latih-HAM-2026"  # noqa: S105


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common and breached passwords, lowercased, read once per process."""
    text = resources.files("lokalatih").joinpath("data", COMMON_PASSWORDS_FILE).read_text("utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


@cache
def _dummy_hash() -> str:
    # Checked when an email is unknown, so a wrong email costs as long as a wrong password.
    return generate_password_hash("lokalatih-dummy-password")


def is_common(password: str) -> bool:
    return password.lower() in common_passwords() or password == DEMO_PASSWORD


def password_problems(password: str, email: str | None = None) -> list[str]:
    """Every rule the password breaks, as translated messages; an empty list means it is fine."""
    if len(password) < MIN_LENGTH:
        return [_("Sandi minimal %(count)s karakter.", count=MIN_LENGTH)]
    if len(password) > MAX_LENGTH:
        return [_("Sandi maksimal %(count)s karakter.", count=MAX_LENGTH)]
    problems = []
    if is_common(password):
        problems.append(
            _(
                "Sandi ini terlalu umum dan mudah ditebak. "
                "Pilih sandi lain, misalnya beberapa kata yang mudah Anda ingat."
            )
        )
    local_part = (email or "").partition("@")[0].strip().lower()
    if len(local_part) >= MIN_LOCAL_PART and local_part in password.lower():
        problems.append(_("Sandi tidak boleh memuat bagian awal alamat email Anda."))
    return problems


def hash_password(password: str) -> str:
    return generate_password_hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password; without a hash, still spend the time of one check (no timing oracle)."""
    if not password_hash:
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(password_hash, password)
