"""The whole clinical flow in a real browser (Playwright + Debian chromium), in Chinese and
in English: log in → new patient → assessment → draft → edit with a reason → sign →
download the PDF, which is then checked with pypdf.

Skips when chromium is missing, unless PRESCRIBE_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import io
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from .support import PASSWORD, make_people, tiny_assistant

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.browser


def _require_browser() -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("PRESCRIBE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"PRESCRIBE_REQUIRE_BROWSER=1 but {CHROMIUM} is not installed")
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")


@pytest.fixture
def live_server(tmp_path: Path, translations_dirs: str) -> Iterator[str]:
    """The app on a free port in a background thread, on a fresh SQLite file."""
    _require_browser()
    pytest.importorskip("playwright.sync_api")
    pytest.importorskip("web.printing", reason="the printed plan (web.printing) is not built")
    from werkzeug.serving import make_server

    from web import create_app
    from web.extensions import db

    app = create_app({
        "SECRET_KEY": "browser-test", "SQLALCHEMY_DATABASE_URI":
            f"sqlite:///{tmp_path / 'live.sqlite3'}", "BABEL_TRANSLATION_DIRECTORIES":
            translations_dirs, "ASSISTANT": tiny_assistant(), "ARGON2_PROFILE": "CHEAPEST",
        "SQLITE_SYNCHRONOUS": "OFF",
    }, instance_path=str(tmp_path / "instance"))
    with app.app_context():
        db.create_all()
        make_people()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def page(live_server: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(accept_downloads=True, locale="zh-CN")
        context.set_default_timeout(20_000)
        page = context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())  # "sign this prescription?"
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        yield page
        browser.close()
        assert not errors, f"JavaScript errors: {errors}"


TEXT = {
    "zh": {"pending": "待医学许可", "override": "心内科会诊同意较大强度运动", "signed": "已签署"},
    "en": {"pending": "Pending medical clearance", "override": "Cardiology agreed to vigorous",
           "signed": "Signed"},
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_clinical_flow_from_login_to_pdf(live_server, page, lang, tmp_path):
    words = TEXT[lang]
    page.goto(f"{live_server}/auth/login")
    assert page.locator("html").get_attribute("lang") == "zh-CN"
    if lang == "en":
        with page.expect_navigation():
            page.select_option("#lang-select", "en")  # the switcher submits itself
        assert page.locator("html").get_attribute("lang") == "en"
    page.fill("#username", "doctor")
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/patients/")

    # a new patient
    page.click("nav a[href='/patients/new']")
    page.fill("#record_no", f"JM-{lang}-01")
    page.fill("#name", "黄建华")
    page.select_option("#sex", "M")
    page.fill("#birth_date", "1968-07-09")
    page.fill("#phone", "13812345678")
    page.click("main form button.button-primary")
    page.wait_for_url("**/patients/*")
    assert page.inner_text("h1") == "黄建华"

    # an assessment; the condition is found by a synonym through the filter box
    page.click("a[href^='/assessments/new/']")
    for field, value in {"height_cm": "171", "weight_kg": "78.4", "waist_cm": "92",
                         "vital_capacity_ml": "3200", "grip_strength_kg": "39.5",
                         "sit_and_reach_cm": "5", "step_test_index": "55",
                         "choice_reaction_time_s": "0.6", "one_leg_stand_eyes_closed_s": "10",
                         "resting_hr_bpm": "72", "sbp_mmhg": "168", "dbp_mmhg": "96"}.items():
        page.fill(f"#{field}", value)
    page.select_option("#regularly_active", "false")
    page.fill("#conditions-filter", "high blood pressure")
    assert page.locator("#conditions-list li:visible").count() < 5
    page.check("#conditions-list li:visible input[value='I10']")
    page.click("main form button.button-primary")
    page.wait_for_url("**/assessments/*")
    assert page.locator("text=BMI").count() >= 1

    # the draft, explained
    page.click("form[action*='/prescriptions/draft/'] button")
    page.wait_for_url("**/prescriptions/*")
    assert words["pending"] in page.inner_text(".banner")
    page.locator("details.why summary").first.click()
    assert page.locator("details.why[open] .why-list").first.is_visible()

    # edit with a reason: raise the intensity cap
    page.click("a[href$='/review']")
    page.select_option("#intensity_cap", "vigorous")
    page.fill("#reason__intensity_cap", words["override"])
    page.click("main form button.button-primary")
    page.wait_for_url(re.compile(r".*/prescriptions/\d+$"))
    assert words["override"] in page.inner_text("main")

    # sign
    page.click("form[action$='/sign'] button")
    page.wait_for_load_state()
    assert words["signed"] in page.inner_text("h1")

    # print: the PDF with the patient's name, Chinese text and an embedded font
    page.select_option("#print-lang", lang)
    with page.expect_download(timeout=60_000) as download:
        page.click("form.print-form button")
    pdf_path = tmp_path / "plan.pdf"
    download.value.save_as(pdf_path)
    _check_pdf(pdf_path.read_bytes())


def _check_pdf(data: bytes) -> None:
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = "".join(p.extract_text() for p in reader.pages).replace("\x00", "")
    assert "黄建华" in text
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text.replace("黄建华", ""))
    embedded = False
    for pdf_page in reader.pages:
        for font in (pdf_page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            target = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font \
                else font
            descriptor = target.get("/FontDescriptor")
            if descriptor is not None and any(
                    k in descriptor.get_object() for k in ("/FontFile", "/FontFile2",
                                                           "/FontFile3")):
                embedded = True
    assert embedded, "the PDF has no embedded font"
