"""School pages, part 1: the schools of a station and the upload → preview → import flow.

Upload checks every file and shows every problem (file, line, column as written, value as
typed, reason) before anything is stored; the doctor fixes the sheet and uploads again,
and only a clean upload offers the import button. Importing re-reads the staged files and
stores everything in one transaction (``importer.import_school``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response as BaseResponse

from prescribe.school import ImportFileError, preview_import

from ..access import clinical_required
from ..clinic import get_clinic
from ..extensions import db
from . import frames, importer, labels, operations, planning, staging
from .forms import NEW_SCHOOL, ConfirmImportForm, UploadForm
from .tables import School, SchoolClass, SchoolImport, Student

bp = Blueprint("school", __name__, url_prefix="/school")
logger = logging.getLogger(__name__)


@bp.app_context_processor
def _school_labels() -> dict[str, Any]:
    return {"school_labels": labels}


def get_school_or_404(school_id: int) -> School:
    """:raise 404: no such school at the current user's station."""
    school = db.session.scalar(select(School).where(
        School.id == school_id, School.station_id == current_user.station_id))
    if school is None:
        abort(404)
    return school


def get_class_or_404(class_id: int) -> SchoolClass:
    """:raise 404: no such class at the current user's station."""
    item = db.session.scalar(select(SchoolClass).where(
        SchoolClass.id == class_id, SchoolClass.station_id == current_user.station_id))
    if item is None:
        abort(404)
    return item


def chosen_year(school: School) -> tuple[int | None, list[int]]:
    """The ``?year=`` asked for (404 if the school has no results then), else the latest."""
    years = frames.school_years(db.session, school)
    asked = request.args.get("year", type=int)
    if asked is not None and asked not in years:
        abort(404)
    return (asked if asked is not None else (years[0] if years else None)), years


@bp.route("/")
@clinical_required
def index() -> str:
    schools = list(db.session.scalars(select(School).where(
        School.station_id == current_user.station_id).order_by(School.name)))
    imports = list(db.session.scalars(select(SchoolImport).where(
        SchoolImport.station_id == current_user.station_id)
        .order_by(SchoolImport.id.desc()).limit(10)))
    return render_template("school/index.html", schools=schools, imports=imports)


def _upload_form() -> UploadForm:
    form = UploadForm()
    schools = db.session.scalars(select(School).where(
        School.station_id == current_user.station_id).order_by(School.name))
    form.school.choices = [(str(s.id), s.name) for s in schools] + [
        (NEW_SCHOOL, _("New school…"))]
    if request.method == "GET":  # "upload corrected files" comes back with the choices
        form.school.data = request.args.get("school") or form.school.data
        form.school_name.data = request.args.get("name") or form.school_name.data
    return form


def _known_ids() -> list[str]:
    return list(db.session.scalars(select(Student.student_no).where(
        Student.station_id == current_user.station_id)))


def _check(staged: staging.Staged) -> None:
    """Preview the staged files and keep the result (problems, counts) in the manifest."""
    preview = preview_import(staged.paths, _known_ids(),
                             test_date=_date(staged.manifest["test_date"]))
    problems = list(preview.problems)
    clean = preview.frame[~preview.frame["has_error"]] if len(preview.frame) else preview.frame
    problems += operations.record_checks(db.session, current_user.station_id, clean)
    errors = [p for p in problems if p["severity"] == "error"]
    counts = {}
    if not errors:
        counts = planning.plan(db.session, current_user.station_id, preview).counts()
    summary = preview.summary()
    summary["n_errors"] = len(errors)
    summary["n_rows_with_errors"] = len({(p["file"], p["row"]) for p in errors})
    staged.manifest.update(problems=problems, summary=summary, counts=counts,
                           unmatched=preview.unmatched_join_ids, ok=not errors)
    staged.save()


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@bp.route("/import", methods=["GET", "POST"])
@clinical_required
def upload() -> BaseResponse | str | tuple[str, int]:
    form = _upload_form()
    if not form.validate_on_submit():
        return render_template("school/upload.html", form=form), 400 if form.errors else 200
    if form.school.data != NEW_SCHOOL:
        get_school_or_404(int(form.school.data))
    meta = {"user_id": current_user.id, "station_id": current_user.station_id,
            "school_id": None if form.school.data == NEW_SCHOOL else int(form.school.data),
            "school_name": (form.school_name.data or "").strip(),
            "test_date": form.test_date.data.isoformat()}
    try:
        staged = staging.stage(current_app.instance_path,
                               [(f.filename, f.stream) for f in form.files.data
                                if f.filename], meta)
    except staging.StagingError as exc:
        form.files.errors = [str(exc)]
        return render_template("school/upload.html", form=form), 400
    try:
        _check(staged)
    except ImportFileError as exc:
        staging.discard(staged)
        form.files.errors = [str(exc)]
        return render_template("school/upload.html", form=form), 400
    return redirect(url_for("school.preview", token=staged.token))


