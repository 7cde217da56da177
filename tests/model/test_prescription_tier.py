"""The shipped model's tier reaches the prescription with the items it used, and the
engine falls back to the standard grade when the model abstains."""

from pathlib import Path

import pytest

from prescribe.assistant import Assistant

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def assistant():
    return Assistant.from_paths(ROOT / "rules" / "default", ROOT / "models" / "fitness_tier")


ADULT = {"sex": "M", "age_years": 45, "height_cm": 172, "weight_kg": 70,
         "grip_strength_kg": 42, "sit_and_reach_cm": 10, "sit_up_1min_count": 35,
         "standing_long_jump_cm": 210, "resting_hr_bpm": 70, "sbp_mmhg": 125, "dbp_mmhg": 80,
         "regularly_active": True}


def test_model_tier_lists_each_item_used(assistant):
    fitness = assistant.prescribe(ADULT)["fitness"]
    assert fitness["source"] == "model"
    assert fitness["tier"] in (1, 2, 3, 4)
    assert fitness["items_used"] == ["grip_strength_kg", "sit_and_reach_cm",
                                     "sit_up_1min_count", "standing_long_jump_cm"]
    assert fitness["model_version"].startswith("fitness_tier-")


def test_too_few_items_abstains_and_says_why(assistant):
    record = {k: v for k, v in ADULT.items()
              if k not in ("sit_and_reach_cm", "sit_up_1min_count", "standing_long_jump_cm")}
    fitness = assistant.prescribe(record)["fitness"]
    assert fitness["abstain_reason"] == "too_few_items"
    assert fitness["source"] != "model"
