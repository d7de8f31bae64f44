from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from ..labels import ROLE_LABELS
from ..models import User
from ..privacy import consent
from ..regions import list_regencies
from ..security import current_person, safe_next
from ..unit_of_work import show_form_error
from . import services
from .blueprint import bp
from .errors import ProfileError
from .forms import ProfileForm

REGIONS_MAX_AGE = 86400  # the official list changes by decree, a few times a decade


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
    except ProfileError as error:
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
