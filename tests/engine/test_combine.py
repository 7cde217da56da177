"""Safety-first combination: caps, clearance, referrals, components, reviews, outcome, trace."""

from __future__ import annotations

from prescribe.engine import load_ruleset
from prescribe.engine.evaluate import Engine

from .engine_kit import (
    baseline_rules,
    cap,
    clearance,
    comp,
    defer,
    exclude,
    files,
    leaf,
    precaution,
    refer,
    review,
    rule,
)

ADULT = {"age_group": "adult_18_64", "age_years": 50.0}


def decide(rules, facts, base=True):
    engine = Engine(load_ruleset(files((baseline_rules() if base else []) + rules)))
    return engine.decide_traced(facts)[0]


def trace_of(decision, rule_id):
    return next(t for t in decision["trace"] if t["rule_id"] == rule_id)


def test_the_lowest_cap_wins_and_every_weaker_cap_is_listed_as_overruled():
    d = decide([rule("copd", leaf("conditions", "has", "copd"), [cap("moderate")], 40),
                rule("old", leaf("age_years", ">=", 45), [cap("light")], 30),
                rule("htn", leaf("conditions", "has", "hypertension"), [cap("vigorous")], 60)],
               {**ADULT, "conditions": ("copd", "hypertension")})
    assert d["intensity_cap"] == "light"
    assert d["cap_rule_id"] == "old"
    assert trace_of(d, "copd")["overruled"] == [
        {"effect": "cap_intensity", "value": "moderate", "by": "old", "why": "stricter cap light"}]
    assert trace_of(d, "htn")["overruled"][0]["by"] == "old"
    assert trace_of(d, "old")["overruled"] == []


def test_clearance_before_any_beats_before_vigorous_and_sets_the_outcome():
    rules = [rule("active-disease", leaf("conditions", "has", "type2_diabetes"), [clearance("vigorous")], 70),
             rule("grade2", leaf("sbp_mmhg", ">=", 160), [clearance("any")], 80)]
    d = decide(rules, {**ADULT, "conditions": ("type2_diabetes",), "sbp_mmhg": 165})
    assert d["clearance"]["required"]
    assert d["clearance"]["before"] == "any"
    assert [r["rule_id"] for r in d["clearance"]["reasons"]] == ["grade2", "active-disease"]
    assert d["outcome"] == "prescription_pending_clearance"
    assert trace_of(d, "active-disease")["overruled"][0]["by"] == "grade2"
    only_vigorous = decide(rules[:1], {**ADULT, "conditions": ("type2_diabetes",)})
    assert only_vigorous["clearance"]["before"] == "vigorous"
    assert only_vigorous["outcome"] == "prescription"


def test_any_defer_makes_the_outcome_defer():
    d = decide([rule("fever", leaf("acute_illness", "==", True), [defer()], 100),
                rule("grade2", leaf("sbp_mmhg", ">=", 160), [clearance()], 80)],
               {**ADULT, "acute_illness": True, "sbp_mmhg": 170})
    assert d["outcome"] == "defer"
    assert d["deferrals"][0]["rule_id"] == "fever"


def test_one_referral_per_service_keeps_the_most_urgent():
    d = decide([rule("a", leaf("sbp_mmhg", ">=", 160), [refer("physician", "soon")], 80),
                rule("b", leaf("sbp_mmhg", ">=", 180), [refer("physician", "urgent"), refer("cardiology")], 70)],
               {**ADULT, "sbp_mmhg": 185})
    assert [(r["to"], r["urgency"], r["rule_id"]) for r in d["referrals"]] == [
        ("physician", "urgent", "b"), ("cardiology", "soon", "b")]
    assert trace_of(d, "a")["overruled"][0]["by"] == "b"


def test_exclusions_precautions_are_unions_without_duplicates():
    d = decide([rule("a", leaf("age_years", ">=", 40), [exclude("high_impact_jumping"), precaution("warm_up")], 60),
                rule("b", leaf("age_years", ">=", 45), [exclude("high_impact_jumping"), exclude("contact_sports")], 50)],
               ADULT)
    assert [(e["code"], e["rule_id"]) for e in d["excluded"]] == [("high_impact_jumping", "a"),
                                                                  ("contact_sports", "b")]
    assert [p["code"] for p in d["precautions"]] == ["warm_up"]


