"""The printed plan's message catalogue and the checks that it is really loaded.

The plan's strings live in ``web/printing/translations`` (source strings in English, a
complete ``zh`` catalogue). The web app merges that folder through Flask-Babel's
``BABEL_TRANSLATION_DIRECTORIES``; ``make setup`` compiles it. If the folder is not
merged, or not compiled, gettext silently returns the English source, and a Chinese
patient would take home an English plan; ``require_catalogue`` turns that into an error.
"""

from __future__ import annotations

from pathlib import Path

from flask import has_app_context
from flask_babel import gettext as _

from .errors import PrintingError

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"
"""Add this to ``BABEL_TRANSLATION_DIRECTORIES`` (separated by ``;``)."""

DOMAIN = "messages"
_PROBE = "Exercise plan"


def require_catalogue(lang: str) -> None:
    """Raise ``PrintingError`` unless gettext (under the forced ``lang``) is translating.

    Call inside ``force_locale(lang)``.
    """
    if not has_app_context():
        raise PrintingError(
            "printing a plan needs a Flask app context with Flask-Babel configured"
        )
    if lang != "en" and _(_PROBE) == _PROBE:
        raise PrintingError(
            f"the '{lang}' catalogue for printed plans is not loaded: add "
            f"{TRANSLATIONS_DIR} to BABEL_TRANSLATION_DIRECTORIES and compile it with "
            f"'pybabel compile -f -d {TRANSLATIONS_DIR}'"
        )


def compile_catalogues(dest: Path, source: Path = TRANSLATIONS_DIR) -> Path:
    """Compile every ``<lang>/LC_MESSAGES/messages.po`` under ``source`` into ``dest``.

    Returns ``dest``, ready for ``BABEL_TRANSLATION_DIRECTORIES``. Used by tests and the
    sample script so they do not depend on ``make setup`` having run; the web app uses
    the catalogues ``make setup`` compiled in place. Fuzzy entries are compiled too
    (as ``pybabel compile -f`` does); the catalogue test forbids them.
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    pos = sorted(source.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    if not pos:
        raise PrintingError(f"no {DOMAIN}.po catalogues under {source}")
    for po in pos:
        lang = po.parents[1].name
        with po.open("rb") as fh:
            catalog = read_po(fh, locale=lang)
        out = dest / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("wb") as fh:
            write_mo(fh, catalog, use_fuzzy=True)
    return dest
