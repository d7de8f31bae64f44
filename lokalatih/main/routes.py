from flask import redirect, render_template, session, url_for
from flask_login import current_user

from ..security import safe_next
from . import services
from .blueprint import bp
from .forms import LanguageForm


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
