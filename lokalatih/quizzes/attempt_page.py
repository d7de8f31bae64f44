"""The attempt page: rendered once per quiz, language and navigation, then filled per attempt.

A whole class loads this page at the same moment, and rendering its templates was the largest
part of its cost under gunicorn (29 % of the samples, docs/PERFORMANCE.md, issue 21). Around
the questions the page is the same for every participant of a quiz, except for seven values:
the CSRF token, the attempt's id (in its form addresses), the remaining time (as seconds and as
a clock), the deadline, the questions with the saved answers, and how many are answered.

So the page is rendered once with a marker in place of each of them and split at the markers,
and the pieces are kept per process. A request joins them with its own values, which costs a
few microseconds instead of a render.

The key of a kept page holds the values the page shows rather than a version:
- the quiz's title and kind, the workshop's title and zone;
- the number of questions, the language;
- the viewer's role, for the navigation;
- whether the consent notice shows.

An edit therefore needs no invalidation: the next request finds a new key. A page with a
flashed message or a query string is rendered in full, as is any page whose titles happen to
hold a marker.

Web-layer helper: imported by the quiz routes only.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import current_app, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape

from ..forms import csrf_token_as
from ..kept import kept
from ..models import Attempt, Quiz, Workshop
from ..privacy.consent import consent_notice_needed
from .attempt_views import ShownAttempt

MAX_SHELLS = 256

# The attempt's id goes through url_for's integer converter, so its marker is a number no
# attempt reaches; the other markers are words that escaping leaves as they are.
ATTEMPT_MARKER = 918273645546372819
CSRF, REMAINING, CLOCK, DEADLINE, QUESTIONS, ANSWERED = (
    f"@@lokalatih-{name}@@"
    for name in ("csrf", "remaining", "clock", "deadline", "questions", "answered")
)
_MARKERS = re.compile(
    "("
    + "|".join(
        map(re.escape, (str(ATTEMPT_MARKER), CSRF, REMAINING, CLOCK, DEADLINE, QUESTIONS, ANSWERED))
    )
    + ")"
)


def clock(seconds: int) -> str:
    """The remaining time as the page's clock shows it before its script runs: 1:05:09, 59:59."""
    hours, rest = divmod(seconds, 3600)
    if hours:
        return f"{hours}:{rest // 60:02d}:{rest % 60:02d}"
    return f"{rest // 60}:{rest % 60:02d}"


def _usable(quiz: Quiz, workshop: Workshop) -> bool:
    return (
        current_app.config.get("ATTEMPT_PAGE_SHELLS", True)
        and not request.query_string
        and "_flashes" not in session
        and _MARKERS.search(f"{quiz.title}\n{workshop.title}") is None
    )


def render(
    attempt: Attempt | ShownAttempt,
    workshop: Workshop,
    values: dict[str, object],
    render_page: Callable[[dict[str, object]], str],
) -> str:
    """The page for `attempt`. `values` holds the seven per-attempt values under the names the
    template uses; `render_page(values)` renders the template with them."""
    quiz = attempt.quiz
    if not _usable(quiz, workshop):
        return render_page(values)
    key = (
        quiz.id,
        quiz.title,
        quiz.kind,
        workshop.title,
        workshop.timezone,
        values["total"],
        str(get_locale()),
        current_user.role,
        consent_notice_needed(current_user),
    )
    shells = kept("attempt_page_shells", MAX_SHELLS)
    pieces = shells.get(key)
    if pieces is None:
        pieces = _MARKERS.split(_render_shell(values, render_page))
        shells.put(key, pieces)
    fill = {
        str(ATTEMPT_MARKER): str(attempt.id),
        CSRF: generate_csrf(),
        REMAINING: str(values["remaining"]),
        CLOCK: str(values["clock"]),
        DEADLINE: str(escape(values["deadline"])),
        QUESTIONS: str(values["questions"]),
        ANSWERED: str(values["answered"]),
    }
    # re.split with one group: the markers are at the odd places.
    return "".join([fill[piece] if index % 2 else piece for index, piece in enumerate(pieces)])


def _render_shell(values: dict[str, object], render_page: Callable[[dict[str, object]], str]):
    marked = {
        **values,
        "attempt_id": ATTEMPT_MARKER,
        "remaining": REMAINING,
        "clock": CLOCK,
        "deadline": DEADLINE,
        "questions": Markup(QUESTIONS),  # noqa: S704 (a fixed word)
        "answered": ANSWERED,
        "language_next": _language_next(),
    }
    with csrf_token_as(CSRF):  # csrf_token() in the templates gives the marker
        return render_page(marked)


def _language_next() -> str:
    """The language switch's way back, with the attempt's id marked (the layout writes the path)."""
    return request.path.rsplit("/", 1)[0] + f"/{ATTEMPT_MARKER}"
