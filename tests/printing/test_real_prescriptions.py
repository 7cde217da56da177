"""The printer against the prescription contract: the schema and the real engine's output."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from web.printing import render_plan_pdf

jsonschema = pytest.importorskip("jsonschema")


@pytest.fixture(scope="module")
def validator(project_root):
    schema = json.loads((project_root / "docs" / "prescription.schema.json").read_text("utf-8"))
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("rx_name", ["hypertensive_rx", "beta_blocker_rx", "deferred_rx",
                                     "youth_rx"])
def test_fixtures_follow_the_prescription_schema(validator, request, rx_name):
    """The hand-written fixtures are shaped exactly like build_prescription's output."""
    errors = [f"{list(e.path)}: {e.message}"
              for e in validator.iter_errors(request.getfixturevalue(rx_name))]
    assert errors == []


def golden_inputs(project_root, limit_per_file: int = 2) -> list[tuple[str, dict]]:
    """A few golden cases from every rule-file family (adults, youth, stops, combinations)."""
    picked = []
    for path in sorted((project_root / "rules" / "default" / "cases").glob("*.yaml")):
        cases = yaml.safe_load(path.read_text("utf-8"))["cases"]
        picked += [(case["id"], case["given"]) for case in cases[:limit_per_file]]
    return picked


@pytest.fixture(scope="module")
def assistant(project_root):
    from prescribe.assistant import Assistant

    return Assistant.from_paths(project_root / "rules" / "default")


@pytest.mark.slow
def test_engine_prescriptions_print_in_both_languages(app_ctx, assistant, project_root,
                                                      make_context, validator, read_pages):
    """Real prescriptions from the default rule set render without a data problem."""
    cases = golden_inputs(project_root)
    assert len(cases) >= 8
    outcomes = set()
    for number, (case_id, given) in enumerate(cases):
        rx = assistant.prescribe(given)
        assert list(validator.iter_errors(rx)) == [], case_id
        outcomes.add(rx["outcome"])
        # the first two cases in both languages, then alternate to keep the test quick
        langs = ("zh", "en") if number < 2 else (("zh", "en")[number % 2],)
        for lang in langs:
            ctx = make_context(rx, lang=lang, progress=[])
            assert ctx.problems() == [], (case_id, ctx.problems())
            text = re.sub(r"\s+", "", "".join(read_pages(render_plan_pdf(ctx))))
            stop_box = "出现以下任何情况" if lang == "zh" else "STOPexercising"
            assert stop_box in text, case_id
            if rx["outcome"] == "defer":
                assert ("现在请不要开始运动" if lang == "zh" else "Donotstartexercisingnow") in text
            for comp in rx["components"]:
                if comp.get("target_hr_bpm"):
                    lo, hi = comp["target_hr_bpm"]
                    assert f"{lo}–{hi}" in text, case_id
    assert "defer" in outcomes
    assert "prescription" in outcomes
