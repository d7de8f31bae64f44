"""The question bank for admins and organizers, under /bank-soal."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ..errors import LokalatihError
from ..extensions import db
from ..models import Question, QuestionKind, Role
from ..security import current_person, role_required
from ..spreadsheets import download
from ..unit_of_work import refuse, show_error, show_form_error
from ..web import page_number
from . import bank, bank_io, moodle_io
from .bank_forms import ActionForm, BankFilterForm, ImportForm, QuestionForm
from .blueprint import bp
from .errors import ImportRowsError

# Organizers browse and export the bank to build their quizzes; only admins change it, so one
# organizer cannot rewrite or retire questions other workshops rely on.
BANK_READERS = (Role.ADMIN, Role.ORGANIZER)
BANK_EDITORS = (Role.ADMIN,)

bp.add_app_template_global(bank.KIND_LABELS, "question_kind_labels")


def _status(form) -> int:
    return 400 if form.is_submitted() else 200


def _question_or_404(question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None:
        abort(404)
    return question


def _filter_form() -> BankFilterForm:
    form = BankFilterForm(request.args, topics=bank.list_topics())
    form.validate()
    return form


def _safe_next(value: str | None, default: str) -> str:
    """Only a path inside the question bank: never an address on another site."""
    if value and value.startswith("/bank-soal") and "//" not in value and "\\" not in value:
        return value
    return default


@bp.get("/bank-soal", endpoint="bank")
@role_required(*BANK_READERS)
def bank_page():
    form = _filter_form()
    pagination = bank.search_questions(**form.filters(), page=page_number())
    return render_template(
        "quizzes/bank_list.html",
        form=form,
        pagination=pagination,
        action_form=ActionForm(formdata=None),
        export_args={key: value for key, value in request.args.items() if key != "page"},
    )


def _render_form(form: QuestionForm, question: Question | None = None, status: int = 200):
    return render_template(
        "quizzes/bank_form.html",
        form=form,
        question=question,
        topics=bank.list_topics(),
        submitted_attempts=bank.submitted_attempt_count(question) if question else 0,
        action_form=ActionForm(formdata=None),
    ), status


@bp.route("/bank-soal/baru", methods=["GET", "POST"])
@role_required(*BANK_EDITORS)
def new_question():
    form = QuestionForm()
    if not form.validate_on_submit():
        return _render_form(form, status=_status(form))
    try:
        question = bank.create_question(
            form.question_data(),
            actor=current_person(),
            ip=request.remote_addr,
            theme_ids=form.themes.data,
        )
    except LokalatihError as error:
        show_form_error(error, form)
        return _render_form(form, status=400)
    flash(_("Soal ditambahkan ke bank soal."), "success")
    return redirect(url_for("quizzes.bank", topik=question.topic))


@bp.route("/bank-soal/<int:question_id>/ubah", methods=["GET", "POST"])
@role_required(*BANK_EDITORS)
def edit_question(question_id: int):
    question = _question_or_404(question_id)
    if request.method == "POST":
        form = QuestionForm()
    else:
        form = QuestionForm(formdata=None, data={"themes": [t.id for t in question.themes]})
        form.fill(bank.data_from_question(question))
    if not form.validate_on_submit():
        return _render_form(form, question, status=_status(form))
    try:
        bank.update_question(
            question,
            form.question_data(),
            actor=current_person(),
            ip=request.remote_addr,
            theme_ids=form.themes.data or [],
        )
    except LokalatihError as error:
        show_form_error(error, form)
        return _render_form(form, question, status=400)
    flash(_("Perubahan soal disimpan."), "success")
    return redirect(url_for("quizzes.edit_question", question_id=question.id))


def _change_retirement(question_id: int, retire: bool):
    question = _question_or_404(question_id)
    form = ActionForm()
    back = _safe_next(form.next.data, url_for("quizzes.edit_question", question_id=question.id))
    if not form.validate_on_submit():
        flash(_("Permintaan tidak dapat diproses. Muat ulang halaman lalu coba lagi."), "warning")
        return redirect(back)
    action = bank.retire_question if retire else bank.restore_question
    changed = action(question, actor=current_person(), ip=request.remote_addr)
    if retire:
        message = _("Soal dipensiunkan: tidak ditawarkan lagi untuk tes baru.")
    else:
        message = _("Soal diaktifkan kembali dan dapat dipakai di tes baru.")
    flash(message if changed else _("Status soal sudah seperti itu."), "success")
    return redirect(back)


@bp.post("/bank-soal/<int:question_id>/pensiunkan")
@role_required(*BANK_EDITORS)
def retire_question(question_id: int):
    return _change_retirement(question_id, retire=True)


@bp.post("/bank-soal/<int:question_id>/aktifkan")
@role_required(*BANK_EDITORS)
def restore_question(question_id: int):
    return _change_retirement(question_id, retire=False)


def _selected_ids() -> list[int]:
    values = request.args.getlist("id")[: bank_io.MAX_ROWS]
    return sorted({int(value) for value in values if value.isdigit()})


@bp.get("/bank-soal/ekspor.<fmt>")
@role_required(*BANK_READERS)
def export_bank(fmt: str):
    if fmt not in (*bank_io.FORMATS, *moodle_io.FORMATS):
        abort(404)
    filters = _filter_form().filters()
    details = {
        key: value.value if isinstance(value, QuestionKind) else value
        for key, value in filters.items()
        if value
    }
    statement = bank.filtered_select(**filters)
    if selected := _selected_ids():
        # Ticked on the list: exactly those questions, retired ones included.
        statement = bank.filtered_select(include_retired=True).where(Question.id.in_(selected))
        details = {"selected": len(selected)}
    exporter = bank_io.export_bank if fmt in bank_io.FORMATS else moodle_io.export_bank
    data = exporter(fmt, statement, actor=current_person(), ip=request.remote_addr, filters=details)
    return download(data, f"bank-soal.{fmt}", mimetype=moodle_io.MIMETYPES.get(fmt))


def _render_import(form: ImportForm, status: int = 200, error=None):
    return render_template(
        "quizzes/bank_import.html",
        form=form,
        error=error,
        columns=bank_io.COLUMNS,
        max_rows=bank_io.MAX_ROWS,
    ), status


@bp.route("/bank-soal/impor", methods=["GET", "POST"])
@role_required(*BANK_EDITORS)
def import_bank():
    form = ImportForm()
    if not form.validate_on_submit():
        return _render_import(form, status=_status(form))
    upload = form.file.data
    try:
        report = bank_io.import_bank_file(
            upload.filename or "", upload.stream, actor=current_person(), ip=request.remote_addr
        )
    except ImportRowsError as error:
        refuse(error)
        return _render_import(form, status=400, error=error)
    except LokalatihError as error:
        show_error(error, form.file)
        return _render_import(form, status=400)
    flash(_("%(count)d soal ditambahkan ke bank soal.", count=report.added), "success")
    return redirect(url_for("quizzes.bank"))
