"""The authoring tools on the real default rule set (skipped until rules/default exists)."""

from pathlib import Path

import pytest

from prescribe.assistant import Assistant
from prescribe.authoring import editing
from prescribe.authoring.gate import run_gate
from prescribe.authoring.impact import cases_frame, compare_frames
from prescribe.authoring.versions import diff_versions
from prescribe.engine import load_ruleset
from prescribe.engine.conditions import Leaf


@pytest.fixture(scope="module")
def default_files(project_root):
    root = Path(project_root) / "rules" / "default"
    if not (root / "ruleset.yaml").is_file():
        pytest.skip("rules/default is not there yet")
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(root.rglob("*.yaml"))}


@pytest.fixture(scope="module")
def band_rule(default_files):
    """A band member whose whole condition is `fact between [lo, hi]`."""
    ruleset = load_ruleset(default_files)
    for rule in ruleset.enabled_rules:
        if rule.band and isinstance(rule.when, Leaf) and rule.when.op == "between":
            return rule
    pytest.skip("the default rule set has no `between` band rule")


def test_a_threshold_edit_touches_one_line_of_one_file(default_files, band_rule):
    lo, hi = band_rule.when.value
    out = editing.set_rule_value(default_files, band_rule.id, "when.value", [lo, hi])
    assert out == default_files  # same value: nothing moves, comments and layout included
    step = band_rule.when.value[0] + 1
    out = editing.set_rule_value(default_files, band_rule.id, "when.value", [step, hi])
    changed = [name for name in out if out[name] != default_files[name]]
    assert changed == [band_rule.file]
    old_lines = default_files[band_rule.file].splitlines()
    new_lines = out[band_rule.file].splitlines()
    assert len(old_lines) == len(new_lines)
    assert sum(a != b for a, b in zip(old_lines, new_lines, strict=True)) == 1
    (row,) = diff_versions(default_files, out)
    assert (row.item_id, row.field, row.after) == (band_rule.id, "when.value", [step, hi])


def test_the_gate_catches_a_gap_planted_in_a_real_band(default_files, band_rule):
    lo, hi = band_rule.when.value
    out = editing.set_rule_value(default_files, band_rule.id, "when.value", [lo + 1, hi])
    result = run_gate(out)
    assert not result.passed
    assert any(p.field == "band" and band_rule.band in p.message and "no rule covers" in p.message
               for p in result.lint_blocking), result.summary()


def test_replaying_the_unchanged_rules_over_their_cases_changes_nothing(default_files):
    published = Assistant(load_ruleset(default_files))
    frame, ids = cases_frame(published.ruleset.cases)
    comparison = compare_frames(published, Assistant(load_ruleset(default_files)), frame, ids)
    assert comparison.rows_compared == len(published.ruleset.cases)
    assert comparison.rows_changed == 0
