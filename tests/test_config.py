"""Configuration: production refuses to start insecurely; DATABASE_URL selects the database."""

import pytest

from config import DEV_TWO_FACTOR_KEY
from lokalatih import create_app


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production")


PRODUCTION_TWO_FACTOR_KEY = "cHJvZHVjdGlvbi10d28tZmFjdG9yLWtleS1mb3ItdGU="
OLD_TWO_FACTOR_KEY = "b2xkLXR3by1mYWN0b3Ita2V5LWtlcHQtZm9yLWEtd2g="


def test_production_refuses_to_start_without_two_factor_keys_of_its_own(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret")
    monkeypatch.delenv("TWO_FACTOR_KEYS", raising=False)
    with pytest.raises(RuntimeError, match="TWO_FACTOR_KEYS"):
        create_app("production")

    monkeypatch.setenv("TWO_FACTOR_KEYS", DEV_TWO_FACTOR_KEY)
    with pytest.raises(RuntimeError, match="TWO_FACTOR_KEYS"):
        create_app("production")


def test_production_starts_with_a_secret_key_and_secure_cookies(monkeypatch, database_url):
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret")
    monkeypatch.setenv("TWO_FACTOR_KEYS", f"{PRODUCTION_TWO_FACTOR_KEY}, {OLD_TWO_FACTOR_KEY}")

    app = create_app("production", SQLALCHEMY_DATABASE_URI=database_url)

    assert app.config["SECRET_KEY"] == "a-long-random-production-secret"
    assert app.config["TWO_FACTOR_KEYS"] == (PRODUCTION_TWO_FACTOR_KEY, OLD_TWO_FACTOR_KEY)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    response = app.test_client().get("/")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_unknown_configuration_name_is_refused():
    with pytest.raises(RuntimeError, match="unknown configuration"):
        create_app("staging")