def _staged_or_404(token: str) -> staging.Staged:
    staged = staging.load(current_app.instance_path, token, user_id=current_user.id,
                          station_id=current_user.station_id)
    if staged is None:
        abort(404)
    return staged


def _school_label(manifest: dict[str, Any]) -> str:
    if manifest.get("school_id"):
        return get_school_or_404(manifest["school_id"]).name
    return manifest.get("school_name", "")


@bp.route("/import/<token>")
@clinical_required
def preview(token: str) -> str:
    staged = _staged_or_404(token)
    return render_template("school/preview.html", staged=staged, m=staged.manifest,
                           school_name=_school_label(staged.manifest),
                           form=ConfirmImportForm())


@bp.route("/import/<token>/problems.csv")
@clinical_required
def problems_csv(token: str) -> Response:
    """Every problem as a CSV the teacher can sort and filter beside the sheet."""
    staged = _staged_or_404(token)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("File"), _("Line"), _("Column"), _("Value"), _("Problem"),
                     _("Allowed"), _("Severity")])
    for p in staged.manifest.get("problems", []):
        writer.writerow([p["file"], p["row"] or "", p["column"], p["value"] or "",
                         labels.problem_reason(p["reason"]), p.get("allowed") or "",
                         _("error") if p["severity"] == "error" else _("warning")])
    response = Response("\ufeff" + out.getvalue(), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="import-problems.csv"'
    return response


@bp.route("/import/<token>/confirm", methods=["POST"])
@clinical_required
def confirm(token: str) -> BaseResponse:
    staged = _staged_or_404(token)
    form = ConfirmImportForm()
    if not form.validate_on_submit():
        abort(400)
    manifest = staged.manifest
    preview_result = preview_import(staged.paths, _known_ids(),
                                    test_date=_date(manifest["test_date"]))
    clinic = get_clinic()
    scope = form.draft_scope.data
    if clinic.assistant is None and scope != "none":
        flash(_("Drafting is unavailable: the rule set is not loaded. The results are stored "
                "and screened; draft later."), "warning")
    try:
        school = (get_school_or_404(manifest["school_id"]) if manifest.get("school_id")
                  else operations.school_for(db.session, current_user,
                                             manifest["school_name"]))
        batch = importer.import_school(
            db.session, current_user, school, preview_result, manifest["files"],
            assistant=clinic.assistant, scope=scope)
        db.session.commit()
    except importer.ImportBlockedError:
        db.session.rollback()
        _check(staged)
        flash(_("The files no longer pass the checks: see the problems below."), "error")
        return redirect(url_for("school.preview", token=token))
    except IntegrityError:
        db.session.rollback()
        logger.warning("school import collided with a concurrent change (user %s)",
                       current_user.id)
        flash(_("Another import changed these students at the same time. Nothing was "
                "stored; check the preview and import again."), "error")
        _check(staged)
        return redirect(url_for("school.preview", token=token))
    staging.discard(staged)
    flash(_("Imported %(rows)s rows: %(new)s new students, %(results)s new results, "
            "%(fixed)s corrected, %(same)s unchanged; %(drafts)s draft prescriptions.",
            rows=batch.n_rows, new=batch.n_new_students, results=batch.n_new_assessments,
            fixed=batch.n_corrected, same=batch.n_unchanged, drafts=batch.n_drafts), "success")
    return redirect(url_for("school.detail", school_id=school.id, year=batch.school_year))


@bp.route("/<int:school_id>")
@clinical_required
def detail(school_id: int) -> str:
    school = get_school_or_404(school_id)
    year, years = chosen_year(school)
    classes = []
    if year is not None:
        classes = list(db.session.scalars(select(SchoolClass).where(
            SchoolClass.school_id == school.id, SchoolClass.school_year == year)
            .order_by(SchoolClass.grade_code, SchoolClass.class_code)))
    status = frames.class_status(db.session, school, year) if year is not None else {}
    imports = list(db.session.scalars(select(SchoolImport).where(
        SchoolImport.school_id == school.id).order_by(SchoolImport.id.desc()).limit(10)))
    return render_template("school/detail.html", school=school, year=year, years=years,
                           classes=classes, status=status, imports=imports)


from . import views_reports, views_review  # noqa: E402,F401  (routes on ``bp``)
