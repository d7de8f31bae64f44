"""Check-in: the organizer's screen and lists, the participant's confirmation and code entry,
offline scanning of personal QR codes, and the attendance report. Thin views over services."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required

from ..audit import record_event
from ..extensions import db, limiter
from ..models import CheckInMethod, Registration, RegistrationStatus, WorkshopSession, utcnow
from ..registrations.services import find_registration
from ..security import MANAGER_ROLES, role_required
from ..spreadsheets import download
from ..unit_of_work import show_error
from ..workshops.access import get_managed_workshop_or_404
from ..workshops.timefmt import local_datetime, session_times
from . import codes, presence, services
from .blueprint import bp
from .errors import CheckInError, CodeExpiredError, CodeInvalidError, NotConfirmedError
from .exports import FORMATS, export_report, format_percent, workshop_report
from .forms import CheckInForm, EnterCodeForm, ScanTokenForm
from .screen_routes import managed_session, svg_response

CODE_ENTRY_LIMIT = "20 per minute"


def _participant_key() -> str:
    # Per participant, not per address: a whole venue often shares one address behind its Wi-Fi.
    if current_user.is_authenticated:
        return f"user:{current_user.get_id()}"
    return get_remote_address()


_limit_code_entry = limiter.limit(CODE_ENTRY_LIMIT, key_func=_participant_key, methods=["POST"])
# The QR page tells whether a code is valid or expired: limited too, so it is no guessing oracle.
_limit_code_lookup = limiter.limit(CODE_ENTRY_LIMIT, key_func=_participant_key)


def _scan_message(result: services.ScanResult) -> str:
    if result.status == "recorded":
        return _("%(name)s tercatat hadir.", name=result.name)
    if result.status == "already":
        return _("%(name)s sudah tercatat sebelumnya.", name=result.name)
    if result.status == "not_confirmed":
        return _("%(name)s bukan peserta terkonfirmasi loka latih ini.", name=result.name)
    return _("QR tidak dikenal untuk loka latih ini.")


def _check_in_message(created: bool) -> tuple[str, str]:
    if created:
        return _("Hadir tercatat. Terima kasih!"), "success"
    return _("Kehadiran Anda sudah tercatat."), "info"


# --- participants -----------------------------------------------------------------------------


def _session_or_404(session_id: int) -> WorkshopSession:
    return db.session.get(WorkshopSession, session_id) or abort(404)


def _render_scan(session: WorkshopSession, form: CheckInForm, **context):
    return render_template("attendance/scan.html", session=session, form=form, **context)


@bp.get("/hadir/<int:session_id>/<code>")
@_limit_code_lookup
@login_required
def scan(session_id: int, code: str):
    """The page the rotating QR opens. It only shows a button: a GET never records anything.

    Only the workshop's registrants learn anything about the session (ids are sequential, and a
    draft's title is not public); one already checked in is told so instead of a new button."""
    session = _session_or_404(session_id)
    registration = find_registration(session.workshop, current_user)
    if registration is None:
        abort(404)
    if registration.status == RegistrationStatus.CONFIRMED:
        if services.find_checkin(session, registration) is not None:
            flash(*_check_in_message(created=False))
            return redirect(url_for("attendance.checked_in", session_id=session.id))
    else:
        form = CheckInForm(formdata=None)
        return _render_scan(session, form, warning=NotConfirmedError.message)
    status = codes.classify_code(session, code, utcnow())
    valid = status is codes.CodeStatus.VALID
    form = CheckInForm(formdata=None, code=codes.normalize(code)[:20] if valid else "")
    warning = None
    if status is codes.CodeStatus.EXPIRED:
        warning = CodeExpiredError.message
    elif not valid:
        warning = CodeInvalidError.message
    return _render_scan(session, form, warning=warning, autosubmit=valid)


@bp.post("/hadir/<int:session_id>")
@_limit_code_entry
@login_required
def check_in(session_id: int):
    session = _session_or_404(session_id)
    if find_registration(session.workshop, current_user) is None:
        abort(404)  # as on the scan page: nothing about a session of someone else's workshop
    form = CheckInForm()
    if not form.validate_on_submit():
        return _render_scan(session, form), 400
    try:
        _checkin, created = services.check_in(
            session, current_user, form.code.data, CheckInMethod.QR, utcnow()
        )
    except CheckInError as error:
        show_error(error, form.code)
        return _render_scan(session, form), 400
    flash(*_check_in_message(created))
    return redirect(url_for("attendance.checked_in", session_id=session.id))


def _session_label(session: WorkshopSession) -> str:
    return f"{session.workshop.title} — {session.title} ({session_times(session)})"


@bp.route("/hadir", methods=["GET", "POST"])
@_limit_code_entry
@login_required
def enter_code():
    now = utcnow()
    sessions = services.open_sessions_for(current_user, now)
    form = EnterCodeForm(sessions=sessions, label=_session_label)
    if request.method == "GET":
        form.session_id.data = request.args.get("sesi", type=int)
        return render_template("attendance/enter_code.html", form=form, sessions=sessions)
    if not form.validate_on_submit():
        return render_template("attendance/enter_code.html", form=form, sessions=sessions), 400
    session = next(s for s in sessions if s.id == form.session_id.data)
    try:
        _checkin, created = services.check_in(
            session, current_user, form.code.data, CheckInMethod.CODE, now
        )
    except CheckInError as error:
        show_error(error, form.code)
        return render_template("attendance/enter_code.html", form=form, sessions=sessions), 400
    flash(*_check_in_message(created))
    return redirect(url_for("attendance.checked_in", session_id=session.id))


