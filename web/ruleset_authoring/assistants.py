"""The assistant clinicians draft with is always built from the published rule-set version.

At startup the clinic loads ``RULES_DIR`` from disk; once rule sets are managed in the
database, the version in force is the latest published one there. ``current_assistant``
returns an Assistant built from it (rebuilt only when a new version appears, checked with
one small query), and keeps the app's clinic pointing at it, so the next prescription a
clinician drafts uses the newly published rules, in every worker process.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from prescribe.engine import load_ruleset

from ..clinic import get_clinic
from .tables import RulesetVersion

logger = logging.getLogger(__name__)
_LOCK = threading.Lock()
_KEY = "ruleset_authoring"


def active_name(app: Any = None) -> str | None:
    """The rule set the clinic runs: the one in ``RULES_DIR`` (names never change)."""
    app = app or current_app
    state = app.extensions.setdefault(_KEY, {})
    if "name" not in state:
        folder = Path(app.config.get("RULES_DIR") or "")
        clinic = app.extensions.get("clinic")
        assistant = getattr(clinic, "assistant", None)
        if assistant is not None:
            state["name"] = assistant.ruleset.name
        elif (folder / "ruleset.yaml").is_file():
            state["name"] = load_ruleset(folder).name
        else:
            state["name"] = None
    return state["name"]


def _model() -> Any:
    assistant = get_clinic().assistant
    return getattr(assistant, "model", None)


def current_assistant(session: Session, name: str | None = None) -> Any | None:
    """The Assistant for the published version in force (``None`` if nothing is published
    and the clinic has no rule set either).

    Call this where a prescription is drafted; it costs one indexed query when nothing
    changed. The fitness model is the clinic's own.
    """
    from prescribe.assistant import Assistant

    name = name or active_name()
    clinic = get_clinic()
    if name is None:
        return clinic.assistant
    row = session.execute(select(RulesetVersion.id, RulesetVersion.content_hash)
                          .where(RulesetVersion.name == name)
                          .order_by(RulesetVersion.number.desc()).limit(1)).first()
    if row is None:
        return clinic.assistant
    state = current_app.extensions.setdefault(_KEY, {})
    if state.get("version_id") == row.id and state.get("assistant") is not None:
        return state["assistant"]
    with _LOCK:
        if state.get("version_id") != row.id:
            version = session.get(RulesetVersion, row.id)
            assistant = Assistant(load_ruleset(version.files), _model())
            state.update(version_id=row.id, assistant=assistant)
            clinic.assistant = assistant
            clinic.problem = None
            logger.info("clinic now drafts with rule set %s %s (#%s)", name,
                        version.version, version.number)
    return state["assistant"]


def sync_clinic() -> None:
    """Before each request: point the clinic at the published version in force.

    A database without the authoring tables (not migrated yet) leaves the clinic as it is.
    """
    from flask import request

    from ..extensions import db

    if request.endpoint == "static" or request.blueprint == "share":
        return  # stylesheets and the patients' read-only links never draft
    try:
        current_assistant(db.session)
    except SQLAlchemyError as exc:
        db.session.rollback()
        state = current_app.extensions.setdefault(_KEY, {})
        if not state.get("warned"):
            logger.warning("rule-set versions unavailable (%s); drafting uses RULES_DIR",
                           type(exc).__name__)
            state["warned"] = True
