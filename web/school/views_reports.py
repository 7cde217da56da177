"""School pages, part 3: the school report (page and PDF) and the official-template export."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Response, abort, render_template, request
from flask_login import current_user
from werkzeug.wrappers import Response as BaseResponse

from prescribe.school import export_official

from ..access import clinical_required
from ..extensions import db
from ..i18n import current_lang
from . import frames, operations, report_data
from .reports import render_report_pdf
from .tables import School
from .views import bp, chosen_year, get_school_or_404

EXPORT_TYPES = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "csv": "text/csv; charset=utf-8"}


def _year_or_404(school_id: int) -> tuple[School, int, list[int]]:
    school = get_school_or_404(school_id)
    year, years = chosen_year(school)
    if year is None:
        abort(404)
    return school, year, years


@bp.route("/<int:school_id>/report")
@clinical_required
def report(school_id: int) -> str:
    school, year, years = _year_or_404(school_id)
    data = report_data.load_report(db.session, school, year)
    return render_template("school/report.html", school=school, year=year, years=years,
                           report=data, charts=report_data.svg_charts(data),
                           headline=report_data.headline_rows(data),
                           grades=report_data.grade_rows(data),
                           items=report_data.item_rows(data),
                           classes=report_data.class_rows(data))


def _download(data: bytes, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<int:school_id>/report.pdf")
@clinical_required
def report_pdf(school_id: int) -> BaseResponse:
    school, year, _years = _year_or_404(school_id)
    lang = request.args.get("lang") or current_lang()
    if lang not in ("zh", "en"):
        abort(404)
    data = render_report_pdf(report_data.load_report(db.session, school, year), lang)
    operations.audit(db.session, current_user, "printed", "school", school.id,
                     f"report {year}; {lang}")
    db.session.commit()
    return _download(data, "application/pdf", f"school-{school.id}-{year}-report.pdf")


@bp.route("/<int:school_id>/export.<fmt>")
@clinical_required
def export(school_id: int, fmt: str) -> BaseResponse:
    """The year's scores in the official upload template (every cell text, 学籍号 kept)."""
    if fmt not in EXPORT_TYPES:
        abort(404)
    school, year, _years = _year_or_404(school_id)
    frame = frames.results_frame(db.session, school, year)
    scores = request.args.get("scores") == "1"
    with tempfile.TemporaryDirectory() as folder:
        path = export_official(frame, Path(folder) / f"export.{fmt}", include_scores=scores)
        data = path.read_bytes()
    operations.audit(db.session, current_user, "exported", "school", school.id,
                     f"template {year}; {fmt}; {len(frame)} rows")
    db.session.commit()
    return _download(data, EXPORT_TYPES[fmt], f"school-{school.id}-{year}-template.{fmt}")
