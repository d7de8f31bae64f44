"""Pre-/post-test pages: organizer setup, the participant's attempt, and the results."""

from __future__ import annotations

import re

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..forms import ActionForm
from ..hot_paths import hot_path
from ..models import Attempt, Quiz, QuizKind, Registration, Role, utcnow
from ..registrations.services import find_registration
from ..security import MANAGER_ROLES, current_person, role_required
from ..spreadsheets import download
from ..unit_of_work import refuse, show_error
from ..workshops.access import get_managed_workshop_or_404
from ..workshops.timefmt import local_datetime
from . import (
    answer_saving,
    attempt_closing,
    attempt_markup,
    attempt_page,
    attempt_views,
    attempts,
    cloning,
    links,
    services,
    stats,
)
from .blueprint import bp
from .errors import AttemptError, AttemptNotFoundError, InvalidAnswerError, QuizError
from .forms import AddQuestionsForm, DrawForm, QuestionListForm, QuizSettingsForm, settings_values

REVIEWERS = (Role.REVIEWER, Role.ADMIN)
ANSWER_FIELD = re.compile(r"^q(\d+)$")


@bp.app_template_filter("quiz_number")
def quiz_number(value: float | None, digits: int = 1) -> str:
    """66.666 -> '66,7' in Indonesian; None -> '–'."""
    if value is None:
        return "–"
    return format_decimal(round(value, digits), format="#,##0." + "0" * digits)


@bp.app_template_global()
def quiz_kind_label(kind: QuizKind) -> str:
    return stats.kind_label(kind)


# --- organizer: setup -------------------------------------------------------------------------


def _kind(kind: str) -> QuizKind:
    try:
        return QuizKind(kind)
    except ValueError:
        abort(404)


def _render_manage(workshop, kind, *, form=None, status=200):
    quiz = services.get_quiz(workshop, kind)
    if form is None:
        data = (
            settings_values(quiz, workshop.timezone) if quiz else {"title": stats.kind_label(kind)}
        )
        form = QuizSettingsForm(formdata=None, data=data)
    topic = request.args.get("topik") or None
    chosen = {item.question_id for item in quiz.items} if quiz else set()
    default_opens, default_closes = services.default_window(
        workshop, kind, quiz.created_at if quiz else None
    )
    return render_template(
        "quizzes/manage.html",
        workshop=workshop,
        kind=kind,
        quiz=quiz,
        form=form,
        window=services.effective_window(quiz) if quiz else None,
        default_window=(default_opens, default_closes),
        locked=bool(quiz and services.has_attempts(quiz)),
        topics=services.bank_topics(),
        topic=topic,
        bank=[q for q in services.bank_questions(topic) if q.id not in chosen],
        add_form=AddQuestionsForm(formdata=None),
        draw_form=DrawForm(formdata=None),
        list_form=QuestionListForm(formdata=None),
        pre_test_count=cloning.copyable_pre_test_count(workshop, kind, quiz),
    ), status


@bp.route("/kelola/<slug>/tes/<kind>", methods=["GET", "POST"])
@role_required(*MANAGER_ROLES)
def manage(slug: str, kind: str):
    workshop, kind = get_managed_workshop_or_404(slug, current_person()), _kind(kind)
    if request.method == "GET":
        return _render_manage(workshop, kind)
    form = QuizSettingsForm()
    if not form.validate_on_submit():
        return _render_manage(workshop, kind, form=form, status=400)
    try:
        services.save_settings(
            workshop,
            kind,
            form.settings(workshop.timezone),
            current_person(),
            ip=request.remote_addr,
        )
    except QuizError as error:
        show_error(error, form[error.field or "opens_at"])
        return _render_manage(workshop, kind, form=form, status=400)
    flash(_("Pengaturan tes disimpan."), "success")
    return redirect(url_for("quizzes.manage", slug=slug, kind=kind.value))


def _change_questions(slug: str, kind: str, form, change) -> object:
    """Validate a question-list form, apply `change(quiz, form)`, commit, and go back."""
    workshop, kind = get_managed_workshop_or_404(slug, current_person()), _kind(kind)
    quiz = services.get_quiz(workshop, kind) or abort(404)
    back = redirect(
        url_for("quizzes.manage", slug=slug, kind=kind.value, topik=request.args.get("topik"))
    )
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(str(e) for e in errors), "warning")
        return back
    try:
        message = change(quiz, form)
    except QuizError as error:
        show_error(error)
        return back
    flash(message, "success")
    return back


