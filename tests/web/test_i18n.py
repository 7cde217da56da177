"""Both languages: the Chinese catalogue is complete and in step with the source, pages
render in the user's language, and the printed-plan catalogue is merged."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

WEB = Path(__file__).resolve().parents[2] / "web"
CATALOGUE = WEB / "translations"


def _ids(path: Path) -> set[str]:
    with path.open("rb") as fh:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}


def test_the_chinese_catalogue_translates_every_string():
    with (CATALOGUE / "zh" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh, locale="zh")
    untranslated = [m.id for m in catalog if m.id and not m.string]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not untranslated, untranslated
    assert not fuzzy, fuzzy


def test_the_template_lists_exactly_the_strings_in_the_source(tmp_path):
    """Fails when a string was added or changed without `pybabel extract` + `update`."""
    out = tmp_path / "fresh.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract",
                    "-F", "translations/babel.cfg", "-k", "_l", "--no-location",
                    "-o", str(out), "."], cwd=WEB, check=True, capture_output=True)
    fresh, kept = _ids(out), _ids(CATALOGUE / "messages.pot")
    assert fresh - kept == set(), "new strings not in messages.pot"
    assert kept - fresh == set(), "messages.pot has strings the source no longer uses"
    assert _ids(CATALOGUE / "zh" / "LC_MESSAGES" / "messages.po") == kept
    assert _ids(CATALOGUE / "en" / "LC_MESSAGES" / "messages.po") == kept


@pytest.mark.parametrize(("lang", "words"), [
    ("zh", ["患者", "新建患者", "退出"]),
    ("en", ["Patients", "New patient", "Log out"]),
])
def test_pages_render_in_the_users_language(app, people, as_user, lang, words):
    doctor = as_user("doctor")
    doctor.post_form("/patients/", {"lang": lang}, action="/auth/language")
    html = doctor.get("/patients/").get_data(as_text=True)
    for word in words:
        assert word in html


def test_the_printed_plan_catalogue_is_merged(app):
    from flask_babel import force_locale, gettext

    if not (WEB / "printing" / "translations" / "zh").is_dir():
        pytest.skip("web/printing has no catalogue yet")
    with app.test_request_context(), force_locale("zh"):
        assert gettext("Exercise plan") != "Exercise plan"
    assert "printing/translations" in app.config["BABEL_TRANSLATION_DIRECTORIES"] or \
        "printing_translations" in app.config["BABEL_TRANSLATION_DIRECTORIES"]


def test_the_default_directories_merge_pages_and_printed_plans():
    from pathlib import Path

    import web
    from web.config import defaults

    dirs = defaults("/tmp")["BABEL_TRANSLATION_DIRECTORIES"].split(";")
    assert dirs == ["translations", "printing/translations", "school/translations",
                    "ruleset_authoring/translations"]
    for d in dirs:
        assert (Path(web.__file__).parent / d / "zh" / "LC_MESSAGES" / "messages.po").is_file()


def test_an_uncompiled_catalogue_is_reported_at_start_up(app, tmp_path, caplog):
    from web.i18n import warn_uncompiled

    (tmp_path / "zh" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "zh" / "LC_MESSAGES" / "messages.po").write_text("", encoding="utf-8")
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(tmp_path)
    assert warn_uncompiled(app) == [str(tmp_path / "zh")]
    assert "not compiled" in caplog.text
