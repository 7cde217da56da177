"""The linter: band gaps and overlaps at recording resolution, unreachable and shadowed
rules, and monotonic safety of modifiers."""

from __future__ import annotations

from dataclasses import replace

from prescribe.engine import default_registry, load_ruleset
from prescribe.engine.lint import lint_ruleset
from prescribe.engine.registry import Registry

from .engine_kit import (
    baseline_rules,
    cap,
    clearance,
    comp,
    files,
    leaf,
    precaution,
    rule,
    set_fact,
)


def lint(rules, registry: Registry | None = None):
    return lint_ruleset(load_ruleset(files(rules), registry=registry))


def messages(found, severity=None):
    return [p.message for p in found if severity is None or p.severity == severity]


def bp_table(grade2_from=160):
    edu = [precaution("bp_note")]
    band = {"band": "bp_systolic", "band_fact": "sbp_mmhg"}
    return [
        rule("sys-normal", leaf("sbp_mmhg", "<", 120), edu, **band),
        rule("sys-high-normal", leaf("sbp_mmhg", "between", [120, 139]), edu, **band),
        rule("sys-grade1", leaf("sbp_mmhg", "between", [140, 159]), edu, **band),
        rule("sys-grade2", {"any": [leaf("sbp_mmhg", "between", [grade2_from, 179]),
                                    leaf("dbp_mmhg", "between", [100, 109])]}, [clearance()], **band),
        rule("sys-grade3", leaf("sbp_mmhg", ">=", 180), [clearance()], **band),
    ]


def test_a_complete_band_table_has_no_gap():
    assert lint(bp_table()) == []


def test_a_planted_bp_gap_is_reported_as_the_uncovered_values():
    found = lint(bp_table(grade2_from=162))
    assert messages(found) == ["band `bp_systolic` (sbp_mmhg): no rule covers [160, 161]"]
    assert found[0].severity == "error"
    assert found[0].field == "band"


def test_the_diastolic_branch_of_an_any_does_not_cover_systolic_values():
    rules = bp_table()
    rules[3] = rule("sys-grade2", {"any": [leaf("sbp_mmhg", "between", [165, 179]),
                                           leaf("dbp_mmhg", ">=", 60)]}, [clearance()],
                    band="bp_systolic", band_fact="sbp_mmhg")
    assert messages(lint(rules)) == ["band `bp_systolic` (sbp_mmhg): no rule covers [160, 164]"]


def bmi_table(low_op="<=", registry=None):
    band = {"band": "bmi_adult"}
    return lint([rule("thin", leaf("bmi", low_op, 17.8), [precaution("a")], **band),
                 rule("fine", leaf("bmi", ">=", 17.9), [precaution("b")], **band)], registry)


def registry_with_bmi_resolution(res):
    reg = default_registry()
    return reg.with_facts([replace(reg.facts["bmi"], resolution=res)])


def test_bmi_bands_at_recording_resolution():
    assert bmi_table("<=") == []  # ≤17.8 and ≥17.9 tile BMI recorded to 0.1
    assert messages(bmi_table("<")) == ["band `bmi_adult` (bmi): no rule covers 17.8"]
    finer = bmi_table("<=", registry_with_bmi_resolution(0.01))
    assert messages(finer) == ["band `bmi_adult` (bmi): no rule covers [17.81, 17.89]"]
    raw = bmi_table("<=", registry_with_bmi_resolution(None))
    assert messages(raw) == ["band `bmi_adult` (bmi): no rule covers (17.8, 17.9), e.g. 17.85"]


def test_overlaps_are_reported_with_both_rules():
    found = lint([rule("a", leaf("bmi", "<=", 24.0), [precaution("a")], band="bmi"),
                  rule("b", leaf("bmi", ">=", 23.9), [precaution("b")], band="bmi")])
    assert messages(found) == ["band `bmi` (bmi): overlaps `a` on [23.9, 24.0]"]
    assert found[0].rule_id == "b"


def test_each_partition_is_tiled_separately_and_band_range_limits_the_domain():
    band = {"band": "waist", "band_range": [40, 150]}
    rules = [rule("m-ok", {"all": [leaf("sex", "==", "M"), leaf("waist_cm", "<", 90)]}, [precaution("a")], **band),
             rule("m-high", {"all": [leaf("sex", "==", "M"), leaf("waist_cm", ">=", 90)]}, [precaution("b")], **band),
             rule("f-ok", {"all": [leaf("sex", "==", "F"), leaf("waist_cm", "<", 80)]}, [precaution("a")], **band),
             rule("f-high", {"all": [leaf("sex", "==", "F"), leaf("waist_cm", ">=", 85)]}, [precaution("b")], **band)]
    assert messages(lint(rules)) == ['band `waist` (waist_cm) where sex == "F": no rule covers [80.0, 84.9]']


def test_a_band_over_several_facts_needs_band_fact():
    rules = [rule("a", {"any": [leaf("sbp_mmhg", "<", 140), leaf("dbp_mmhg", "<", 90)]}, [precaution("a")], band="bp"),
             rule("b", {"any": [leaf("sbp_mmhg", ">=", 140), leaf("dbp_mmhg", ">=", 90)]}, [precaution("b")], band="bp")]
    found = lint(rules)
    assert "cannot tell which fact" in found[0].message
    assert "dbp_mmhg, sbp_mmhg" in found[0].message


