"""The anonymous catalogue and workshop page: rendered once per version, 304 when unchanged.

Most visitors of the public pages are not signed in and see the same page. A page is kept per
process under a *version key*: everything the page depends on that can change (the workshops'
last change and number for the catalogue; the workshop's last change, its seat counter and whether
registration is open for its page; the path with its query, the language and the day in WIB).
A change to a workshop moves its `updated_at` (and `touch_parent_workshops` below moves it when
only its sessions, topics or quotas change); a seat taken or given back moves `seat_lock_version`
(workshops/capacity.py), so the next request after the commit finds a new key, in every process.

The page holds the visitor's own CSRF token (the language switch is a form): it is kept with a
placeholder and the token is put in per request. The ETag is the version key and the visitor's
CSRF secret, so a browser that sends it back gets a 304 without anything being rendered.
Signed-in visitors, pages with a flashed message and error pages are never kept.

Web-layer helper: imported by the routes only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import Response, current_app, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event
from sqlalchemy.orm import Session

from ..forms import CSRF_FIELD, csrf_token_as
from ..kept import kept
from ..models import (
    Quota,
    Workshop,
    WorkshopSession,
    WorkshopTimezone,
    WorkshopTopic,
    utcnow,
)

MAX_ENTRIES = 512
_PLACEHOLDER = "@@lokalatih-csrf-token@@"


@dataclass(frozen=True)
class _Entry:
    body: str
    status: int
    rendered_at: datetime


def catalogue_version() -> tuple:
    """What every catalogue page depends on besides its query: one small aggregate."""
    from ..extensions import db

    count, last_change = db.session.execute(
        sa.select(sa.func.count(Workshop.id), sa.func.max(Workshop.updated_at))
    ).one()
    return (count, str(last_change))


def workshop_version(workshop: Workshop, registration_open: bool) -> tuple:
    return (workshop.id, str(workshop.updated_at), workshop.seat_lock_version, registration_open)


def cacheable() -> bool:
    return (
        current_app.config.get("PUBLIC_PAGE_CACHE", True)
        and request.method in ("GET", "HEAD")
        and not current_user.is_authenticated
        and "_flashes" not in session
    )


def _etag(key: tuple) -> str:
    secret = str(session.get(CSRF_FIELD, ""))
    return hashlib.sha256(repr((key, secret)).encode()).hexdigest()[:32]


def cached_page(version: tuple, render: Callable[[], str | tuple[str, int]]) -> Response:
    """The page for `version`: 304 when the browser holds it, else the kept copy (or `render()`'s,
    which is kept when it is a 200) with this visitor's CSRF token."""
    key = (version, request.full_path, str(get_locale()), _today_wib())
    pages = kept("public_page_cache", MAX_ENTRIES)
    entry = pages.get(key)
    if entry is None:
        with csrf_token_as(_PLACEHOLDER):  # csrf_token() in the template gives the placeholder
            page = render()
        body, status = page if isinstance(page, tuple) else (page, 200)
        entry = _Entry(body, status, utcnow().replace(microsecond=0))
        if status == 200:
            pages.put(key, entry)
    if _PLACEHOLDER in entry.body:
        body = entry.body.replace(_PLACEHOLDER, generate_csrf())
    else:
        body = entry.body
    response = Response(body, entry.status, mimetype="text/html")
    if entry.status == 200:
        etag = _etag(key)  # generate_csrf may just have created the visitor's secret
        response.set_etag(etag)
        response.last_modified = entry.rendered_at.replace(tzinfo=UTC)
        response.headers["Cache-Control"] = "no-cache"  # keep it, but ask each time
        response.vary.add("Cookie")
        response.make_conditional(request)
    return response


def _today_wib() -> str:
    return datetime.now(WorkshopTimezone.WIB.zone).date().isoformat()


def touch_parent_workshops(session: Session, flush_context, instances) -> None:
    """Before a flush: a changed session, topic or quota moves its workshop's `updated_at`, so
    the public pages' version keys see it."""
    workshop_ids = set()
    now = utcnow()
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, WorkshopSession | WorkshopTopic | Quota) and obj.workshop_id:
            workshop_ids.add(obj.workshop_id)
        elif isinstance(obj, Workshop) and obj in session.dirty:
            obj.updated_at = now  # a collection (its topics) may be all that changed
    if not workshop_ids:
        return
    with session.no_autoflush:
        for workshop_id in workshop_ids:
            workshop = session.get(Workshop, workshop_id)
            if workshop is not None and workshop not in session.deleted:
                workshop.updated_at = now


def connect() -> None:
    if not event.contains(Session, "before_flush", touch_parent_workshops):
        event.listen(Session, "before_flush", touch_parent_workshops)
