"""The organizer's check-in screen: the rotating code and its QR for the room (a projector view),
the live count and the latest arrivals, and marking participants present by hand."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..extensions import db
from ..models import CheckInMethod, Registration, WorkshopSession, utcnow
from ..outbox.services import external_url
from ..security import MANAGER_ROLES, role_required
from ..unit_of_work import refuse
from ..workshops.access import get_managed_workshop_or_404
from ..workshops.timefmt import local_clock, local_datetime
from . import codes, presence, services
from .blueprint import bp
from .errors import CheckInError
from .forms import ReasonForm

METHOD_LABELS = {
    CheckInMethod.QR: _l("Pindai QR layar"),
    CheckInMethod.CODE: _l("Kode presensi"),
    CheckInMethod.MANUAL: _l("Ditandai penyelenggara"),
    CheckInMethod.PERSONAL_QR: _l("QR pribadi"),
}


def svg_response(svg: bytes):
    """A generated QR code: never cached, it changes or is personal."""
    return svg, 200, {"Content-Type": "image/svg+xml", "Cache-Control": "no-store"}


# --- organizers: the check-in screen ----------------------------------------------------------


def managed_session(slug: str, session_id: int) -> WorkshopSession:
    workshop = get_managed_workshop_or_404(slug, current_user)
    session = db.session.get(WorkshopSession, session_id)
    if session is None or session.workshop_id != workshop.id:
        abort(404)
    return session


def screen_phase(session: WorkshopSession, now) -> str:
    """ "open", or why no code is shown: "before" opening, "ended", or "closed" (a draft or
    cancelled workshop)."""
    if session.workshop.status in services.NO_CHECKIN_STATUSES:
        return "closed"
    if now > session.ends_at:
        return "ended"
    return "open" if services.is_open(session, now) else "before"


def _screen_state(session: WorkshopSession) -> dict:
    """What the screen shows, as its JavaScript polls it. No code outside the check-in window: a
    projector left on after the session must not keep handing out valid codes."""
    now = utcnow()
    phase = screen_phase(session, now)
    checked_in, confirmed = presence.session_counts(session)
    state = {
        "phase": phase,
        "open": phase == "open",
        "code": None,
        "display_code": None,
        "step": None,
        "qr_url": None,
        "seconds_left": codes.seconds_left(now),
        "checked_in": checked_in,
        "confirmed": confirmed,
        "recent": presence.recent_check_ins(session),
    }
    if phase == "open":
        step = codes.step_of(now)
        code = codes.code_for_step(session, step)
        slug = session.workshop.slug
        state |= {
            "code": code,
            "display_code": codes.display_code(code),
            "step": step,
            "qr_url": url_for("attendance.screen_qr", slug=slug, session_id=session.id, step=step),
        }
    return state


def _render_screen(session: WorkshopSession, failed: tuple[int, ReasonForm] | None = None):
    workshop = session.workshop
    return render_template(
        "attendance/screen.html",
        session=session,
        workshop=workshop,
        state=_screen_state(session),
        opens_at=local_datetime(services.checkin_opens_at(session), workshop),
        enter_url=external_url("attendance.enter_code"),
        rows=presence.session_attendance(session),
        method_labels=METHOD_LABELS,
        clock=lambda moment: local_clock(moment, workshop),
        failed_id=failed[0] if failed else None,
        before_opening=services.marking_needs_override(session, utcnow()),
        failed_form=failed[1] if failed else None,
        list_open=failed is not None or request.args.get("daftar") == "1",
    )


@bp.get("/kelola/<slug>/sesi/<int:session_id>/presensi")
@role_required(*MANAGER_ROLES)
def screen(slug: str, session_id: int):
    return _render_screen(managed_session(slug, session_id))


@bp.get("/kelola/<slug>/sesi/<int:session_id>/presensi/qr.svg")
@role_required(*MANAGER_ROLES)
def screen_qr(slug: str, session_id: int):
    session = managed_session(slug, session_id)
    now = utcnow()
    if screen_phase(session, now) != "open":
        abort(404)  # no code outside the window, as an image either
    code = codes.current_code(session, now)
    url = external_url("attendance.scan", session_id=session.id, code=code)
    return svg_response(codes.qr_svg(url, scale=10))


@bp.get("/kelola/<slug>/sesi/<int:session_id>/presensi/status.json")
@role_required(*MANAGER_ROLES)
def screen_state(slug: str, session_id: int):
    response = jsonify(_screen_state(managed_session(slug, session_id)))
    response.headers["Cache-Control"] = "no-store"
    return response


def _hand_change(slug: str, session_id: int, change):
    """Mark or unmark one participant; `change(session, registration, form)` returns the message
    and its category."""
    session = managed_session(slug, session_id)
    form = ReasonForm()
    registration = db.session.get(Registration, form.registration_id.data or 0)
    if registration is None or registration.workshop_id != session.workshop_id:
        abort(404)
    if not form.validate_on_submit():
        return _render_screen(session, failed=(registration.id, form)), 400
    try:
        message, category = change(session, registration, form)
    except CheckInError as error:
        message, category = refuse(error), "warning"
    flash(message, category)
    target = url_for("attendance.screen", slug=slug, session_id=session.id, daftar=1)
    return redirect(f"{target}#daftar-hadir")


@bp.post("/kelola/<slug>/sesi/<int:session_id>/presensi/tandai")
@role_required(*MANAGER_ROLES)
def mark(slug: str, session_id: int):
    def change(session, registration, form):
        _checkin, created = services.mark_present(
            session,
            registration,
            current_user,
            form.reason.data.strip(),
            utcnow(),
            ip=request.remote_addr,
            override_reason=form.override_reason.data,
        )
        if created:
            return _("Kehadiran peserta ditandai."), "success"
        return _("Peserta ini sudah tercatat hadir."), "info"

    return _hand_change(slug, session_id, change)


@bp.post("/kelola/<slug>/sesi/<int:session_id>/presensi/hapus")
@role_required(*MANAGER_ROLES)
def unmark(slug: str, session_id: int):
    def change(session, registration, form):
        services.unmark(
            session, registration, current_user, form.reason.data.strip(), ip=request.remote_addr
        )
        return _("Tanda hadir peserta dihapus."), "success"

    return _hand_change(slug, session_id, change)
