"""The participant's training history: the page, the PDF transcript and the XLSX."""

from __future__ import annotations

from flask import render_template
from flask_login import current_user, login_required

from .. import lessonhours
from ..spreadsheets import download
from . import documents, services
from .blueprint import bp


@bp.get("/riwayat-pelatihan")
@login_required
def history():
    transcript = services.transcript_of(current_user)
    return render_template(
        "transcripts/history.html",
        transcript=transcript,
        target_jp=lessonhours.ASN_YEARLY_TARGET_JP,
        dates_text=documents.dates_text,
        year_status=documents.year_status,
        target_note=documents.target_note(),
    )


@bp.get("/riwayat-pelatihan/transkrip.pdf")
@login_required
def transcript_pdf():
    transcript = services.transcript_of(current_user)
    body = documents.transcript_pdf(transcript)
    return download(body, documents.filename(transcript, "pdf"))


@bp.get("/riwayat-pelatihan/transkrip.xlsx")
@login_required
def transcript_xlsx():
    transcript = services.transcript_of(current_user)
    body = documents.transcript_xlsx(transcript)
    return download(body, documents.filename(transcript, "xlsx"))
