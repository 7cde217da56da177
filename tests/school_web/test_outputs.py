"""What leaves the station: the class PDF for parents, the school report (page and PDF)
and the official template export."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from sqlalchemy import select

from .conftest import import_files

pypdf = pytest.importorskip("pypdf")


def _pdf_pages(data: bytes) -> list[str]:
    from .pdftext import page_texts

    return page_texts(data)


def _approve(client, class_id):
    url = f"/school/classes/{class_id}"
    page = client.get(url).get_data(as_text=True)
    expected = re.search(r'name="expected" type="hidden" value="([^"]*)"', page).group(1)
    return client.form(url, url + "/approve", {"expected": expected})


def test_the_class_pdf_has_one_page_per_signed_student_with_school_and_class(
        app, imported, as_user):
    from web.extensions import db
    from web.school import operations
    from web.school.tables import SchoolClass
    from web.tables import AuditEvent

    class_id = imported.classes["四年级2班"]
    doctor = as_user("doctor")
    url = f"/school/classes/{class_id}"
    none_yet = doctor.form(url, url + "/plans.pdf", {"lang": "zh"})
    assert none_yet.status_code == 302  # nothing signed yet: back to the queue
    _approve(doctor, class_id)
    with app.app_context():
        rows = operations.class_queue(db.session, db.session.get(SchoolClass, class_id))
        signed = [r for r in rows if r.prescription and r.prescription.status == "signed"]
        names = [r.result.student.patient.name for r in signed]
        numbers = [r.result.student.student_no for r in signed]
    response = doctor.form(url, url + "/plans.pdf", {"lang": "zh"})
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    pages = _pdf_pages(response.data)
    assert len(signed) >= 10
    # every page's running header: school · class, then the student whose plan it is
    owners = []
    for page in pages:
        where, who = page.splitlines()[:2]
        assert where == "实验学校 · 四年级2班", where
        owners.append(next(n for n in names if who.startswith(f"{n} · ")))
        assert not any(no in page for no in numbers)  # the national number stays at school
    # each student's plan starts on a new page, in class order, nobody left out
    assert [n for i, n in enumerate(owners) if i == 0 or owners[i - 1] != n] == names
    for name, number in zip(names, numbers, strict=True):
        first = pages[owners.index(name)]
        assert f"{name} · 档案号 {number[0]}…{number[-4:]}" in first
    with app.app_context():
        printed = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "printed")).all()
        assert {e.object_type for e in printed} == {"prescription", "school_class"}


def test_the_report_page_draws_charts_and_compares_with_the_target(app, imported, as_user):
    page = as_user("doctor").get(f"/school/{imported.school}/report").get_data(as_text=True)
    assert page.count("<svg") == 4
    assert "目标 60%" in page          # the target line of the class chart
    assert "优良率" in page
    assert "规划目标为 60%" in page
    for indicator in ("筛查性近视", "脊柱侧弯筛查阳性", "超重或肥胖", "及格及以上"):
        assert indicator in page
    assert "没有上一学年的成绩" in page
    headline = re.search(r'<tr data-key="good_excellent"><td>[^<]*</td><td>([^<]*)</td>', page)
    assert re.fullmatch(r"\d+\.\d% \(\d+/\d+\)", headline.group(1))


def test_the_report_pdf_has_the_numbers_and_the_charts(app, imported, as_user):
    doctor = as_user("doctor")
    response = doctor.get(f"/school/{imported.school}/report.pdf?lang=zh")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    text = "".join(_pdf_pages(response.data))
    assert "学生体质健康报告" in text
    assert "实验学校" in text
    assert "优良率" in text
    assert "筛查性近视" in text
    assert "四年级2班" in text
    reader = pypdf.PdfReader(io.BytesIO(response.data))
    images = sum(len(p.images) for p in reader.pages)
    assert images == 4
    english = doctor.get(f"/school/{imported.school}/report.pdf?lang=en")
    assert "Student physical health report" in "".join(_pdf_pages(english.data))
    assert doctor.get(f"/school/{imported.school}/report.pdf?lang=fr").status_code == 404


def test_a_second_year_is_compared_with_the_same_children(app, imported, as_user, files):
    from web.extensions import db
    from web.school.tables import Student, StudentAssessment
    from web.tables import Assessment, Patient

    doctor = as_user("doctor")
    with app.app_context():
        n = db.session.query(Student).count()
    done = import_files(doctor, [files.small_next_csv], school=str(imported.school),
                        test_date="2026-10-15", scope="none")
    assert done.status_code == 302
    with app.app_context():
        assert db.session.query(Student).count() == db.session.query(Patient).count() == n
        assert db.session.query(Assessment).count() == 2 * n
        years = db.session.scalars(select(StudentAssessment.school_year)).all()
        assert sorted(set(years)) == [2025, 2026]
        assert years.count(2026) == n
        grades = {p.grade_code for p in db.session.scalars(select(Patient))}
        assert grades == {"15", "22"}  # the patients' current grade moved up
    page = doctor.get(f"/school/{imported.school}/report?year=2026").get_data(as_text=True)
    assert f"匹配 {n} 人" in page
    assert "没有上一学年的成绩" not in page
    last_year = re.search(r'<tr data-key="screening_myopia"><td>[^<]*</td><td>[^<]*</td>'
                          r'<td>([^<]*)</td>', page).group(1)
    assert last_year != "—"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_export_is_the_official_template_and_reads_back_the_same(app, imported, as_user,
                                                                     files, tmp_path, fmt):
    from prescribe.school import preview_import
    from prescribe.tabular import TEMPLATE_HEADERS

    response = as_user("doctor").get(f"/school/{imported.school}/export.{fmt}")
    assert response.status_code == 200
    path = tmp_path / f"export.{fmt}"
    path.write_bytes(response.data)
    if fmt == "xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path).active
        header = [c.value for c in sheet[1]]
        assert all(c.data_type == "s" for row in sheet.iter_rows(min_row=2) for c in row
                   if c.value is not None)
        table = pd.read_excel(path, dtype=str).fillna("")
    else:
        assert response.data.startswith("\ufeff".encode())
        table = pd.read_csv(path, dtype=str, encoding="utf-8-sig").fillna("")
        header = list(table.columns)
    assert header == list(TEMPLATE_HEADERS)
    source = files.fixed.set_index("学籍号")
    got = table.set_index("学籍号")
    assert set(got.index) == set(pd.read_csv(files.small_csv, dtype=str)["学籍号"])
    zeros = [i for i in got.index if i.startswith("00")]
    assert len(zeros) == 1
    assert len(zeros[0]) == 10
    for column in ("姓名", "班级编号", "出生日期", "身高", "体重", "50米跑", "1000米跑"):
        expected = source.loc[got.index, column].fillna("")
        assert (got[column] == expected).all(), column
    back = preview_import(path, test_date=pd.Timestamp("2025-10-15").date())
    assert back.ok
    assert len(back.frame) == len(table)
