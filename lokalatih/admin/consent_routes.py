"""Admin pages for the consent text: list the versions, publish a new one."""

from __future__ import annotations

import sqlalchemy.exc
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..models import Role
from ..privacy import consent
from ..privacy.errors import ConsentError
from ..security import role_required
from ..unit_of_work import show_error
from .blueprint import bp
from .consent_forms import PublishConsentForm


@bp.get("/persetujuan")
@role_required(Role.ADMIN)
def consent_versions():
    return render_template("admin/consent_versions.html", versions=consent.list_consent_versions())


@bp.route("/persetujuan/baru", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def publish_consent():
    current = consent.current_consent_version()
    form = PublishConsentForm()
    if not form.is_submitted() and current is not None:
        form.body_id.data, form.body_en.data = current.body_id, current.body_en
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("admin/consent_publish.html", form=form, current=current), status
    try:
        version = consent.publish_consent_version(
            form.body_id.data,
            form.body_en.data,
            current_user._get_current_object(),
            ip=request.remote_addr,
        )
    except ConsentError as error:
        show_error(error)
        return render_template("admin/consent_publish.html", form=form, current=current), 400
    except sqlalchemy.exc.IntegrityError:
        # Another admin published the same version number a moment ago.
        db.session.rollback()
        flash(
            _("Versi lain baru saja diterbitkan. Periksa daftar versi lalu coba lagi."), "warning"
        )
        return redirect(url_for("admin.consent_versions"))
    flash(
        _(
            "Versi %(version)s diterbitkan. Semua pengguna akan diminta menyetujuinya kembali.",
            version=version.version,
        ),
        "success",
    )
    return redirect(url_for("admin.consent_versions"))