@bp.post("/kelola/<slug>/tes/<kind>/soal")
@role_required(*MANAGER_ROLES)
def add_questions(slug: str, kind: str):
    def change(quiz, form):
        added = services.add_questions(quiz, form.question_ids.data, current_person())
        return _("%(count)s soal ditambahkan.", count=added)

    return _change_questions(slug, kind, AddQuestionsForm(), change)


@bp.post("/kelola/<slug>/tes/<kind>/acak")
@role_required(*MANAGER_ROLES)
def draw_questions(slug: str, kind: str):
    def change(quiz, form):
        added = services.draw_questions(
            quiz, form.topics.data, form.per_topic.data, current_person()
        )
        return _("%(count)s soal acak ditambahkan.", count=added)

    return _change_questions(slug, kind, DrawForm(), change)


@bp.post("/kelola/<slug>/tes/<kind>/daftar-soal")
@role_required(*MANAGER_ROLES)
def edit_questions(slug: str, kind: str):
    def change(quiz, form):
        parsed = form.parsed() or abort(400)
        verb, question_id = parsed
        if verb == "remove":
            services.remove_question(quiz, question_id, current_person())
            return _("Soal dikeluarkan dari tes.")
        services.move_question(quiz, question_id, -1 if verb == "up" else 1, current_person())
        return _("Urutan soal diubah.")

    return _change_questions(slug, kind, QuestionListForm(), change)


# --- participant: the attempt -----------------------------------------------------------------


def _quiz_and_registration(quiz_id: int) -> tuple[Quiz, Registration]:
    """The quiz and the viewer's registration for its workshop; 404 when they have none."""
    quiz = db.session.get(Quiz, quiz_id) or abort(404)
    registration = find_registration(services.quiz_workshop(quiz), current_user)
    if registration is None:
        abort(404)
    return quiz, registration


def _own_attempt(attempt_id: int) -> Attempt:
    """The viewer's own attempt; another participant's is a 404 (it is not revealed)."""
    return attempts.find_own_attempt(attempt_id, current_user.id) or abort(404)


def _page_answers() -> dict[int, list[str]]:
    """The answers of a submitted attempt page: fields named q<question id>."""
    answers = {}
    for name in request.form:
        match = ANSWER_FIELD.match(name)
        if match:
            answers[int(match.group(1))] = request.form.getlist(name)
        elif name.startswith("q"):
            raise InvalidAnswerError()
    return answers


@bp.get("/tes/<int:quiz_id>")
@login_required
def overview(quiz_id: int):
    quiz, registration = _quiz_and_registration(quiz_id)
    opens_at, closes_at = services.effective_window(quiz)
    attempt = attempts.find_attempt(quiz, registration)
    return render_template(
        "quizzes/overview.html",
        quiz=quiz,
        workshop=services.quiz_workshop(quiz),
        registration=registration,
        attempt=attempt,
        state=links.link_state(attempt, opens_at, closes_at, utcnow()),
        opens_at=opens_at,
        closes_at=closes_at,
        question_count=len(quiz.items),
        form=ActionForm(formdata=None),
    )


@bp.post("/tes/<int:quiz_id>/mulai")
@login_required
def start(quiz_id: int):
    quiz, registration = _quiz_and_registration(quiz_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        attempt = attempts.start_attempt(quiz, registration)
    except AttemptError as error:
        show_error(error)
        return redirect(url_for("quizzes.overview", quiz_id=quiz.id))
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))


def _render_attempt(attempt: Attempt | attempt_views.ShownAttempt, status: int = 200):
    items = attempt_views.attempt_items(attempt)
    workshop = services.quiz_workshop(attempt.quiz)
    remaining = attempts.remaining_seconds(attempt)
    values = {
        "attempt_id": attempt.id,
        "remaining": remaining,
        "clock": attempt_page.clock(remaining),
        "deadline": local_datetime(attempt.deadline_at, workshop),
        "questions": attempt_markup.question_fieldsets(items),
        "answered": sum(1 for item in items if item.selected),
        "total": len(items),
    }

    def render_page(values):
        return render_template(
            "quizzes/attempt.html", quiz=attempt.quiz, workshop=workshop, **values
        )

    if status != 200:  # a refused save: the page shows its message, rendered in full
        return render_page(values), status
    return attempt_page.render(attempt, workshop, values, render_page)


