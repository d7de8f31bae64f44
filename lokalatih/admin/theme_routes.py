"""Admin page for the KKPHAM theme list."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..models import Role
from ..security import role_required
from ..unit_of_work import show_error, show_form_error
from . import themes
from .blueprint import bp
from .errors import ThemeError, ThemeNotFoundError
from .theme_forms import AddThemeForm, RenameThemeForm, ThemeActionForm


def _page(add_form: AddThemeForm | None = None, status: int = 200):
    return render_template(
        "admin/themes.html",
        themes=themes.list_themes(),
        add_form=add_form or AddThemeForm(formdata=None),
        rename_form=RenameThemeForm,
        action_form=ThemeActionForm(),
    ), status


def _theme_or_404(theme_id: int):
    try:
        return themes.get_theme(theme_id)
    except ThemeNotFoundError:
        abort(404)


@bp.get("/tema")
@role_required(Role.ADMIN)
def themes_list():
    return _page()


@bp.post("/tema")
@role_required(Role.ADMIN)
def add_theme():
    form = AddThemeForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    try:
        theme = themes.add_theme(
            form.code.data,
            form.name_id.data,
            form.name_en.data,
            current_user,
            ip=request.remote_addr,
        )
    except ThemeError as error:
        show_form_error(error, form)
        return _page(form, 400)
    flash(_("Tema “%(name)s” ditambahkan.", name=theme.name_id), "success")
    return redirect(url_for("admin.themes_list"))


@bp.post("/tema/<int:theme_id>")
@role_required(Role.ADMIN)
def rename_theme(theme_id: int):
    theme = _theme_or_404(theme_id)
    form = RenameThemeForm(prefix=f"t{theme_id}")
    if not form.validate_on_submit():
        flash(_("Nama Indonesia dan Inggris wajib diisi (paling panjang 200 karakter)."), "warning")
        return _page(status=400)
    themes.rename_theme(
        theme, form.name_id.data, form.name_en.data, current_user, ip=request.remote_addr
    )
    flash(_("Tema disimpan."), "success")
    return redirect(url_for("admin.themes_list"))


ACTIONS = ("naik", "turun", "nonaktifkan", "aktifkan")


@bp.post("/tema/<int:theme_id>/<action>")
@role_required(Role.ADMIN)
def change_theme(theme_id: int, action: str):
    if action not in ACTIONS:
        abort(404)
    theme = _theme_or_404(theme_id)
    if not ThemeActionForm().validate_on_submit():
        abort(400)
    me, ip = current_user._get_current_object(), request.remote_addr
    try:
        if action in ("naik", "turun"):
            themes.move_theme(theme, -1 if action == "naik" else 1, me, ip)
        else:
            themes.set_active(theme, action == "aktifkan", me, ip)
    except ThemeError as error:
        show_error(error)
    return redirect(url_for("admin.themes_list"))
