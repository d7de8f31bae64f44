"""The organizer's certificate emails: send to everyone, send again to one person."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from ..forms import ActionForm
from ..security import MANAGER_ROLES, current_person, role_required
from ..workshops.access import get_managed_workshop_or_404
from . import mailing
from .blueprint import bp
from .errors import CertificateError
from .routes import _form_error, _refused, _registration_or_404


@bp.post("/kelola/<slug>/sertifikat/kirim-semua")
@role_required(*MANAGER_ROLES)
def send_all(slug: str):
    workshop = get_managed_workshop_or_404(slug, current_person())
    form = ActionForm()
    if not form.validate_on_submit():
        return _refused(workshop, _form_error(form))
    result = mailing.send_all(workshop, current_person())
    if result.queued:
        flash(
            ngettext(
                "%(num)d email sertifikat masuk antrean; kemajuannya tampil di bawah.",
                "%(num)d email sertifikat masuk antrean; kemajuannya tampil di bawah.",
                result.queued,
            ),
            "success",
        )
    else:
        flash(_("Semua pemegang sertifikat yang berlaku sudah dikirimi email."), "info")
    return redirect(url_for("certificates.manage", slug=slug, _anchor="pengiriman"))


@bp.post("/kelola/<slug>/sertifikat/<int:registration_id>/kirim-ulang")
@role_required(*MANAGER_ROLES)
def resend(slug: str, registration_id: int):
    workshop = get_managed_workshop_or_404(slug, current_person())
    registration = _registration_or_404(workshop, registration_id)
    form = ActionForm()
    if not form.validate_on_submit():
        return _refused(workshop, _form_error(form))
    try:
        mailing.resend(registration)
    except CertificateError as error:
        return _refused(workshop, error)
    flash(
        _("Email sertifikat untuk %(email)s masuk antrean.", email=registration.user.email),
        "success",
    )
    return redirect(url_for("certificates.manage", slug=slug, _anchor=f"peserta-{registration_id}"))
