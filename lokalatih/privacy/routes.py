"""Consent to each purpose of the processing: giving it and withdrawing it."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import login_required

from ..models import REQUIRED_PURPOSES, ConsentVersion, User
from ..security import current_person, safe_next
from ..unit_of_work import show_error
from . import consent
from .blueprint import bp
from .errors import ConsentError, NoConsentVersionError, OutdatedConsentVersionError
from .forms import ConsentForm, WithdrawConsentForm

# Templates anywhere (base.html) may ask whether to show the "consent text changed" notice.
bp.add_app_template_global(consent.consent_notice_needed, "consent_notice_needed")


def _return_to(fallback: str) -> str:
    """Where the participant was going when registering sent them here; `next` is same-site."""
    return safe_next(request.args.get("next"), fallback)


@bp.route("/persetujuan", methods=["GET", "POST"], endpoint="consent")
@login_required
def consent_page():
    user = current_person()
    version = consent.current_consent_version()
    if request.method != "POST":
        return _render_consent(user, version, _fresh_consent_form(version))
    if version is None:
        flash(NoConsentVersionError.message, "warning")
        return _render_consent(user, version, _fresh_consent_form(version)), 400
    form = ConsentForm()
    if form.version.data != str(version.version):
        # The text changed while the form was open: the user has not read this one yet.
        flash(OutdatedConsentVersionError.message, "warning")
        return _render_consent(user, version, _fresh_consent_form(version)), 400
    if not form.validate():
        return _render_consent(user, version, form), 400
    try:
        consent.give_consent(user, form.chosen_purposes(), version, ip=request.remote_addr)
    except ConsentError as error:
        show_error(error)
        return _render_consent(user, version, form), 400
    flash(_("Persetujuan Anda telah disimpan."), "success")
    return redirect(_return_to(url_for("privacy.consent")))


@bp.post("/persetujuan/tarik")
@login_required
def withdraw_consent():
    user = current_person()
    form = WithdrawConsentForm()
    if not form.validate_on_submit():
        flash(_("Permintaan tidak dapat diproses. Muat ulang halaman lalu coba lagi."), "warning")
        version = consent.current_consent_version()
        return _render_consent(user, version, _fresh_consent_form(version)), 400
    purpose = form.chosen_purpose
    if consent.withdraw_consent(user, purpose, ip=request.remote_addr):
        label = consent.PURPOSE_LABELS[purpose]
        flash(_("Persetujuan untuk “%(purpose)s” telah ditarik.", purpose=label), "success")
        if purpose in REQUIRED_PURPOSES:
            flash(
                _(
                    "Tanpa persetujuan ini Anda tidak dapat mendaftar loka latih "
                    "sampai menyetujuinya lagi."
                ),
                "info",
            )
            if not user.is_staff:
                # Withdrawing a required purpose is the usual first step of leaving: offer the
                # erasure of the data too; nothing is deleted without its own confirmation.
                flash(
                    _(
                        "Bila Anda juga ingin data pribadi Anda dihapus, Anda dapat menghapus "
                        "akun di halaman ini."
                    ),
                    "info",
                )
                return redirect(url_for("privacy.delete_account", karena="persetujuan"))
    return redirect(url_for("privacy.consent"))


def _fresh_consent_form(version: ConsentVersion | None) -> ConsentForm:
    form = ConsentForm(formdata=None)
    form.version.data = str(version.version) if version is not None else ""
    return form


def _render_consent(user: User, version: ConsentVersion | None, form: ConsentForm) -> str:
    history = consent.consent_history(user)
    active = {record.purpose for record in history if record.withdrawn_at is None}
    return render_template(
        "privacy/consent.html",
        version=version,
        paragraphs=consent.text_paragraphs(version.body_for(str(get_locale()))) if version else [],
        form=form,
        status=consent.consent_status(user),
        history=history,
        withdrawable=[purpose for purpose in consent.PURPOSE_LABELS if purpose in active],
        purpose_labels=consent.PURPOSE_LABELS,
        required_purposes=REQUIRED_PURPOSES,
    )
