"""Single-record evaluation: operator and null semantics, deterministic order, dispatch."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prescribe.engine import load_ruleset
from prescribe.engine.evaluate import Engine

from .engine_kit import baseline_rules, cap, files, leaf, precaution, rule, set_fact


def fires(when, facts) -> bool:
    engine = Engine(load_ruleset(files([rule("r", when, [cap("light")])])))
    return engine.fire(facts)[0] == (0,)


@pytest.mark.parametrize(("when", "facts", "expected"), [
    (leaf("sbp_mmhg", ">=", 160), {"sbp_mmhg": 160}, True),
    (leaf("sbp_mmhg", ">", 160), {"sbp_mmhg": 160}, False),
    (leaf("sbp_mmhg", "between", [160, 179]), {"sbp_mmhg": 179}, True),
    (leaf("sbp_mmhg", "between", [160, 179]), {"sbp_mmhg": 179.5}, False),
    (leaf("sbp_mmhg", "in", [120, 130]), {"sbp_mmhg": 130.0}, True),
    (leaf("sex", "!=", "M"), {"sex": "F"}, True),
    (leaf("bp_grade", ">=", "grade2"), {"bp_grade": "grade3"}, True),
    (leaf("bp_grade", ">=", "grade2"), {"bp_grade": "grade1"}, False),
    (leaf("bp_grade", "between", ["high_normal", "grade1"]), {"bp_grade": "grade1"}, True),
    (leaf("conditions", "has", "hypertension"), {"conditions": ("type2_diabetes", "hypertension")}, True),
    (leaf("conditions", "has", "hypertension"), {"conditions": ()}, False),
    (leaf("regularly_active", "==", False), {"regularly_active": False}, True),
    (leaf("waist_cm", "missing", True), {}, True),
    (leaf("waist_cm", "missing", False), {"waist_cm": 80.0}, True),
])
def test_operators(when, facts, expected):
    assert fires(when, facts) is expected


@pytest.mark.parametrize("when", [
    leaf("sbp_mmhg", ">=", 160), leaf("sbp_mmhg", "<", 160), leaf("sbp_mmhg", "!=", 120),
    leaf("sex", "!=", "M"), leaf("sex", "in", ["M", "F"]), leaf("bp_grade", "<", "grade3"),
    leaf("conditions", "has", "hypertension"), leaf("regularly_active", "!=", True),
])
def test_any_comparison_on_a_missing_fact_is_false(when):
    assert fires(when, {}) is False
    assert fires(when, {"sbp_mmhg": None, "sex": None}) is False


def test_not_of_a_comparison_on_a_missing_fact_is_true():
    assert fires({"not": leaf("sbp_mmhg", ">=", 160)}, {}) is True
    assert fires({"not": leaf("sbp_mmhg", ">=", 160)}, {"sbp_mmhg": 170}) is False


def test_nested_all_any_not():
    when = {"all": [leaf("age_years", ">=", 40),
                    {"any": [leaf("conditions", "has", "hypertension"), leaf("sbp_mmhg", ">=", 140)]},
                    {"not": leaf("medications", "has", "beta_blocker")}]}
    assert fires(when, {"age_years": 50, "sbp_mmhg": 150, "medications": ()})
    assert not fires(when, {"age_years": 50, "sbp_mmhg": 150, "medications": ("beta_blocker",)})
    assert not fires(when, {"age_years": 39, "conditions": ("hypertension",)})
    assert fires({"all": []}, {})
    assert not fires({"any": []}, {"age_years": 50})


def test_rules_fire_in_priority_then_id_order_and_sets_reach_later_rules_only():
    rules = [rule("z-late", leaf("hr_valid_marker", "==", False), [precaution("use_rpe")], priority=10),
             rule("a-set", leaf("conditions", "has", "atrial_fibrillation"),
                  [set_fact("hr_valid_marker", False)], priority=50),
             rule("b-early", leaf("hr_valid_marker", "==", False), [precaution("early")], priority=90)]
    engine = Engine(load_ruleset(files(rules)))
    fired, _, after = engine.fire({"conditions": ("atrial_fibrillation",), "hr_valid_marker": True})
    assert [engine.rules[i].id for i in fired] == ["a-set", "z-late"]
    assert after["hr_valid_marker"] is False
    decision = engine.decide({"conditions": ("atrial_fibrillation",), "hr_valid_marker": True})
    assert [p["code"] for p in decision["precautions"]] == ["use_rpe"]


def test_decisions_are_remembered_per_pattern_and_shared():
    engine = Engine(load_ruleset(files(baseline_rules())))
    a = engine.decide({"age_group": "adult_18_64", "age_years": 40.0})
    b = engine.decide({"age_group": "adult_18_64", "age_years": 55.0})
    assert a is b


# ---------------------------------------------------------------- dispatch == reference
VALUES = {
    "age_years": st.one_of(st.none(), st.sampled_from([3.0, 17.99, 18.0, 40.0, 64.99, 65.0, 90.0])),
    "sbp_mmhg": st.one_of(st.none(), st.integers(60, 260).map(float)),
    "sex": st.one_of(st.none(), st.sampled_from(["M", "F"])),
    "bp_grade": st.one_of(st.none(), st.sampled_from(["normal", "high_normal", "grade1", "grade2", "grade3"])),
    "regularly_active": st.one_of(st.none(), st.booleans()),
    "conditions": st.lists(st.sampled_from(["hypertension", "type2_diabetes", "copd"]),
                           unique=True).map(tuple),
    "hr_valid_marker": st.one_of(st.none(), st.booleans()),
}
DISPATCH_RULES = [
    rule("eq-bool", {"all": [leaf("regularly_active", "==", True), leaf("age_years", ">=", 40)]}, [cap("moderate")]),
    rule("eq-false", {"all": [leaf("regularly_active", "==", False), leaf("sex", "==", "F")]}, [cap("moderate")]),
    rule("enum-in", leaf("bp_grade", "in", ["grade2", "grade3"]), [cap("light")]),
    rule("ordered", leaf("bp_grade", ">=", "grade1"), [cap("light")]),
    rule("range-1", leaf("age_years", ">=", 65), [cap("light")]),
    rule("range-2", leaf("age_years", "<", 18), [cap("light")]),
    rule("range-3", leaf("age_years", "between", [18, 64.99]), [cap("light")]),
    rule("range-4", {"all": [leaf("age_years", "==", 40), leaf("sex", "==", "M")]}, [cap("light")]),
    rule("any-branches", {"any": [leaf("sbp_mmhg", ">=", 160), {"all": [leaf("sex", "==", "M"),
                                                                          leaf("sbp_mmhg", ">=", 140)]},
                                  leaf("conditions", "has", "copd")]}, [cap("light")]),
    rule("not", {"not": leaf("sbp_mmhg", "<", 120)}, [cap("light")]),
    rule("settable", leaf("hr_valid_marker", "==", False), [precaution("rpe")], priority=10),
    rule("setter", leaf("conditions", "has", "copd"), [set_fact("hr_valid_marker", False)], priority=60),
    rule("always", {"all": []}, [precaution("always")], priority=5),
]


@pytest.fixture(scope="module")
def dispatch_engine():
    return Engine(load_ruleset(files(DISPATCH_RULES)))


@settings(max_examples=300, deadline=None)
@given(facts=st.fixed_dictionaries(VALUES))
def test_guard_dispatch_fires_exactly_the_rules_a_plain_loop_fires(dispatch_engine, facts):
    engine = dispatch_engine
    facts = {k: v for k, v in facts.items() if v is not None}
    fired, _, _ = engine.fire(facts)
    reference, current = [], dict(facts)
    for i, pred in enumerate(engine.predicates):  # the plain loop, in order, applying sets
        if pred(current.get):
            reference.append(i)
            for name, value in engine.setters.get(i, ()):
                current[name] = value
    assert list(fired) == reference
