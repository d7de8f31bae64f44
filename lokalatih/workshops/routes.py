"""Workshops: the organizers' pages under /kelola and the public catalogue under /loka-latih."""

from __future__ import annotations

from datetime import datetime

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import lessonhours
from ..errors import LokalatihError
from ..extensions import db, limiter
from ..forms import ActionForm
from ..models import Region, Workshop, WorkshopStatus, WorkshopTimezone
from ..regions import list_provinces
from ..security import MANAGER_ROLES, current_person, role_required
from ..spreadsheets import download
from ..unit_of_work import show_error, show_form_error
from ..web import page_number
from . import agenda, capacity, ics, labels, page_cache, queries, services, states, timefmt
from .access import can_manage, get_managed_workshop_or_404, managed_workshops
from .agenda_forms import (
    MoveForm,
    QuotaForm,
    SessionForm,
    quota_group_label,
    session_form_values,
)
from .blueprint import bp
from .errors import WorkshopError
from .forms import (
    CatalogueFilterForm,
    EditWorkshopForm,
    TransitionForm,
    WorkshopForm,
    workshop_form_values,
)
from .markdown import render_markdown

timefmt.register_filters(bp)
bp.add_app_template_global(labels.status_label, "status_label")
bp.add_app_template_global(labels.mode_label, "mode_label")
bp.add_app_template_filter(render_markdown, "markdown")
bp.add_app_template_filter(lessonhours.jp_text, "jp")
bp.add_app_template_filter(lessonhours.session_halves, "session_jp_halves")


def _managed(slug: str) -> Workshop:
    return get_managed_workshop_or_404(slug, current_person())


def _status(form) -> int:
    return 400 if form.is_submitted() else 200


# --- organizer: workshops ------------------------------------------------------------------------


@bp.get("/kelola")
@role_required(*MANAGER_ROLES)
def manage_list():
    pagination = queries.managed_page(managed_workshops(current_person()), page_number())
    counts = queries.registration_counts([workshop.id for workshop in pagination.items])
    return render_template("workshops/manage_list.html", pagination=pagination, counts=counts)


@bp.route("/kelola/baru", methods=["GET", "POST"])
@role_required(*MANAGER_ROLES)
def create():
    form = WorkshopForm()
    if not form.validate_on_submit():
        return render_template("workshops/form.html", form=form, workshop=None), _status(form)
    workshop = services.create_workshop(
        form.workshop_data(), current_person(), ip=request.remote_addr
    )
    flash(_("Draf loka latih disimpan. Tambahkan sesi, lalu terbitkan."), "success")
    return redirect(url_for("workshops.manage", slug=workshop.slug))


@bp.get("/kelola/<slug>")
@role_required(*MANAGER_ROLES)
def manage(slug: str):
    return _render_manage(_managed(slug))


def _render_manage(
    workshop: Workshop,
    *,
    quota_form: QuotaForm | None = None,
    transition_form: TransitionForm | None = None,
    status: int = 200,
):
    counts = queries.registration_counts([workshop.id])[workshop.id]
    province_names = {region.code: region.name for region in list_provinces()}
    return render_template(
        "workshops/manage.html",
        workshop=workshop,
        counts=counts,
        confirmed=services.count_confirmed(workshop),
        transitions=[
            (target, labels.action_label(workshop.status, target))
            for target in states.allowed_transitions(workshop.status)
        ],
        quota_form=quota_form or QuotaForm(formdata=None),
        transition_form=transition_form or TransitionForm(formdata=None),
        action_form=ActionForm(formdata=None),
        quota_labels={
            quota.id: quota_group_label(quota.kind, quota.value, province_names)
            for quota in workshop.quotas
        },
        province_names=province_names,
        statuses=WorkshopStatus,
        completes_early=states.completes_early(workshop),
    ), status


def _per_user() -> str:
    return f"user:{current_user.get_id()}"


@bp.route("/kelola/<slug>/ubah", methods=["GET", "POST"])
@role_required(*MANAGER_ROLES)
# The co-organizer field looks an address up: limited, so it is no way to probe many addresses.
@limiter.limit(lambda: current_app.config["WORKSHOP_EDIT_RATE_LIMIT"], key_func=_per_user,
               methods=["POST"])  # fmt: skip
