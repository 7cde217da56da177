"""Rule sets and their versions: list, overview with history, read-only text, diff,
download and upload of the whole rule set as a file, discarding the draft."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from prescribe.authoring.versions import diff_versions
from prescribe.engine import load_ruleset
from prescribe.engine.lint import lint_ruleset
from prescribe.errors import RulebookError

from ..access import role_required
from ..extensions import db
from ..operations import StaleEditError
from . import operations as ops
from .archive import read_archive, write_archive
from .blueprint import bp
from .forms import LockForm, RollbackForm, UploadForm
from .pages import (
    draft_changed,
    draft_or_404,
    ensure_seeded,
    flash_stale,
    lock_of,
    problem_text,
    version_or_404,
)

prescriber_required = role_required("prescriber")


@bp.route("/")
@prescriber_required
def index() -> str:
    ensure_seeded()
    rows = []
    for name in ops.ruleset_names(db.session):
        draft = ops.get_draft(db.session, name)
        rows.append({"name": name, "current": ops.current_version(db.session, name),
                     "draft": draft, "changed": draft_changed(draft)})
    db.session.commit()
    return render_template("authoring/index.html", rows=rows)


@bp.route("/<name>/")
@prescriber_required
def overview(name: str) -> str:
    draft = draft_or_404(name)
    current = ops.current_version(db.session, name)
    return render_template(
        "authoring/overview.html", name=name, draft=draft, current=current,
        versions=ops.all_versions(db.session, name),
        diff=diff_versions(current.files, draft.files), events=ops.history(db.session, name),
        out_of_date=draft.base_version_id != current.id, lock_form=LockForm(
            lock_version=draft.lock_version), rollback_form=RollbackForm())


@bp.route("/<name>/versions/<int:number>/")
@prescriber_required
def version(name: str, number: int) -> str:
    item = version_or_404(name, number)
    previous = ops.get_version(db.session, name, number - 1)
    diff = diff_versions(previous.files, item.files) if previous else []
    return render_template("authoring/files.html", name=name, item=item, files=item.files,
                           diff=diff, previous=previous, title=_("Version %(n)s", n=number))


@bp.route("/<name>/draft/text")
@prescriber_required
def draft_text(name: str) -> str:
    draft = draft_or_404(name)
    return render_template("authoring/files.html", name=name, item=None, files=draft.files,
                           diff=diff_versions(draft.base_version.files, draft.files),
                           previous=draft.base_version, title=_("Draft"))


@bp.route("/<name>/diff")
@prescriber_required
def diff(name: str) -> str:
    """Any two versions (or a version and the draft) side by side as a table."""
    old = version_or_404(name, request.args.get("from", type=int) or 1)
    target = request.args.get("to", "draft")
    if target == "draft":
        new_files, label = draft_or_404(name).files, _("Draft")
    elif target.isdigit():
        new_files, label = version_or_404(name, int(target)).files, f"#{target}"
    else:
        abort(404)
    return render_template("authoring/diff.html", name=name, rows=diff_versions(
        old.files, new_files), old=old, new_label=label)


def _zip_response(files: dict[str, str], name: str, suffix: str) -> Response:
    data = write_archive(files, name)
    return Response(data, mimetype="application/zip", headers={
        "Content-Disposition": f'attachment; filename="{name}-{suffix}.zip"'})


@bp.route("/<name>/versions/<int:number>/download")
@prescriber_required
def download_version(name: str, number: int) -> Response:
    item = version_or_404(name, number)
    ops.audit(db.session, current_user, "downloaded", "ruleset_version", item.id,
              f"{name} #{number}")
    db.session.commit()
    return _zip_response(item.files, name, f"v{item.version}")


@bp.route("/<name>/draft/download")
@prescriber_required
def download_draft(name: str) -> Response:
    draft = draft_or_404(name)
    ops.audit(db.session, current_user, "downloaded", "ruleset_draft", draft.id, name)
    db.session.commit()
    return _zip_response(draft.files, name, "draft")


@bp.route("/<name>/draft/upload", methods=["GET", "POST"])
@prescriber_required
def upload(name: str) -> Response | str:
    """Replace the draft with an uploaded rule set, checked like every edit and linted."""
    draft = draft_or_404(name)
    form = UploadForm(lock_version=draft.lock_version)
    problems: list[str] = []
    findings: list[str] = []
    if form.validate_on_submit():
        try:
            files = read_archive(form.archive.data.read())
            ruleset = load_ruleset(files)
            if ruleset.name != name:
                raise RulebookError([])
            ops.save_draft(db.session, current_user, draft, files, lock_of(form),
                           f"uploaded {len(files)} files", action="uploaded")
        except StaleEditError:
            db.session.rollback()
            flash_stale()
        except RulebookError as exc:
            db.session.rollback()
            problems = [problem_text(p) for p in exc.problems] or [
                _("The file holds rule set “%(other)s”, not “%(name)s”.",
                  other=ruleset.name, name=name)]
        else:
            db.session.commit()
            findings = [problem_text(p) for p in lint_ruleset(ruleset)
                        if p.severity == "error"]
            flash(_("The uploaded rule set is now the draft."), "success")
            if not findings:
                return redirect(url_for("authoring.overview", name=name))
    return render_template("authoring/upload.html", name=name, form=form, problems=problems,
                           findings=findings)


@bp.route("/<name>/draft/discard", methods=["POST"])
@prescriber_required
def discard(name: str) -> Response:
    draft = draft_or_404(name)
    form = LockForm()
    if form.validate_on_submit():
        try:
            ops.discard_draft(db.session, current_user, draft, lock_of(form))
        except StaleEditError:
            db.session.rollback()
            flash_stale()
        else:
            db.session.commit()
            flash(_("The draft now equals the published version."), "success")
    return redirect(url_for("authoring.overview", name=name))
