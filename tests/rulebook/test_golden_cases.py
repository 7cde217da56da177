"""The golden cases of rules/default, each its own test, against the real Assistant."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from prescribe.engine import load_ruleset
from prescribe.engine.cases import Case, check_case, run_cases
from prescribe.engine.lint import lint_ruleset

RULES = Path(__file__).resolve().parents[2] / "rules" / "default"

CASES = load_ruleset(RULES).cases


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_golden_case(case: Case, assistant):
    failures = check_case(case, assistant.prescribe(case.given))
    assert not failures, "\n".join(str(f) for f in failures)


def test_there_are_enough_cases_and_every_rule_is_fired(assistant):
    assert len(CASES) >= 60
    report = run_cases(assistant)
    assert report.ok
    assert report.uncovered == []


def test_every_rule_file_has_cases():
    files = Counter(c.file for c in CASES)
    assert {"cases/hard_stops.yaml", "cases/screening.yaml", "cases/baselines.yaml",
            "cases/conditions.yaml", "cases/youth.yaml", "cases/combinations.yaml"} <= set(files)


def test_the_rule_set_lints_clean():
    findings = lint_ruleset(load_ruleset(RULES))
    assert [str(f) for f in findings if f.severity in ("error", "warning")] == []


def test_a_wrong_expectation_is_caught(assistant):
    case = next(c for c in CASES if c.id == "hs-sbp-201-defer")
    wrong = Case(case.id, case.title, case.given,
                 {"outcome": "prescription", "referrals_include": ["cardiology"]}, case.file)
    failures = check_case(wrong, assistant.prescribe(case.given))
    assert [f.expectation for f in failures] == ["outcome", "referrals_include"]


def test_batch_path_agrees_with_single_records(assistant):
    import pandas as pd

    givens = [dict(c.given) for c in CASES]
    for g in givens:  # lists travel through a table as text, as a CSV would carry them
        for key in ("conditions", "medications", "symptoms"):
            if key in g:
                g[key] = ",".join(g[key])
    frame = assistant.prescribe_frame(pd.DataFrame(givens), prescriptions=False)
    for i, case in enumerate(CASES):
        single = assistant.prescribe(case.given)
        assert frame["outcome"].iat[i] == single["outcome"], case.id
        assert list(frame["fired"].iat[i]) == single["fired"], case.id
        aerobic = next((c for c in single["components"] if c["type"] == "aerobic"), None)
        hr = aerobic["target_hr_bpm"] if aerobic else None
        lo = frame["target_hr_lo"].iat[i]
        assert (hr is None and pd.isna(lo)) or (hr is not None and [lo, frame["target_hr_hi"].iat[i]] == hr), case.id
