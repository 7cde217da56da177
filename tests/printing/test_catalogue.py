"""The printing catalogue is complete, current, and refused when it is not loaded."""

from __future__ import annotations

import re

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from flask import Flask
from flask_babel import Babel

from web.printing import PrintingError, render_plan_pdf
from web.printing.catalogue import TRANSLATIONS_DIR

PLACEHOLDER = re.compile(r"%\((\w+)\)s|\{(\w+)\}")


def catalogue(lang: str):
    with (TRANSLATIONS_DIR / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return read_po(fh, locale=lang)


def source_messages() -> set[str]:
    found = extract_from_dir(TRANSLATIONS_DIR.parent, method_map=[("**.py", "python")])
    return {message for _file, _line, message, _comments, _context in found}


def test_template_matches_the_source():
    """Regenerate with the command in web/printing/babel.cfg when this fails."""
    with (TRANSLATIONS_DIR / "messages.pot").open("rb") as fh:
        template = {m.id for m in read_po(fh) if m.id}
    assert template == source_messages()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_catalogue_is_complete_and_keeps_placeholders(lang):
    messages = [m for m in catalogue(lang) if m.id]
    assert {m.id for m in messages} == source_messages()
    for m in messages:
        assert m.string, f"{lang}: untranslated {m.id!r}"
        assert not m.fuzzy, f"{lang}: fuzzy {m.id!r}"
        assert sorted(PLACEHOLDER.findall(m.string)) == sorted(PLACEHOLDER.findall(m.id)), m.id
    if lang == "zh":
        untranslated = [m.id for m in messages if m.string == m.id]
        assert untranslated == [], untranslated


def test_chinese_plan_refused_without_the_printing_catalogue(make_context, hypertensive_rx):
    app = Flask("no-printing-catalogue")
    Babel(app)  # default translations folder only: the printing strings are missing
    with app.app_context(), pytest.raises(PrintingError, match="BABEL_TRANSLATION_DIRECTORIES"):
        render_plan_pdf(make_context(hypertensive_rx))


def test_english_plan_needs_no_catalogue(make_context, hypertensive_rx):
    app = Flask("english-only")
    Babel(app)
    with app.app_context():
        assert render_plan_pdf(make_context(hypertensive_rx, lang="en")).startswith(b"%PDF")


def test_rendering_needs_an_app_context(make_context, hypertensive_rx):
    with pytest.raises(PrintingError, match="app context"):
        render_plan_pdf(make_context(hypertensive_rx, lang="en"))
