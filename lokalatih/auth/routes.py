"""Sign-up, email verification, login and logout, password reset and change, staff invitations
(thin views)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from ..errors import LokalatihError
from ..extensions import limiter
from ..labels import ROLE_LABELS
from ..models import User
from ..security import safe_next
from ..unit_of_work import refuse, show_error
from . import invitations, services
from .blueprint import bp
from .errors import (
    AlreadyVerifiedError,
    EmailNotVerifiedError,
    VerifyLinkExpiredError,
    WeakPasswordError,
    WrongPasswordError,
)
from .forms import (
    ChangePasswordForm,
    ConfirmForm,
    EmailOnlyForm,
    LoginForm,
    ResetPasswordForm,
    SignupForm,
)
from .pending import begin_second_step
from .sessions import SESSION_KEY, revoke_login_session, start_login_session

PENDING_EMAIL_KEY = "pending_email"  # the address the "check your email" page offers to resend to


def _limit(config_key: str):
    """Rate-limit the POSTs of a view by client address, with the limit read from the config."""
    return limiter.limit(lambda: current_app.config[config_key], methods=["POST"])


def _form_page(template: str, form, **context):
    """Show a form: 200 when first opened, 400 when a submission is sent back with errors."""
    status = 400 if request.method == "POST" else 200
    return render_template(template, form=form, **context), status


def _start_session(user: User) -> None:
    session.clear()  # a fresh session: nothing planted before the login survives (no fixation)
    login_user(user)
    session[SESSION_KEY] = start_login_session(user)


def _end_session() -> None:
    revoke_login_session(session.get(SESSION_KEY))  # a copied cookie is dead from now on
    logout_user()
    session.clear()


# --- sign-up and verification -----------------------------------------------------------------


@bp.route("/daftar", methods=["GET", "POST"])
@_limit("SIGNUP_RATE_LIMIT")
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = SignupForm()
    if not form.validate_on_submit():
        return _form_page("auth/signup.html", form)
    try:
        # None when the address already has an account: answered exactly like a new one.
        services.sign_up(
            form.email.data, form.password.data, str(get_locale()), ip=request.remote_addr
        )
    except WeakPasswordError as error:
        show_error(error, form.password)
        return _form_page("auth/signup.html", form)
    except LokalatihError as error:  # the address is malformed
        show_error(error, form.email)
        return _form_page("auth/signup.html", form)
    session[PENDING_EMAIL_KEY] = services.checked_email(form.email.data)
    return redirect(url_for("auth.check_email"))


@bp.get("/daftar/periksa-email")
def check_email():
    email = session.get(PENDING_EMAIL_KEY)
    return render_template("auth/check_email.html", form=EmailOnlyForm(email=email), email=email)


@bp.route("/akun/verifikasi/kirim-ulang", methods=["GET", "POST"])
@_limit("RESET_RATE_LIMIT")
def resend_verification():
    form = EmailOnlyForm()
    if not form.validate_on_submit():
        return _form_page("auth/resend.html", form)
    services.resend_verification(form.email.data)
    session[PENDING_EMAIL_KEY] = form.email.data
    flash(
        _(
            "Jika alamat itu terdaftar dan belum diverifikasi, kami sudah mengirim email "
            "verifikasi baru ke sana. Periksa juga folder spam."
        ),
        "info",
    )
    return redirect(url_for("auth.check_email"))


@bp.route("/akun/verifikasi/<token>", methods=["GET", "POST"])
def verify_email(token: str):
    # A GET only shows a button: mail scanners open links, and opening must change nothing.
    form = ConfirmForm()
    try:
        if not form.validate_on_submit():
            services.check_verification_token(token)
            return _form_page("auth/verify.html", form, state="confirm")
        services.verify_email(token, ip=request.remote_addr)
    except AlreadyVerifiedError as error:
        return render_template("auth/verify.html", state="already", message=refuse(error))
    except VerifyLinkExpiredError as error:
        page = render_template(
            "auth/verify.html", state="expired", message=refuse(error), form=EmailOnlyForm()
        )
        return page, 400
    except LokalatihError as error:
        return render_template("auth/verify.html", state="invalid", message=refuse(error)), 400
    flash(_("Terima kasih, email Anda sudah terverifikasi. Silakan masuk."), "success")
    return redirect(url_for("auth.login"))


# --- login and logout -------------------------------------------------------------------------


@bp.route("/masuk", methods=["GET", "POST"])
@_limit("LOGIN_RATE_LIMIT")
def login():
    fallback = url_for("main.home")
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next"), fallback))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if not form.validate_on_submit():
        return _form_page("auth/login.html", form)
    try:
        user = services.authenticate(form.email.data, form.password.data, ip=request.remote_addr)
    except LokalatihError as error:  # a recorded failure: the count and audit entry are kept
        unverified = isinstance(error, EmailNotVerifiedError)
        resend_form = EmailOnlyForm(formdata=None, email=form.email.data) if unverified else None
        return _form_page("auth/login.html", form, error=refuse(error), resend_form=resend_form)
    target = safe_next(form.next.data or request.args.get("next"), fallback)
    if user.two_factor_enabled:
        begin_second_step(user, target)  # not signed in yet: the code comes first
        return redirect(url_for("auth.login_code"))
    _start_session(user)
    flash(_("Anda sudah masuk."), "success")
    return redirect(target)


@bp.post("/keluar")
def logout():
    if current_user.is_authenticated:
        services.record_logout(current_user._get_current_object(), ip=request.remote_addr)
    _end_session()
    flash(_("Anda sudah keluar."), "info")
    return redirect(url_for("main.home"))


# --- password reset and change ----------------------------------------------------------------


@bp.route("/lupa-sandi", methods=["GET", "POST"])
@_limit("RESET_RATE_LIMIT")
def forgot_password():
    form = EmailOnlyForm()
    if not form.validate_on_submit():
        return _form_page("auth/forgot.html", form)
    services.request_password_reset(form.email.data, ip=request.remote_addr)
    flash(
        _(
            "Jika alamat itu terdaftar, kami sudah mengirim tautan untuk mengatur ulang sandi ke "
            "sana. Periksa juga folder spam."
        ),
        "info",
    )
    return redirect(url_for("auth.login"))


@bp.route("/atur-ulang-sandi/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        user = services.check_reset_token(token)
    except LokalatihError as error:
        return render_template("auth/reset.html", form=None, message=refuse(error)), 400
    form = ResetPasswordForm()
    form.account_email = user.email
    if not form.validate_on_submit():
        return _form_page("auth/reset.html", form)
    try:
        services.reset_password(token, form.password.data, ip=request.remote_addr)
    except LokalatihError as error:
        show_error(error, form.password)
        return _form_page("auth/reset.html", form)
    _end_session()  # whoever was signed in on this browser signs in again, with the new password
    flash(_("Sandi Anda sudah diganti. Silakan masuk dengan sandi baru."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/undangan/<token>", methods=["GET", "POST"])
@_limit("RESET_RATE_LIMIT")
def accept_invitation(token: str):
    try:
        user = invitations.invited_user(token)
    except LokalatihError as error:
        return render_template("auth/invitation.html", form=None, message=refuse(error)), 400
    form = ResetPasswordForm()
    form.account_email = user.email
    context = {"invited": user, "role_label": ROLE_LABELS[user.role]}
    if not form.validate_on_submit():
        return _form_page("auth/invitation.html", form, **context)
    try:
        invitations.accept_invitation(token, form.password.data, ip=request.remote_addr)
    except LokalatihError as error:
        show_error(error, form.password)
        return _form_page("auth/invitation.html", form, **context)
    _end_session()  # whoever was signed in on this browser is not the invited person
    flash(_("Sandi Anda sudah dibuat. Silakan masuk dengan alamat email dan sandi ini."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/akun/sandi", methods=["GET", "POST"])
@_limit("LOGIN_RATE_LIMIT")
@login_required
def change_password():
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    form.account_email = user.email
    if not form.validate_on_submit():
        return _form_page("auth/change_password.html", form)
    try:
        services.change_password(
            user, form.current_password.data, form.password.data, ip=request.remote_addr
        )
    except WrongPasswordError as error:  # recorded: the audit entry is kept
        show_error(error, form.current_password)
        return _form_page("auth/change_password.html", form)
    except LokalatihError as error:
        show_error(error, form.password)
        return _form_page("auth/change_password.html", form)
    _start_session(user)  # every other session was revoked; this browser gets a new one
    flash(_("Sandi Anda sudah diganti. Sesi di perangkat lain sudah diakhiri."), "success")
    return redirect(url_for("auth.change_password"))
