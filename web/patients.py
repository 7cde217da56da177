"""Patients: search, list, register, edit, and the patient page with history and progress."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from . import charts, queries
from .access import clinical_required, get_patient_or_404
from .extensions import db
from .forms.patients import PatientForm
from .operations import InvalidInputError, OperationError, StaleEditError, audit, patients
from .scoring import group_for

bp = Blueprint("patients", __name__, url_prefix="/patients")

_FIELD_MESSAGES = {
    "record_no": lambda: _("Another patient at this station has this record number."),
    "birth_date": lambda: _("Age must be between 3 and 110 years."),
}


def _show_problems(form: PatientForm, exc: OperationError) -> None:
    problems = exc.problems if isinstance(exc, InvalidInputError) else [exc]
    for problem in problems:
        name = problem.field if problem.field in form else "record_no"
        form[name].errors.append(_FIELD_MESSAGES.get(name, lambda p=problem: p.message)())


@bp.route("/")
@clinical_required
def index() -> str:
    q = request.args.get("q", "")
    page = db.paginate(queries.patient_search(current_user.station_id, q),
                       per_page=current_app.config["PATIENTS_PER_PAGE"], error_out=False)
    last = queries.last_assessment_dates(db.session, [p.id for p in page.items])
    return render_template("patients/index.html", page=page, q=q, last=last)


@bp.route("/new", methods=["GET", "POST"])
@clinical_required
def create() -> Response | str:
    form = PatientForm()
    if form.validate_on_submit():
        try:
            patient = patients.create_patient(db.session, current_user, form.details())
        except OperationError as exc:
            db.session.rollback()
            _show_problems(form, exc)
        else:
            db.session.commit()
            flash(_("Patient registered."), "success")
            return redirect(url_for("patients.detail", patient_id=patient.id))
    return render_template("patients/form.html", form=form, patient=None)


@bp.route("/<int:patient_id>")
@clinical_required
def detail(patient_id: int) -> str:
    patient = get_patient_or_404(patient_id)
    audit.record(db.session, current_user, "viewed", "patient", patient.id)
    db.session.commit()
    points = queries.progress_points(patient)
    return render_template(
        "patients/detail.html", patient=patient,
        assessments=sorted(patient.assessments, key=lambda a: (a.assessed_on, a.id),
                           reverse=True),
        prescriptions=queries.prescriptions_of(db.session, patient), points=points,
        chart=charts.progress_chart(points), group=group_for(patient, dt.date.today()))


@bp.route("/<int:patient_id>/edit", methods=["GET", "POST"])
@clinical_required
def edit(patient_id: int) -> Response | str:
    patient = get_patient_or_404(patient_id)
    form = PatientForm(obj=patient)
    if request.method == "GET":
        form.lock_version.data = str(patient.lock_version)
    if form.validate_on_submit():
        try:
            patients.update_patient(db.session, current_user, patient, form.details(),
                                    int(form.lock_version.data or -1))
        except StaleEditError:
            db.session.rollback()
            flash(_("Someone else saved this patient after you opened the form. Your changes "
                    "are still in the form below: check them against the current record and "
                    "save again."), "error")
            form.lock_version.data = str(patient.lock_version)
        except OperationError as exc:
            db.session.rollback()
            _show_problems(form, exc)
        else:
            db.session.commit()
            flash(_("Patient saved."), "success")
            return redirect(url_for("patients.detail", patient_id=patient.id))
    return render_template("patients/form.html", form=form, patient=patient)
