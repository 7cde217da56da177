"""Real browser: a prescriber changes a rule threshold and publishes it (Chromium).

Skips when Playwright or /usr/bin/chromium is missing, unless PRESCRIBE_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from web.extensions import db
from web.ruleset_authoring import current_assistant
from web.ruleset_authoring import operations as ops

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.browser


def _require_browser() -> None:
    missing = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing = "playwright is not installed"
    if missing is None and not Path(CHROMIUM).exists():
        missing = f"{CHROMIUM} is not installed"
    if missing:
        if os.environ.get("PRESCRIBE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"PRESCRIBE_REQUIRE_BROWSER=1 but {missing}")
        pytest.skip(missing)


@pytest.fixture
def live_url(make_app, people):
    _require_browser()
    app = make_app(SERVER_NAME=None)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", app
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.mark.parametrize(("lang", "html_lang"), [("zh", "zh-CN"), ("en", "en")])
def test_a_prescriber_edits_a_threshold_and_publishes_it(live_url, lang, html_lang):
    from playwright.sync_api import expect, sync_playwright

    url, app = live_url
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        page.goto(f"{url}/auth/login")
        page.fill("#username", "prescriber")
        page.fill("#password", "correct-horse-42")
        page.press("#password", "Enter")
        page.wait_for_load_state()
        page.select_option("#lang-select", lang)
        page.click("form.lang-switch button")
        page.wait_for_load_state()
        expect(page.locator("html")).to_have_attribute("lang", html_lang)

        page.goto(f"{url}/rulesets/mini/draft/rules")
        page.click("a[href$='/draft/rules/bp-sys-grade2']")
        value = page.locator("#cond-0-value")
        expect(value).to_have_value("160, 179")
        value.fill("165, 179")
        page.click("#save-rule")
        expect(page.locator(".flash-success")).to_contain_text("bp-sys-grade2")

        page.goto(f"{url}/rulesets/mini/draft/rules/bp-sys-grade1")
        page.fill("#cond-0-value", "140, 164")
        page.click("#save-rule")
        expect(page.locator(".flash-success")).to_contain_text("bp-sys-grade1")

        page.goto(f"{url}/rulesets/mini/draft/publish")
        expect(page.locator("html")).to_have_attribute("lang", html_lang)
        page.fill("#note", "收缩压2级阈值改为165 mmHg（站点共识）")
        page.click("#publish-button")
        expect(page.locator(".flash-success")).to_contain_text("1.1")
        expect(page.locator("#version-2")).to_contain_text("收缩压2级阈值改为165")
        browser.close()

    with app.app_context():
        version = ops.current_version(db.session, "mini")
        assert (version.number, version.version) == (2, "1.1")
        assert "[165, 179]" in version.files["screening.yaml"]
        assistant = current_assistant(db.session)
        assert assistant.ruleset.hash == version.content_hash
