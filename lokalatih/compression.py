"""gzip for pages, styles and scripts when the browser accepts it, where it pays.

nginx compresses in front of gunicorn in the documented deployment (docs/DEPLOY.md); this covers
the shapes without it (`make serve-prod`, a host that exposes gunicorn) so the pages travel small
either way. nginx leaves an already compressed response alone.

Only whole bodies are compressed: a streamed response (a ZIP built while it is sent) or a file
handed out by `send_file` passes through untouched, as does anything already encoded, smaller than
`MIN_SIZE` or not text. Static files are compressed once per file version and kept.
"""

from __future__ import annotations

import gzip
import threading

from flask import Flask, Response, current_app, request

MIN_SIZE = 1024  # below this the gzip header and CPU cost more than they save
LEVEL = 6  # as nginx's gzip_comp_level in docs/DEPLOY.md
TYPES = {
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
}
_static: dict[tuple, bytes] = {}
_static_lock = threading.Lock()


def _wanted(response: Response) -> bool:
    return (
        current_app.config.get("COMPRESS_RESPONSES", True)
        and response.status_code == 200
        and response.mimetype in TYPES
        and "Content-Encoding" not in response.headers
        and "gzip" in request.headers.get("Accept-Encoding", "").lower()
        and request.method != "HEAD"
    )


def _static_body(response: Response) -> bytes | None:
    """A static file's compressed bytes, made once per (path, size, mtime)."""
    key = (request.path, response.content_length, response.last_modified)
    with _static_lock:
        body = _static.get(key)
    if body is None:
        response.direct_passthrough = False
        raw = response.get_data()
        body = gzip.compress(raw, LEVEL, mtime=0) if len(raw) >= MIN_SIZE else b""
        with _static_lock:
            _static[key] = body
    return body or None


def compress(response: Response) -> Response:
    response.vary.add("Accept-Encoding")
    if not _wanted(response):
        return response
    original = response.response  # a static file's open file wrapper: closed below
    if request.endpoint == "static":
        body = _static_body(response)
    elif response.is_streamed or response.direct_passthrough:
        return response
    else:
        raw = response.get_data()
        body = gzip.compress(raw, LEVEL, mtime=0) if len(raw) >= MIN_SIZE else None
    if body is None:
        if original is not response.response and hasattr(original, "close"):
            original.close()  # read into memory: the file is no longer needed
        return response
    response.direct_passthrough = False
    response.set_data(body)
    if hasattr(original, "close"):
        original.close()
    response.headers["Content-Encoding"] = "gzip"
    etag, weak = response.get_etag()
    if etag and not weak:
        # As nginx does: a strong validator names one byte sequence, so the compressed one gets
        # the weak form, which If-None-Match still matches (weak comparison), so 304s keep working.
        response.set_etag(etag, weak=True)
    return response


def init_app(app: Flask) -> None:
    # Registered first, so it runs after every other after_request function (Flask runs them in
    # reverse order): the page is final, committed and carries all its headers when compressed.
    app.after_request(compress)
