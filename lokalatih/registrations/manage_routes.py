"""The organizer's registrant list and what it does: approving, rejecting, promoting, bulk
actions, walk-ins, exports and the group email. Thin views over services and decisions."""

from __future__ import annotations

from dataclasses import replace

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from ..audit import record_event
from ..auth.errors import InvalidEmailError
from ..certificates.eligibility import eligibility
from ..forms import ActionForm
from ..models import Registration, RegistrationStatus, Workshop
from ..security import MANAGER_ROLES, role_required
from ..spreadsheets import download
from ..unit_of_work import show_error
from ..web import page_number
from ..workshops.access import get_managed_workshop_or_404
from ..workshops.timefmt import local_datetime
from . import decisions, group_email, services
from .blueprint import bp
from .errors import (
    GroupEmailQuotaError,
    RegistrationError,
    WalkInFullError,
)
from .exports import FORMATS, export_registrants
from .forms import (
    BULK_ACTIONS,
    MAX_SELECTED,
    BulkActionForm,
    GroupEmailForm,
    RegistrantFilterForm,
    RejectForm,
    WalkInForm,
    parse_ids,
)
from .registrants import (
    STATUS_LABELS,
    RegistrantFilters,
    count_registrants,
    get_registration_of,
    list_registrants,
    registrant_page,
)

# --- organizers -----------------------------------------------------------------------------


def _managed(slug: str) -> Workshop:
    return get_managed_workshop_or_404(slug, current_user)


def _registration_or_404(workshop: Workshop, registration_id: int) -> Registration:
    registration = get_registration_of(workshop, registration_id)
    if registration is None:
        abort(404)
    return registration


def _filter_form() -> RegistrantFilterForm:
    return RegistrantFilterForm(formdata=request.args)


def _valid_filters(form) -> RegistrantFilters:
    """The filters of a validated form; none at all if any of them was invalid."""
    if form.status.errors or form.province.errors or form.institution_type.errors:
        return RegistrantFilters()
    return form.filters


def _render_registrants(
    workshop: Workshop,
    filter_form,
    reject_form=None,
    reject_for=None,
    walk_in_form=None,
    walk_in_full=False,
):
    filters = _valid_filters(filter_form)
    return render_template(
        "registrations/registrants.html",
        workshop=workshop,
        listing=registrant_page(workshop, filters, page_number()),
        filter_form=filter_form,
        filter_args=filters.as_args(),
        reject_form=reject_form or RejectForm(formdata=None),
        reject_for=reject_for,
        bulk_actions=BULK_ACTIONS,
        walk_in_form=walk_in_form or WalkInForm(formdata=None),
        walk_in_full=walk_in_full,
        seats_left=services.seats_left(workshop),
        certificate_verdicts=eligibility(workshop),
        when=lambda moment: local_datetime(moment, workshop),
    )


@bp.get("/kelola/<slug>/pendaftar")
@role_required(*MANAGER_ROLES)
def registrants(slug: str):
    workshop = _managed(slug)
    form = _filter_form()
    if not form.validate():
        return _render_registrants(workshop, form), 400
    return _render_registrants(workshop, form)


def _back_to_list(workshop: Workshop):
    return redirect(url_for("registrations.registrants", slug=workshop.slug, **request.args))


