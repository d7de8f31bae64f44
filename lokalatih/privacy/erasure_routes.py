"""“Hapus akun”: the page that says what is erased and what is kept, and the erasure itself."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, logout_user
from wtforms import BooleanField, HiddenField, PasswordField
from wtforms.validators import DataRequired, InputRequired

from ..auth.passwords import verify_password
from ..extensions import limiter
from ..forms import BaseForm
from ..unit_of_work import refuse
from . import erasure
from .blueprint import bp
from .errors import ErasureError, StaffAccountError

# Enough for typing mistakes, too few to guess a password from a session left open.
ERASE_LIMIT = "10 per hour"


class DeleteAccountForm(BaseForm):
    password = PasswordField(
        _l("Sandi Anda"),
        validators=[InputRequired(_l("Masukkan sandi Anda untuk memastikan ini memang Anda."))],
        render_kw={"autocomplete": "current-password"},
    )
    confirm = BooleanField(
        _l("Saya mengerti bahwa akun dan data pribadi saya dihapus dan tidak dapat dipulihkan."),
        validators=[DataRequired(_l("Centang kotak ini untuk menghapus akun."))],
    )
    # "persetujuan" when the participant arrives here after withdrawing a required consent.
    reason = HiddenField()


def _page(form: DeleteAccountForm, status: int = 200, error: str | None = None):
    user = current_user._get_current_object()
    page = render_template(
        "privacy/delete_account.html",
        form=form,
        staff=user.is_staff,
        staff_message=StaffAccountError.message,
        retention_months=current_app.config["RETENTION_MONTHS"],
        error=error,
    )
    return page, status


@bp.get("/akun/hapus")
@login_required
def delete_account():
    form = DeleteAccountForm(formdata=None)
    form.reason.data = "persetujuan" if request.args.get("karena") == "persetujuan" else ""
    return _page(form)


@bp.post("/akun/hapus")
@login_required
@limiter.limit(ERASE_LIMIT)
def delete_account_confirm():
    user = current_user._get_current_object()
    form = DeleteAccountForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    if user.is_staff:
        return _page(form, 403, str(StaffAccountError.message))
    if not verify_password(user.password_hash, form.password.data):
        form.password.errors = [_("Sandi salah.")]
        return _page(form, 400)
    reason = (
        erasure.ErasureReason.CONSENT_WITHDRAWN
        if form.reason.data == "persetujuan"
        else erasure.ErasureReason.SELF_REQUEST
    )
    try:
        erasure.erase_account(user, reason, actor=user, ip=request.remote_addr)
    except ErasureError as error:
        return _page(form, 400, refuse(error))
    logout_user()  # the login sessions are already revoked in the same transaction
    session.clear()
    flash(
        _(
            "Akun Anda telah dihapus. Data pribadi Anda sudah dihapus; hanya statistik anonim "
            "yang disimpan."
        ),
        "success",
    )
    return redirect(url_for("main.home"))
