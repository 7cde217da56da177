"""Testing, publishing and rolling back a rule set, and the impact analysis page."""

from __future__ import annotations

import pandas as pd
from flask import Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from prescribe.assistant import Assistant
from prescribe.authoring.impact import impact_analysis
from prescribe.engine import load_ruleset
from prescribe.errors import RulebookError

from ..extensions import db
from ..operations import OperationError, StaleEditError
from ..scoring import core_record
from ..tables import Assessment, Patient
from . import operations as ops
from .assistants import current_assistant
from .blueprint import bp
from .forms import ImpactForm, LockForm, NoteForm, RollbackForm
from .pages import clinic_model, draft_or_404, flash_stale, impact_key, lock_of, version_or_404
from .views import prescriber_required


@bp.route("/<name>/draft/test", methods=["POST"])
@prescriber_required
def test(name: str) -> Response | str:
    """Run lint and every golden case on the draft; nothing is published."""
    draft = draft_or_404(name)
    if not LockForm().validate_on_submit():
        return redirect(url_for("authoring.overview", name=name))
    result = ops.check_draft(db.session, current_user, draft, clinic_model())
    db.session.commit()
    return render_template("authoring/gate.html", name=name, result=result, publishing=False)


@bp.route("/<name>/draft/publish", methods=["GET", "POST"])
@prescriber_required
def publish(name: str) -> Response | str:
    draft = draft_or_404(name)
    form = NoteForm(lock_version=draft.lock_version)
    if form.validate_on_submit():
        try:
            item = ops.publish_draft(db.session, current_user, draft, lock_of(form),
                                     form.note.data, model=clinic_model())
        except ops.GateBlockedError as exc:
            db.session.rollback()
            ops.audit(db.session, current_user, "tested", "ruleset_draft", draft.id,
                      "publication blocked by the gate")
            db.session.commit()
            return render_template("authoring/gate.html", name=name, result=exc.result,
                                   publishing=True, form=form), 422
        except StaleEditError:
            db.session.rollback()
            flash_stale()
        except ops.DraftOutOfDateError:
            db.session.rollback()
            flash(_("Not published: a newer version was published after this draft started. "
                    "Discard the draft and make the change again on top of it."), "error")
        except (OperationError, RulebookError) as exc:
            db.session.rollback()
            flash(_("Not published: %(why)s", why=str(exc)), "error")
        else:
            db.session.commit()
            current_assistant(db.session, name)  # this process drafts with it at once
            flash(_("Version %(version)s (#%(n)s) is published: new prescriptions use it.",
                    version=item.version, n=item.number), "success")
            return redirect(url_for("authoring.overview", name=name))
    return render_template("authoring/publish.html", name=name, draft=draft, form=form)


@bp.route("/<name>/versions/<int:number>/rollback", methods=["POST"])
@prescriber_required
def rollback(name: str, number: int) -> Response | str:
    version_or_404(name, number)
    form = RollbackForm()
    if not form.validate_on_submit():
        flash(_("Write why this version is rolled back."), "error")
        return redirect(url_for("authoring.overview", name=name))
    try:
        item = ops.rollback(db.session, current_user, name, number, form.note.data,
                            model=clinic_model())
    except ops.GateBlockedError as exc:
        db.session.rollback()
        return render_template("authoring/gate.html", name=name, result=exc.result,
                               publishing=True), 422
    except OperationError as exc:
        db.session.rollback()
        flash(_("Not rolled back: %(why)s", why=exc.message), "error")
        return redirect(url_for("authoring.overview", name=name))
    db.session.commit()
    current_assistant(db.session, name)
    flash(_("The rules of #%(old)s are in force again as version %(version)s (#%(n)s).",
            old=number, version=item.version, n=item.number), "success")
    return redirect(url_for("authoring.overview", name=name))


def recent_assessments(limit: int) -> pd.DataFrame:
    """The last ``limit`` assessments of every station as the core's input table."""
    rows = db.session.execute(
        select(Assessment, Patient).join(Patient, Assessment.patient_id == Patient.id)
        .order_by(Assessment.assessed_on.desc(), Assessment.id.desc()).limit(limit)).all()
    records = [{"assessment_id": a.id, **core_record(p, a.assessed_on, a.values)}
               for a, p in rows]
    if not records:
        return pd.DataFrame({"assessment_id": []})
    return pd.DataFrame.from_records(records[::-1])


@bp.route("/<name>/draft/impact", methods=["GET", "POST"])
@prescriber_required
def impact(name: str) -> str:
    """Replay the draft against the version in force; rows are shown as pseudonyms."""
    draft = draft_or_404(name)
    form = ImpactForm()
    report = None
    problems: list[str] = []
    if form.validate_on_submit():
        try:
            published = Assistant(load_ruleset(ops.current_version(db.session, name).files),
                                  clinic_model())
            candidate = Assistant(load_ruleset(draft.files), clinic_model())
        except RulebookError as exc:
            problems = [str(p) for p in exc.problems]
        else:
            frame = recent_assessments(form.limit.data)
            report = impact_analysis(published, candidate, frame, key=impact_key(),
                                     limit=None, order_column=None)
            ops.audit(db.session, current_user, "impact_run", "ruleset_draft", draft.id,
                      f"{report.assessments.rows_compared} assessments, "
                      f"{report.assessments.rows_changed} changed")
            db.session.commit()
    return render_template("authoring/impact.html", name=name, form=form, report=report,
                           problems=problems)
