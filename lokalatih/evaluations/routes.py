"""Survey pages: the participant's form, the organizer's setup and results, the XLSX.
Thin views over `services` and `results`."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..forms import ActionForm
from ..models import Registration
from ..security import MANAGER_ROLES, current_person, role_required
from ..spreadsheets import download
from ..unit_of_work import refuse, show_error, show_form_error
from ..workshops.access import get_managed_workshop_or_404
from . import results, services
from .blueprint import bp
from .errors import EvaluationError, InvalidAnswerError, MissingAnswerError
from .forms import DeleteItemForm, ItemForm, WindowForm, window_values
from .items import SCALE, SCALE_LABELS, items_for

bp.add_app_template_global(SCALE_LABELS, "evaluation_scale_labels")


# --- the post-test result page and the dashboard ---------------------------------------------


@bp.app_template_global()
def evaluation_link(registration: Registration) -> services.EvaluationLink | None:
    """For the post-test's result page (quizzes sit below evaluations): where the participant
    stands with the survey (None: nothing to say). "Loka latih saya" reads it in its batch."""
    return services.evaluation_links([registration]).get(registration.id)


@bp.app_template_global()
def evaluation_overview(report=None) -> results.Overview | None:
    """For the review dashboard: the standard statements across the workshops the viewer sees."""
    return results.overview(
        results.workshop_ids_for(current_person()), getattr(report, "filters", None)
    )


# --- the participant ----------------------------------------------------------------------------


def _own_registration_or_404(registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.user_id != current_user.id:
        abort(404)
    return registration


def _render_form(registration, *, values=None, errors=None, status=200):
    workshop = registration.workshop
    opens_at, closes_at = services.window(workshop)
    return render_template(
        "evaluations/answer.html",
        registration=registration,
        workshop=workshop,
        items=items_for(workshop),
        form=ActionForm(),
        values=values or {},
        errors=errors or {},
        state=services.state(workshop),
        answered=services.has_answered(registration),
        opens_at=opens_at,
        closes_at=closes_at,
        scale=SCALE,
        scale_labels=SCALE_LABELS,
    ), status


@bp.route("/workshop-saya/<int:registration_id>/evaluasi", methods=["GET", "POST"])
@login_required
def answer(registration_id: int):
    registration = _own_registration_or_404(registration_id)
    if request.method == "GET":
        return _render_form(registration)
    form = ActionForm()
    values = {key: value for key, value in request.form.items() if key != "csrf_token"}
    if not form.validate_on_submit():
        return _render_form(registration, values=values, status=400)
    try:
        services.submit(registration, values, language=str(get_locale() or "id"))
    except (MissingAnswerError, InvalidAnswerError) as error:
        message = refuse(error)
        return _render_form(registration, values=values, errors={error.field: message}, status=400)
    except EvaluationError as error:
        show_error(error)
        return redirect(url_for("my_workshops.mine"))
    flash(_("Terima kasih, evaluasi Anda sudah tersimpan tanpa nama."), "success")
    return redirect(url_for("my_workshops.mine"))


# --- the organizer ------------------------------------------------------------------------------


def _render_manage(workshop, *, window_form=None, item_form=None, status=200):
    settings = services.settings_of(workshop)
    default_opens, default_closes = services.default_window(workshop)
    opens_at, closes_at = services.window(workshop)
    return render_template(
        "evaluations/manage.html",
        workshop=workshop,
        window_form=window_form
        or WindowForm(formdata=None, data=window_values(settings, workshop.timezone)),
        item_form=item_form or ItemForm(formdata=None),
        delete_form=DeleteItemForm(formdata=None),
        items=items_for(workshop),
        responses=services.response_count(workshop),
        state=services.state(workshop),
        opens_at=opens_at,
        closes_at=closes_at,
        default_opens=default_opens,
        default_closes=default_closes,
    ), status


@bp.get("/kelola/<slug>/evaluasi")
@role_required(*MANAGER_ROLES)
def manage(slug: str):
    return _render_manage(get_managed_workshop_or_404(slug, current_person()))


@bp.post("/kelola/<slug>/evaluasi/waktu")
@role_required(*MANAGER_ROLES)
def save_window(slug: str):
    workshop = get_managed_workshop_or_404(slug, current_person())
    form = WindowForm()
    if not form.validate_on_submit():
        return _render_manage(workshop, window_form=form, status=400)
    opens_at, closes_at = form.times(workshop.timezone)
    try:
        services.save_window(
            workshop, opens_at, closes_at, current_person(), ip=request.remote_addr
        )
    except EvaluationError as error:
        show_form_error(error, form)
        return _render_manage(workshop, window_form=form, status=400)
    flash(_("Waktu evaluasi disimpan."), "success")
    return redirect(url_for("evaluations.manage", slug=slug))


@bp.post("/kelola/<slug>/evaluasi/butir")
@role_required(*MANAGER_ROLES)
def add_item(slug: str):
    workshop = get_managed_workshop_or_404(slug, current_person())
    form = ItemForm()
    if not form.validate_on_submit():
        return _render_manage(workshop, item_form=form, status=400)
    try:
        services.add_item(
            workshop,
            form.item_kind,
            form.text.data,
            form.choice_lines,
            current_person(),
            ip=request.remote_addr,
        )
    except EvaluationError as error:
        show_form_error(error, form)
        return _render_manage(workshop, item_form=form, status=400)
    flash(_("Butir evaluasi ditambahkan."), "success")
    return redirect(url_for("evaluations.manage", slug=slug))


@bp.post("/kelola/<slug>/evaluasi/butir/hapus")
@role_required(*MANAGER_ROLES)
def delete_item(slug: str):
    workshop = get_managed_workshop_or_404(slug, current_person())
    form = DeleteItemForm()
    if not form.validate_on_submit():
        return _render_manage(workshop, status=400)
    try:
        services.delete_item(workshop, form.item_id.data, current_person(), ip=request.remote_addr)
    except EvaluationError as error:
        show_error(error)
        return redirect(url_for("evaluations.manage", slug=slug))
    flash(_("Butir evaluasi dihapus."), "success")
    return redirect(url_for("evaluations.manage", slug=slug))


@bp.get("/kelola/<slug>/evaluasi/hasil")
@role_required(*MANAGER_ROLES)
def results_page(slug: str):
    workshop = get_managed_workshop_or_404(slug, current_person())
    outcome = results.workshop_results(workshop)
    return render_template(
        "evaluations/results.html",
        workshop=workshop,
        results=outcome,
        closes_at=services.window(workshop)[1],
        min_group=results.MIN_GROUP,
        scale_labels=SCALE_LABELS,
    )


@bp.get("/kelola/<slug>/evaluasi/hasil.xlsx")
@role_required(*MANAGER_ROLES)
def export(slug: str):
    workshop = get_managed_workshop_or_404(slug, current_person())
    outcome = results.workshop_results(workshop)
    if not outcome.visible:
        flash(_("Hasil evaluasi belum dapat diunduh."), "info")
        return redirect(url_for("evaluations.results_page", slug=slug))
    body = results.export_xlsx(workshop, outcome)
    return download(body, _("evaluasi-%(slug)s.xlsx", slug=workshop.slug))
