"""Golden cases (which case and expectation failed, coverage) and `prescribe rules lint|test`."""

from __future__ import annotations

import pytest

from prescribe.assistant import Assistant
from prescribe.cli import main
from prescribe.engine import load_ruleset
from prescribe.engine.cases import run_cases

from .engine_kit import T, clinical_rules, leaf, precaution, rule

HTN = {"sex": "M", "age_years": 56, "sbp_mmhg": 168, "dbp_mmhg": 96, "resting_hr_bpm": 72,
       "conditions": ["hypertension"], "regularly_active": False}


def case(cid, given, **expect):
    return {"id": cid, "title": T, "given": given, "expect": expect}


GOOD = [
    case("htn-grade2", HTN, outcome="prescription_pending_clearance",
         clearance={"required": True, "before": "any"}, intensity_cap="moderate",
         intensity_cap_at_most="vigorous", components_include=["aerobic", "resistance"],
         components_exclude=["breathing"], referrals_include=["physician"], fired_include=["bp-grade2"],
         fired_exclude=["fever"], weekly_minutes_at_least=90, target_hr_bpm={"aerobic": [100, 140]},
         needs_review=False),
    case("fever", dict(HTN, acute_illness=True, sbp_mmhg=120), outcome="defer", fired_include=["fever"]),
]


def test_passing_cases_and_rule_coverage(make_rules):
    assistant = Assistant.from_paths(make_rules(clinical_rules(), GOOD))
    report = run_cases(assistant)
    assert report.ok, [str(f) for f in report.failures]
    assert (report.total, report.passed) == (2, 2)
    assert "bp-grade2" not in report.uncovered
    assert "copd" in report.uncovered
    assert "base-youth" in report.uncovered


def test_a_failing_case_names_the_case_the_expectation_and_both_values(make_rules):
    bad = [case("htn-wrong", HTN, outcome="prescription", intensity_cap="light",
                excluded_include=["contact_sports"], target_hr_bpm={"aerobic": [120, 130]})]
    report = run_cases(Assistant.from_paths(make_rules(clinical_rules(), bad)))
    got = {f.expectation: f for f in report.failures}
    assert set(got) == {"outcome", "intensity_cap", "excluded_include", "target_hr_bpm.aerobic"}
    assert (got["outcome"].expected, got["outcome"].actual) == ("prescription", "prescription_pending_clearance")
    assert str(got["intensity_cap"]) == ("cases/cases.yaml case `htn-wrong` [intensity_cap]: "
                                         "expected 'light', got 'moderate'")
    assert report.passed == 0


def test_rules_lint_exit_codes_and_output(make_rules, capsys):
    good = make_rules(clinical_rules())
    assert main(["rules", "lint", str(good)]) == 0
    assert "0 error(s)" in capsys.readouterr().err


def test_rules_lint_reports_a_gap_and_a_load_problem(tmp_path, capsys):
    from .engine_kit import files, write

    band = {"band": "bp", "band_fact": "sbp_mmhg"}
    gap = write(tmp_path / "gap", files([rule("lo", leaf("sbp_mmhg", "<", 160), [precaution("a")], **band),
                                         rule("hi", leaf("sbp_mmhg", ">=", 162), [precaution("b")], **band)]))
    assert main(["rules", "lint", str(gap)]) == 2
    out = capsys.readouterr().out
    assert "error   rules.yaml rule `hi` [band]: band `bp` (sbp_mmhg): no rule covers [160, 161]" in out
    broken = write(tmp_path / "broken", files([rule("x", leaf("sbp", ">=", 160), [precaution("a")])]))
    assert main(["rules", "lint", str(broken)]) == 2
    out = capsys.readouterr().out
    assert "rules.yaml rule `x` [when.fact]: unknown fact `sbp` — did you mean `sbp_mmhg`?" in out


def test_rules_test_runs_the_cases(make_rules, capsys):
    folder = make_rules(clinical_rules(), GOOD)
    assert main(["rules", "test", str(folder)]) == 0
    err = capsys.readouterr()
    assert "2/2 case(s) passed" in err.err
    assert "uncovered rules.yaml rule `copd`" in err.out
    assert main(["rules", "test", str(folder), "--require-coverage"]) == 2


def test_rules_test_fails_on_a_broken_expectation(make_rules, capsys):
    folder = make_rules(clinical_rules(), [case("c", HTN, outcome="defer")])
    assert main(["rules", "test", str(folder)]) == 2
    assert "FAIL    cases/cases.yaml case `c` [outcome]: expected 'defer'" in capsys.readouterr().out


def test_the_default_rule_set_loads_lints_and_passes_its_cases_when_present(project_root):
    rules = project_root / "rules" / "default"
    if not (rules / "ruleset.yaml").is_file():
        pytest.skip("rules/default is not there yet")
    ruleset = load_ruleset(rules)  # raises with every problem if the content is broken
    assert ruleset.rules
    report = run_cases(Assistant(ruleset))
    assert [str(f) for f in report.failures] == []