def test_component_intensity_is_the_most_conservative_clamped_to_the_cap():
    d = decide([rule("copd", leaf("conditions", "has", "copd"),
                     [comp("aerobic", (3, 5), (20, 30), ("light", "moderate"), hrr_percent=(30, 55), rpe=(11, 14))],
                     40, "condition"),
                rule("frail", leaf("age_years", ">=", 45), [cap("light")], 30)],
               {**ADULT, "conditions": ("copd",)})
    aerobic = next(c for c in d["components"] if c["type"] == "aerobic")
    assert aerobic["intensity"] == ["light", "light"]
    assert aerobic["hrr_percent"] == [30, 39]  # clamped to the light band
    assert aerobic["rpe"] == [11, 11]  # upper bound clamped to the light band (9–11)
    assert aerobic["rule_ids"] == ["copd", "base-adult"]
    assert any(o["effect"] == "component.aerobic.intensity" and o["by"] == "frail"
               for o in trace_of(d, "base-adult")["overruled"])


def test_the_largest_minimum_volume_that_fits_the_cap_wins():
    obesity = rule("obesity", leaf("bmi", ">=", 28), [comp("aerobic", (5, 7), (40, 60), ("light", "moderate"),
                                                           weekly_minutes=(250, 300))], 40, "condition")
    vigorous_only = rule("sporty", leaf("age_years", "<", 60), [comp("aerobic", (5, 7), (60, 90),
                                                                    ("vigorous", "vigorous"))], 45, "condition")
    d = decide([obesity], {**ADULT, "bmi": 31.0})
    aerobic = next(c for c in d["components"] if c["type"] == "aerobic")
    assert aerobic["weekly_minutes"] == [250, 300]
    assert aerobic["volume_rule_id"] == "obesity"
    assert aerobic["days_per_week"] == [5, 7]
    capped = decide([obesity, vigorous_only, rule("cap", leaf("bmi", ">=", 28), [cap("moderate")], 90)],
                    {**ADULT, "bmi": 31.0})
    aerobic = next(c for c in capped["components"] if c["type"] == "aerobic")
    assert aerobic["volume_rule_id"] == "obesity"  # 60-90 min vigorous does not fit the cap
    assert aerobic["intensity"] == ["light", "moderate"]


def test_missing_required_input_and_missing_baseline_need_review_never_a_default():
    d = decide([rule("bp", leaf("sbp_mmhg", ">=", 160), [clearance()], 80,
                     review_if_missing=["sbp_mmhg", "dbp_mmhg"])], ADULT)
    assert [(r["code"], r.get("fact"), r["rule_id"]) for r in d["needs_review"]] == [
        ("missing_input", "sbp_mmhg", "bp"), ("missing_input", "dbp_mmhg", "bp")]
    assert d["needs_review"][0]["reason"]["en"].startswith("Systolic blood pressure is missing")
    none = decide([], {"age_years": None})
    assert [r["code"] for r in none["needs_review"]] == ["no_baseline"]
    assert none["components"] == []
    flagged = decide([rule("odd", leaf("age_years", ">=", 45), [review("odd_case")])], ADULT)
    assert [(r["code"], r["rule_id"]) for r in flagged["needs_review"]] == [("odd_case", "odd")]


def test_trace_shows_the_facts_that_made_each_leaf_true():
    when = {"all": [leaf("age_years", ">=", 40),
                    {"any": [leaf("conditions", "has", "hypertension"), leaf("sbp_mmhg", ">=", 140)]},
                    {"not": leaf("medications", "has", "beta_blocker")}]}
    d = decide([rule("r", when, [cap("moderate")], 60)],
               {**ADULT, "sbp_mmhg": 150.0, "conditions": ("copd",), "medications": ()})
    entry = trace_of(d, "r")
    assert entry["facts"] == {"age_years": 50.0, "sbp_mmhg": 150.0, "medications": []}
    assert entry["title"] == {"zh": "规则 r", "en": "Rule r"}
    assert entry["source"].startswith("test source")
    assert entry["effects"] == [{"cap_intensity": {"level": "moderate",
                                                    "reason": {"zh": "测试原因", "en": "test reason"}}}]
    assert d["fired"][0] == "r"
