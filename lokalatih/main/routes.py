from urllib.parse import urlsplit

from flask import redirect, render_template, session, url_for
from flask_login import current_user

from . import services
from .blueprint import bp
from .forms import LanguageForm


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


@bp.get("/")
def home():
    return render_template("main/home.html")


@bp.post("/bahasa")
def set_language():
    form = LanguageForm()
    target = safe_next(form.next.data, url_for("main.home"))
    if form.validate_on_submit():
        session["lang"] = form.lang.data
        if current_user.is_authenticated:
            services.set_user_language(current_user, form.lang.data)
    return redirect(target)
