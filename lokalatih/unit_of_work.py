"""One unit of work per request, committed in one place.

A view validates its input, calls services and returns a page or a redirect; it never commits.
After the view, `_commit_or_roll_back` commits whatever the services changed, unless the response
is a server error. Everything that goes wrong before that rolls back first:

- a domain error a view turns into a message goes through `refuse` or `show_error`, which roll the
  services' changes back before the page is built;
- an error raised out of the view (`abort`, a CSRF failure, a lost database, a bug) is rolled back
  by its error handler in `web.py`.

The documented exception is a `RecordedFailure`: the service has recorded the failure on purpose (a
failed sign-in counter, the audit entry of a wrong password or code) before raising it, and that
record is the only change pending, so the request commits it like any other.
"""

from __future__ import annotations

import sqlalchemy.exc
from flask import Flask, Response, flash
from wtforms import Field

from .errors import LokalatihError, RecordedFailure
from .extensions import db
from .web import database_down_response


def refuse(error: LokalatihError) -> str:
    """End the request's changes because of `error` (but keep a recorded failure); its message."""
    if not isinstance(error, RecordedFailure):
        db.session.rollback()
    return str(error.message)


def show_error(
    error: LokalatihError, field: Field | None = None, category: str = "warning"
) -> None:
    """`refuse`, then show the message next to `field`, or at the top of the next page."""
    message = refuse(error)
    if field is not None:
        field.errors = [*field.errors, message]  # a tuple until the form has been validated
    else:
        flash(message, category)


def show_form_error(error: LokalatihError, form) -> None:
    """`show_error` next to the field the error names (`error.field`), else at the top."""
    name = getattr(error, "field", None)
    show_error(error, form[name] if name and name in form else None)


def _commit_or_roll_back(response: Response) -> Response:
    if response.status_code >= 500:
        db.session.rollback()
        return response
    try:
        db.session.commit()
    except sqlalchemy.exc.OperationalError as error:
        # The database went away between the view and the commit: nothing was kept, say so.
        return database_down_response(error)
    except Exception:
        db.session.rollback()
        raise
    return response


def init_app(app: Flask) -> None:
    app.after_request(_commit_or_roll_back)
