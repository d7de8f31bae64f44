"""“Data saya”: the page that explains the export, and the download itself."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_login import current_user, login_required

from ..forms import BaseForm
from ..spreadsheets import download
from . import mydata
from .blueprint import bp

EXPORT_FILENAME = "data-saya-lokalatih.zip"


class DownloadMyDataForm(BaseForm):
    """Only the CSRF token: the download is a POST so a link elsewhere cannot trigger it."""


@bp.get("/data-saya")
@login_required
def my_data():
    return render_template("privacy/mydata.html", form=DownloadMyDataForm())


@bp.post("/data-saya/unduh")
@login_required
def my_data_download():
    if not DownloadMyDataForm().validate_on_submit():
        abort(400)
    archive = mydata.export_personal_data(
        current_user._get_current_object(), ip=request.remote_addr
    )
    response = download(archive, EXPORT_FILENAME)
    response.headers["Cache-Control"] = "no-store"
    return response
