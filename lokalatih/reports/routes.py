"""The review dashboard: GET only; reviewers and admins see everything, organizers their own."""

from __future__ import annotations

import re

from flask import current_app, render_template, request, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup

from ..audit import record_event
from ..models import Role
from ..security import current_person, role_required
from ..spreadsheets import download
from ..web import page_number
from . import board as boards
from . import exports, figures, jp, outcome_tables, pdf_report, series, services, themes
from .blueprint import bp
from .forms import FilterForm

VIEWERS = (Role.REVIEWER, Role.ADMIN, Role.ORGANIZER)
SEES_ALL = (Role.REVIEWER, Role.ADMIN)


def _filter_form() -> FilterForm:
    form = FilterForm(request.args)
    form.fill_choices(with_organizers=current_person().role in SEES_ALL)
    return form


def _filter_lines(form: FilterForm) -> list[tuple[str, str]]:
    """The applied filters as (label, shown value) for the export's definitions sheet."""
    lines = []
    for field in form:
        if not field.data:
            continue
        value = field.data
        for choice in getattr(field, "choices", None) or []:
            if choice.value == field.data:
                value = choice.label
        lines.append((_("Filter: %(name)s", name=field.label.text), str(value)))
    return lines or [(_("Filter"), _("Tanpa filter"))]


_INDENTATION = re.compile(r"\n[ \t]+")


@bp.app_template_filter("without_indentation")
def without_indentation(html: str) -> Markup:
    """The dashboard without the templates' indentation: a sixth of its bytes, which a phone on
    slow data should not pay for (pages under 150 KB, issue 21). The page has no <pre> or
    <textarea>, where leading spaces would be content; if one appears it is left whole."""
    if "<pre" in html or "<textarea" in html:
        return Markup(html)  # noqa: S704 (already rendered, autoescaped markup)
    return Markup(_INDENTATION.sub("\n", html))  # noqa: S704 (the same markup, fewer spaces)


@bp.app_template_filter("report_number")
def report_number(value: float | None, digits: int = 1) -> str:
    return boards.decimal(value, digits)


@bp.get("/laporan")
@role_required(*VIEWERS)
def dashboard():
    form = _filter_form()
    filters = form.filters()
    report = services.build_report(filters, current_person())
    participants, total, suppressed, page = None, 0, False, page_number("halaman")
    if current_person().role in SEES_ALL:
        table = services.participant_page(
            filters, current_person(), page=page, secret=current_app.config["SECRET_KEY"]
        )
        participants, total, suppressed = table.rows, table.total, table.suppressed
    query = {key: value for key, value in request.args.items() if key != "halaman" and value}
    board = boards.build(report, current_person(), request.args.get("peta", "participants"))
    map_urls = {
        key: url_for("reports.dashboard", **{**query, "peta": key}, _anchor="peta")
        for key in boards.MAP_FIGURES
    }
    filter_query = {key: value for key, value in query.items() if key != "peta"}
    return render_template(
        "reports/dashboard.html",
        form=form,
        report=report,
        headline_rows=exports.headline_rows(report),
        status_label=exports.status_label,
        participants=participants,
        participants_suppressed=suppressed,
        total=total,
        page=page,
        pages=max(1, -(-total // figures.PAGE_SIZE)),
        query=query,
        sees_all=current_person().role in SEES_ALL,
        provinces_total=figures.PROVINCES_TOTAL,
        regencies_total=figures.REGENCIES_TOTAL,
        board=board,
        map_figures=boards.MAP_FIGURES,
        map_urls=map_urls,
        map_fmt=boards.gain_text if board.map_figure == "gain" else boards.number,
        share_url=url_for("reports.dashboard", **query, _external=True),
        pdf_url=url_for("reports.export_pdf", **filter_query),
        pdf_en_url=url_for("reports.export_pdf", **{**filter_query, "bahasa": "en"}),
        workshops_url=url_for("reports.workshops", **filter_query),
        xlsx_url=url_for("reports.export", **query),
        csv_url=url_for("reports.export_csv", **query),
        definitions=exports.term_definitions(),
        jp_report=jp.jp_delivered(filters, current_person()),
        themes=themes.theme_report(filters, current_person(), request.args.get("tema")),
        theme_choice_query={key: value for key, value in query.items() if key != "tema"},
    )


def _export_tables(form: FilterForm):
    filters = form.filters()
    report = services.build_report(filters, current_person())
    participants = None
    if current_person().role in SEES_ALL:
        participants = services.participant_page(
            filters, current_person(), page=None, secret=current_app.config["SECRET_KEY"]
        ).rows
    outcome = outcome_tables.tables(outcome_tables.gather(filters, current_person()))
    return (
        exports.tables(report, participants, outcome),
        exports.definitions(_filter_lines(form)),
    )


def _audited(kind: str) -> None:
    details = {"format": kind, "filters": {k: v for k, v in request.args.items() if v}}
    record_event("report_exported", actor=current_person(), details=details, ip=request.remote_addr)


@bp.get("/laporan.xlsx")
@role_required(*VIEWERS)
def export():
    form = _filter_form()
    tables, definitions = _export_tables(form)
    body = exports.export_xlsx(tables, definitions)
    _audited("xlsx")
    return download(body, "laporan-lokalatih.xlsx")


@bp.get("/laporan.csv")
@role_required(*VIEWERS)
def export_csv():
    form = _filter_form()
    tables, definitions = _export_tables(form)
    body = exports.export_csv(tables, definitions)
    _audited("csv")
    return download(body, "laporan-lokalatih.csv")


@bp.get("/laporan.pdf")
@role_required(*VIEWERS)
def export_pdf():
    language = "en" if request.args.get("bahasa") == "en" else "id"
    with force_locale(language):  # labels, chart titles and definitions in the PDF's language
        form = _filter_form()
        report = services.build_report(form.filters(), current_person())
        body = pdf_report.render_report(report, current_person(), _filter_lines(form), language)
    _audited("pdf")
    return download(body, "laporan-lokalatih.pdf")


@bp.get("/laporan/loka-latih")
@role_required(*VIEWERS)
def workshops():
    form = _filter_form()
    rows = series.workshop_rows(form.filters(), current_person())
    query = {key: value for key, value in request.args.items() if value}
    return render_template(
        "reports/workshops.html",
        rows=rows,
        filter_lines=_filter_lines(form),
        back_url=url_for("reports.dashboard", **query),
    )