@bp.get("/percobaan/<int:attempt_id>")
@hot_path  # the page a whole class loads at once
@login_required
def attempt(attempt_id: int):
    attempt = attempt_views.find_shown_attempt(attempt_id, current_user.id) or abort(404)
    if attempt.is_submitted or attempts.is_overdue(attempt):
        return redirect(url_for("quizzes.result", attempt_id=attempt.id))
    return _render_attempt(attempt)


@bp.post("/percobaan/<int:attempt_id>")
@login_required
def save_page(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    return _run_page_action(
        attempt,
        lambda: answer_saving.save_page(attempt, _page_answers()),
        _("Jawaban tersimpan."),
        "quizzes.attempt",
    )


def _run_page_action(attempt, action, success: str, next_endpoint: str):
    """Save or submit from the attempt form: one commit, domain errors shown as messages."""
    try:
        action()
    except InvalidAnswerError as error:
        show_error(error)
        return _render_attempt(attempt, 400)
    except AttemptError as error:  # time is up, or already submitted
        show_error(error)
        return redirect(url_for("quizzes.result", attempt_id=attempt.id))
    flash(success, "success")
    return redirect(url_for(next_endpoint, attempt_id=attempt.id))


@bp.post("/percobaan/<int:attempt_id>/jawaban")
@hot_path  # no rate limit (a class shares one address), a lighter login loader
@login_required
def save_answer(attempt_id: int):
    payload = request.get_json(silent=True)
    if not isinstance(payload, dict):
        _own_attempt(attempt_id)  # someone else's attempt stays a 404 whatever is sent
        return jsonify(error=str(InvalidAnswerError.message)), 400
    try:
        saved_at = answer_saving.save_own_answer(
            attempt_id, current_user.id, payload.get("question_id"), payload.get("selected")
        )
    except AttemptNotFoundError:
        abort(404)
    except InvalidAnswerError as error:
        return jsonify(error=refuse(error)), 400
    except AttemptError as error:  # time is up, or already submitted
        return jsonify(error=refuse(error), code=error.code), 409
    return jsonify(saved=True, question_id=payload["question_id"], saved_at=saved_at.isoformat())


@bp.post("/percobaan/<int:attempt_id>/kirim")
@login_required
def submit(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    # The page's answers come along when the form is sent without JavaScript.
    return _run_page_action(
        attempt,
        lambda: attempt_closing.submit_attempt(
            attempt, _page_answers() if request.form.get("page") else None
        ),
        _("Jawaban Anda sudah terkirim."),
        "quizzes.result",
    )


@bp.get("/percobaan/<int:attempt_id>/hasil")
@login_required
def result(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    if not attempt.is_submitted:
        if not attempts.is_overdue(attempt):
            return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))
        attempt = attempt_closing.close_if_overdue(attempt)
    other_kind = QuizKind.POST if attempt.quiz.kind == QuizKind.PRE else QuizKind.PRE
    other = attempts.attempt_of_kind(attempt.registration, other_kind)
    return render_template(
        "quizzes/result.html",
        attempt=attempt,
        quiz=attempt.quiz,
        workshop=services.quiz_workshop(attempt.quiz),
        other=other if other is not None and other.is_submitted else None,
        review=attempt_views.review_items(attempt) if attempts.answers_visible(attempt) else None,
        closes_at=services.effective_window(attempt.quiz)[1],
    )


# --- results ----------------------------------------------------------------------------------


@bp.get("/kelola/<slug>/hasil-tes")
@role_required(*MANAGER_ROLES)
def results(slug: str):
    workshop = get_managed_workshop_or_404(slug, current_person())
    return render_template(
        "quizzes/results.html",
        workshop=workshop,
        data=stats.results(workshop),
        definitions=stats.definitions(),
        export_url=url_for("quizzes.results_export", slug=slug),
    )


@bp.get("/kelola/<slug>/hasil-tes.xlsx")
@role_required(*MANAGER_ROLES)
def results_export(slug: str):
    workshop = get_managed_workshop_or_404(slug, current_person())
    body = stats.export_xlsx(stats.results(workshop), per_workshop=False)
    return download(body, f"hasil-tes-{workshop.slug}.xlsx")


@bp.get("/hasil-tes")
@role_required(*REVIEWERS)
def all_results():
    return render_template(
        "quizzes/results.html",
        workshop=None,
        data=stats.results(None),
        definitions=stats.definitions(),
        export_url=url_for("quizzes.all_results_export"),
    )


@bp.get("/hasil-tes.xlsx")
@role_required(*REVIEWERS)
def all_results_export():
    body = stats.export_xlsx(stats.results(None), per_workshop=True)
    return download(body, "hasil-tes-semua.xlsx")