def _organizer_action(slug: str, registration_id: int, action, success):
    """`success`: the flash text, or a function of the action's result that says what happened."""
    workshop = _managed(slug)
    registration = _registration_or_404(workshop, registration_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        result = action(registration, current_user)
    except RegistrationError as error:
        show_error(error)
        return _back_to_list(workshop)
    flash(success(result) if callable(success) else success, "success")
    return _back_to_list(workshop)


def _approval_message(approval: decisions.Approval) -> str:
    if approval.confirmed:
        return _("Pendaftaran disetujui.")
    return _(
        "Kuota penuh: pendaftaran masuk daftar tunggu (urutan %(position)s).",
        position=approval.waitlist_position,
    )


@bp.post("/kelola/<slug>/pendaftar/<int:registration_id>/setujui")
@role_required(*MANAGER_ROLES)
def approve(slug: str, registration_id: int):
    return _organizer_action(
        slug, registration_id, decisions.approve_registration, _approval_message
    )


@bp.post("/kelola/<slug>/pendaftar/<int:registration_id>/naikkan")
@role_required(*MANAGER_ROLES)
def promote(slug: str, registration_id: int):
    return _organizer_action(
        slug,
        registration_id,
        decisions.promote_registration,
        _("Peserta dinaikkan dari daftar tunggu dan kini terdaftar."),
    )


@bp.post("/kelola/<slug>/pendaftar/<int:registration_id>/tolak")
@role_required(*MANAGER_ROLES)
def reject(slug: str, registration_id: int):
    workshop = _managed(slug)
    registration = _registration_or_404(workshop, registration_id)
    form = RejectForm()
    if not form.validate_on_submit():
        filter_form = _filter_form()
        filter_form.validate()
        return _render_registrants(workshop, filter_form, form, registration.id), 400
    try:
        decisions.reject_registration(registration, current_user, form.reason.data.strip())
    except RegistrationError as error:
        show_error(error)
        return _back_to_list(workshop)
    flash(_("Pendaftaran ditolak. Peserta diberi tahu lewat email."), "success")
    return _back_to_list(workshop)


def bulk_summary(action: str, result: decisions.BulkResult) -> str:
    """The flash after a bulk action: how many were done, waitlisted and skipped, and why."""
    if action == "approve":
        parts = [ngettext("%(num)s disetujui", "%(num)s disetujui", result.done)]
        if result.waitlisted:
            parts.append(
                ngettext(
                    "%(num)s masuk daftar tunggu karena kursi penuh",
                    "%(num)s masuk daftar tunggu karena kursi penuh",
                    result.waitlisted,
                )
            )
    elif action == "reject":
        parts = [ngettext("%(num)s ditolak", "%(num)s ditolak", result.done)]
        if result.promoted_from_waitlist:
            parts.append(
                ngettext(
                    "%(num)s dari daftar tunggu mendapat kursi yang dibebaskan",
                    "%(num)s dari daftar tunggu mendapat kursi yang dibebaskan",
                    result.promoted_from_waitlist,
                )
            )
    else:
        parts = [
            ngettext(
                "%(num)s dinaikkan dari daftar tunggu",
                "%(num)s dinaikkan dari daftar tunggu",
                result.done,
            )
        ]
    if result.skipped_total:
        reasons = " ".join(
            _("%(count)s× %(reason)s", count=count, reason=result.skip_messages[code])
            for code, count in result.skipped.items()
        )
        parts.append(
            ngettext(
                "%(num)s dilewati (%(reasons)s)",
                "%(num)s dilewati (%(reasons)s)",
                result.skipped_total,
                reasons=reasons,
            )
        )
    return "; ".join(parts) + "."


BULK_SERVICES = {
    "approve": decisions.approve_registrations,
    "promote": decisions.promote_registrations,
}


@bp.post("/kelola/<slug>/pendaftar/massal")
@role_required(*MANAGER_ROLES)
def bulk_action(slug: str):
    """Approve, promote, reject (after a confirmation page that asks the one reason) or email
    the ticked rows."""
    workshop = _managed(slug)
    form = BulkActionForm()
    if not form.validate_on_submit():
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "warning")
        return _back_to_list(workshop)
    selected = form.selected
    if not selected:
        flash(_("Pilih minimal satu pendaftar terlebih dahulu."), "warning")
        return _back_to_list(workshop)
    action = form.action.data
    if action == "email":
        return redirect(
            url_for("registrations.email_group", slug=workshop.slug, ids=selected, status="")
        )
    if action == "reject":
        reason = (form.reason.data or "").strip()
        if not form.confirmed.data or not reason:
            # No one-tap damage: the rejection is asked again, with the reason, on its own page.
            if form.confirmed.data:
                form.reason.errors = [_("Isi alasan penolakan.")]
            page = render_template(
                "registrations/bulk_reject.html",
                workshop=workshop,
                form=form,
                selected=selected,
                rows=list_registrants(workshop, RegistrantFilters(ids=tuple(selected))),
                back_args=request.args.to_dict(),
            )
            return page, 400 if form.confirmed.data else 200
        result = decisions.reject_registrations(workshop, selected, current_user, reason)
    else:
        result = BULK_SERVICES[action](workshop, selected, current_user)
    category = "success" if result.done or result.waitlisted else "warning"
    flash(bulk_summary(action, result), category)
    return _back_to_list(workshop)


