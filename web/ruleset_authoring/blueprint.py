"""The blueprint object, kept apart so the view modules can import it without a cycle."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint
from flask.blueprints import BlueprintSetupState

from .assistants import sync_clinic

TRANSLATIONS = str(Path(__file__).resolve().parent / "translations")

bp = Blueprint("authoring", __name__, url_prefix="/rulesets")
bp.before_app_request(sync_clinic)


@bp.record_once
def _add_translations(state: BlueprintSetupState) -> None:
    """Merge this area's catalogue into Flask-Babel's directories (once per app).

    Equivalent to listing ``ruleset_authoring/translations`` in
    ``BABEL_TRANSLATION_DIRECTORIES``; an app whose setting already names a folder with
    this area's compiled catalogue (the tests compile every catalogue) is left alone.
    """
    babel = state.app.extensions.get("babel")
    dirs = getattr(babel, "translation_directories", None)
    if isinstance(dirs, list) and not any("ruleset_authoring" in d for d in dirs):
        dirs.append(TRANSLATIONS)
