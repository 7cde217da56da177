"""The class print-out from real engine output: exactly one A4 page per student (#7).

Parents get one sheet per child; a plan that spills onto a second page gets separated
from its name and class at the photocopier. The students are golden youth cases of the
default rule set, chosen for the longest plans: myopia (outdoor time), obesity with a
failing grade, scoliosis with a referral, a failed fitness test.
"""

from __future__ import annotations

import re

import pytest
import yaml

from web.printing import render_class_pdf

YOUTH_CASES = {
    "youth.yaml": ["youth-myopia-screening-positive", "youth-boy-bmi-21-9-obese",
                   "youth-atr-7-refer", "youth-cobb-20-brace-high-risk",
                   "youth-fitness-fail-strength-flexibility-speed",
                   "youth-fitness-fail-endurance"],
    "combinations.yaml": ["combo-youth-obese-failing-grade", "combo-youth-scoliosis-myopia"],
}
NAMES = ["李子轩", "张雨桐", "陈浩然", "王思涵", "刘一诺", "赵梓萱", "黄俊杰", "周欣怡"]


def youth_inputs(project_root) -> list[tuple[str, dict]]:
    picked = []
    for file, ids in YOUTH_CASES.items():
        path = project_root / "rules" / "default" / "cases" / file
        cases = {c["id"]: c["given"] for c in yaml.safe_load(path.read_text("utf-8"))["cases"]}
        picked += [(case_id, cases[case_id]) for case_id in ids]
    return picked


@pytest.fixture(scope="module")
def class_contexts(project_root):
    """Real Assistant prescriptions wrapped as the school package would hand them over."""
    from prescribe.assistant import Assistant

    assistant = Assistant.from_paths(project_root / "rules" / "default")
    return [(case_id, assistant.prescribe(given))
            for case_id, given in youth_inputs(project_root)]


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_page_per_student_for_real_youth_plans(app_ctx, class_contexts, make_context,
                                                   read_pages, lang):
    contexts = [
        make_context(rx, patient_name=name, patient_sex="M" if i % 2 == 0 else "F",
                     patient_age_years=11.5, patient_ref=f"G5-3-{i + 1:02d}",
                     school_name="东湖小学", class_name="五年级3班",
                     clinician_name="周敏校医", progress=[])
        for i, (name, (_case, rx)) in enumerate(zip(NAMES, class_contexts, strict=True))
    ]
    assert all(c.problems() == [] for c in contexts)
    pages = read_pages(render_class_pdf(contexts, lang=lang))
    assert len(pages) == len(contexts), [case for case, _rx in class_contexts]
    for page, ctx in zip(pages, contexts, strict=True):
        flat = re.sub(r"\s+", "", page)
        assert ctx.patient_name in flat
        assert ctx.patient_ref in flat
        assert "东湖小学" in flat
        assert "五年级3班" in flat
