"""Response headers, role checks and redirect targets that every view relies on."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, request, session
from flask_login import current_user, login_required

from .models import Role, User

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        # qr-scanner runs its decoder in a worker made from a blob: URL.
        "worker-src 'self' blob:",
        "media-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


# Who manages workshops: their organizers, and admins (who may manage any).
MANAGER_ROLES = (Role.ORGANIZER, Role.ADMIN)


def current_person() -> User:
    """The signed-in user, the real object rather than Flask-Login's proxy: services attach it
    to relationships and store it on rows."""
    return current_user._get_current_object()


def safe_next(target: str | None, fallback: str) -> str:
    """Only same-site relative paths: an open redirect would let a link send users elsewhere."""
    if not target:
        return fallback
    # A line break would split the Location header; browsers read "\\" as "/" ("/\\evil" leaves).
    if any(ord(char) < 32 or ord(char) == 127 for char in target) or "\\" in target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


def role_required(*roles: Role) -> Callable:
    """Only signed-in users with one of `roles`; others get 403, anonymous users the login page."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


# Every response carries these unless its view set its own; HSTS only where configured.
SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(self), geolocation=(), microphone=()"),
)
HSTS_HEADER = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def _set_security_headers(response: Response) -> Response:
    headers = response.headers
    # One pass over the headers, not one per name: this runs on every response, the answer
    # saves of a class included (docs/PERFORMANCE.md, issue 21).
    present = {name.lower() for name, _value in headers.items()}
    wanted = SECURITY_HEADERS + ((HSTS_HEADER,) if current_app.config.get("HSTS") else ())
    headers.extend([header for header in wanted if header[0].lower() not in present])
    # Pages that know who is looking may carry personal data: never store them in a cache.
    # Judged from the login cookie, not by loading the user: this runs on every response, the
    # health check's and the outage page's too, when the database may not answer.
    cacheable = "public" in headers.get("Cache-Control", "")
    if request.endpoint != "static" and not cacheable and session.get("_user_id"):
        headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    app.after_request(_set_security_headers)
