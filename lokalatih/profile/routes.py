from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import login_required

from ..labels import ROLE_LABELS
from ..models import REQUIRED_PURPOSES, ConsentVersion, User
from ..regions import list_regencies
from ..security import current_person, safe_next
from ..unit_of_work import show_error, show_form_error
from . import consent, services
from .blueprint import bp
from .forms import ConsentForm, ProfileForm, WithdrawConsentForm

REGIONS_MAX_AGE = 86400  # the official list changes by decree, a few times a decade

# Templates anywhere (base.html) may ask whether to show the "consent text changed" notice.
bp.add_app_template_global(consent.consent_notice_needed, "consent_notice_needed")


def _return_to(fallback: str) -> str:
    """Where the participant was going when a step sent them here (registering for a workshop
    needs a complete profile and consent first); `next` is a same-site path."""
    return safe_next(request.args.get("next"), fallback)


@bp.route("/profil", methods=["GET", "POST"])
@login_required
def edit():
    user = current_person()
    form = ProfileForm(obj=user.profile)
    if form.is_submitted() and form.choose_province.data:
        # Without JavaScript: show the chosen province's kabupaten/kota; nothing is saved.
        form.keep_regency_only_if_in_province()
        return _render_edit(user, form, province_chosen=True)
    if not form.validate_on_submit():
        return _render_edit(user, form), 400 if form.is_submitted() else 200
    try:
        profile = services.update_profile(user, form.profile_data(), ip=request.remote_addr)
    except services.ProfileError as error:
        show_form_error(error, form)
        return _render_edit(user, form), 400
    if profile.is_complete:
        flash(_("Profil Anda telah disimpan."), "success")
        return redirect(_return_to(url_for("profile.edit")))
    flash(_("Profil disimpan, tetapi belum lengkap."), "info")
    return redirect(url_for("profile.edit", next=request.args.get("next")))


def _render_edit(user: User, form: ProfileForm, province_chosen: bool = False) -> str:
    missing = services.missing_fields(user)
    return render_template(
        "profile/edit.html",
        form=form,
        missing_labels=[services.FIELD_LABELS[name] for name in missing],
        role_label=ROLE_LABELS[user.role],
        consent_status=consent.consent_status(user),
        province_chosen=province_chosen,
    )


@bp.get("/wilayah/<province_code>/kabupaten.json")
def regencies(province_code: str):
    """The kabupaten/kota of one province, for the profile form's script. Public, cacheable."""
    province = services.get_province(province_code)
    if province is None:
        return jsonify(error="not_found"), 404
    response = jsonify(
        [{"code": region.code, "name": region.name} for region in list_regencies(province.code)]
    )
    response.headers["Cache-Control"] = f"public, max-age={REGIONS_MAX_AGE}"
    return response


@bp.route("/persetujuan", methods=["GET", "POST"], endpoint="consent")
@login_required
def consent_page():
    user = current_person()
    version = consent.current_consent_version()
    if request.method != "POST":
        return _render_consent(user, version, _fresh_consent_form(version))
    if version is None:
        flash(consent.NoConsentVersionError.message, "warning")
        return _render_consent(user, version, _fresh_consent_form(version)), 400
    form = ConsentForm()
    if form.version.data != str(version.version):
        # The text changed while the form was open: the user has not read this one yet.
        flash(consent.OutdatedConsentVersionError.message, "warning")
        return _render_consent(user, version, _fresh_consent_form(version)), 400
    if not form.validate():
        return _render_consent(user, version, form), 400
    try:
        consent.give_consent(user, form.chosen_purposes(), version, ip=request.remote_addr)
    except consent.ConsentError as error:
        show_error(error)
        return _render_consent(user, version, form), 400
    flash(_("Persetujuan Anda telah disimpan."), "success")
    return redirect(_return_to(url_for("profile.consent")))


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
                return redirect(url_for("profile.delete_account", karena="persetujuan"))
    return redirect(url_for("profile.consent"))


def _fresh_consent_form(version: ConsentVersion | None) -> ConsentForm:
    form = ConsentForm(formdata=None)
    form.version.data = str(version.version) if version is not None else ""
    return form


def _render_consent(user: User, version: ConsentVersion | None, form: ConsentForm) -> str:
    history = consent.consent_history(user)
    active = {record.purpose for record in history if record.withdrawn_at is None}
    return render_template(
        "profile/consent.html",
        version=version,
        paragraphs=consent.text_paragraphs(version.body_for(str(get_locale()))) if version else [],
        form=form,
        status=consent.consent_status(user),
        history=history,
        withdrawable=[purpose for purpose in consent.PURPOSE_LABELS if purpose in active],
        purpose_labels=consent.PURPOSE_LABELS,
        required_purposes=REQUIRED_PURPOSES,
    )
