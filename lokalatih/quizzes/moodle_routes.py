"""Moodle XML and GIFT import (upload, preview, confirm) for the question bank."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import LokalatihError
from ..security import role_required
from ..unit_of_work import refuse, show_error
from . import moodle_io
from .bank_forms import MoodleConfirmForm, MoodleImportForm
from .bank_routes import BANK_EDITORS
from .blueprint import bp


def _render(form: MoodleImportForm, status: int = 200, preview=None, confirm=None):
    return render_template(
        "quizzes/bank_moodle.html",
        form=form,
        preview=preview,
        confirm=confirm,
        max_questions=moodle_io.moodle_xml.MAX_QUESTIONS,
    ), status


@bp.route("/bank-soal/impor-moodle", methods=["GET", "POST"])
@role_required(*BANK_EDITORS)
def import_moodle():
    """Upload: read the file and show what would be imported; nothing is written yet."""
    form = MoodleImportForm()
    if not form.validate_on_submit():
        return _render(form, status=400 if form.is_submitted() else 200)
    upload = form.file.data
    data = upload.stream.read(moodle_io.moodle_xml.MAX_BYTES + 1)
    topic, source = form.default_topic.data or "", form.default_source.data or ""
    try:
        preview = moodle_io.preview(
            upload.filename or "", data, default_topic=topic, default_source=source
        )
        token = moodle_io.pending_token(upload.filename or "", data, topic, source)
    except LokalatihError as error:
        show_error(error, form.file)
        return _render(form, status=400)
    confirm = MoodleConfirmForm(formdata=None, token=token)
    return _render(form, preview=preview, confirm=confirm)


@bp.post("/bank-soal/impor-moodle/konfirmasi")
@role_required(*BANK_EDITORS)
def confirm_moodle_import():
    """Confirm: read the previewed file again and add its ready questions."""
    form = MoodleConfirmForm()
    back = url_for("quizzes.import_moodle")
    if not form.validate_on_submit():
        flash(_("Permintaan tidak dapat diproses. Muat ulang halaman lalu coba lagi."), "warning")
        return redirect(back)
    try:
        result = moodle_io.import_pending(
            form.token.data or "", actor=current_user._get_current_object(), ip=request.remote_addr
        )
    except LokalatihError as error:
        flash(refuse(error), "warning")
        return redirect(back)
    message = _("%(count)d soal ditambahkan ke bank soal.", count=len(result.ready))
    left_out = len(result.skipped) + len(result.refused)
    if left_out:
        message += " " + _("%(count)d soal lain tidak diimpor.", count=left_out)
    flash(message, "success")
    return redirect(url_for("quizzes.bank"))
