"""Certificate pages: the organizer's rule and list, the PDF and ZIP downloads, and the public
verification page. Thin views over `services`."""

from __future__ import annotations

import hashlib
import logging

from flask import Response, abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import login_required

from .. import spreadsheets
from ..extensions import db, limiter
from ..forms import CSRF_FIELD, ActionForm
from ..models import Certificate, ImageKind, Registration
from ..security import MANAGER_ROLES, current_person, role_required
from ..unit_of_work import refuse, show_form_error
from ..workshops.access import can_manage, get_managed_workshop_or_404
from ..workshops.timefmt import day_span
from . import attestation, branding, documents, mailing, services, upload_check
from .blueprint import bp
from .eligibility import certificate_rows, format_score
from .errors import CertificateError, ImageRejectedError, NotAPdfError, SigningError
from .forms import CertificateRuleForm, ReasonForm, VerifyForm, VerifyUploadForm, rule_values

VERIFY_LIMIT = "30 per minute"

logger = logging.getLogger(__name__)


@bp.errorhandler(SigningError)
def signing_unavailable(error: SigningError):
    """No certificate can be signed (no key, a token that refused its PIN): the page says so
    and the log names the setting to fix (never a PIN), instead of a server error."""
    logger.error(
        "certificate signing unavailable (%s %s): %s",
        request.method,
        request.path,
        error.detail or error.code,
    )
    db.session.rollback()
    return render_template("errors/error.html", code=503, message=error.message), 503


@bp.app_template_filter("certificate_code")
def certificate_code(code: str) -> str:
    return services.format_code(code)


@bp.app_template_filter("post_score")
def post_score(score: float | None) -> str:
    return format_score(score)


# --- organizer: the rule ----------------------------------------------------------------------


def _render_settings(workshop, form, status: int = 200):
    page = render_template(
        "certificates/settings.html",
        workshop=workshop,
        form=form,
        images=attestation.current_images(workshop),
        ImageKind=ImageKind,
    )
    return page, status


@bp.route("/kelola/<slug>/sertifikat/pengaturan", methods=["GET", "POST"])
@role_required(*MANAGER_ROLES)
def settings(slug: str):
    workshop = get_managed_workshop_or_404(slug, current_person())
    if request.method == "GET":
        form = CertificateRuleForm(formdata=None, data=rule_values(workshop))
        return _render_settings(workshop, form)
    form = CertificateRuleForm()
    if not form.validate_on_submit():
        return _render_settings(workshop, form, 400)
    try:
        branding.save_settings(
            workshop,
            form.rule(),
            form.institutions(),
            form.uploads(),
            current_person(),
            ip=request.remote_addr,
        )
    except ImageRejectedError as error:
        show_form_error(error, form)
        return _render_settings(workshop, form, 400)
    flash(_("Aturan sertifikat disimpan."), "success")
    return redirect(url_for("certificates.manage", slug=slug))


# --- organizer: the list and its actions ------------------------------------------------------


def _render_manage(workshop, *, status: int = 200, error: str | None = None):
    rows = certificate_rows(workshop)
    return render_template(
        "certificates/manage.html",
        workshop=workshop,
        rows=rows,
        eligible_count=sum(1 for row in rows if row.verdict.eligible),
        valid_count=sum(1 for row in rows if row.has_valid),
        pending_count=sum(1 for row in rows if row.verdict.eligible and row.certificate is None),
        issuing_open=workshop.status in services.ISSUABLE_STATUSES,
        sending=mailing.progress(workshop),
        unsent_count=mailing.unsent_count(workshop),
        error=error,
    ), status


@bp.get("/kelola/<slug>/sertifikat")
@role_required(*MANAGER_ROLES)
def manage(slug: str):
    return _render_manage(get_managed_workshop_or_404(slug, current_person()))


