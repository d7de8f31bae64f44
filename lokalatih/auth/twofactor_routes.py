"""Two-factor sign-in pages: set-up, recovery codes, disabling, the code step of signing in, and
the rule that sends staff without a second factor to the set-up page."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import LokalatihError
from ..models import User
from ..unit_of_work import show_error
from . import twofactor
from .blueprint import bp
from .errors import WrongPasswordError
from .pending import end_second_step, pending_login
from .routes import _form_page, _limit, _start_session
from .twofactor_forms import (
    DisableTwoFactorForm,
    EnableTwoFactorForm,
    LoginCodeForm,
    RegenerateCodesForm,
)

SETUP_KEY = "totp_setup"  # the sealed secret being set up, until a code confirms it
# What a staff member without a second factor may still open (besides the set-up page itself).
EXEMPT_ENDPOINTS = {"static", "auth.two_factor", "auth.logout", "main.set_language"}


def two_factor_required(user: User) -> bool:
    return user.role.value in current_app.config["TWO_FACTOR_REQUIRED_ROLES"]


@bp.before_app_request
def _send_staff_to_setup():
    if not current_app.config["TWO_FACTOR_REQUIRED_ROLES"] or request.endpoint in EXEMPT_ENDPOINTS:
        return None
    if request.endpoint is None or not current_user.is_authenticated:
        return None
    if current_user.two_factor_enabled or not two_factor_required(current_user):
        return None
    return redirect(url_for("auth.two_factor"))


# --- set-up and management --------------------------------------------------------------------


def _setup_page(user: User, form: EnableTwoFactorForm):
    secret = twofactor.open_pending_secret(user, session.get(SETUP_KEY))
    if secret is None:
        session[SETUP_KEY] = twofactor.new_pending_secret(user)
        secret = twofactor.open_pending_secret(user, session[SETUP_KEY])
    return _form_page(
        "auth/two_factor.html",
        form,
        setup=twofactor.setup_details(user, secret),
        required=two_factor_required(user),
    )


def _manage_page(user: User, regenerate_form=None, disable_form=None):
    regenerate_form = regenerate_form or RegenerateCodesForm(prefix="codes", formdata=None)
    disable_form = disable_form or DisableTwoFactorForm(prefix="disable", formdata=None)
    status = 400 if request.method == "POST" else 200
    page = render_template(
        "auth/two_factor.html",
        regenerate_form=regenerate_form,
        disable_form=disable_form,
        remaining=twofactor.remaining_recovery_codes(user),
        required=two_factor_required(user),
    )
    return page, status


def _recovery_codes_page(codes: list[str]):
    return render_template("auth/recovery_codes.html", codes=codes)


@bp.route("/akun/dua-langkah", methods=["GET", "POST"])
@_limit("LOGIN_RATE_LIMIT")
@login_required
def two_factor():
    user = current_user._get_current_object()
    if user.two_factor_enabled:
        if request.method == "POST":
            return redirect(url_for("auth.two_factor"))
        return _manage_page(user)
    form = EnableTwoFactorForm()
    if not form.validate_on_submit():
        return _setup_page(user, form)
    try:
        codes = twofactor.enable(
            user, session.get(SETUP_KEY), form.code.data, ip=request.remote_addr
        )
    except LokalatihError as error:  # a wrong code is recorded: its audit entry is kept
        show_error(error, form.code)
        return _setup_page(user, form)
    session.pop(SETUP_KEY, None)
    flash(_("Verifikasi dua langkah sudah aktif."), "success")
    return _recovery_codes_page(codes)


@bp.post("/akun/dua-langkah/kode-pemulihan")
@_limit("LOGIN_RATE_LIMIT")
@login_required
def two_factor_recovery_codes():
    user = current_user._get_current_object()
    if not user.two_factor_enabled:
        return redirect(url_for("auth.two_factor"))
    form = RegenerateCodesForm(prefix="codes")
    if not form.validate_on_submit():
        return _manage_page(user, regenerate_form=form)
    try:
        codes = twofactor.regenerate_recovery_codes(
            user, form.password.data, ip=request.remote_addr
        )
    except WrongPasswordError as error:
        show_error(error, form.password)
        return _manage_page(user, regenerate_form=form)
    flash(_("Kode pemulihan baru sudah dibuat; kode yang lama tidak berlaku lagi."), "success")
    return _recovery_codes_page(codes)


@bp.post("/akun/dua-langkah/nonaktifkan")
@_limit("LOGIN_RATE_LIMIT")
@login_required
def two_factor_disable():
    user = current_user._get_current_object()
    if not user.two_factor_enabled:
        return redirect(url_for("auth.two_factor"))
    form = DisableTwoFactorForm(prefix="disable")
    if not form.validate_on_submit():
        return _manage_page(user, disable_form=form)
    try:
        twofactor.disable(user, form.password.data, form.code.data, ip=request.remote_addr)
    except WrongPasswordError as error:
        show_error(error, form.password)
        return _manage_page(user, disable_form=form)
    except LokalatihError as error:
        show_error(error, form.code)
        return _manage_page(user, disable_form=form)
    flash(_("Verifikasi dua langkah sudah dinonaktifkan."), "info")
    return redirect(url_for("auth.two_factor"))


# --- the second step of signing in ------------------------------------------------------------


@bp.route("/masuk/kode", methods=["GET", "POST"])
@_limit("LOGIN_RATE_LIMIT")
def login_code():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    pending = pending_login()
    if pending is None:
        end_second_step()
        flash(
            _("Waktu untuk memasukkan kode sudah habis. Masuk lagi dengan email dan sandi."), "info"
        )
        return redirect(url_for("auth.login"))
    user, target = pending
    form = LoginCodeForm()
    if not form.validate_on_submit():
        return _form_page("auth/login_code.html", form)
    try:
        method = twofactor.complete_login(user, form.code.data, ip=request.remote_addr)
    except LokalatihError as error:
        # Recorded: the failure count and the audit entry are kept. A lock is shown exactly like
        # a wrong code, so the page does not tell whoever is guessing that the lock worked.
        show_error(error, form.code)
        return _form_page("auth/login_code.html", form)
    _start_session(user)
    flash(_("Anda sudah masuk."), "success")
    if method == "recovery_code":
        flash(
            _(
                "Anda masuk dengan kode pemulihan. Sisa kode pemulihan: %(count)s. Buat kode baru "
                "di halaman verifikasi dua langkah bila perlu.",
                count=twofactor.remaining_recovery_codes(user),
            ),
            "warning",
        )
    return redirect(target)
