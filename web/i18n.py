"""Language selection: Chinese by default, English on request, remembered per user."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import Flask, current_app, session
from flask_babel import Babel, get_locale
from flask_login import current_user

logger = logging.getLogger(__name__)


def select_locale() -> str:
    """The signed-in user's language, else the one picked on the login page, else zh."""
    languages = current_app.config["LANGUAGES"]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_lang() -> str:
    """``zh`` or ``en``: the key used to pick from the core's bilingual ``{zh, en}`` texts."""
    locale = get_locale()
    return "en" if locale is not None and locale.language == "en" else "zh"


def pick(value: Any, lang: str | None = None) -> str:
    """Pick the user's language from a ``{zh, en}`` dict; plain strings pass through."""
    if isinstance(value, dict):
        lang = lang or current_lang()
        other = "en" if lang == "zh" else "zh"
        return str(value.get(lang) or value.get(other) or "")
    return "" if value is None else str(value)


def label(var: Any, lang: str | None = None) -> str:
    """A vocabulary variable's label in the user's language."""
    return var.label(lang or current_lang())


def warn_uncompiled(app: Flask) -> list[str]:
    """Catalogues with a ``.po`` but no ``.mo``: gettext would silently show English."""
    missing = []
    for folder in app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";"):
        base = Path(app.root_path, folder)
        for po in base.glob("*/LC_MESSAGES/messages.po"):
            if not po.with_suffix(".mo").exists():
                missing.append(str(po.parent.parent))
    if missing:
        logger.warning("translations not compiled (run `make setup` or `pybabel compile -f "
                       "-d DIR`): %s", ", ".join(missing))
    return missing


def init_app(app: Flask, babel: Babel) -> None:
    babel.init_app(app, locale_selector=select_locale)
    warn_uncompiled(app)
    app.jinja_env.globals.update(current_lang=current_lang)
    app.jinja_env.filters["pick"] = pick