def _registration_or_404(workshop, registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None or registration.workshop_id != workshop.id:
        abort(404)
    return registration


def _refused(workshop, error: CertificateError | str):
    if isinstance(error, str):
        db.session.rollback()
        message = error
    else:
        message = refuse(error)
    return _render_manage(workshop, status=400, error=message)


def _form_error(form) -> str:
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


@bp.post("/kelola/<slug>/sertifikat/<int:registration_id>/terbitkan")
@role_required(*MANAGER_ROLES)
def issue(slug: str, registration_id: int):
    workshop = get_managed_workshop_or_404(slug, current_person())
    registration = _registration_or_404(workshop, registration_id)
    form = ActionForm()
    if not form.validate_on_submit():
        return _refused(workshop, _form_error(form))
    try:
        certificate = services.issue_if_eligible(registration, current_person())
    except CertificateError as error:
        return _refused(workshop, error)
    flash(_("Sertifikat %(number)s diterbitkan.", number=certificate.number), "success")
    return redirect(url_for("certificates.manage", slug=slug))


@bp.post("/kelola/<slug>/sertifikat/terbitkan-semua")
@role_required(*MANAGER_ROLES)
def issue_all(slug: str):
    workshop = get_managed_workshop_or_404(slug, current_person())
    form = ActionForm()
    if not form.validate_on_submit():
        return _refused(workshop, _form_error(form))
    try:
        issued = services.issue_all_eligible(workshop, current_person())
    except CertificateError as error:
        return _refused(workshop, error)
    count = len(issued)
    flash(
        ngettext("%(num)d sertifikat diterbitkan.", "%(num)d sertifikat diterbitkan.", count)
        if count
        else _("Tidak ada peserta lain yang memenuhi syarat dan belum bersertifikat."),
        "success" if count else "info",
    )
    return redirect(url_for("certificates.manage", slug=slug))


@bp.post("/kelola/<slug>/sertifikat/<int:registration_id>/terbitkan-ulang")
@role_required(*MANAGER_ROLES)
def reissue(slug: str, registration_id: int):
    workshop = get_managed_workshop_or_404(slug, current_person())
    registration = _registration_or_404(workshop, registration_id)
    form = ReasonForm()
    if not form.validate_on_submit():
        return _refused(workshop, _form_error(form))
    try:
        certificate = services.reissue_certificate(
            registration, current_person(), form.reason.data, ip=request.remote_addr
        )
    except CertificateError as error:
        return _refused(workshop, error)
    flash(_("Sertifikat diterbitkan ulang dengan nomor %(number)s.", number=certificate.number),
          "success")  # fmt: skip
    return redirect(url_for("certificates.manage", slug=slug))


@bp.post("/kelola/<slug>/sertifikat/cabut/<int:certificate_id>")
@role_required(*MANAGER_ROLES)
def revoke(slug: str, certificate_id: int):
    workshop = get_managed_workshop_or_404(slug, current_person())
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None or certificate.registration.workshop_id != workshop.id:
        abort(404)
    form = ReasonForm()
    if not form.validate_on_submit():
        return _refused(workshop, _form_error(form))
    try:
        services.revoke_certificate(
            certificate, form.reason.data, current_person(), ip=request.remote_addr
        )
    except CertificateError as error:
        return _refused(workshop, error)
    flash(_("Sertifikat %(number)s dicabut.", number=certificate.number), "success")
    return redirect(url_for("certificates.manage", slug=slug))


@bp.get("/kelola/<slug>/sertifikat.zip", endpoint="zip")
@role_required(*MANAGER_ROLES)
def download_zip(slug: str):
    """All valid certificates as one ZIP, streamed as each PDF is made (the browser's download
    progress is the progress); the contents are read first, so the stream needs no database."""
    workshop = get_managed_workshop_or_404(slug, current_person())
    documents_list = [
        (documents.pdf_filename(certificate), documents.build_content(certificate))
        for certificate in documents.valid_certificates(workshop)
    ]
    if not documents_list:
        flash(_("Belum ada sertifikat yang berlaku untuk diunduh."), "info")
        return redirect(url_for("certificates.manage", slug=slug))
    return spreadsheets.download(documents.zip_stream(documents_list), f"sertifikat-{slug}.zip")


# --- the participant's PDF --------------------------------------------------------------------


@bp.get("/sertifikat/<int:certificate_id>.pdf")
@login_required
def download(certificate_id: int):
    certificate = db.session.get(Certificate, certificate_id)
    if certificate is None:
        abort(404)
    registration = certificate.registration
    me = current_person()
    if registration.user_id != me.id and not can_manage(me, registration.workshop):
        abort(404)  # someone else's certificate: not revealed
    if not certificate.is_valid:
        return render_template("certificates/revoked.html", certificate=certificate), 410
    pdf = documents.certificate_pdf(certificate)
    return spreadsheets.download(pdf, documents.pdf_filename(certificate), inline=True)


# --- public verification ----------------------------------------------------------------------


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _revalidated(body: str, status: int) -> Response:
    """A verification page the visitor's browser may keep (`private`: it names a person, so no
    shared cache does) but asks about each time (`no-cache`): unchanged, it gets a 304 and no
    body, which a verifier on a slow phone does not download again.

    The ETag is a digest of the page itself, so a revoked certificate or another language is
    never answered from the old page. This request's CSRF token is left out of it (its signature
    carries the second it was made), and the session's CSRF secret is put in instead, so a 304
    never hands back a page whose upload form would be refused."""
    response = Response(body, status)
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["X-Robots-Tag"] = "noindex"
    response.vary.add("Cookie")
    if status == 200:
        token = g.get(CSRF_FIELD)
        digest = hashlib.sha256((body.replace(token, "") if token else body).encode())
        digest.update(str(session.get(CSRF_FIELD, "")).encode())
        response.set_etag(digest.hexdigest()[:32])
        response.make_conditional(request)
    return response


@bp.get("/verifikasi")
def verify_form():
    form = VerifyForm(request.args)
    if "kode" in request.args and form.validate():
        return redirect(url_for("certificates.verify", code=form.kode.data.strip()))
    status = 400 if "kode" in request.args else 200
    page = render_template(
        "certificates/verify_form.html", form=form, upload_form=VerifyUploadForm(formdata=None)
    )
    return _revalidated(page, status)


@bp.get("/verifikasi/<code>")
@limiter.limit(VERIFY_LIMIT)
def verify(code: str):
    certificate = services.find_by_code(code)
    form = VerifyForm(formdata=None)
    page = render_template(
        "certificates/verify.html",
        certificate=certificate,
        workshop=certificate.registration.workshop if certificate else None,
        attested=attestation.attested(certificate) if certificate else None,
        day_span=day_span,
        form=form,
        upload_form=VerifyUploadForm(formdata=None),
    )
    return _revalidated(page, 200 if certificate else 404)


@bp.post("/verifikasi/berkas")
@limiter.limit(VERIFY_LIMIT)
def verify_upload():
    """An uploaded PDF: issued by lokalatih and unchanged since signing, changed, or not ours."""
    form = VerifyUploadForm()
    verdict = None
    if form.validate_on_submit():
        try:
            verdict = upload_check.verify_upload(form.berkas.data.read())
        except NotAPdfError as error:
            show_form_error(error, form)
    certificate = verdict.certificate if verdict else None
    page = render_template(
        "certificates/verify_upload.html",
        verdict=verdict,
        Finding=upload_check.Finding,
        certificate=certificate,
        workshop=certificate.registration.workshop if certificate else None,
        attested=attestation.attested(certificate) if certificate else None,
        day_span=day_span,
        form=VerifyForm(formdata=None),
        upload_form=form,
    )
    return _no_store(Response(page, 200 if verdict else 400))
