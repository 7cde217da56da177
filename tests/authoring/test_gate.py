"""The publish gate blocks on load problems, lint errors and failing golden cases."""

from prescribe.authoring import editing
from prescribe.authoring.gate import run_gate


def test_a_clean_draft_passes_and_reports_what_no_case_exercises(mini_files):
    result = run_gate(mini_files)
    assert result.passed, result.summary()
    assert (result.cases_total, result.cases_passed) == (3, 3)
    assert set(result.uncovered_rules) == {"bp-sys-grade1", "youth-baseline"}
    assert result.hash
    assert result.version == "1.0"
    assert "ready to publish" in result.summary()


def test_a_failing_golden_case_blocks_with_the_case_and_expectation_named(mini_files):
    # a prescriber relaxes the grade-2 cap to vigorous: the hypertension case catches it
    draft = editing.set_rule_value(mini_files, "bp-sys-grade2", "then[1].cap_intensity.level",
                                   "vigorous")
    result = run_gate(draft)
    assert not result.passed
    assert not result.lint_blocking
    assert not result.load_problems
    (failure,) = result.case_failures
    assert (failure.case_id, failure.file, failure.expectation) == (
        "htn-grade2", "cases/core.yaml", "intensity_cap")
    assert (failure.expected, failure.actual) == ("moderate", "vigorous")
    assert result.failed_case_ids == ("htn-grade2",)
    assert "case `htn-grade2` [intensity_cap]: expected 'moderate', got 'vigorous'" in \
        result.summary()


def test_every_broken_expectation_of_every_case_is_listed(mini_files):
    # grade 2 now starts at 170: the 168 mmHg case moves to grade 1
    draft = editing.set_rule_value(mini_files, "bp-sys-grade2", "when.value", [170, 179])
    draft = editing.set_rule_value(draft, "bp-sys-grade1", "when.value", [140, 169])
    draft = editing.set_rule_value(draft, "bp-severe-defer", "when.any[0].value", 220)
    result = run_gate(draft)
    failed = {(f.case_id, f.expectation) for f in result.case_failures}
    assert ("severe-bp-defer", "outcome") in failed
    assert {e for c, e in failed if c == "htn-grade2"} >= {
        "outcome", "clearance.required", "intensity_cap", "referrals_include", "fired_include"}
    assert result.failed_case_ids == ("htn-grade2", "severe-bp-defer")


def test_a_planted_band_gap_blocks_publication(mini_files):
    # 140 mmHg falls between "< 140" and "141–159": no rule would cover it
    draft = editing.set_rule_value(mini_files, "bp-sys-grade1", "when.value", [141, 159])
    result = run_gate(draft)
    assert not result.passed
    assert not result.case_failures
    (problem,) = result.lint_blocking
    assert problem.file == "screening.yaml"
    assert problem.field == "band"
    assert "bp_systolic" in problem.message
    assert "140" in problem.message


def test_an_overlap_in_a_band_blocks_publication(mini_files):
    draft = editing.set_rule_value(mini_files, "bp-sys-grade1", "when.value", [138, 159])
    result = run_gate(draft)
    assert not result.passed
    assert any("overlap" in p.message for p in result.lint_blocking), result.summary()


def test_a_draft_the_engine_refuses_is_blocked_with_every_problem(mini_files):
    draft = {**mini_files, "conditions.yaml": mini_files["conditions.yaml"].replace(
        "kind: condition", "kind: conditon").replace("heavy_valsalva_lifting", "heavy_lifting")}
    result = run_gate(draft)
    assert not result.passed
    assert {p.field for p in result.load_problems} == {"kind", "then[0].exclude.code"}
    assert result.cases_total == 0


def test_coverage_blocks_only_when_required(mini_files):
    assert run_gate(mini_files, require_coverage=False).passed
    result = run_gate(mini_files, require_coverage=True)
    assert not result.passed
    assert "coverage: no golden case fires rule `bp-sys-grade1`" in result.blocking_lines()
