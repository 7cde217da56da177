"""Derived facts, checked against the domain brief, and identical on both paths."""

from __future__ import annotations

import pandas as pd
import pytest

from prescribe.assistant import Assistant
from prescribe.engine import load_ruleset

from .engine_kit import baseline_rules, files


@pytest.fixture(scope="module")
def assistant():
    return Assistant(load_ruleset(files(baseline_rules())))


def test_age_groups_at_their_boundaries(assistant):
    groups = {age: assistant.facts({"age_years": age}).get("age_group")
              for age in (3, 5.99, 6, 17.99, 18, 64.99, 65, 100)}
    assert groups == {3: "preschool_3_6", 5.99: "preschool_3_6", 6: "youth_6_17", 17.99: "youth_6_17",
                      18: "adult_18_64", 64.99: "adult_18_64", 65: "older_65_plus", 100: "older_65_plus"}


def test_bmi_is_rounded_half_up_and_classed_by_the_right_standard(assistant):
    adult = assistant.facts({"sex": "F", "age_years": 41, "height_cm": 160, "weight_kg": 77})
    assert adult["bmi"] == 30.1
    assert adult["bmi_class"] == "obese"
    boy = assistant.facts({"sex": "M", "age_years": 10.2, "height_cm": 140, "weight_kg": 43.1})
    assert boy["bmi"] == 22.0
    assert boy["bmi_class"] == "obese"
    assert "bmi_class" not in assistant.facts({"sex": "M", "age_years": 4, "height_cm": 100, "weight_kg": 16})


def test_central_obesity_is_adult_only(assistant):
    assert assistant.facts({"sex": "M", "age_years": 40, "waist_cm": 90})["central_obesity"] is True
    assert assistant.facts({"sex": "F", "age_years": 40, "waist_cm": 84.9})["central_obesity"] is False
    assert "central_obesity" not in assistant.facts({"sex": "M", "age_years": 15, "waist_cm": 95})


@pytest.mark.parametrize(("sbp", "dbp", "age", "grade"), [
    (118, 78, 50, "normal"), (165, 85, 50, "grade2"), (135, 101, 50, "grade2"), (185, None, 50, "grade3"),
    (130, None, 50, None), (None, 112, 50, "grade3"), (150, 95, 16, None)])
def test_bp_grade_takes_the_higher_class_and_needs_both_pressures_unless_grade3(assistant, sbp, dbp, age, grade):
    rec = {k: v for k, v in {"sbp_mmhg": sbp, "dbp_mmhg": dbp, "age_years": age}.items() if v is not None}
    assert assistant.facts(rec).get("bp_grade") == grade


def test_heart_rate_facts(assistant):
    facts = assistant.facts({"age_years": 50, "resting_hr_bpm": 70})
    assert facts["hr_max_bpm"] == pytest.approx(173.0)
    assert facts["hrr_bpm"] == pytest.approx(103.0)
    assert facts["hr_valid_marker"] is True
    assert facts["beta_blocker"] is False
    assert assistant.facts({"age_years": 50, "medications": ["美托洛尔"]})["hr_valid_marker"] is False
    assert assistant.facts({"age_years": 50, "medications": ["美托洛尔"]})["beta_blocker"] is True
    assert assistant.facts({"age_years": 16})["hr_valid_marker"] is False
    assert assistant.facts({"age_years": 60, "conditions": ["房颤"]})["hr_valid_marker"] is False
    assert "hr_valid_marker" not in assistant.facts({"sex": "M"})
    assert assistant.facts({"age_years": 60, "medications": ["insulin"]})["insulin_or_secretagogue"] is True


def test_regularly_active_is_given_or_inferred_from_weekly_minutes(assistant):
    f = assistant.facts
    assert f({"moderate_min_per_week": 60, "vigorous_min_per_week": 15})["regularly_active"] is True
    assert f({"moderate_min_per_week": 80})["regularly_active"] is False
    assert f({"moderate_min_per_week": 300, "regularly_active": False})["regularly_active"] is False
    assert "regularly_active" not in f({"age_years": 40})