@bp.get("/hadir/<int:session_id>/tercatat")
@login_required
def checked_in(session_id: int):
    session = _session_or_404(session_id)
    registration = find_registration(session.workshop, current_user)
    if registration is None:
        abort(404)
    checkin = services.find_checkin(session, registration)
    return render_template(
        "attendance/checked_in.html",
        session=session,
        checkin=checkin,
        when=local_datetime(checkin.checked_in_at, session.workshop) if checkin else None,
    )


@bp.get("/workshop-saya/<int:registration_id>/qr.svg")
@login_required
def personal_qr(registration_id: int):
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.user_id != current_user.id:
        abort(404)
    return svg_response(codes.qr_svg(services.personal_qr_payload(registration), scale=8))


# --- organizers: offline venues ---------------------------------------------------------------


@bp.get("/kelola/<slug>/sesi/<int:session_id>/presensi/daftar-hadir")
@role_required(*MANAGER_ROLES)
def roster(slug: str, session_id: int):
    session = managed_session(slug, session_id)
    rows = [
        row
        for row in presence.session_attendance(session)
        if row.registration.status == services.CONFIRMED
    ]
    qr_codes = {
        row.registration.id: codes.qr_data_uri(services.personal_qr_payload(row.registration))
        for row in rows
    }
    return render_template(
        "attendance/roster.html",
        session=session,
        workshop=session.workshop,
        rows=rows,
        qr_codes=qr_codes,
    )


def _render_scanner(session: WorkshopSession, form: ScanTokenForm):
    checked_in, confirmed = presence.session_counts(session)
    return render_template(
        "attendance/scanner.html",
        session=session,
        workshop=session.workshop,
        form=form,
        checked_in=checked_in,
        confirmed=confirmed,
    )


@bp.get("/kelola/<slug>/sesi/<int:session_id>/presensi/pindai")
@role_required(*MANAGER_ROLES)
def scanner(slug: str, session_id: int):
    return _render_scanner(managed_session(slug, session_id), ScanTokenForm())


def _scanned_tokens() -> list[str] | None:
    payload = request.get_json(silent=True)
    tokens = payload.get("tokens") if isinstance(payload, dict) else None
    if not isinstance(tokens, list) or len(tokens) > services.MAX_SCANS_PER_BATCH:
        return None
    if not all(
        isinstance(token, str) and 0 < len(token) <= 100 and "\x00" not in token for token in tokens
    ):
        return None
    return tokens


@bp.post("/kelola/<slug>/sesi/<int:session_id>/presensi/pindai")
@role_required(*MANAGER_ROLES)
def scan_batch(slug: str, session_id: int):
    """Scans from the scanner page, sent again until acknowledged: recording is idempotent."""
    session = managed_session(slug, session_id)
    if request.is_json:
        return _scan_batch_json(session)
    form = ScanTokenForm()
    if not form.validate_on_submit():
        return _render_scanner(session, form), 400
    [result] = services.record_scans(
        session, [form.token.data], current_user, utcnow(), request.remote_addr
    )
    flash(_scan_message(result), "success" if result.status == "recorded" else "warning")
    return redirect(url_for("attendance.scanner", slug=slug, session_id=session.id))


def _scan_batch_json(session: WorkshopSession):
    tokens = _scanned_tokens()
    if tokens is None:
        return jsonify({"error": _("Data pindaian tidak valid.")}), 400
    results = services.record_scans(session, tokens, current_user, utcnow(), request.remote_addr)
    checked_in, confirmed = presence.session_counts(session)
    return jsonify(
        {
            "results": [
                {
                    "token": result.token,
                    "status": result.status,
                    "name": result.name,
                    "message": _scan_message(result),
                }
                for result in results
            ],
            "checked_in": checked_in,
            "confirmed": confirmed,
        }
    )


# --- organizers: the report -------------------------------------------------------------------


@bp.get("/kelola/<slug>/presensi")
@role_required(*MANAGER_ROLES)
def report(slug: str):
    workshop = get_managed_workshop_or_404(slug, current_user)
    return render_template(
        "attendance/report.html",
        workshop=workshop,
        report=workshop_report(workshop),
        percent=format_percent,
    )


@bp.get("/kelola/<slug>/presensi.<fmt>")
@role_required(*MANAGER_ROLES)
def export(slug: str, fmt: str):
    workshop = get_managed_workshop_or_404(slug, current_user)
    if fmt not in FORMATS:
        abort(404)
    report_data = workshop_report(workshop)
    data = export_report(report_data, fmt)
    record_event(
        "attendance_exported",
        actor=current_user,
        target=workshop,
        details={"format": fmt, "rows": len(report_data.participants)},
        ip=request.remote_addr,
    )
    return download(data, f"presensi-{workshop.slug}.{fmt}")
