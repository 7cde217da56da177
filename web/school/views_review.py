"""School pages, part 2: flagged students, the class review queue, the class PDF.

A class's drafts split in two: drafts of flagged students or with anything the rules
asked a clinician to see (deferral, clearance, referral, review items) are reviewed one by
one on the ordinary prescription pages, with the same override rules as for adults; the
routine rest may be approved together (``operations.approve_routine``).
"""

from __future__ import annotations

import dataclasses

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import contains_eager
from werkzeug.wrappers import Response as BaseResponse

from prescribe.school.screening import FLAG_REASONS

from ..access import clinical_required
from ..clinic import optional_module
from ..extensions import db
from ..operations import OperationError, StaleEditError, sharing
from ..operations import audit as web_audit
from ..tables import Patient, Prescription
from . import operations
from .forms import ApproveForm, PrintForm, parse_expected
from .tables import SchoolClass, Student, StudentAssessment
from .views import bp, chosen_year, get_class_or_404, get_school_or_404


def masked_number(student_no: str) -> str:
    """The 学籍号 as printed on a plan that goes home: the national number is "G" + the
    child's ID-card number, so only its last four characters are shown."""
    return student_no if len(student_no) <= 8 else f"{student_no[0]}…{student_no[-4:]}"


@bp.route("/<int:school_id>/flagged")
@clinical_required
def flagged(school_id: int) -> str:
    """Flagged students of a school year with their draft, optionally one reason only."""
    school = get_school_or_404(school_id)
    year, years = chosen_year(school)
    reason = request.args.get("reason", "")
    if reason and reason not in FLAG_REASONS:
        abort(404)
    results: list[StudentAssessment] = []
    plans: dict[int, Prescription] = {}
    if year is not None:
        results = list(db.session.scalars(
            select(StudentAssessment).join(SchoolClass).join(Student).join(Patient)
            .options(contains_eager(StudentAssessment.school_class),
                     contains_eager(StudentAssessment.student).contains_eager(Student.patient))
            .where(SchoolClass.school_id == school.id, StudentAssessment.school_year == year,
                   StudentAssessment.flagged.is_(True))
            .order_by(SchoolClass.grade_code, SchoolClass.class_code, Patient.name)))
        if reason:
            results = [r for r in results if reason in r.reasons]
        ids = [r.assessment_id for r in results]
        for item in db.session.scalars(select(Prescription).where(
                Prescription.assessment_id.in_(ids),
                Prescription.status.in_(("draft", "signed"))).order_by(Prescription.id)):
            plans[item.assessment_id] = item
    return render_template("school/flagged.html", school=school, year=year, years=years,
                           results=results, plans=plans, reason=reason)


@bp.route("/classes/<int:class_id>")
@clinical_required
def class_review(class_id: int) -> str:
    school_class = get_class_or_404(class_id)
    rows = operations.class_queue(db.session, school_class)
    routine = [r for r in rows if r.routine_draft]
    expected = ",".join(f"{r.prescription.id}:{r.prescription.lock_version}" for r in routine)
    return render_template(
        "school/class.html", school_class=school_class, school=school_class.school,
        attention=[r for r in rows if r.reasons and r.prescription is not None
                   and r.prescription.status == "draft"],
        routine=routine, signed=[r for r in rows if r.prescription is not None
                                 and r.prescription.status == "signed"],
        undrafted=[r for r in rows if r.prescription is None],
        approve_form=ApproveForm(expected=expected), print_form=PrintForm())


@bp.route("/classes/<int:class_id>/approve", methods=["POST"])
@clinical_required
def approve(class_id: int) -> BaseResponse:
    school_class = get_class_or_404(class_id)
    form = ApproveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        expected = parse_expected(form.expected.data)
    except ValueError:
        abort(400)
    try:
        signed = operations.approve_routine(db.session, current_user, school_class, expected)
    except StaleEditError:
        db.session.rollback()
        flash(_("The class changed after you opened it (a draft was edited, added or now "
                "needs attention). Nothing was signed; check the list and approve again."),
              "error")
    except OperationError:
        db.session.rollback()
        flash(_("This class has no routine drafts to approve."), "warning")
    else:
        db.session.commit()
        flash(_("%(n)s routine draft(s) signed.", n=len(signed)), "success")
    return redirect(url_for("school.class_review", class_id=school_class.id))


def _contexts(rows: list[operations.QueueRow], school_class: SchoolClass,
              lang: str) -> list[object]:
    """One plan context per signed plan, with school, class and a share link (the QR)."""
    from ..plans import plan_context

    out = []
    for row in rows:
        link = sharing.ensure_share_link(db.session, current_user, row.prescription,
                                         days=current_app.config["SHARE_LINK_DAYS"])
        ctx = plan_context(row.prescription, lang, link)
        out.append(dataclasses.replace(
            ctx, school_name=school_class.school.name, class_name=school_class.label,
            patient_ref=masked_number(row.result.student.student_no)))
        web_audit.record(db.session, current_user, "printed", "prescription",
                         row.prescription.id, detail=f"class {school_class.id}; {lang}")
    return out


@bp.route("/classes/<int:class_id>/plans.pdf", methods=["POST"])
@clinical_required
def class_pdf(class_id: int) -> BaseResponse:
    """Every signed plan of the class in one PDF, one student per page, for the parents."""
    school_class = get_class_or_404(class_id)
    form = PrintForm()
    if not form.validate_on_submit():
        abort(400)
    printing = optional_module("web.printing")
    if printing is None:
        abort(503)
    rows = [r for r in operations.class_queue(db.session, school_class)
            if r.prescription is not None and r.prescription.status == "signed"]
    if not rows:
        flash(_("No plan of this class is signed yet: approve or sign the drafts first."),
              "warning")
        return redirect(url_for("school.class_review", class_id=school_class.id))
    data = printing.render_class_pdf(_contexts(rows, school_class, form.lang.data),
                                     lang=form.lang.data)
    operations.audit(db.session, current_user, "printed", "school_class", school_class.id,
                     f"{len(rows)} plan(s); {form.lang.data}")
    db.session.commit()
    response = Response(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="class-{school_class.id}-{school_class.school_year}-plans.pdf"')
    response.headers["Cache-Control"] = "no-store"
    return response
