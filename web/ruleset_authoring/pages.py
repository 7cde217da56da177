"""Helpers shared by the authoring views: loaders with their failure modes, problem
messages, and the flash texts for a stale draft."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import abort, current_app, flash
from flask_babel import gettext as _

from prescribe.errors import RuleProblem

from ..clinic import get_clinic
from ..extensions import db
from . import operations as ops
from .tables import RulesetDraft, RulesetVersion


def ensure_seeded() -> None:
    """Publish the shipped rule set (``RULES_DIR``) as version 1 on the first visit.

    Checked once per process: reading and loading the folder costs a large fraction of a
    second, and once any version is stored the database is the source of truth.
    """
    state = current_app.extensions.setdefault("ruleset_authoring", {})
    if state.get("seeded"):
        return
    if not ops.ruleset_names(db.session):
        if ops.seed_from_folder(db.session, current_app.config.get("RULES_DIR") or ""):
            db.session.commit()
    state["seeded"] = True


def version_or_404(name: str, number: int | None = None) -> RulesetVersion:
    """:raise 404: no such rule set, or no such version of it."""
    ensure_seeded()
    item = (ops.current_version(db.session, name) if number is None
            else ops.get_version(db.session, name, number))
    if item is None:
        abort(404)
    return item


def draft_or_404(name: str) -> RulesetDraft:
    """The shared draft (created from the version in force on first use).

    :raise 404: no rule set called ``name``.
    """
    version_or_404(name)
    draft = ops.get_draft(db.session, name)
    db.session.commit()
    return draft


def lock_of(form: Any) -> int:
    try:
        return int(form.lock_version.data)
    except (TypeError, ValueError):
        return -1


def flash_stale() -> None:
    flash(_("Another prescriber saved the draft after you opened this page. Nothing was "
            "overwritten: reload the page to see their change, then make yours again."),
          "error")


def problem_text(problem: RuleProblem) -> str:
    """One core problem in a line: where, what, and the suggestion."""
    where = " · ".join(p for p in (problem.file, problem.rule_id, problem.field) if p)
    hint = _(" (did you mean “%(word)s”?)", word=problem.suggestion) if problem.suggestion \
        else ""
    return f"{where}: {problem.message}{hint}"


def clinic_model() -> Any:
    return getattr(get_clinic().assistant, "model", None)


def impact_key() -> bytes:
    """The station's pseudonymisation key, derived from the app's secret (never shown)."""
    secret = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    return hashlib.sha256(b"ruleset-impact-pseudonym\0" + secret).digest()


def draft_changed(draft: RulesetDraft) -> bool:
    return draft.files != draft.base_version.files
