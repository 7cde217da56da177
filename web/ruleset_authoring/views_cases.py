"""Golden cases of the draft: list, edit, add, delete, and "make this a test case" from a
past assessment of the prescriber's own station (de-identified by the core)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import yaml
from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from prescribe.assistant import Assistant
from prescribe.authoring import editing
from prescribe.authoring.casegen import case_from_assessment
from prescribe.authoring.documents import is_case_file
from prescribe.engine import load_ruleset
from prescribe.errors import AssessmentError, RulebookError

from ..access import get_assessment_or_404
from ..extensions import db
from ..forms import choices
from ..operations import StaleEditError, audit
from ..scoring import core_record
from . import operations as ops
from .blueprint import bp
from .forms import CaseForm, FromAssessmentForm, LockForm
from .pages import clinic_model, draft_or_404, flash_stale, lock_of, problem_text
from .tables import RulesetDraft
from .views import prescriber_required

NEW_CASE_FILE = "cases/authored.yaml"


def _yaml(value: Any) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=100)


@bp.route("/<name>/draft/cases")
@prescriber_required
def cases(name: str) -> str:
    draft = draft_or_404(name)
    return render_template("authoring/cases.html", name=name, draft=draft,
                           cases=editing.list_cases(draft.files),
                           lock_form=LockForm(lock_version=draft.lock_version),
                           from_form=FromAssessmentForm())


def _case_form(draft: RulesetDraft, case: dict[str, Any] | None, file: str) -> CaseForm:
    files = sorted({n for n in draft.files if is_case_file(n)} | {NEW_CASE_FILE})
    form = CaseForm(lock_version=draft.lock_version)
    form.file.choices = choices((f, f) for f in files)
    if request.method == "GET" and case is not None:
        form.case_id.data = case.get("id", "")
        form.title_zh.data = (case.get("title") or {}).get("zh", "")
        form.title_en.data = (case.get("title") or {}).get("en", "")
        form.given.data = _yaml(case.get("given") or {})
        form.expect.data = _yaml(case.get("expect") or {})
        form.note.data = case.get("note") or ""
        form.file.data = file
    return form


def _case_from_form(form: CaseForm) -> dict[str, Any] | None:
    """The case as data, or ``None`` with errors on the given/expect fields."""
    parsed = {}
    for field in (form.given, form.expect):
        try:
            value = yaml.safe_load(field.data or "")
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = _(" (line %(n)s)", n=mark.line + 1) if mark else ""
            field.errors = [*field.errors, _("Not readable as “name: value” lines") + where]
            continue
        if not isinstance(value, dict):
            field.errors = [*field.errors, _("Write one “name: value” per line.")]
            continue
        parsed[field.name] = value
    if len(parsed) < 2:
        return None
    case = {"id": form.case_id.data.strip(), "title": {"zh": form.title_zh.data.strip(),
                                                        "en": form.title_en.data.strip()},
            "given": parsed["given"], "expect": parsed["expect"]}
    if (form.note.data or "").strip():
        case["note"] = form.note.data.strip()
    return case


def _attach(form: CaseForm, problems: list) -> list[str]:
    """Case problems onto given / expect / title / id; the rest are returned."""
    fields = {"given": form.given, "expect": form.expect, "title": form.title_en,
              "id": form.case_id, "file": form.file}
    leftover = []
    for problem in problems:
        target = fields.get((problem.field or "").split(".", 1)[0].split("[", 1)[0])
        if target is None:
            leftover.append(problem_text(problem))
        else:
            detail = problem.field if "." in (problem.field or "") else ""
            target.errors = [*target.errors, f"{detail}: {problem.message}".lstrip(": ")]
    return leftover


def _save_case(name: str, draft: RulesetDraft, form: CaseForm,
               write: Callable[[dict[str, Any]], dict[str, str]], detail: str,
               template_args: dict[str, Any]) -> Response | tuple[str, int]:
    leftover: list[str] = []
    case = _case_from_form(form)
    if case is not None:
        try:
            files = write(case)
            ops.save_draft(db.session, current_user, draft, files, lock_of(form), detail)
        except RulebookError as exc:
            db.session.rollback()
            leftover = _attach(form, exc.problems)
        except StaleEditError:
            db.session.rollback()
            flash_stale()
        else:
            db.session.commit()
            flash(_("Golden case %(id)s saved in the draft.", id=case["id"]), "success")
            return redirect(url_for("authoring.cases", name=name) + f"#case-{case['id']}")
    return render_template("authoring/case_form.html", name=name, form=form,
                           leftover=leftover, **template_args), 422


@bp.route("/<name>/draft/cases/<case_id>", methods=["GET", "POST"])
@prescriber_required
def edit_case(name: str, case_id: str) -> Response | str | tuple[str, int]:
    draft = draft_or_404(name)
    found = {c["id"]: (f, c) for f, c in editing.list_cases(draft.files)}
    if case_id not in found:
        flash(_("The draft has no golden case %(id)s.", id=case_id), "error")
        return redirect(url_for("authoring.cases", name=name))
    file, case = found[case_id]
    form = _case_form(draft, case, file)
    args = {"case_id": case_id, "notes": (), "removed": ()}
    if form.validate_on_submit():
        return _save_case(name, draft, form,
                          lambda c: editing.replace_case(draft.files, case_id, c),
                          f"case {case_id} edited", args)
    return render_template("authoring/case_form.html", name=name, form=form, leftover=[],
                           **args)


@bp.route("/<name>/draft/cases/new", methods=["GET", "POST"])
@prescriber_required
def new_case(name: str) -> Response | str | tuple[str, int]:
    """A new golden case; with ``?assessment_id=`` it starts from that past assessment."""
    draft = draft_or_404(name)
    form = _case_form(draft, None, NEW_CASE_FILE)
    args: dict[str, Any] = {"case_id": None, "notes": (), "removed": ()}
    if request.method == "GET":
        form.file.data = NEW_CASE_FILE
        assessment_id = request.args.get("assessment_id", type=int)
        if assessment_id:
            prefilled = _from_assessment(draft, assessment_id)
            if prefilled is None:
                return redirect(url_for("authoring.cases", name=name))
            case, args["notes"], args["removed"] = prefilled
            form = _case_form(draft, case, NEW_CASE_FILE)
    elif form.validate_on_submit():
        return _save_case(name, draft, form,
                          lambda c: editing.add_case(draft.files, c, file=form.file.data),
                          f"case {form.case_id.data} added", args)
    return render_template("authoring/case_form.html", name=name, form=form, leftover=[],
                           **args)


def _from_assessment(draft: RulesetDraft, assessment_id: int) -> tuple | None:
    """De-identified case from an assessment of the user's station, expectation filled
    from the draft's rules. :raise 404: not an assessment of this station."""
    item = get_assessment_or_404(assessment_id)
    record = {"name": item.patient.name, "person_id": item.patient.record_no,
              "phone": item.patient.phone,
              **core_record(item.patient, item.assessed_on, item.values)}
    try:
        assistant = Assistant(load_ruleset(draft.files), clinic_model())
        taken = {c["id"] for _f, c in editing.list_cases(draft.files)}
        made = case_from_assessment(assistant, record, taken_ids=taken)
    except (AssessmentError, RulebookError) as exc:
        flash(_("This assessment cannot become a case: %(why)s", why=str(exc)), "error")
        return None
    audit.record(db.session, current_user, "viewed", "assessment", item.id,
                 station_id=item.station_id, detail="golden case drafted from it")
    db.session.commit()
    return made.case, made.notes, made.removed


@bp.route("/<name>/draft/cases/<case_id>/delete", methods=["POST"])
@prescriber_required
def delete_case(name: str, case_id: str) -> Response:
    draft = draft_or_404(name)
    form = LockForm()
    if form.validate_on_submit():
        try:
            files = editing.delete_case(draft.files, case_id)
            ops.save_draft(db.session, current_user, draft, files, lock_of(form),
                           f"case {case_id} deleted")
        except RulebookError as exc:
            db.session.rollback()
            for problem in exc.problems:
                flash(problem_text(problem), "error")
        except StaleEditError:
            db.session.rollback()
            flash_stale()
        else:
            db.session.commit()
            flash(_("Golden case %(id)s deleted.", id=case_id), "success")
    return redirect(url_for("authoring.cases", name=name))