def test_symptoms_from_codes_and_free_text(assistant):
    facts = assistant.facts({"age_years": 60, "symptoms_text": "活动后胸痛，无头晕"})
    assert facts["symptom_codes"] == ("chest_pain_ischaemic",)
    assert facts["has_symptoms"] is True
    none = assistant.facts({"age_years": 60})
    assert none["symptom_codes"] == ()
    assert none["has_symptoms"] is False
    odd = assistant.facts({"age_years": 60, "symptoms_text": "左脚趾发痒"})
    assert odd["symptoms_unmapped"]
    assert odd["has_symptoms"] is False


def test_screening_disease_follows_the_profile(assistant):
    htn = {"age_years": 54, "conditions": ["高血压"]}
    assert assistant.facts(htn)["screening_disease"] is True
    assert assistant.facts(htn)["known_cmr_disease"] is False
    acsm = assistant.facts({**htn, "screening_profile": "ACSM2015"})
    assert acsm["screening_disease"] is False
    assert acsm["screening_profile"] == "ACSM2015"
    obese = {"sex": "F", "age_years": 41, "height_cm": 160, "weight_kg": 77}
    assert assistant.facts(obese)["screening_disease"] is True
    assert assistant.facts({"age_years": 54, "conditions": ["2型糖尿病"]})["known_cmr_disease"] is True


def test_school_screening_facts(assistant):
    child = assistant.facts({"sex": "F", "age_years": 10, "uncorrected_va_left": 4.8,
                             "uncorrected_va_right": 5.0, "spherical_equivalent_d": -1.0, "atr_deg": 6})
    assert child["screening_myopia"] is True
    assert child["atr_band"] == "observe"
    assert child["scoliosis_screen_positive"] is True
    plain = assistant.facts({"sex": "F", "age_years": 10, "atr_deg": 3})
    assert plain["atr_band"] == "negative"
    assert plain["scoliosis_screen_positive"] is False
    assert assistant.facts({"age_years": 12, "atr_deg": 2, "cobb_deg": 12})["scoliosis_screen_positive"] is True


def test_student_grade_weakest_items_and_fitness_tier_from_the_standard(assistant):
    pupil = {"sex": "M", "age_years": 9, "grade_code": "13", "height_cm": 135, "weight_kg": 30,
             "vital_capacity_ml": 1500, "run_50m_s": 13.5, "sit_and_reach_cm": -4.0,
             "rope_skip_1min_count": 100, "sit_up_1min_count": 25}
    facts = assistant.facts(pupil)
    assert facts["student_grade"] in ("excellent", "good", "pass", "fail")
    assert facts["fitness_tier"] == {"excellent": 1, "good": 2, "pass": 3, "fail": 4}[facts["student_grade"]]
    assert facts["fitness_tier_source"] == "standard_grade"
    assert facts["weakest_items"][:2] in (("run_50m_s", "sit_and_reach_cm"), ("sit_and_reach_cm", "run_50m_s"))
    assert assistant.facts({"age_years": 40})["fitness_tier_source"] == "none"


class FakeModel:
    """A fitness model stand-in with the contract's API (abstains below 30 kg grip)."""

    version = "fake-1"

    def predict_frame(self, df):
        grip = df.get("grip_strength_kg", pd.Series([None] * len(df), dtype=float))
        known = grip.notna() & (grip >= 30)
        return pd.DataFrame({
            "fitness_tier": grip.where(known).map(lambda g: 1 if g >= 45 else 2, na_action="ignore"),
            "fitness_tier_probability": known.map({True: 0.8, False: None}),
            "fitness_tier_items": [("grip_strength_kg",) if k else () for k in known],
            "fitness_tier_abstain_reason": [None if k else "too few items" for k in known]})


def test_fitness_tier_from_a_model_with_its_abstain_reason():
    assistant = Assistant(load_ruleset(files(baseline_rules())), FakeModel())
    strong = assistant.facts({"sex": "M", "age_years": 40, "grip_strength_kg": 50})
    assert (strong["fitness_tier"], strong["fitness_tier_source"], strong["fitness_tier_probability"]) == (1, "model", 0.8)
    weak = assistant.facts({"sex": "M", "age_years": 40, "grip_strength_kg": 20})
    assert weak["fitness_tier_abstain_reason"] == "too few items"
    assert weak["fitness_tier_source"] in ("none", "standard_grade")
    assert assistant.provenance["model_version"] == "fake-1"
