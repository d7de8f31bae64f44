"""Action plan pages: the participant's plan and follow-up report, the organizer's overview, the
reviewers' export; plus what "Loka latih saya" and the dashboard include. Thin views."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..audit import record_event
from ..extensions import db
from ..models import Gender, InstitutionType, Registration, Role, Theme
from ..security import MANAGER_ROLES, current_person, role_required
from ..spreadsheets import download
from ..unit_of_work import show_error, show_form_error
from ..workshops.access import get_managed_workshop_or_404
from . import outcomes, services
from .blueprint import bp
from .errors import ActionPlanError, FollowUpNotDueError, PlanNotOpenError
from .forms import PlanForm, report_form, reports
from .services import STATUS_LABELS

VIEWERS = (Role.REVIEWER, Role.ADMIN, Role.ORGANIZER)


def _locale() -> str:
    return str(get_locale() or "id")


@bp.app_template_global()
def action_plan_outcomes(filters) -> outcomes.Outcomes:
    """For the review dashboard's action plan section, with the dashboard's filters."""
    return outcomes.outcomes(filters, current_person())


@bp.app_template_global()
def action_status_label(status) -> str:
    return str(STATUS_LABELS[status]) if status else _("Belum dilaporkan")


@bp.app_template_filter("theme_name")
def theme_name(theme: Theme | None) -> str:
    return theme.name_for(_locale()) if theme else _("Lainnya / tidak terkait tema")


def _own_registration_or_404(registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.user_id != current_user.id:
        abort(404)
    return registration


@bp.route("/workshop-saya/<int:registration_id>/rencana-aksi", methods=["GET", "POST"])
@login_required
def plan(registration_id: int):
    registration = _own_registration_or_404(registration_id)
    state = services.plan_state(registration)
    if not state.can_write:
        if state.can_report:
            return redirect(url_for("action_plans.report", registration_id=registration.id))
        flash(str(PlanNotOpenError.message), "info")
        return redirect(url_for("my_workshops.mine"))
    if request.method == "GET":
        form = PlanForm(formdata=None, data=PlanForm.values(state.items))
    else:
        form = PlanForm()
    form.fill_choices(services.active_themes(), _locale())
    page = {"registration": registration, "form": form, "state": state}
    if request.method == "GET":
        return render_template("action_plans/plan.html", **page)
    if not form.validate_on_submit():
        return render_template("action_plans/plan.html", **page), 400
    try:
        services.save_plan(registration, form.actions())
    except ActionPlanError as error:
        show_form_error(error, form)
        return render_template("action_plans/plan.html", **page), 400
    flash(_("Rencana aksi Anda tersimpan."), "success")
    return redirect(url_for("my_workshops.mine"))


@bp.route("/workshop-saya/<int:registration_id>/tindak-lanjut", methods=["GET", "POST"])
@login_required
def report(registration_id: int):
    registration = _own_registration_or_404(registration_id)
    state = services.plan_state(registration)
    if not state.can_report:
        flash(str(FollowUpNotDueError.message), "info")
        return redirect(url_for("my_workshops.mine"))
    form = report_form(state.items)
    page = {"registration": registration, "form": form, "items": state.items}
    if request.method == "GET":
        return render_template("action_plans/report.html", **page)
    if not form.validate_on_submit():
        return render_template("action_plans/report.html", **page), 400
    try:
        saved = services.report_progress(registration, reports(form, state.items))
    except ActionPlanError as error:
        show_error(error)
        return redirect(url_for("my_workshops.mine"))
    if not saved:
        flash(_("Pilih keadaan paling sedikit satu aksi."), "warning")
        return render_template("action_plans/report.html", **page), 400
    flash(_("Terima kasih, laporan tindak lanjut Anda tersimpan."), "success")
    return redirect(url_for("my_workshops.mine"))


@bp.get("/kelola/<slug>/rencana-aksi")
@role_required(*MANAGER_ROLES)
def manage(slug: str):
    workshop = get_managed_workshop_or_404(slug, current_person())
    return render_template(
        "action_plans/manage.html",
        workshop=workshop,
        plans=services.workshop_plans(workshop),
        follow_up_at=services.follow_up_at(workshop) if workshop.sessions else None,
    )


def _filters() -> outcomes.OutcomeFilters:
    """The dashboard's filters from the query string; a value that does not parse is ignored."""
    args = request.args

    def day(name: str) -> date | None:
        try:
            return date.fromisoformat(args.get(name, ""))
        except ValueError:
            return None

    itype, gender = args.get("institution_type"), args.get("gender")
    organizer = args.get("organizer", "")
    return outcomes.OutcomeFilters(
        date_from=day("date_from"),
        date_to=day("date_to"),
        province=args.get("province") or None,
        regency=args.get("regency") or None,
        institution_type=InstitutionType(itype) if itype in set(InstitutionType) else None,
        gender=Gender(gender) if gender in set(Gender) else None,
        organizer_id=int(organizer) if organizer.isdigit() else None,
        topic=args.get("topic") or None,
    )


@bp.get("/laporan/rencana-aksi.xlsx")
@role_required(*VIEWERS)
def export():
    body = outcomes.export_xlsx(outcomes.outcomes(_filters(), current_person()))
    details = {"format": "xlsx", "filters": {k: v for k, v in request.args.items() if v}}
    record_event(
        "action_plans_exported", actor=current_person(), details=details, ip=request.remote_addr
    )
    return download(body, "rencana-aksi-lokalatih.xlsx")
