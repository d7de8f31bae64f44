"""`flask users create | set-role | list`."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from werkzeug.security import check_password_hash

from lokalatih.models import AuditEvent, Role, User

STRONG = "Pelatihan-HAM-Kupang-26"


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def _user(db, email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.email == email))


def test_create_admin_makes_a_verified_admin_who_can_log_in(runner, db, client):
    result = runner.invoke(
        args=["users", "create", "--role", "admin", "--password-stdin", "Admin@Komnas.example"],
        input=STRONG + "\n",
    )

    assert result.exit_code == 0, result.output
    admin = _user(db, "admin@komnas.example")
    assert admin.role == Role.ADMIN
    assert admin.is_verified
    assert check_password_hash(admin.password_hash, STRONG)
    response = client.post("/masuk", data={"email": "admin@komnas.example", "password": STRONG})
    assert response.status_code == 302


def test_create_prompts_twice_for_a_hidden_password(runner, db):
    result = runner.invoke(
        args=["users", "create", "--role", "organizer", "rina@contoh.id"],
        input=f"{STRONG}\n{STRONG}\n",
    )

    assert result.exit_code == 0, result.output
    assert STRONG not in result.output
    assert _user(db, "rina@contoh.id").role == Role.ORGANIZER


def test_create_with_password_option_defaults_to_participant(runner, db):
    result = runner.invoke(args=["users", "create", "--password", STRONG, "budi@contoh.id"])

    assert result.exit_code == 0, result.output
    assert _user(db, "budi@contoh.id").role == Role.PARTICIPANT


def test_create_refuses_a_duplicate_email_whatever_its_case(runner, make_user):
    make_user("siti@contoh.id")

    result = runner.invoke(args=["users", "create", "--password", STRONG, "SITI@contoh.id"])

    assert result.exit_code == 1
    assert "sudah terdaftar" in result.output
    assert "Traceback" not in result.output


def test_create_refuses_an_unknown_role(runner, db):
    result = runner.invoke(
        args=["users", "create", "--role", "superuser", "--password", STRONG, "x@contoh.id"]
    )

    assert result.exit_code == 2
    assert "superuser" in result.output
    assert _user(db, "x@contoh.id") is None


def test_create_refuses_a_malformed_email(runner, db):
    result = runner.invoke(args=["users", "create", "--password", STRONG, "bukan-email"])

    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


@pytest.mark.parametrize("password", ["password1", "pendek", "siti.rahma-2026"])
def test_create_refuses_a_weak_password(runner, db, password):
    # A common password, a short one, and one built from the address.
    result = runner.invoke(
        args=["users", "create", "--role", "admin", "--password", password, "siti.rahma@contoh.id"]
    )

    assert result.exit_code == 1
    assert "Sandi" in result.output
    assert _user(db, "siti.rahma@contoh.id") is None


def test_create_refuses_mismatched_prompted_passwords(runner, db):
    result = runner.invoke(
        args=["users", "create", "rina@contoh.id"],
        input=f"{STRONG}\nLainLagi-2026-xyz\n",
    )

    assert result.exit_code != 0
    assert _user(db, "rina@contoh.id") is None


def test_set_role_changes_the_role_and_audits_it(runner, db, make_user):
    user = make_user("rina@contoh.id")

    result = runner.invoke(args=["users", "set-role", "Rina@contoh.id", "reviewer"])

    assert result.exit_code == 0, result.output
    assert "participant -> reviewer" in result.output
    assert _user(db, "rina@contoh.id").role == Role.REVIEWER
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "role_changed"))
    assert event.object_id == str(user.id)
    assert event.details == {"old_role": "participant", "new_role": "reviewer"}


def test_set_role_refuses_an_unknown_account(runner):
    result = runner.invoke(args=["users", "set-role", "hilang@contoh.id", "admin"])

    assert result.exit_code == 1
    assert "tidak ditemukan" in result.output


def test_set_role_refuses_an_unknown_role(runner, make_user):
    make_user("rina@contoh.id")

    result = runner.invoke(args=["users", "set-role", "rina@contoh.id", "raja"])

    assert result.exit_code == 2


def test_list_shows_accounts_and_filters_by_role(runner, make_user):
    make_user("admin@contoh.id", role=Role.ADMIN)
    make_user("peserta@contoh.id", verified=False)

    everyone = runner.invoke(args=["users", "list"])
    admins = runner.invoke(args=["users", "list", "--role", "admin"])

    assert "admin@contoh.id" in everyone.output
    assert "peserta@contoh.id" in everyone.output and "unverified" in everyone.output
    assert "admin@contoh.id" in admins.output
    assert "peserta@contoh.id" not in admins.output
