"""Registering and cancelling, for participants. Thin views over services; the organizer's
registrant list and its actions are in manage_routes.py."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..forms import ActionForm
from ..models import Registration, RegistrationStatus, Workshop, WorkshopStatus
from ..unit_of_work import show_error
from ..workshops.timefmt import date_range
from . import services
from .blueprint import bp
from .errors import (
    AlreadyRegisteredError,
    ConsentRequiredError,
    EmailNotVerifiedError,
    ProfileIncompleteError,
    RegistrationError,
)


@bp.app_template_global()
def waitlist_position(registration: Registration | None) -> int | None:
    return services.waitlist_position(registration) if registration is not None else None


@bp.app_template_global()
def registration_blocker(user) -> str | None:
    """What the viewer must do before registering: 'login', 'verify', 'profile', 'consent'."""
    if not user.is_authenticated:
        return "login"
    try:
        services.check_can_register(user)
    except EmailNotVerifiedError:
        return "verify"
    except ProfileIncompleteError:
        return "profile"
    except ConsentRequiredError:
        return "consent"
    return None


def status_message(registration: Registration, position: int | None) -> str:
    if registration.status == RegistrationStatus.CONFIRMED:
        return _("Anda terdaftar. Konfirmasi dan jadwal telah dikirim ke email Anda.")
    if registration.status == RegistrationStatus.PENDING:
        return _("Pendaftaran Anda diterima dan menunggu persetujuan penyelenggara.")
    return _("Kursi penuh. Anda masuk daftar tunggu urutan ke-%(position)s.", position=position)


# --- participants ---------------------------------------------------------------------------


@bp.post("/loka-latih/<slug>/daftar")
@login_required
def register(slug: str):
    workshop = db.session.scalar(sa.select(Workshop).where(Workshop.slug == slug))
    if workshop is None or workshop.status == WorkshopStatus.DRAFT:
        abort(404)
    back = redirect(url_for("workshops.detail", slug=slug))
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        registration = services.register_participant(workshop, current_user)
        position = services.waitlist_position(registration)
    except RegistrationError as error:
        show_error(
            error, category="info" if isinstance(error, AlreadyRegisteredError) else "warning"
        )
        return back
    except IntegrityError:  # a second click that slipped past the lock: one row already exists
        db.session.rollback()
        flash(str(AlreadyRegisteredError.message), "info")
        return back
    flash(status_message(registration, position), "success")
    return back


def _own_registration_or_404(registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.user_id != current_user.id:
        abort(404)
    return registration


@bp.get("/workshop-saya/<int:registration_id>/batal")
@login_required
def confirm_cancel(registration_id: int):
    """Cancelling gives the seat away: the participant sees what they cancel and confirms."""
    registration = _own_registration_or_404(registration_id)
    if not registration.is_active:
        flash(_("Pendaftaran ini sudah tidak aktif."), "info")
        return redirect(url_for("my_workshops.mine"))
    return render_template(
        "registrations/cancel.html",
        registration=registration,
        position=services.waitlist_position(registration),
        dates=date_range,
    )


@bp.post("/workshop-saya/<int:registration_id>/batal")
@login_required
def cancel(registration_id: int):
    registration = _own_registration_or_404(registration_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    was_active = registration.is_active
    try:
        services.cancel_registration(registration, current_user)
    except RegistrationError as error:
        show_error(error)
        return redirect(url_for("my_workshops.mine"))
    if was_active:
        flash(_("Pendaftaran Anda dibatalkan."), "success")
    else:
        flash(_("Pendaftaran ini sudah tidak aktif."), "info")
    return redirect(url_for("my_workshops.mine"))