def test_unreachable_rules_and_dead_tests():
    found = lint([rule("never", {"all": [leaf("age_years", ">=", 65), leaf("age_years", "<", 18)]}, [cap("light")]),
                  rule("enum-clash", {"all": [leaf("sex", "==", "M"), leaf("sex", "==", "F")]}, [cap("light")]),
                  rule("below-range", {"any": [leaf("sbp_mmhg", "<", 60), leaf("dbp_mmhg", ">", 110)]}, [cap("light")]),
                  rule("missing-and-present", {"all": [leaf("waist_cm", "missing", True),
                                                        leaf("waist_cm", ">=", 90)]}, [cap("light")]),
                  rule("ok", {"all": [leaf("age_years", ">=", 65), {"not": leaf("age_years", ">=", 80)}]},
                       [cap("light")])])
    errors = {p.rule_id: p.message for p in found if p.severity == "error"}
    assert set(errors) == {"never", "enum-clash", "missing-and-present"}
    assert "age_years" in errors["never"]
    warnings = [p for p in found if p.severity == "warning"]
    assert [(p.rule_id, p.message) for p in warnings] == [
        ("below-range", "the test `sbp_mmhg < 60` can never be true (outside the fact's possible values)")]


def test_disabled_rules_are_info_and_shadowed_rules_a_warning():
    same = (leaf("age_years", ">=", 65), [cap("light")])
    found = lint([rule("first", *same, priority=60), rule("second", *same, priority=50),
                  rule("off", leaf("age_years", ">=", 70), [cap("light")], enabled=False)])
    assert [(p.severity, p.rule_id) for p in found] == [("warning", "second"), ("info", "off")]
    assert "shadowed by `first`" in found[0].message


def test_a_planted_less_conservative_modifier_is_caught():
    rules = baseline_rules() + [
        rule("htn-vigorous", {"all": [leaf("conditions", "has", "hypertension"), leaf("age_group", "==", "adult_18_64")]},
             [comp("resistance", (2, 3), (20, 40), ("light", "vigorous"))], 40, "condition"),
        rule("htn-daily-strength", {"all": [leaf("conditions", "has", "hypertension"),
                                            leaf("age_group", "==", "adult_18_64")]},
             [comp("resistance", (5, 7), (20, 40), ("light", "moderate"))], 40, "condition"),
        rule("obesity-volume", {"all": [leaf("bmi", ">=", 28), leaf("age_group", "==", "adult_18_64")]},
             [comp("aerobic", (3, 5), (60, 90), ("light", "moderate"), weekly_minutes=(250, 300))], 40, "condition"),
    ]
    found = lint(rules)
    by_rule = {p.rule_id: p for p in found}
    assert "allows vigorous, the baselines allow at most moderate (rule `base-adult`)" in by_rule["htn-vigorous"].message
    assert by_rule["htn-vigorous"].field == "then.component.resistance.intensity"
    assert by_rule["htn-daily-strength"].field == "then.component.resistance.days_per_week"
    assert "obesity-volume" not in by_rule  # a condition may raise volume (250–300 min)


def test_modifier_caps_that_cap_nothing_and_relaxing_flags_are_errors():
    found = lint(baseline_rules() + [
        rule("weak-cap", leaf("conditions", "has", "copd"), [cap("vigorous")], 40, "condition"),
        rule("new-type", {"all": [leaf("conditions", "has", "copd"), leaf("age_group", "==", "adult_18_64")]},
             [comp("breathing", (3, 5), (10, 20), ("light", "vigorous"))], 40, "condition"),
        rule("new-type-cleared", {"all": [leaf("conditions", "has", "asthma"), leaf("age_group", "==", "adult_18_64")]},
             [comp("breathing", (3, 5), (10, 20), ("light", "vigorous")), clearance("vigorous")], 40, "condition"),
    ])
    by_rule = {p.rule_id: p.message for p in found}
    assert "caps nothing" in by_rule["weak-cap"]
    assert "no baseline prescribes breathing for adult_18_64" in by_rule["new-type"]
    assert "new-type-cleared" not in by_rule
    reg = default_registry()
    lenient = reg.with_facts([replace(reg.facts["hr_valid_marker"], settable=(False, True))])
    relax = lint([rule("relax", leaf("age_years", ">=", 65), [set_fact("hr_valid_marker", True)])], lenient)
    assert messages(relax) == ["setting hr_valid_marker to true relaxes a safety marker"]


def test_the_engines_code_groups_exist_in_codes():
    assert [p for p in lint(baseline_rules()) if p.file == "prescribe/codes.py"] == []
    reg = default_registry()
    thin = reg.with_facts([replace(reg.facts["conditions"], items=("hypertension",))])
    found = [p for p in lint(baseline_rules(), thin) if p.file == "prescribe/codes.py"]
    assert any("`atrial_fibrillation`" in p.message for p in found)