@bp.post("/kelola/<slug>/pendaftar/tambah")
@role_required(*MANAGER_ROLES)
def add_walk_in(slug: str):
    """Register someone at the door by email; an account is made (and invited) when none exists."""
    workshop = _managed(slug)
    form = WalkInForm()

    def again(full: bool = False):
        filter_form = _filter_form()
        filter_form.validate()
        return _render_registrants(workshop, filter_form, walk_in_form=form, walk_in_full=full)

    if not form.validate_on_submit():
        return again(), 400
    try:
        walk_in = decisions.add_walk_in(
            workshop,
            form.email.data,
            current_user._get_current_object(),
            name=form.name.data or None,
            waitlist=form.waitlist.data,
            ip=request.remote_addr,
        )
    except InvalidEmailError as error:
        show_error(error, form.email)
        return again(), 400
    except WalkInFullError as error:
        show_error(error, form.email)
        return again(full=True), 409
    except RegistrationError as error:
        show_error(error, form.email)
        return again(), 409
    if walk_in.confirmed:
        message = _("%(email)s terdaftar di loka latih ini.", email=form.email.data.strip())
    else:
        message = _(
            "%(email)s masuk daftar tunggu (urutan %(position)s).",
            email=form.email.data.strip(),
            position=walk_in.waitlist_position,
        )
    if walk_in.new_account:
        message += " " + _("Akun baru dibuat; undangan untuk mengatur sandi dikirim lewat email.")
    flash(message, "success")
    return _back_to_list(workshop)


@bp.get("/kelola/<slug>/pendaftar.<fmt>")
@role_required(*MANAGER_ROLES)
def export(slug: str, fmt: str):
    workshop = _managed(slug)
    if fmt not in FORMATS:
        abort(404)
    form = _filter_form()
    if not form.validate():
        abort(400)
    rows = list_registrants(workshop, form.filters)
    data = export_registrants(rows, workshop, fmt)
    record_event(
        "registrants_exported",
        actor=current_user,
        target=workshop,
        details={"format": fmt, "rows": len(rows), **form.filters.as_details()},
        ip=request.remote_addr,
    )
    return download(data, f"pendaftar-{workshop.slug}.{fmt}")


@bp.route("/kelola/<slug>/pendaftar/email", methods=["GET", "POST"])
@role_required(*MANAGER_ROLES)
def email_group(slug: str):
    workshop = _managed(slug)
    if request.method == "GET":
        # The group is chosen by the filters in the address; the message form carries them along.
        # With no status in the address (and no rows ticked), the email goes to the confirmed
        # participants: the people who will come. "Semua status" sends `status=` to mean all.
        args = request.args.copy()
        defaulted = "status" not in args and not args.getlist("ids")
        if defaulted:
            args["status"] = RegistrationStatus.CONFIRMED.value
        filter_form = RegistrantFilterForm(formdata=args)
        filter_form.validate()
        ids = parse_ids(args.getlist("ids"))[:MAX_SELECTED]
        filters = replace(_valid_filters(filter_form), ids=tuple(ids))
        form = GroupEmailForm(formdata=None, data={**filters.as_args(), "ids": list(filters.ids)})
        return _render_email(workshop, form, filters, filter_form, defaulted=defaulted)
    form = GroupEmailForm()
    if not form.validate():
        filters = replace(_valid_filters(form), ids=tuple(form.ids.data or ()))
        filter_form = RegistrantFilterForm(formdata=None, data=filters.as_args())
        return _render_email(workshop, form, filters, filter_form), 400
    chosen = replace(form.filters, ids=tuple(form.ids.data or ()))
    try:
        count = group_email.send_group_email(
            workshop,
            current_user._get_current_object(),
            chosen,
            form.subject.data.strip(),
            form.message.data,
            ip=request.remote_addr,
        )
    except GroupEmailQuotaError as error:
        show_error(error)
        filter_form = RegistrantFilterForm(formdata=None, data=chosen.as_args())
        return _render_email(workshop, form, chosen, filter_form), 429
    flash(
        _("%(count)s email dimasukkan ke antrean dan akan segera dikirim.", count=count),
        "success",
    )
    args = form.filters.as_args()
    return redirect(url_for("registrations.registrants", slug=workshop.slug, **args))


def _render_email(
    workshop: Workshop,
    form: GroupEmailForm,
    filters: RegistrantFilters,
    filter_form: RegistrantFilterForm,
    *,
    defaulted: bool = False,
):
    return render_template(
        "registrations/email_group.html",
        defaulted=defaulted,
        workshop=workshop,
        form=form,
        filter_form=filter_form,
        filters=filters,
        filter_args=filters.as_args(),
        recipients=count_registrants(workshop, filters),
        status_labels=STATUS_LABELS,
    )
