"""The organizer's certificate images: the preview on the settings page and removing one (a
confirm page first, so it works without JavaScript)."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..forms import ActionForm
from ..security import MANAGER_ROLES, current_person, role_required
from ..workshops.access import get_managed_workshop_or_404
from . import branding
from .blueprint import bp


def _image_or_404(workshop, image_id: int):
    image = branding.get_image(workshop, image_id)
    if image is None:
        abort(404)
    return image


@bp.get("/kelola/<slug>/sertifikat/gambar/<int:image_id>.png")
@role_required(*MANAGER_ROLES)
def image(slug: str, image_id: int):
    workshop = get_managed_workshop_or_404(slug, current_person())
    picture = _image_or_404(workshop, image_id)
    response = Response(picture.png, mimetype="image/png")
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["Content-Disposition"] = "inline"
    return response


@bp.route("/kelola/<slug>/sertifikat/gambar/<int:image_id>/hapus", methods=["GET", "POST"])
@role_required(*MANAGER_ROLES)
def remove_image(slug: str, image_id: int):
    workshop = get_managed_workshop_or_404(slug, current_person())
    picture = _image_or_404(workshop, image_id)
    form = ActionForm()
    if request.method == "GET" or not form.validate_on_submit():
        page = render_template(
            "certificates/remove_image.html", workshop=workshop, image=picture, form=form
        )
        return page, 200 if request.method == "GET" else 400
    branding.remove_image(picture, current_person(), ip=request.remote_addr)
    flash(_("Gambar dihapus dari sertifikat yang diterbitkan sesudah ini."), "success")
    return redirect(url_for("certificates.settings", slug=slug))
