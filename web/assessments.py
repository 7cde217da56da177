"""Assessments: the vocabulary-generated form, then scores, grades and flags at once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from prescribe.errors import AssessmentError

from . import scoring
from .access import clinical_required, get_assessment_or_404, get_patient_or_404
from .clinic import get_clinic
from .extensions import db
from .forms.assessment import (
    CODED_LISTS,
    build_form_class,
    fill_form,
    form_values,
    sections_for,
    synonyms_for,
)
from .forms.auth import EmptyForm
from .operations import OperationError, StaleEditError, assessments, audit
from .problems import attach_problems, problem_message
from .tables import Patient
from .templating import var_label

bp = Blueprint("assessments", __name__, url_prefix="/assessments")


def _form_for(patient: Patient, day: dt.date, **kwargs: Any) -> tuple[Any, list]:
    group = scoring.group_for(patient, day)
    sections = sections_for(group, patient.sex, patient.age_on(day))
    form = build_form_class(sections)(**kwargs)
    form.birth_date = patient.birth_date
    return form, sections


def _assessment_day() -> dt.date:
    """The date the form is for: the submitted one when valid, else today.

    The date decides the person's age and hence which test items the form shows.
    """
    raw = request.form.get("assessed_on") or request.args.get("on") or ""
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        return dt.date.today()
    return day if day <= dt.date.today() else dt.date.today()


def _render_form(patient: Patient, form: Any, sections: list, item: Any = None,
                 leftover: list[str] | None = None, status: int = 200) -> tuple[str, int]:
    return render_template(
        "assessments/form.html", patient=patient, form=form, sections=sections, item=item,
        group=scoring.group_for(patient, form.assessed_on.data or dt.date.today()),
        synonyms={name: synonyms_for(name) for name in ("conditions", "medications")},
        leftover=leftover or [], coded=CODED_LISTS), status


def _save(patient: Patient, form: Any, sections: list, item: Any = None) -> Response | tuple:
    values = form_values(form, sections)
    try:
        if item is None:
            item = assessments.record_assessment(db.session, current_user, patient,
                                                 form.assessed_on.data, values, form.notes.data)
        else:
            assessments.update_assessment(db.session, current_user, item,
                                          form.assessed_on.data, values, form.notes.data,
                                          int(form.lock_version.data or -1))
    except AssessmentError as exc:
        db.session.rollback()
        leftover = attach_problems(form, exc.problems)
        return _render_form(patient, form, sections, item, leftover, 400)
    except StaleEditError:
        db.session.rollback()
        flash(_("Someone else saved this assessment after you opened the form. Your entries "
                "are kept below; check them and save again."), "error")
        form.lock_version.data = str(item.lock_version)
        return _render_form(patient, form, sections, item, status=409)
    except OperationError:
        db.session.rollback()
        flash(_("A prescription was drafted from this assessment, so it can no longer be "
                "changed. Record a new assessment instead."), "error")
        return redirect(url_for("assessments.detail", assessment_id=item.id))
    db.session.commit()
    flash(_("Assessment saved."), "success")
    return redirect(url_for("assessments.detail", assessment_id=item.id))


@bp.route("/new/<int:patient_id>", methods=["GET", "POST"])
@clinical_required
def create(patient_id: int) -> Response | str | tuple:
    patient = get_patient_or_404(patient_id)
    day = _assessment_day()
    form, sections = _form_for(patient, day)
    if request.method == "GET":
        form.assessed_on.data = day
    if form.validate_on_submit():
        return _save(patient, form, sections)
    return _render_form(patient, form, sections, status=400 if form.errors else 200)


@bp.route("/<int:assessment_id>")
@clinical_required
def detail(assessment_id: int) -> str:
    item = get_assessment_or_404(assessment_id)
    audit.record(db.session, current_user, "viewed", "assessment", item.id)
    db.session.commit()
    scores = item.scores or {}
    problems = []
    try:
        assessments.parse_for(item.patient, item.assessed_on, item.values)
    except AssessmentError as exc:  # the vocabulary tightened since this was saved
        problems = [f"{var_label(p.field)}: {problem_message(p)}" for p in exc.problems]
    return render_template(
        "assessments/detail.html", item=item, patient=item.patient, scores=scores,
        result=scores.get("result") or {}, flags=scores.get("flags") or {},
        group=scoring.group_for(item.patient, item.assessed_on), problems=problems,
        editable=not assessments.has_prescription(db.session, item),
        clinic=get_clinic(), draft_form=EmptyForm(),
        warnings={w["field"]: w["message"] for w in item.warnings})


@bp.route("/<int:assessment_id>/edit", methods=["GET", "POST"])
@clinical_required
def edit(assessment_id: int) -> Response | str | tuple:
    item = get_assessment_or_404(assessment_id)
    if assessments.has_prescription(db.session, item):
        flash(_("A prescription was drafted from this assessment, so it can no longer be "
                "changed. Record a new assessment instead."), "warning")
        return redirect(url_for("assessments.detail", assessment_id=item.id))
    day = _assessment_day() if request.method == "POST" else item.assessed_on
    form, sections = _form_for(item.patient, day)
    if request.method == "GET":
        fill_form(form, {**item.values, "assessed_on": item.assessed_on, "notes": item.notes,
                         "lock_version": str(item.lock_version)})
    if form.validate_on_submit():
        return _save(item.patient, form, sections, item)
    return _render_form(item.patient, form, sections, item,
                        status=400 if form.errors else 200)
