"""The class print-out: one student per page, Chinese, school and class on every page."""

from __future__ import annotations

import dataclasses
import io
import re

import pytest
from pypdf import PdfReader

from web.printing import PlanContextError, render_class_pdf


def test_three_students_one_page_each_in_chinese(app_ctx, student_contexts, read_pages):
    english = [dataclasses.replace(c, lang="en") for c in student_contexts]
    pdf = render_class_pdf(english)  # the parents' version is Chinese whatever the context says
    pages = read_pages(pdf)
    assert len(pages) == 3
    for page, ctx in zip(pages, student_contexts, strict=True):
        flat = re.sub(r"\s+", "", page)
        assert ctx.patient_name in flat
        assert ctx.patient_ref in flat
        assert flat.count("东湖小学") >= 2
        assert "四年级2班" in flat
        assert "学生运动处方" in flat
        assert "一周安排" in flat
        assert "出现以下任何情况，请立即停止运动并就医" in flat
        assert "单项得分（灰：首次，黑：最近）" not in flat  # chart is an image, not text
        others = {c.patient_name for c in student_contexts} - {ctx.patient_name}
        assert not any(name in flat for name in others)
    assert len(pdf) < 1_000_000
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:  # chart and QR code on each student's page
        assert len(page.images) == 2


def test_keep_each_context_language(app_ctx, student_contexts, read_pages):
    mixed = [student_contexts[0], dataclasses.replace(student_contexts[1], lang="en")]
    pages = read_pages(render_class_pdf(mixed, lang=None))
    assert "学生运动处方" in re.sub(r"\s+", "", pages[0])
    assert "Exercise plan for students" in " ".join(" ".join(p.split()) for p in pages)


def test_problems_of_every_student_are_reported_at_once(app_ctx, student_contexts):
    bad = [student_contexts[0],
           dataclasses.replace(student_contexts[1], patient_name=" "),
           dataclasses.replace(student_contexts[2], patient_sex="X", version=0)]
    with pytest.raises(PlanContextError) as caught:
        render_class_pdf(bad)
    problems = caught.value.problems
    assert any(p.startswith("contexts[1].patient_name") for p in problems)
    assert any(p.startswith("contexts[2].patient_sex") for p in problems)
    assert any(p.startswith("contexts[2].version") for p in problems)
    assert not any(p.startswith("contexts[0]") for p in problems)


def test_empty_class_is_an_error(app_ctx):
    with pytest.raises(PlanContextError, match="no students"):
        render_class_pdf([])
