"""The school doctor's whole story in a real browser (Playwright + Debian chromium):
upload the 1,200-student template with 15 bad rows → read the problems → upload the
corrected files → import → approve a class → download the class PDF and the school report.

Skips when chromium is missing, unless PRESCRIBE_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import PASSWORD, make_people
from .pdftext import page_texts

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
def live_server(tmp_path: Path, translations_dirs: str, assistant) -> Iterator[str]:
    """The app on a free port in a background thread, on a fresh SQLite file."""
    _require_browser()
    pytest.importorskip("playwright.sync_api")
    from werkzeug.serving import make_server

    from web import create_app
    from web.extensions import db

    app = create_app({
        "SECRET_KEY": "school-browser-test", "SQLALCHEMY_DATABASE_URI":
            f"sqlite:///{tmp_path / 'live.sqlite3'}", "BABEL_TRANSLATION_DIRECTORIES":
            translations_dirs, "ASSISTANT": assistant, "ARGON2_PROFILE": "CHEAPEST",
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
        context.set_default_timeout(60_000)
        tab = context.new_page()
        tab.on("dialog", lambda dialog: dialog.accept())  # "import now?", "sign all?"
        errors: list[str] = []
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        yield tab
        browser.close()
        assert not errors, f"JavaScript or CSP errors: {errors}"


def _upload(tab, paths, *, new_school: bool) -> None:
    if new_school:
        tab.select_option("#school", "new")
        tab.fill("#school_name", "实验学校")
    tab.fill("#test_date", "2025-10-15")
    tab.set_input_files("#files", [str(p) for p in paths])
    tab.click("main form button.button-primary")
    tab.wait_for_url("**/school/import/*")


def test_upload_fix_import_approve_and_print(live_server, page, files, tmp_path):
    tab = page
    tab.goto(f"{live_server}/auth/login")
    tab.fill("#username", "doctor")
    tab.fill("#password", PASSWORD)
    tab.click("main form button[type=submit]")
    tab.wait_for_url("**/patients/")

    # 1. the sheet as the teachers sent it: every bad row explained, nothing imported
    tab.click("nav a[href='/school/']")
    tab.click("a[href='/school/import']")
    _upload(tab, [files.bad_csv, files.vision_bad_csv, files.scoliosis_bad_xlsx],
            new_school=True)
    assert "17 行有错误" in tab.inner_text("#check-result")
    assert tab.locator("#confirm-import").count() == 0
    roster_errors = tab.locator(
        f"#problems tr.problem-error:has(td:first-child:text-is('{files.bad_csv.name}'))")
    assert roster_errors.count() == 15
    lines = {int(x) for x in roster_errors.evaluate_all(
        "rows => rows.map(r => r.dataset.row)")}
    assert lines == set(files.bad_lines)
    assert "不可能的数值" in tab.inner_text("#problems")

    # 2. the corrected files: the check passes and the import runs
    tab.click("text=上传更正后的文件")
    _upload(tab, [files.fixed_csv, files.vision_csv, files.scoliosis_xlsx], new_school=True)
    assert "没有错误" in tab.inner_text("#check-result")
    tab.click("#confirm-import")
    tab.wait_for_url(re.compile(r".*/school/\d+\?year=2025$"))
    assert "已导入 1199 行" in tab.inner_text(".flashes")

    # 3. a class: flagged students apart, the routine rest approved at once
    tab.click("#classes a:text-is('初一2班')")
    tab.wait_for_url("**/school/classes/*")
    routine = tab.locator("#routine tbody tr").count()
    attention = tab.locator("#attention tbody tr").count()
    assert routine > 0
    assert attention > 0
    tab.click("#approve-all")
    tab.wait_for_load_state()
    assert f"已签署 {routine} 份常规处方草稿" in tab.inner_text(".flashes")
    assert tab.locator("#signed tbody tr").count() == routine
    assert tab.locator("#attention tbody tr").count() == attention

    # 4. the class PDF for the parents
    names = tab.locator("#signed tbody tr td:first-child").all_inner_texts()
    with tab.expect_download() as download:
        tab.click("#class-pdf")
    pdf = tmp_path / "class.pdf"
    download.value.save_as(pdf)
    texts = page_texts(pdf.read_bytes())
    assert all(t.startswith("实验学校 · 初一2班\n") for t in texts)
    assert {n for n in names} == {t.splitlines()[1].split(" · ")[0] for t in texts}

    # 5. the school report: charts on the page, the PDF to download
    tab.locator("main p a").first.click()  # ← back to the school
    tab.wait_for_url(re.compile(r".*/school/\d+\?year=2025$"))
    tab.click("main .actions a:text-is('学校报告')")
    tab.wait_for_url("**/report*")
    assert tab.locator(".chart svg").count() == 4
    assert tab.locator(".chart svg rect").count() > 40
    assert "规划目标为 60%" in tab.inner_text("#target")
    tab.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    with tab.expect_download() as download:
        tab.click("text=报告PDF（中文）")
    report = tmp_path / "report.pdf"
    download.value.save_as(report)
    text = "\n".join(page_texts(report.read_bytes()))
    assert "学生体质健康报告" in text
    assert "初一2班" in text
