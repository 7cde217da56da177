"""Upload → preview of every bad row → fix → import, all or nothing, idempotent, by 学籍号."""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import time
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import delete, func, select

from .conftest import login
from .school_files import upload_data


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
    assert "17" in summary
    assert 'id="confirm-import"' not in page
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
        assert _count(Patient) == 0
        assert _count(Student) == 0
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
        from .conftest import make_people

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


def test_an_import_that_fails_half_way_stores_nothing(app, as_user, files, monkeypatch):
    from web.school import importer
    from web.school.tables import School, SchoolClass, Student, StudentAssessment
    from web.tables import Assessment, AuditEvent, Patient, Prescription

    doctor = as_user("doctor")
    preview = _upload(doctor, [files.small_csv]).headers["Location"]

    def broken(*args, **kwargs):
        raise RuntimeError("disk full while writing the drafts")

    monkeypatch.setattr(importer, "_drafts", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        _import(doctor, preview)
    with app.app_context():
        for table in (School, SchoolClass, Student, StudentAssessment, Patient, Assessment,
                      Prescription):
            assert _count(table) == 0, table.__name__
        assert _count(AuditEvent) == 1  # the doctor's login, nothing of the import
    monkeypatch.undo()
    assert _import(doctor, preview).status_code == 302  # the upload is still there
    with app.app_context():
        assert _count(Student) == len(pd.read_csv(files.small_csv, dtype=str))


def test_a_corrected_value_replaces_this_years_result_and_its_draft(app, imported, as_user,
                                                                    files, tmp_path):
    from web.extensions import db
    from web.school.tables import SchoolImport, StudentAssessment
    from web.tables import Assessment, Prescription

    sheet = pd.read_csv(files.small_csv, dtype=str, keep_default_na=False)
    number = sheet.loc[5, "学籍号"]
    sheet.loc[5, "身高"] = "141.5"
    corrected = tmp_path / "two_classes_corrected.csv"
    sheet.to_csv(corrected, index=False, encoding="utf-8-sig")
    doctor = as_user("doctor")
    preview = _upload(doctor, [corrected], school=str(imported.school)).headers["Location"]
    page = doctor.get(preview).get_data(as_text=True)
    assert "更正的成绩（替换本学年成绩）: <strong>1</strong>" in page
    assert _import(doctor, preview).status_code == 302
    with app.app_context():
        batch = db.session.scalars(select(SchoolImport).order_by(SchoolImport.id)).all()[-1]
        assert (batch.n_corrected, batch.n_unchanged, batch.n_drafts) == (1, len(sheet) - 1, 1)
        result = db.session.scalars(select(StudentAssessment).where(
            StudentAssessment.student.has(student_no=number))).one()
        assert result.assessment.values["height_cm"] == 141.5
        plans = db.session.scalars(select(Prescription).where(
            Prescription.patient_id == result.student.patient_id)
            .order_by(Prescription.id)).all()
        assert [p.status for p in plans] == ["superseded", "draft"]
        assert plans[1].assessment_id == result.assessment_id
        assert _count(Assessment) == len(sheet) + 1  # the old values stay in the history


def test_a_clinics_own_record_of_the_child_is_reused_or_refused(app, people, as_user, files):
    from web.extensions import db
    from web.school.tables import Student
    from web.tables import Patient

    sheet = pd.read_csv(files.small_csv, dtype=str, keep_default_na=False)
    same, other = sheet.loc[0], sheet.loc[1]
    with app.app_context():
        for row, born in ((same, dt.date.fromisoformat(same["出生日期"])),
                          (other, dt.date(2001, 1, 1))):
            db.session.add(Patient(station_id=people.station_a, record_no=row["学籍号"],
                                   name=row["姓名"], sex="M" if row["性别"] == "1" else "F",
                                   birth_date=born, created_by_id=people.doctor,
                                   lock_version=1))
        db.session.commit()
    doctor = as_user("doctor")
    page = doctor.get(_upload(doctor, [files.small_csv]).headers["Location"]).get_data(
        as_text=True)
    assert "此号码已是本站另一名患者的病历号" in page
    assert 'id="confirm-import"' not in page
    problems = [p for p in _problem_rows(page) if p["kind"] == "error"]
    assert [(p["line"], p["column"], p["value"]) for p in problems] == [
        ("3", "学籍号", other["学籍号"])]
    with app.app_context():
        db.session.execute(delete(Patient).where(Patient.record_no == other["学籍号"]))
        db.session.commit()
    assert _import(doctor, _upload(doctor, [files.small_csv]).headers["Location"]
                   ).status_code == 302
    with app.app_context():
        assert _count(Patient) == _count(Student) == len(sheet)


@pytest.mark.parametrize(("name", "content", "message"), [
    ("成绩.txt", b"a,b\n1,2\n", "只能导入 .csv、.xlsx 和 .xls 文件"),
    ("broken.xlsx", b"PK\x03\x04 not really a workbook", "broken.xlsx"),
    ("notes.csv", "备注,内容\n1,2\n".encode(), "notes.csv"),
])
def test_a_file_that_cannot_be_read_is_named_and_nothing_is_kept(app, as_user, name, content,
                                                                  message):
    doctor = as_user("doctor")
    response = doctor.form("/school/import", "/school/import", {
        "school": "new", "school_name": "实验学校", "test_date": "2025-10-15",
        "files": [(io.BytesIO(content), name)]}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert message in html.unescape(response.get_data(as_text=True))
    uploads = Path(app.instance_path) / "school_uploads"
    assert not uploads.exists() or not any(uploads.iterdir())


def test_the_upload_form_names_every_missing_choice(app, as_user, files):
    doctor = as_user("doctor")
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    response = doctor.form("/school/import", "/school/import", {
        "school": "new", "school_name": "", "test_date": tomorrow, "files": []},
        content_type="multipart/form-data")
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    for message in ("请选择学校，或输入新学校的名称。", "测试日期在将来。", "请选择要上传的模板文件。"):
        assert message in page