def edit(slug: str):
    workshop = _managed(slug)
    if request.method == "POST":
        form = EditWorkshopForm()
    else:
        form = EditWorkshopForm(formdata=None, data=workshop_form_values(workshop))
    if not form.validate_on_submit():
        return render_template("workshops/form.html", form=form, workshop=workshop), _status(form)
    try:
        services.update_workshop(
            workshop,
            form.workshop_data(),
            current_person(),
            co_organizer_email=(form.co_organizer_email.data or "").strip() or None,
            ip=request.remote_addr,
        )
    except WorkshopError as error:
        show_form_error(error, form)
        return render_template("workshops/form.html", form=form, workshop=workshop), 400
    flash(_("Perubahan loka latih disimpan."), "success")
    return redirect(url_for("workshops.manage", slug=workshop.slug))


@bp.post("/kelola/<slug>/status")
@role_required(*MANAGER_ROLES)
def transition(slug: str):
    workshop = _managed(slug)
    form = TransitionForm()
    if not form.validate_on_submit():
        flash(_("Permintaan tidak dapat diproses. Muat ulang halaman lalu coba lagi."), "warning")
        return _render_manage(workshop, transition_form=form, status=400)
    try:
        target = WorkshopStatus(form.to.data)
    except ValueError:
        abort(400)
    try:
        services.change_status(
            workshop,
            target,
            current_person(),
            reason=form.reason.data,
            override_reason=form.override_reason.data,
            ip=request.remote_addr,
        )
    except LokalatihError as error:
        show_error(error)
        return _render_manage(workshop, transition_form=form, status=400)
    flash(
        _("Status loka latih sekarang: %(status)s.", status=labels.status_label(target)),
        "success",
    )
    return redirect(url_for("workshops.manage", slug=workshop.slug))


# --- organizer: sessions -------------------------------------------------------------------------


def _render_session_form(workshop: Workshop, form: SessionForm, session=None, status: int = 200):
    return render_template(
        "workshops/session_form.html", workshop=workshop, form=form, session=session
    ), status


@bp.route("/kelola/<slug>/sesi/baru", methods=["GET", "POST"])
@role_required(*MANAGER_ROLES)
def add_session(slug: str):
    workshop = _managed(slug)
    form = SessionForm()
    if not form.validate_on_submit():
        return _render_session_form(workshop, form, status=_status(form))
    try:
        agenda.add_session(workshop, form.session_data(workshop.timezone))
    except WorkshopError as error:
        show_form_error(error, form)
        return _render_session_form(workshop, form, status=400)
    flash(_("Sesi ditambahkan ke agenda."), "success")
    return redirect(url_for("workshops.manage", slug=workshop.slug))


@bp.route("/kelola/<slug>/sesi/<int:session_id>/ubah", methods=["GET", "POST"])
@role_required(*MANAGER_ROLES)
def edit_session(slug: str, session_id: int):
    workshop = _managed(slug)
    session = agenda.find_session(workshop, session_id) or abort(404)
    if request.method == "POST":
        form = SessionForm()
    else:
        form = SessionForm(formdata=None, data=session_form_values(session))
    if not form.validate_on_submit():
        return _render_session_form(workshop, form, session, status=_status(form))
    try:
        agenda.update_session(session, form.session_data(workshop.timezone))
    except WorkshopError as error:
        show_form_error(error, form)
        return _render_session_form(workshop, form, session, status=400)
    flash(_("Sesi diperbarui."), "success")
    return redirect(url_for("workshops.manage", slug=workshop.slug))


