"""A dict that lives exactly as long as the current request.

`g` outlives a request when an app context was pushed around it (tests, the CLI): a memo kept in
`g` alone would answer the next request from this one. This one belongs to one request object.
"""

from __future__ import annotations

from flask import g, has_request_context, request


def request_memo(name: str) -> dict | None:
    """The request's memo called `name` (made empty on first use); None outside a request."""
    if not has_request_context():
        return None
    current = request._get_current_object()
    kept = g.get(name)
    if kept is None or kept[0] is not current:
        kept = (current, {})
        setattr(g, name, kept)
    return kept[1]


def forget_request_memo(name: str) -> None:
    if has_request_context():
        g.pop(name, None)
