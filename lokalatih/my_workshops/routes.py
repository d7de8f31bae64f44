"""The page "Loka latih saya": one thin view over the read model."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from ..workshops.timefmt import date_range
from .blueprint import bp
from .read_model import my_workshops


@bp.get("/workshop-saya")
@login_required
def mine():
    return render_template(
        "my_workshops/mine.html", rows=my_workshops(current_user), dates=date_range
    )
