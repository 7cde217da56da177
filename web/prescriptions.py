"""Prescriptions: draft from an assessment, explain, review with overrides, sign, version,
confirm the fitness tier, print."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from prescribe.errors import AssessmentError

from . import explain
from .access import clinical_required, get_assessment_or_404, get_prescription_or_404
from .clinic import get_clinic
from .extensions import db
from .forms.auth import EmptyForm
from .forms.prescriptions import SignForm, TierForm
from .forms.review import build_review_form, error_field, fill_review_form, review_edit
from .operations import InvalidInputError, OperationError, StaleEditError, audit, sharing
from .operations import prescriptions as ops
from .tables import Prescription, ShareLink, TierReview, User

bp = Blueprint("prescriptions", __name__, url_prefix="/prescriptions")

STALE_MESSAGE = ("Someone else saved this draft after you opened it. Nothing was overwritten: "
                 "your entries are kept below next to the values now saved; check them and "
                 "save again.")


@bp.route("/draft/<int:assessment_id>", methods=["POST"])
@clinical_required
def draft(assessment_id: int) -> Response:
    assessment = get_assessment_or_404(assessment_id)
    clinic = get_clinic()
    if clinic.assistant is None:
        flash(_("Drafting is unavailable: the rule set is not loaded."), "error")
        return redirect(url_for("assessments.detail", assessment_id=assessment.id))
    try:
        item = ops.draft_prescription(db.session, current_user, assessment, clinic.assistant)
    except AssessmentError:
        db.session.rollback()
        flash(_("This assessment no longer passes validation; correct it first."), "error")
        return redirect(url_for("assessments.detail", assessment_id=assessment.id))
    db.session.commit()
    return redirect(url_for("prescriptions.detail", prescription_id=item.id))


def _versions(item: Prescription) -> list[Prescription]:
    return list(db.session.scalars(select(Prescription).where(
        Prescription.series == item.series).order_by(Prescription.version_no)))


@bp.route("/<int:prescription_id>")
@clinical_required
def detail(prescription_id: int) -> str:
    item = get_prescription_or_404(prescription_id)
    audit.record(db.session, current_user, "viewed", "prescription", item.id)
    db.session.commit()
    content = item.content
    versions = _versions(item)
    links = list(db.session.scalars(select(ShareLink).where(
        ShareLink.prescription_id == item.id).order_by(ShareLink.id.desc())))
    reviews = list(db.session.scalars(select(TierReview).where(
        TierReview.prescription_id == item.id).order_by(TierReview.id.desc())))
    reviewer = db.session.get(User, reviews[0].reviewer_id) if reviews else None
    return render_template(
        "prescriptions/detail.html", item=item, rx=content, patient=item.patient,
        proposed_outcome=item.proposed.get("outcome"),
        reviewer_name=reviewer.display_name if reviewer else "",
        why=explain.Explainer(content), versions=versions,
        latest=versions[-1].id == item.id, links=links, tier_reviews=reviews,
        sign_form=SignForm(lock_version=str(item.lock_version)),
        tier_form=TierForm(confirmed_tier=(content.get("fitness") or {}).get("tier") or 1),
        action_form=EmptyForm(), share_days=current_app.config["SHARE_LINK_DAYS"])


@bp.route("/<int:prescription_id>/review", methods=["GET", "POST"])
@clinical_required
def review(prescription_id: int) -> Response | str | tuple[str, int]:
    item = get_prescription_or_404(prescription_id)
    if not item.is_editable:
        flash(_("A signed prescription cannot be changed; start a new version."), "warning")
        return redirect(url_for("prescriptions.detail", prescription_id=item.id))
    proposed, current = item.proposed, item.content
    if proposed.get("outcome") == "defer":
        flash(_("A deferral cannot be edited: resolve the cause and re-assess."), "warning")
        return redirect(url_for("prescriptions.detail", prescription_id=item.id))
    form = build_review_form(proposed, current)
    if request.method == "GET":
        fill_review_form(form, current, item.lock_version)
    status, saved = 200, None
    if form.validate_on_submit():
        try:
            new = ops.review_draft(db.session, current_user, item,
                                   review_edit(form, proposed, current),
                                   int(form.lock_version.data or -1))
        except StaleEditError:
            db.session.rollback()
            item = get_prescription_or_404(prescription_id)
            flash(_(STALE_MESSAGE), "error")
            form.lock_version.data = str(item.lock_version)
            status, saved = 409, item.content
        except InvalidInputError as exc:
            db.session.rollback()
            _attach(form, exc.problems)
            status = 400
        except OperationError as exc:
            db.session.rollback()
            _attach(form, [exc])
            status = 400
        else:
            db.session.commit()
            flash(_("Changes saved (%(n)s override(s) recorded).", n=len(new)), "success")
            return redirect(url_for("prescriptions.detail", prescription_id=item.id))
    elif form.errors:
        status = 400
    return render_template("prescriptions/review.html", item=item, rx=current, form=form,
                           proposed=proposed, saved=saved, patient=item.patient,
                           recorded=ops.recorded_overrides(item)), status


_REVIEW_MESSAGES = {
    "intensity is above the intensity cap": lambda: _("Intensity is above the intensity cap."),
    "intensity from must not be above intensity to": lambda: _(
        "The lower intensity must not be above the upper one."),
    "days per week must be 1–7, from ≤ to": lambda: _("Days per week must be 1–7, from ≤ to."),
    "minutes per session must be 5–120, from ≤ to": lambda: _(
        "Minutes per session must be 5–120, from ≤ to."),
    "the intensity cap cannot be removed": lambda: _("The intensity cap cannot be removed."),
}


def _attach(form: object, problems: list[OperationError]) -> None:
    for problem in problems:
        name = error_field(problem.field)
        if problem.field and problem.field.startswith("reason:"):
            message = _("Write the reason for this override (at least 5 characters).")
        else:
            message = _REVIEW_MESSAGES.get(problem.message, lambda p=problem: p.message)()
        target = form[name] if name and name in form else form.intensity_cap  # type: ignore[index]
        target.errors = [*target.errors, message]


@bp.route("/<int:prescription_id>/sign", methods=["POST"])
@clinical_required
def sign(prescription_id: int) -> Response:
    item = get_prescription_or_404(prescription_id)
    form = SignForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        ops.sign_prescription(db.session, current_user, item, int(form.lock_version.data or -1),
                              bool(form.acknowledge.data))
    except StaleEditError:
        db.session.rollback()
        flash(_("Someone else changed this draft after you opened it. Check the current "
                "version below before signing."), "error")
    except OperationError as exc:
        db.session.rollback()
        flash(_("Tick the box to confirm you reviewed the flagged items.")
              if exc.field == "acknowledge" else _("Only a draft can be signed."), "error")
    else:
        db.session.commit()
        flash(_("Prescription signed. It can no longer be changed; later changes make a new "
                "version."), "success")
    return redirect(url_for("prescriptions.detail", prescription_id=item.id))


@bp.route("/<int:prescription_id>/new-version", methods=["POST"])
@clinical_required
def new_version(prescription_id: int) -> Response:
    item = get_prescription_or_404(prescription_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    new = ops.start_new_version(db.session, current_user, item)
    db.session.commit()
    return redirect(url_for("prescriptions.review", prescription_id=new.id))


@bp.route("/<int:prescription_id>/tier", methods=["POST"])
@clinical_required
def tier(prescription_id: int) -> Response:
    item = get_prescription_or_404(prescription_id)
    form = TierForm()
    if not form.validate_on_submit():
        abort(400)
    ops.record_tier_review(db.session, current_user, item, form.confirmed_tier.data)
    db.session.commit()
    flash(_("Fitness tier recorded."), "success")
    return redirect(url_for("prescriptions.detail", prescription_id=item.id))


@bp.route("/<int:prescription_id>/share", methods=["POST"])
@clinical_required
def share(prescription_id: int) -> Response:
    item = get_prescription_or_404(prescription_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        sharing.create_share_link(db.session, current_user, item,
                                  days=current_app.config["SHARE_LINK_DAYS"])
    except OperationError:
        db.session.rollback()
        flash(_("Only a signed prescription can be shared."), "error")
    else:
        db.session.commit()
        flash(_("Share link created."), "success")
    return redirect(url_for("prescriptions.detail", prescription_id=item.id))


@bp.route("/share-links/<int:link_id>/revoke", methods=["POST"])
@clinical_required
def revoke(link_id: int) -> Response:
    link = db.session.get(ShareLink, link_id)
    if link is None or link.prescription.station_id != current_user.station_id:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    sharing.revoke_share_link(db.session, current_user, link)
    db.session.commit()
    flash(_("Share link withdrawn."), "success")
    return redirect(url_for("prescriptions.detail", prescription_id=link.prescription_id))


@bp.route("/<int:prescription_id>/print", methods=["POST"])
@clinical_required
def print_plan(prescription_id: int) -> Response:
    from .plans import pdf_response

    item = get_prescription_or_404(prescription_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    lang = request.form.get("lang") or None
    return pdf_response(item, current_user, lang)
