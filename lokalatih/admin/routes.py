"""Admin pages: users and roles, and the email outbox."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..errors import LokalatihError
from ..extensions import db
from ..labels import ROLE_LABELS
from ..models import OutboxStatus, Role, User
from ..outbox.services import outbox_stats
from ..security import current_person, role_required, safe_next
from ..unit_of_work import show_error, show_form_error
from ..web import page_number
from . import services, staff
from .blueprint import bp
from .forms import ResendForm, RetryForm, RoleForm, StaffInviteForm, UserSearchForm, role_choices


@bp.get("/pengguna")
@role_required(Role.ADMIN)
def users():
    form = UserSearchForm(formdata=request.args)
    if not form.validate():
        return _render_users(form, page=1, status=400)
    return _render_users(form, page=page_number())


def _render_users(form: UserSearchForm, page: int, status: int = 200):
    role = form.selected_role if not form.errors else None
    pagination = services.search_users(form.q.data, role, page)
    return render_template(
        "admin/users.html",
        form=form,
        pagination=pagination,
        role_choices=role_choices(),
        role_labels=ROLE_LABELS,
        resend_form=ResendForm(formdata=None),
        here=request.full_path if request.query_string else request.path,
    ), status


@bp.post("/pengguna/<int:user_id>/peran")
@role_required(Role.ADMIN)
def change_role(user_id: int):
    user = db.get_or_404(User, user_id)
    form = RoleForm()
    target = safe_next(form.next.data, url_for("admin.users"))
    if not form.validate_on_submit():
        flash(_("Pilih salah satu peran yang tersedia."), "warning")
        return _render_users(UserSearchForm(formdata=None), page=1, status=400)
    new_role = Role(form.role.data)
    if form.confirmed.data != "ya" and new_role != user.role:
        # A role opens or closes personal data and decisions: the admin sees it and confirms.
        return render_template(
            "admin/role_confirm.html",
            user=user,
            form=form,
            old_label=ROLE_LABELS[user.role],
            new_label=ROLE_LABELS[new_role],
            new_role=new_role,
            back=target,
        )
    try:
        services.change_role(current_person(), user, new_role, ip=request.remote_addr)
    except LokalatihError as error:
        show_error(error)
        return redirect(target)
    flash(
        _(
            "Peran %(email)s sekarang %(role)s.",
            email=user.email,
            role=ROLE_LABELS[user.role],
        ),
        "success",
    )
    return redirect(target)


@bp.route("/pengguna/tambah", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def invite_staff():
    form = StaffInviteForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("admin/staff_invite.html", form=form), status
    try:
        user = staff.invite_staff(
            current_person(),
            form.name.data,
            form.email.data,
            Role(form.role.data),
            ip=request.remote_addr,
        )
    except LokalatihError as error:
        show_form_error(error, form)
        return render_template("admin/staff_invite.html", form=form), 400
    flash(
        _(
            "Akun %(email)s dibuat dengan peran %(role)s. Undangan untuk membuat sandi sudah "
            "dijadwalkan ke alamat itu.",
            email=user.email,
            role=ROLE_LABELS[user.role],
        ),
        "success",
    )
    return redirect(url_for("admin.users", q=user.email))


@bp.post("/pengguna/<int:user_id>/kirim-ulang-verifikasi")
@role_required(Role.ADMIN)
def resend_verification(user_id: int):
    user = db.get_or_404(User, user_id)
    form = ResendForm()
    if not form.validate_on_submit():
        abort(400)
    target = safe_next(form.next.data, url_for("admin.users"))
    try:
        invitation = staff.resend_verification(current_person(), user, ip=request.remote_addr)
    except LokalatihError as error:
        show_error(error)
        return redirect(target)
    if invitation:
        message = _("Undangan baru untuk membuat sandi dijadwalkan ke %(email)s.", email=user.email)
    else:
        message = _("Email verifikasi baru dijadwalkan ke %(email)s.", email=user.email)
    flash(message, "success")
    return redirect(target)


@bp.get("/email")
@role_required(Role.ADMIN)
def outbox():
    pagination = services.problem_messages(page_number())
    return render_template(
        "admin/outbox.html", pagination=pagination, stats=outbox_stats(), statuses=OutboxStatus
    )


@bp.post("/email/<int:message_id>/ulang")
@role_required(Role.ADMIN)
def retry_email(message_id: int):
    if not RetryForm().validate_on_submit():
        abort(400)
    try:
        services.retry_email(current_person(), message_id, ip=request.remote_addr)
    except LokalatihError as error:
        show_error(error)
        return redirect(url_for("admin.outbox"))
    flash(_("Email dijadwalkan untuk dikirim ulang."), "success")
    return redirect(url_for("admin.outbox"))
