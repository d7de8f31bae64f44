"""Views a whole class calls at the same moment (the attempt page, and the answer save many times
each), marked so that the work every request does before the view stays small
(docs/PERFORMANCE.md, issue 21).

A marked view has no rate limit (a class shares one address), and the limiter skips it before
any of its bookkeeping: `limiter.exempt` alone still resolves the limits on every request. The
login loader builds only the user's columns such a request reads (`auth.sessions`); any other
column is loaded when something reads it, so nothing is wrong, only slower, if one is read.
Never mark a view that has, or needs, a rate limit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import current_app, has_request_context, request

from .extensions import limiter

_MARK = "lokalatih_hot_path"

View = TypeVar("View", bound=Callable)


def hot_path(view: View) -> View:
    """Mark `view` (under the route decorator): no rate limit, a lighter login loader."""
    setattr(view, _MARK, True)
    return limiter.exempt(view)


def is_marked(view: Callable | None) -> bool:
    return getattr(view, _MARK, False)


def is_hot_path() -> bool:
    """True while a request to a marked view runs."""
    if not has_request_context() or request.endpoint is None:
        return False
    return is_marked(current_app.view_functions.get(request.endpoint))


# Registered once, with the limiter itself (both live as long as the process): a request filter
# that returns True skips every limit before they are resolved.
limiter.request_filter(is_hot_path)