@bp.post("/kelola/<slug>/sesi/<int:session_id>/hapus")
@role_required(*MANAGER_ROLES)
def delete_session(slug: str, session_id: int):
    workshop = _managed(slug)
    session = agenda.find_session(workshop, session_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        agenda.delete_session(session)
    except WorkshopError as error:
        show_error(error)
        return redirect(url_for("workshops.manage", slug=slug))
    flash(_("Sesi dihapus dari agenda."), "success")
    return redirect(url_for("workshops.manage", slug=slug))


@bp.post("/kelola/<slug>/sesi/<int:session_id>/pindah")
@role_required(*MANAGER_ROLES)
def move_session(slug: str, session_id: int):
    workshop = _managed(slug)
    session = agenda.find_session(workshop, session_id) or abort(404)
    form = MoveForm()
    if not form.validate_on_submit():
        abort(400)
    agenda.move_session(session, form.direction.data)
    return redirect(url_for("workshops.manage", slug=slug, _anchor="agenda"))


# --- organizer: quotas ---------------------------------------------------------------------------


@bp.post("/kelola/<slug>/kuota")
@role_required(*MANAGER_ROLES)
def add_quota(slug: str):
    workshop = _managed(slug)
    form = QuotaForm()
    if not form.validate_on_submit():
        return _render_manage(workshop, quota_form=form, status=400)
    try:
        agenda.add_quota(workshop, form.quota_data())
    except WorkshopError as error:
        show_form_error(error, form)
        return _render_manage(workshop, quota_form=form, status=400)
    flash(_("Kuota ditambahkan."), "success")
    return redirect(url_for("workshops.manage", slug=slug, _anchor="kuota"))


@bp.post("/kelola/<slug>/kuota/<int:quota_id>/hapus")
@role_required(*MANAGER_ROLES)
def delete_quota(slug: str, quota_id: int):
    workshop = _managed(slug)
    quota = agenda.find_quota(workshop, quota_id) or abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        agenda.delete_quota(quota)
    except WorkshopError as error:
        show_error(error)
        return redirect(url_for("workshops.manage", slug=slug))
    flash(_("Kuota dihapus; kursinya kini terbuka untuk semua."), "success")
    return redirect(url_for("workshops.manage", slug=slug, _anchor="kuota"))


# --- public --------------------------------------------------------------------------------------


@bp.get("/loka-latih")
def catalogue():
    if page_cache.cacheable():
        return page_cache.cached_page(page_cache.catalogue_version(), _render_catalogue)
    return _render_catalogue()


def _render_catalogue():
    provinces = list_provinces()
    form = CatalogueFilterForm(
        formdata=request.args, topics=queries.catalogue_topics(), provinces=provinces
    )
    valid = form.validate()
    past = request.args.get("waktu") == "lalu"
    today = datetime.now(WorkshopTimezone.WIB.zone).date()
    pagination = queries.catalogue_page(form.filters(past), today, page_number())
    return render_template(
        "workshops/catalogue.html",
        form=form,
        pagination=pagination,
        past=past,
        province_names={region.code: region.name for region in provinces},
    ), 200 if valid else 400


@bp.get("/loka-latih/<slug>")
def detail(slug: str):
    workshop = queries.find_visible_workshop(slug, current_user) or abort(404)
    registration_open = states.is_registration_open(workshop)
    if page_cache.cacheable():
        version = page_cache.workshop_version(workshop, registration_open)
        return page_cache.cached_page(version, lambda: _render_detail(workshop, registration_open))
    return _render_detail(workshop, registration_open)


def _render_detail(workshop: Workshop, registration_open: bool):
    registration = (
        queries.find_registration(workshop, current_person())
        if current_user.is_authenticated
        else None
    )
    province = db.session.get(Region, workshop.province_code) if workshop.province_code else None
    return render_template(
        "workshops/detail.html",
        workshop=workshop,
        registration=registration,
        seats_left=capacity.seats_left(workshop),
        registration_open=registration_open,
        registration_closes_at=states.registration_closes_at(workshop),
        show_meeting_link=queries.may_see_meeting_link(workshop, current_user),
        is_manager=can_manage(current_user, workshop),
        province_name=province.name if province else None,
        is_link=ics.is_link,
    )


@bp.get("/loka-latih/<slug>/jadwal.ics", endpoint="ics")
def calendar_file(slug: str):
    workshop = queries.find_visible_workshop(slug, current_user) or abort(404)
    body = ics.build_calendar(
        workshop, include_meeting_url=queries.may_see_meeting_link(workshop, current_user)
    )
    return download(body, ics.filename(workshop))
