"""``build_prescription`` on hand-made Decisions (the engine hand-off contract)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from prescribe.prescription import (
    build_prescription,
    hrr_percent_for,
    karvonen,
    render_text,
    retest_date,
    rpe_for,
    weekly_minutes,
)

PROV = {"ruleset": {"name": "t", "version": "1", "hash": "abc"}, "generated_at": "2025-01-01T00:00:00+00:00"}


def _text(s: str) -> dict[str, str]:
    return {"zh": s, "en": s}


def component(ctype="aerobic", days=(5, 7), minutes=(30, 60), intensity=("light", "moderate"),
              weekly=(150, 300), activities=("walking_brisk", "jogging", "tai_chi"), **extra) -> dict:
    return {"type": ctype, "days_per_week": list(days), "minutes_per_session": list(minutes),
            "intensity": list(intensity), "hrr_percent": extra.get("hrr_percent"),
            "rpe": extra.get("rpe"), "weekly_minutes": list(weekly) if weekly else None,
            "sets_reps": None, "activities": list(activities), "note": None, "rule_ids": ["r"]}


def decision(outcome="prescription", cap=None, components=None, excluded=(), **extra) -> dict:
    return {
        "outcome": outcome, "deferrals": extra.get("deferrals", []),
        "clearance": {"required": outcome == "prescription_pending_clearance",
                      "before": "any" if outcome == "prescription_pending_clearance" else None,
                      "reasons": []},
        "referrals": extra.get("referrals", []), "intensity_cap": cap, "cap_rule_id": None,
        "components": [component()] if components is None else components,
        "excluded": [{"code": c, "reason": _text(c), "rule_id": "x"} for c in excluded],
        "precautions": [], "education": [], "needs_review": extra.get("needs_review", []),
        "fired": ["r"], "trace": [],
    }


ADULT = {"age_years": 45.0, "age_group": "adult_18_64", "resting_hr_bpm": 70.0,
         "hr_max_bpm": 208 - 0.7 * 45, "hr_valid_marker": True, "regularly_active": False,
         "conditions": (), "medications": (), "test_date": dt.date(2025, 3, 1)}


def test_karvonen_worked_example_and_rounding():
    assert karvonen(65, 190, 0.70) == 153          # 152.5 rounds half up (domain.md §2.2)
    assert karvonen(70, 170, 0.405) == 111         # 110.5 → 111
    assert karvonen(70, 170, 0.404) == 110


def test_karvonen_arrays_match_scalars():
    rest = np.array([55, 62, 70, 81, np.nan])
    top = np.array([190, 176.5, 165.3, 150, 180])
    frac = np.array([0.4, 0.55, 0.59, 0.3, 0.5])
    arr = karvonen(rest, top, frac)
    assert np.isnan(arr[-1])
    assert arr[:-1].tolist() == [karvonen(r, t, f) for r, t, f in zip(rest[:-1], top[:-1], frac[:-1],
                                                                      strict=True)]


def test_hrr_and_rpe_ranges_stay_inside_the_intensity_span():
    assert hrr_percent_for(["light", "moderate"], None) == (30, 59)
    assert hrr_percent_for(["moderate", "vigorous"], None) == (40, 84)   # never > 84 unsupervised
    assert hrr_percent_for(["light", "moderate"], [40, 80]) == (40, 59)
    assert hrr_percent_for(["moderate", "moderate"], [60, 80]) == (40, 59)  # the cap wins
    assert rpe_for(["moderate", "moderate"], [12, 14]) == (12, 13)
    assert rpe_for(["light", "vigorous"], None) == (9, 17)


def test_adult_gets_karvonen_target_and_rpe():
    p = build_prescription(decision(), ADULT, PROV)
    aerobic = p["components"][0]
    assert aerobic["hrr_percent"] == [30, 59]
    assert aerobic["target_hr_bpm"] == [karvonen(70, 176.5, 0.30), karvonen(70, 176.5, 0.59)] == [102, 133]
    assert aerobic["rpe"] == [9, 13]
    assert aerobic["rpe_scale"] == "borg_6_20"
    assert aerobic["intensity_basis"] == "heart_rate"


@pytest.mark.parametrize("change", [{"hr_valid_marker": False}, {"resting_hr_bpm": None},
                                    {"hr_valid_marker": None}])
def test_no_heart_rate_target_without_a_valid_marker(change):
    p = build_prescription(decision(), {**ADULT, **change}, PROV)
    aerobic = p["components"][0]
    assert aerobic["target_hr_bpm"] is None
    assert aerobic["hrr_percent"] is None
    assert aerobic["rpe"] == [9, 13]
    assert aerobic["intensity_basis"] == "rpe"


def test_hr_max_falls_back_to_tanaka():
    facts = {**ADULT, "hr_max_bpm": None}
    assert build_prescription(decision(), facts, PROV)["components"][0]["target_hr_bpm"] == [102, 133]


def test_children_get_talk_test_and_mvpa_minutes():
    youth = {"age_years": 11.0, "age_group": "youth_6_17", "resting_hr_bpm": 80.0,
             "hr_valid_marker": True, "test_date": "2025-09-01"}
    comp = component(days=(7, 7), minutes=(60, 90), intensity=("moderate", "vigorous"), weekly=(420, 630))
    p = build_prescription(decision(components=[comp]), youth, PROV)
    aerobic = p["components"][0]
    assert aerobic["target_hr_bpm"] is None
    assert aerobic["rpe"] is None
    assert aerobic["intensity_basis"] == "talk_test"
    assert p["weekly_minutes"] == 420
    assert p["weekly_minutes_basis"] == "mvpa"
    assert p["retest_date"] == "2025-11-24"            # 12 weeks: within the school year
    assert aerobic["activities"][0]["met_kind"] == "METy"


def test_vigorous_minutes_count_double_for_adults():
    vig = component(days=(3, 5), minutes=(25, 30), intensity=("vigorous", "vigorous"), weekly=None)
    assert weekly_minutes(vig, youth=False) == (150, 300)
    assert weekly_minutes(vig, youth=True) == (75, 150)
    mod = component(weekly=(150, 300))
    assert weekly_minutes(mod, youth=False) == (150, 300)


def test_excluded_and_capped_activities_are_dropped_with_a_reason():
    p = build_prescription(decision(cap="moderate", excluded=("high_impact_jumping",)), ADULT, PROV)
    aerobic = p["components"][0]
    assert [a["code"] for a in aerobic["activities"]] == ["walking_brisk", "tai_chi"]
    assert aerobic["activities_dropped"] == [{"code": "jogging", "reason": "high_impact_jumping"}]
    assert aerobic["activities"][1]["met"] == 3.3
    assert p["excluded"][0]["label"]["en"] == "repetitive high-impact jumping"


def test_strength_and_flexibility_keep_moderate_activities():
    flex = component("flexibility", (2, 7), (10, 15), ("light", "light"), None, ("stretching", "tai_chi"))
    p = build_prescription(decision(components=[flex]), ADULT, PROV)
    assert [a["code"] for a in p["components"][0]["activities"]] == ["stretching", "tai_chi"]
    assert p["components"][0]["target_hr_bpm"] is None


def test_deferral_prints_no_exercise_and_no_retest_date():
    d = decision("defer", deferrals=[{"rule_id": "stop", "reason": _text("BP"), "action": _text("rest")}])
    p = build_prescription(d, ADULT, PROV)
    assert p["components"] == []
    assert p["weekly_minutes"] is None
    assert p["retest_date"] is None
    assert p["deferrals"][0]["rule_id"] == "stop"
    assert len(p["warning_signs"]) >= 5


def test_retest_is_eight_weeks_for_adults():
    assert retest_date(ADULT, "prescription") == "2025-04-26"
    assert retest_date({**ADULT, "test_date": None}, "prescription",
                       today=dt.date(2025, 1, 1)) == "2025-02-26"


def test_progression_slows_the_start_for_inactive_people():
    p = build_prescription(decision(), ADULT, PROV)
    phases = p["components"][0]["progression"]
    assert [ph["weeks"] for ph in phases] == [[1, 4], [5, 8], [9, None]]
    assert "10–20" in phases[0]["note"]["en"]
    active = build_prescription(decision(), {**ADULT, "regularly_active": True}, PROV)
    assert active["components"][0]["progression"][0]["weeks"] == [1, 2]


def test_condition_notes_join_the_progression():
    facts = {**ADULT, "conditions": ("knee_osteoarthritis", "type2_diabetes")}
    notes = [ph["note"]["en"] for ph in build_prescription(decision(), facts, PROV)["components"][0]["progression"]]
    assert any("5/10" in n for n in notes)
    assert any("2 days in a row" in n for n in notes)


def test_warning_signs_follow_conditions_and_medicines():
    facts = {**ADULT, "conditions": ("hypertension", "copd"), "medications": ("insulin", "nitrate"),
             "gestational_age_weeks": None}
    codes = [w["code"] for w in build_prescription(decision(), facts, PROV)["warning_signs"]]
    assert codes[:5] == ["angina_like_discomfort", "marked_breathlessness", "poor_perfusion",
                         "heart_rhythm", "severe_fatigue"]
    assert {"hypoglycaemia", "training_blood_pressure", "oxygen_saturation",
            "post_exercise_hypotension"} <= set(codes)
    assert "pregnancy_warning" not in codes
    pregnant = build_prescription(decision(), {**ADULT, "gestational_age_weeks": 20}, PROV)
    assert "pregnancy_warning" in [w["code"] for w in pregnant["warning_signs"]]


def test_unread_symptom_text_goes_to_review_once():
    facts = {**ADULT, "symptoms_unmapped": ("腰有点酸",)}
    p = build_prescription(decision(), facts, PROV)
    assert [n["code"] for n in p["needs_review"]] == ["symptoms_unmapped"]
    assert "腰有点酸" in p["needs_review"][0]["reason"]["zh"]


def test_output_is_plain_json():
    import json

    p = build_prescription(decision(), {**ADULT, "conditions": ("hypertension",)}, PROV)
    assert json.loads(json.dumps(p, ensure_ascii=False)) == p
    assert p["facts"]["test_date"] == "2025-03-01"
    assert p["provenance"]["generated_at"] == PROV["generated_at"]


def test_text_rendering_in_both_languages():
    d = decision("prescription_pending_clearance", cap="moderate", excluded=("high_impact_jumping",),
                 referrals=[{"to": "physician", "urgency": "soon", "reason": _text("BP"), "rule_id": "r"}])
    p = build_prescription(d, ADULT, PROV)
    zh, en = render_text(p, "zh"), render_text(p, "en")
    assert "需先获得医学许可" in zh
    assert "靶心率: 102–133 bpm" in zh
    assert "反复高冲击跳跃" in zh
    assert "Prescription pending medical clearance" in en
    assert "Target HR: 102–133 bpm" in en
    assert "Stop exercising at once if" in en
    assert "Re-test date: 2025-04-26" in en
