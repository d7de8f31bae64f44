"""Cloning a workshop and copying the pre-test into the post-test (services in cloning.py)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..forms import ActionForm
from ..models import QuizKind
from ..security import MANAGER_ROLES, current_person, role_required
from ..unit_of_work import show_error, show_form_error
from ..workshops.access import get_managed_workshop_or_404
from . import cloning, services
from .blueprint import bp
from .errors import QuizError
from .forms import CloneWorkshopForm


@bp.route("/kelola/<slug>/salin", methods=["GET", "POST"])
@role_required(*MANAGER_ROLES)
def clone_workshop(slug: str):
    workshop = get_managed_workshop_or_404(slug, current_person())
    form = CloneWorkshopForm(data={"start_date": workshop.start_date})
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("quizzes/clone.html", workshop=workshop, form=form), status
    try:
        copy = cloning.clone_workshop(
            workshop, current_person(), form.start_date.data, ip=request.remote_addr
        )
    except QuizError as error:
        show_form_error(error, form)
        return render_template("quizzes/clone.html", workshop=workshop, form=form), 400
    flash(_("Salinan dibuat sebagai draf. Periksa datanya sebelum diterbitkan."), "success")
    return redirect(url_for("workshops.manage", slug=copy.slug))


@bp.post("/kelola/<slug>/tes/post/salin-pre-test")
@role_required(*MANAGER_ROLES)
def copy_pre_test(slug: str):
    workshop = get_managed_workshop_or_404(slug, current_person())
    back = redirect(url_for("quizzes.manage", slug=slug, kind=QuizKind.POST.value))
    post = services.get_quiz(workshop, QuizKind.POST)
    if post is None:  # its settings were never saved: nothing to copy into yet
        flash(_("Simpan pengaturan pasca-tes terlebih dahulu."), "info")
        return back
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        added = cloning.copy_pre_into_post(post, current_person())
    except QuizError as error:
        show_error(error)
        return back
    flash(_("%(count)s soal pra-tes disalin ke pasca-tes.", count=added), "success")
    return back
