"""The core objects the app uses: the assistant (rules + model) and the standards scorer.

They are loaded once at startup from the configured paths. A rule set or model that is
present but invalid stops the app with the core's own error listing every problem; a
missing rules folder only disables drafting (the station can still record assessments).
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from flask import Flask, current_app

logger = logging.getLogger(__name__)


@dataclass
class Clinic:
    """What the app could load from the core; ``problem`` says why drafting is off."""

    assistant: Any | None
    problem: str | None = None

    @property
    def model_version(self) -> str | None:
        model = getattr(self.assistant, "model", None)
        return getattr(model, "version", None)


def optional_module(name: str) -> ModuleType | None:
    """Import a core module that another area may not have delivered yet.

    Only the module itself being absent counts; an import error inside it is a bug and
    raises.
    """
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name is not None and name.startswith(exc.name):
            return None
        raise


def load_clinic(rules_dir: str | None, model_dir: str | None) -> Clinic:
    """Load the assistant from ``rules_dir`` (and the fitness model from ``model_dir``)."""
    if not rules_dir or not Path(rules_dir).is_dir():
        return Clinic(None, f"no rule set at {rules_dir!r}")
    assistant_mod = optional_module("prescribe.assistant")
    if assistant_mod is None:
        return Clinic(None, "the rule engine (prescribe.assistant) is not installed")
    model_path = model_dir if model_dir and Path(model_dir).is_dir() else None
    assistant = assistant_mod.Assistant.from_paths(rules_dir, model_path)
    logger.info("rule set loaded from %s (model: %s)", rules_dir, model_path or "none")
    return Clinic(assistant)


def init_app(app: Flask) -> None:
    """Attach the clinic; tests may pass a ready ``ASSISTANT`` in the config."""
    if app.config.get("ASSISTANT") is not None:
        app.extensions["clinic"] = Clinic(app.config["ASSISTANT"])
    else:
        app.extensions["clinic"] = load_clinic(app.config.get("RULES_DIR"),
                                               app.config.get("MODEL_DIR"))


def get_clinic() -> Clinic:
    return current_app.extensions["clinic"]
