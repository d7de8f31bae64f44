"""Request-level wiring: error pages, template helpers, loading the user early."""

from __future__ import annotations

import logging
import secrets

import sqlalchemy.exc
from flask import Flask, current_app, g, make_response, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from . import security
from .extensions import db, login_manager
from .forms import DB_INTEGER_MAX
from .i18n import LANGUAGE_NAMES

logger = logging.getLogger(__name__)

ERROR_MESSAGES = {
    400: _l("Permintaan tidak dapat diproses. Periksa kembali isian Anda."),
    403: _l("Anda tidak memiliki akses ke halaman ini."),
    404: _l("Halaman tidak ditemukan."),
    405: _l("Cara membuka halaman ini tidak diizinkan."),
    413: _l("Berkas yang dikirim terlalu besar."),
    429: _l("Terlalu banyak percobaan. Tunggu sebentar lalu coba lagi."),
    500: _l("Terjadi kesalahan pada server. Tim kami sudah dicatat; silakan coba lagi."),
    503: _l("Layanan sedang tidak tersedia sementara. Silakan coba lagi sebentar lagi."),
}
CSRF_MESSAGE = _l(
    "Formulir ini sudah kedaluwarsa atau tidak dikirim dari halaman lokalatih. "
    "Muat ulang halaman lalu kirim sekali lagi."
)


class IdConverter(IntegerConverter):
    """`<int:...>` in URLs: a number no id column can hold is not found, not a database error."""

    def __init__(self, map, fixed_digits=0, min=None, max=DB_INTEGER_MAX, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits, min, max, signed)


MAX_PAGE = 100_000  # no list here has that many pages; a larger number is a typo or a probe


def page_number(name: str = "page") -> int:
    """The page asked for in the query string: 1 unless it is a number from 1 to MAX_PAGE (a huge
    number would otherwise overflow the database's integer in the OFFSET)."""
    value = request.args.get(name, "")
    if not value.isdigit() or len(value) > len(str(MAX_PAGE)):
        return 1
    return min(max(int(value), 1), MAX_PAGE)


def render_error(code: int):
    message = ERROR_MESSAGES.get(code, ERROR_MESSAGES[500])
    request_id = _request_id() if code >= 500 else None
    page = render_template("errors/error.html", code=code, message=message, request_id=request_id)
    return page, code


def _handle_csrf_error(error: CSRFError):
    db.session.rollback()
    return render_template("errors/error.html", code=400, message=CSRF_MESSAGE), 400


def _handle_http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    db.session.rollback()  # a view that aborts keeps nothing it changed (unit_of_work)
    return render_error(error.code)


RETRY_AFTER_SECONDS = 10


def database_down_response(error: BaseException):
    """The answer to any request the database could not serve: the 503 page, or JSON for a
    request that sent or wants JSON (the quiz page's saves retry on it), with Retry-After."""
    logger.warning("database unavailable, request %s", _request_id(), exc_info=error)
    db.session.rollback()
    # The page must not ask the database again: the template's current_user would run the
    # loader (or refresh the user the rollback expired), fail the same way and make it a 500.
    g._login_user = login_manager.anonymous_user()
    if wants_json():
        response = make_response({"error": str(ERROR_MESSAGES[503])}, 503)
    else:
        response = make_response(*render_error(503))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


# Endpoints whose every answer is JSON, errors included (a monitor parses /health).
JSON_ENDPOINTS = {"main.health"}


def wants_json() -> bool:
    return (
        request.is_json
        or request.accept_mimetypes.best == "application/json"
        or request.endpoint in JSON_ENDPOINTS
    )


def _handle_database_down(error: sqlalchemy.exc.OperationalError):
    return database_down_response(error)


def _handle_unexpected(error: Exception):
    # A handler for Exception keeps Flask from logging it: log the traceback here, with the id
    # the error page shows, so a participant's report leads to the line.
    logger.exception(
        "unexpected error, request %s: %s %s", _request_id(), request.method, request.path
    )
    db.session.rollback()
    return render_error(500)


def _request_id() -> str:
    if "request_id" not in g:
        g.request_id = secrets.token_hex(6)
    return g.request_id


def _assign_request_id() -> None:
    _request_id()  # returns nothing: a before_request value would be taken as the response


def _tag_response(response):
    response.headers["X-Request-Id"] = _request_id()
    return response


def _end_session(error: BaseException | None) -> None:
    """Close the request's database session before Flask-SQLAlchemy's own teardown does.

    Closing rolls back on the connection; if the database went away after the response was
    built (a restart, a failover), that rollback raises and would turn a finished request into a
    500. The server has already dropped the transaction, so the session is discarded instead."""
    try:
        db.session.remove()
    except sqlalchemy.exc.DBAPIError:
        logger.warning("database connection lost while closing a request's session", exc_info=True)
        db.session.registry.clear()


_warned_untrusted_forwarding = False


def _warn_of_untrusted_forwarding() -> None:
    """Once per process: forwarded headers arrive but no proxy is trusted, so every client shares
    the proxy's address (rate limits, the audit log) until TRUSTED_PROXY_HOPS is set."""
    global _warned_untrusted_forwarding
    if _warned_untrusted_forwarding or current_app.config.get("TRUSTED_PROXY_HOPS", 0):
        return
    if "X-Forwarded-For" in request.headers or "X-Forwarded-Proto" in request.headers:
        _warned_untrusted_forwarding = True
        logger.warning(
            "X-Forwarded-For/-Proto received but TRUSTED_PROXY_HOPS is 0: they are ignored; "
            "behind a proxy set TRUSTED_PROXY_HOPS (docs/DEPLOY.md)"
        )


# Endpoints that never need the user: the health check must answer JSON even when the
# database is down, so it must not run the user loader first.
NO_USER_ENDPOINTS = {"static", "main.health"}


def _load_user_early() -> None:
    # The login-session loader may commit; run it before a view has pending changes.
    if request.endpoint and request.endpoint not in NO_USER_ENDPOINTS:
        current_user._get_current_object()


def _template_globals() -> dict:
    return {"current_locale": str(get_locale()), "language_names": LANGUAGE_NAMES}


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _refuse_nul_bytes():
    """A NUL byte in the path, the query or a form field is a 400: no browser sends one, and
    PostgreSQL refuses it in any text it is asked to store or compare (a 500 otherwise)."""
    fields = [request.path, *(part for item in request.args.items(multi=True) for part in item)]
    if request.method == "POST" and request.mimetype in FORM_TYPES:
        fields += [part for item in request.form.items(multi=True) for part in item]
    if any("\x00" in text for text in fields):
        return render_error(400)
    return None


def init_app(app: Flask) -> None:
    security.init_app(app)
    app.before_request(_assign_request_id)
    app.after_request(_tag_response)
    app.before_request(_refuse_nul_bytes)
    app.before_request(_warn_of_untrusted_forwarding)
    app.before_request(_load_user_early)
    app.context_processor(_template_globals)
    # Email templates render outside requests too (jobs), where context processors may not run.
    app.jinja_env.globals["get_locale"] = get_locale
    app.register_error_handler(CSRFError, _handle_csrf_error)
    app.register_error_handler(HTTPException, _handle_http_error)
    app.register_error_handler(sqlalchemy.exc.OperationalError, _handle_database_down)
    # Teardowns run in reverse order of registration: this one runs before Flask-SQLAlchemy's.
    app.teardown_appcontext(_end_session)
    if not app.testing:
        app.register_error_handler(Exception, _handle_unexpected)
