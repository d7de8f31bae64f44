"""Request-level wiring: error pages, template helpers, loading the user early."""

from __future__ import annotations

import sqlalchemy.exc
from flask import Flask, render_template, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from . import security
from .extensions import db
from .i18n import LANGUAGE_NAMES

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


def render_error(code: int):
    message = ERROR_MESSAGES.get(code, ERROR_MESSAGES[500])
    return render_template("errors/error.html", code=code, message=message), code


def _handle_csrf_error(error: CSRFError):
    return render_template("errors/error.html", code=400, message=CSRF_MESSAGE), 400


def _handle_http_error(error: HTTPException):
    if error.code is None or error.code < 400:
        return error
    return render_error(error.code)


def _handle_database_down(error: sqlalchemy.exc.OperationalError):
    db.session.rollback()
    return render_error(503)


def _handle_unexpected(error: Exception):
    db.session.rollback()
    return render_error(500)


def _load_user_early() -> None:
    # The login-session loader may commit; run it before a view has pending changes.
    if request.endpoint and request.endpoint != "static":
        current_user._get_current_object()


def _template_globals() -> dict:
    return {"current_locale": str(get_locale()), "language_names": LANGUAGE_NAMES}


def init_app(app: Flask) -> None:
    security.init_app(app)
    app.before_request(_load_user_early)
    app.context_processor(_template_globals)
    # Email templates render outside requests too (jobs), where context processors may not run.
    app.jinja_env.globals["get_locale"] = get_locale
    app.register_error_handler(CSRFError, _handle_csrf_error)
    app.register_error_handler(HTTPException, _handle_http_error)
    app.register_error_handler(sqlalchemy.exc.OperationalError, _handle_database_down)
    if not app.testing:
        app.register_error_handler(Exception, _handle_unexpected)
