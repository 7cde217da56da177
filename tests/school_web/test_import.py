"""Upload → preview of every bad row → fix → import, all or nothing, idempotent, by 学籍号."""

from __future__ import annotations

import html
import re
import time

import pytest
from conftest import login
from school_files import upload_data
from sqlalchemy import func, select


def _count(table) -> int:
    from web.extensions import db

    return db.session.scalar(select(func.count()).select_from(table))


def _upload(client, paths, **kw):
    return client.form("/school/import", "/school/import", upload_data(paths, **kw),
                       content_type="multipart/form-data")


def _problem_rows(page: str) -> list[dict[str, str]]:
    """Every row of the preview's problem table: file, line, column, value, reason, kind."""
    body = re.search(r'<table[^>]*id="problems">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    out = []
    for kind, cells in re.findall(r'<tr class="problem problem-(\w+)"[^>]*>(.*?)</tr>', body,
                                  re.S):
        texts = [html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
                 for c in re.findall(r"<td>(.*?)</td>", cells, re.S)]
        out.append(dict(zip(("file", "line", "column", "value", "reason", "allowed"),
                            texts, strict=False), kind=kind))
    return out


def _import(client, token_url, scope="all"):
    return client.form(token_url, token_url + "/confirm", {"draft_scope": scope})


def test_every_bad_row_is_shown_and_nothing_is_stored(app, as_user, files):
    from web.school.tables import Student
    from web.tables import Patient

    doctor = as_user("doctor")
    response = _upload(doctor, [files.bad_csv, files.vision_bad_csv, files.scoliosis_bad_xlsx])
    assert response.status_code == 302
    page = doctor.get(response.headers["Location"]).get_data(as_text=True)
    problems = _problem_rows(page)
    errors = [p for p in problems if p["kind"] == "error"]
    roster = {int(p["line"]): p["column"] for p in errors if p["file"] == files.bad_csv.name}
    assert len(roster) == 15
    assert roster == files.bad_lines
    assert {(p["file"], p["line"], p["column"]) for p in errors
            if p["file"] != files.bad_csv.name} == {
        (files.vision_bad_csv.name, "17", "裸眼视力(右)"),
        (files.scoliosis_bad_xlsx.name, "33", "躯干旋转角")}
    summary = re.search(r'id="check-result">(.*?)</div>', page, re.S).group(1)
    assert "17" in summary and 'id="confirm-import"' not in page
    # the value as typed, the reason in the user's language, what is allowed
    by_place = {(p["file"], p["line"], p["column"]): p for p in errors}
    height = by_place[(files.bad_csv.name, "59", "身高")]
    assert (height["value"], height["reason"], height["allowed"]) == (
        "17.0", "不可能的数值", "50–230 cm")
    assert by_place[(files.bad_csv.name, "90", "体重")]["value"] == "五十"
    assert by_place[(files.bad_csv.name, "992", "学籍号")]["reason"] == \
        "重复的学籍号：也在第 102 行"
    assert by_place[(files.bad_csv.name, "1102", "姓名")]["reason"] == \
        "缺少：站点记录需要学生姓名"
    warnings = {(p["line"], p["column"]) for p in problems if p["kind"] == "warning"}
    assert {("847", "肺活量"), ("862", "性别"), ("946", "1000米跑")} <= warnings
    with app.app_context():
        assert _count(Patient) == 0 and _count(Student) == 0
    listing = doctor.get(response.headers["Location"] + "/problems.csv").get_data(as_text=True)
    assert listing.count("\n") == len(problems) + 1


@pytest.mark.slow
def test_fix_reupload_import_and_reimport_changes_nothing(app, as_user, files, db_url,
                                                          make_app):
    from web.extensions import db
    from web.school.tables import School, SchoolImport, Student, StudentAssessment
    from web.tables import Assessment, Patient, Prescription

    if not db_url.startswith("sqlite"):
        app = make_app(db_url)
        from conftest import make_people

        with app.app_context():
            make_people()
    doctor = login(app.test_client(), "doctor")
    paths = [files.fixed_csv, files.vision_csv, files.scoliosis_xlsx]
    preview = _upload(doctor, paths).headers["Location"]
    page = doctor.get(preview).get_data(as_text=True)
    assert 'id="confirm-import"' in page
    started = time.perf_counter()
    done = _import(doctor, preview)
    seconds = time.perf_counter() - started
    assert done.status_code == 302, done.get_data(as_text=True)[:500]
    print(f"\nimport of {len(files.fixed)} students with drafts: {seconds:.1f} s ({db_url[:10]})")
    with app.app_context():
        n = len(files.fixed)
        assert (_count(Patient), _count(Student), _count(StudentAssessment)) == (n, n, n)
        assert _count(Prescription) == n
        numbers = set(db.session.scalars(select(Student.student_no)))
        assert numbers == set(files.fixed["学籍号"])
        assert sum(x.startswith("00") for x in numbers) == 12  # leading zeros kept
        school = db.session.scalar(select(School))
    # the same files again: nothing new, nothing changed
    again = _import(doctor, _upload(doctor, paths, school=str(school.id)).headers["Location"])
    assert again.status_code == 302
    with app.app_context():
        assert (_count(Patient), _count(Assessment), _count(Prescription)) == (n, n, n)
        last = db.session.scalars(select(SchoolImport).order_by(SchoolImport.id)).all()[-1]
        assert (last.n_unchanged, last.n_new_students, last.n_drafts) == (n, 0, 0)
