"""Rules of the draft: list, structured editor (new and existing), duplicate, disable,
enable and delete. Every save goes through the engine's loader; every problem is shown
next to its field and nothing is saved until the whole rule is valid."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from prescribe.authoring import editing
from prescribe.engine.loader import KINDS
from prescribe.errors import RulebookError

from ..extensions import db
from ..i18n import current_lang
from ..operations import StaleEditError
from . import operations as ops
from .blueprint import bp
from .condition_rows import NODES, add_child, fact_choices, fact_help, ops_for, remove, wrap
from .effect_rows import EFFECTS, EffectRow
from .forms import LockForm, RuleMetaForm
from .pages import draft_or_404, flash_stale, lock_of
from .rule_form import RuleForm, attach_problems, from_request, from_rule, to_rule
from .tables import RulesetDraft
from .views import prescriber_required


@bp.route("/<name>/draft/rules")
@prescriber_required
def rules(name: str) -> str:
    draft = draft_or_404(name)
    return render_template("authoring/rules.html", name=name, draft=draft,
                           rules=editing.list_rules(draft.files),
                           lock_form=LockForm(lock_version=draft.lock_version))


def _apply_action(form: RuleForm, action: str) -> bool:
    """Structural buttons (add/remove rows); returns True when the action was one."""
    verb, _sep, arg = action.partition(":")
    index = int(arg) if arg.isdigit() else -1
    if verb in ("add-leaf", "add-group") and 0 <= index < len(form.conditions):
        if form.conditions[index].node != "leaf":
            add_child(form.conditions, index, "leaf" if verb == "add-leaf" else "all")
        return True
    if verb == "wrap" and 0 <= index < len(form.conditions):
        wrap(form.conditions, index)
        return True
    if verb == "remove-cond" and 0 <= index < len(form.conditions):
        remove(form.conditions, index)
        return True
    if verb == "add-effect":
        form.effects.append(EffectRow("precaution"))
        return True
    if verb == "remove-effect" and 0 <= index < len(form.effects):
        del form.effects[index]
        return True
    return verb != "save"


def _render(name: str, draft: RulesetDraft, form: RuleForm, meta: RuleMetaForm, *,
            is_new: bool, status: int = 200) -> tuple[str, int]:
    lang = current_lang()
    return render_template(
        "authoring/rule_form.html", name=name, draft=draft, form=form, meta=meta,
        is_new=is_new, kinds=KINDS, nodes=NODES, effects=sorted(EFFECTS),
        facts=fact_choices(lang), fact_help=fact_help, ops_for=ops_for), status


def _save(name: str, draft: RulesetDraft, form: RuleForm, meta: RuleMetaForm,
          write: Callable[[dict], dict[str, str]], detail: str, is_new: bool
          ) -> Response | tuple[str, int]:
    rule = to_rule(form)
    if form.has_errors:  # a value that could not be read: also show the engine's view
        try:
            write(rule)
        except RulebookError as exc:
            attach_problems(form, exc.problems)
        return _render(name, draft, form, meta, is_new=is_new, status=422)
    try:
        files = write(rule)
        ops.save_draft(db.session, current_user, draft, files, lock_of(meta), detail)
    except RulebookError as exc:
        db.session.rollback()
        attach_problems(form, exc.problems)
        return _render(name, draft, form, meta, is_new=is_new, status=422)
    except StaleEditError:
        db.session.rollback()
        flash_stale()
        return _render(name, draft, form, meta, is_new=is_new, status=409)
    db.session.commit()
    flash(_("Rule %(id)s saved in the draft.", id=form.id), "success")
    return redirect(url_for("authoring.rules", name=name) + f"#rule-{form.id}")


@bp.route("/<name>/draft/rules/<rule_id>", methods=["GET", "POST"])
@prescriber_required
def edit_rule(name: str, rule_id: str) -> Response | tuple[str, int]:
    draft = draft_or_404(name)
    try:
        file, rule = editing.get_rule(draft.files, rule_id)
    except RulebookError:
        flash(_("The draft has no rule %(id)s (it may have been deleted).", id=rule_id),
              "error")
        return redirect(url_for("authoring.rules", name=name))
    meta = RuleMetaForm(lock_version=draft.lock_version, file=file)
    if request.method == "GET":
        return _render(name, draft, from_rule(rule), meta, is_new=False)
    form = from_request(request.form)
    form.id = rule_id  # ids never change
    if not meta.validate_on_submit() or _apply_action(form, request.form.get("action", "")):
        return _render(name, draft, form, meta, is_new=False)
    return _save(name, draft, form, meta,
                 lambda r: editing.replace_rule(draft.files, rule_id, r),
                 f"rule {rule_id} edited", is_new=False)


@bp.route("/<name>/draft/rules/new", methods=["GET", "POST"])
@prescriber_required
def new_rule(name: str) -> Response | tuple[str, int]:
    draft = draft_or_404(name)
    meta = RuleMetaForm(lock_version=draft.lock_version)
    if request.method == "GET":
        return _render(name, draft, RuleForm(), meta, is_new=True)
    form = from_request(request.form)
    if not meta.validate_on_submit():
        return _render(name, draft, form, meta, is_new=True,
                       status=422 if request.form.get("action") == "save" else 200)
    if _apply_action(form, request.form.get("action", "")):
        return _render(name, draft, form, meta, is_new=True)
    return _save(name, draft, form, meta,
                 lambda r: editing.add_rule(draft.files, r, file=meta.file.data),
                 f"rule {form.id} added", is_new=True)


def _button(name: str, rule_id: str, change: Callable[[dict[str, str]], dict[str, str]],
            detail: str, done: str) -> Response:
    draft = draft_or_404(name)
    form = LockForm()
    if form.validate_on_submit():
        try:
            files = change(draft.files)
            ops.save_draft(db.session, current_user, draft, files, lock_of(form), detail)
        except RulebookError as exc:
            db.session.rollback()
            for problem in exc.problems:
                flash(f"{problem}", "error")
        except StaleEditError:
            db.session.rollback()
            flash_stale()
        else:
            db.session.commit()
            flash(done, "success")
    return redirect(url_for("authoring.rules", name=name))


@bp.route("/<name>/draft/rules/<rule_id>/duplicate", methods=["POST"])
@prescriber_required
def duplicate_rule(name: str, rule_id: str) -> Response:
    new_ids: list[str] = []

    def change(files: dict[str, str]) -> dict[str, str]:
        out, new_id = editing.duplicate_rule(files, rule_id)
        new_ids.append(new_id)
        return out

    response = _button(name, rule_id, change, f"rule {rule_id} duplicated",
                       _("Rule %(id)s duplicated.", id=rule_id))
    if new_ids:
        return redirect(url_for("authoring.edit_rule", name=name, rule_id=new_ids[0]))
    return response


@bp.route("/<name>/draft/rules/<rule_id>/disable", methods=["POST"])
@prescriber_required
def disable_rule(name: str, rule_id: str) -> Response:
    return _button(name, rule_id, lambda f: editing.set_rule_enabled(f, rule_id, False),
                   f"rule {rule_id} disabled", _("Rule %(id)s disabled.", id=rule_id))


@bp.route("/<name>/draft/rules/<rule_id>/enable", methods=["POST"])
@prescriber_required
def enable_rule(name: str, rule_id: str) -> Response:
    return _button(name, rule_id, lambda f: editing.set_rule_enabled(f, rule_id, True),
                   f"rule {rule_id} enabled", _("Rule %(id)s enabled.", id=rule_id))


@bp.route("/<name>/draft/rules/<rule_id>/delete", methods=["POST"])
@prescriber_required
def delete_rule(name: str, rule_id: str) -> Response:
    return _button(name, rule_id, lambda f: editing.delete_rule(f, rule_id),
                   f"rule {rule_id} deleted", _("Rule %(id)s deleted.", id=rule_id))
