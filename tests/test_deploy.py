"""Deployment: the client's address and scheme behind the proxy, and gunicorn's settings."""

import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from cryptography.fernet import Fernet
from flask import request

from config import BASE_DIR
from lokalatih import create_app

FORWARDED = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}


def _echo_app(config, monkeypatch, database_url, **overrides):
    monkeypatch.setenv("SECRET_KEY", "a-long-random-production-secret")
    monkeypatch.setenv("TWO_FACTOR_KEYS", Fernet.generate_key().decode())
    app = create_app(config, SQLALCHEMY_DATABASE_URI=database_url, **overrides)

    @app.get("/_test/echo")
    def echo():
        return {"addr": request.remote_addr, "scheme": request.scheme}

    return app


def test_production_takes_the_client_address_and_scheme_from_one_proxy(monkeypatch, database_url):
    app = _echo_app("production", monkeypatch, database_url, TRUSTED_PROXY_HOPS=1)

    seen = app.test_client().get("/_test/echo", headers=FORWARDED).get_json()

    assert seen == {"addr": "203.0.113.9", "scheme": "https"}


def test_only_the_last_hop_is_trusted_so_a_client_cannot_forge_its_address(
    monkeypatch, database_url
):
    app = _echo_app("production", monkeypatch, database_url, TRUSTED_PROXY_HOPS=1)

    forged = {"X-Forwarded-For": "10.0.0.1, 198.51.100.7"}  # the client sent 10.0.0.1 itself
    seen = app.test_client().get("/_test/echo", headers=forged).get_json()

    assert seen["addr"] == "198.51.100.7"


def test_production_trusts_no_proxy_by_default_and_says_so_in_the_log(
    monkeypatch, database_url, caplog
):
    """Reached directly, a client could otherwise rotate X-Forwarded-For past every limit."""
    monkeypatch.delenv("TRUSTED_PROXY_HOPS", raising=False)
    monkeypatch.setattr("lokalatih.web._warned_untrusted_forwarding", False)
    app = _echo_app("production", monkeypatch, database_url)

    with caplog.at_level("WARNING", logger="lokalatih.web"):
        seen = app.test_client().get("/_test/echo", headers=FORWARDED).get_json()
        app.test_client().get("/_test/echo", headers=FORWARDED)

    assert app.config["TRUSTED_PROXY_HOPS"] == 0
    assert seen == {"addr": "127.0.0.1", "scheme": "http"}
    warnings = [r for r in caplog.records if "TRUSTED_PROXY_HOPS is 0" in r.getMessage()]
    assert len(warnings) == 1


def _gunicorn_settings(monkeypatch, **env) -> dict:
    for name in ("WEB_CONCURRENCY", "GUNICORN_MAX_WORKERS", "GUNICORN_BIND"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(BASE_DIR) / "gunicorn.conf.py"))


def test_gunicorn_workers_default_to_twice_the_cores_plus_one_capped(monkeypatch):
    settings = _gunicorn_settings(monkeypatch)

    assert settings["default_workers"](cores=2) == 5
    assert settings["default_workers"](cores=16, cap=8) == 8
    assert settings["bind"] == ["127.0.0.1:8000"]
    assert settings["max_requests"] > 0 and settings["max_requests_jitter"] > 0


def test_gunicorn_reads_workers_and_bind_from_the_environment(monkeypatch):
    settings = _gunicorn_settings(monkeypatch, WEB_CONCURRENCY="3", GUNICORN_BIND="0.0.0.0:9000")

    assert settings["workers"] == 3
    assert settings["bind"] == ["0.0.0.0:9000"]


def test_access_log_has_no_address_query_referrer_agent_or_token(monkeypatch):
    settings = _gunicorn_settings(monkeypatch)
    logger = settings["RedactingLogger"](SimpleNamespace(**_logger_cfg()))
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/atur-ulang-sandi/eyJ1c2VyIjo0Mn0.secret?email=siti@example.org",
        "PATH_INFO": "/atur-ulang-sandi/eyJ1c2VyIjo0Mn0.secret",
        "QUERY_STRING": "email=siti@example.org",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.9",
        "HTTP_REFERER": "https://lokalatih.example/?email=siti@example.org",
        "HTTP_USER_AGENT": "Mozilla/5.0",
    }
    response = SimpleNamespace(status="200 OK", sent=123, headers=[])
    request_ = SimpleNamespace(headers=[("COOKIE", "session=abc"), ("X-FORWARDED-FOR", "1.2.3.4")])

    atoms = logger.atoms(response, request_, environ, timedelta(milliseconds=12))
    line = settings["access_log_format"] % atoms

    assert "/atur-ulang-sandi/:token" in line
    for secret in ("eyJ1c2VyIjo0Mn0", "siti@example.org", "203.0.113.9", "Mozilla"):
        assert secret not in line
        assert all(secret not in str(value) for value in atoms.values())
    assert atoms["{cookie}i"] == "-" and atoms["{x-forwarded-for}i"] == "-"


def _logger_cfg() -> dict:
    # The settings gunicorn's Logger reads in its constructor.
    return {
        "errorlog": "-",
        "loglevel": "info",
        "accesslog": None,
        "access_log_format": "",
        "logconfig": None,
        "logconfig_dict": {},
        "logconfig_json": None,
        "syslog": False,
        "syslog_addr": "",
        "syslog_prefix": None,
        "syslog_facility": "user",
        "disable_redirect_access_to_syslog": False,
        "capture_output": False,
        "user": 0,
        "group": 0,
        "dogstatsd_tags": "",
        "statsd_host": None,
    }


def test_the_master_compiles_every_template_before_forking_workers(monkeypatch, app):
    settings = _gunicorn_settings(monkeypatch)
    logged = []
    server = SimpleNamespace(
        app=SimpleNamespace(wsgi=lambda: app),
        log=SimpleNamespace(info=lambda *args: logged.append(args)),
    )
    names = app.jinja_env.list_templates(extensions=("html", "txt"))
    assert "quizzes/attempt.html" in names

    settings["when_ready"](server)

    compiled = {key[1] for key in app.jinja_env.cache}
    assert set(names) <= compiled
    assert logged and logged[0][1] == len(compiled)
