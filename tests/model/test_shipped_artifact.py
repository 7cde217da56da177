"""The shipped artifact in models/fitness_tier: loads, answers sensibly, refuses tampering.

These tests need no ../shared data: they run wherever the project is checked out.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from prescribe.errors import ModelArtifactError
from prescribe.fitness import artifact as artifact_module
from prescribe.fitness import load_model

SHIPPED = Path(__file__).resolve().parents[2] / "models" / "fitness_tier"

# Hand-written adults (not from the training data): a strong 24-year-old man, an average
# 45-year-old woman, and a 61-year-old man who is weak on every item with high body fat.
FIT = {"age_years": 24, "sex": "M", "height_cm": 178, "weight_kg": 72, "body_fat_pct": 13,
       "sbp_mmhg": 122, "dbp_mmhg": 76, "grip_strength_kg": 52, "sit_and_reach_cm": 22,
       "sit_up_1min_count": 62, "standing_long_jump_cm": 255}
WEAK = {"age_years": 61, "sex": "M", "height_cm": 168, "weight_kg": 84, "body_fat_pct": 33,
        "sbp_mmhg": 148, "dbp_mmhg": 92, "grip_strength_kg": 27, "sit_and_reach_cm": -4,
        "sit_up_1min_count": 8, "standing_long_jump_cm": 120}


@pytest.fixture(scope="module")
def shipped():
    return load_model(SHIPPED)


@pytest.fixture
def shipped_copy(tmp_path) -> Path:
    return Path(shutil.copytree(SHIPPED, tmp_path / "fitness_tier"))


def test_fit_and_weak_adults_get_opposite_tiers(shipped):
    out = shipped.predict_frame(pd.DataFrame([FIT, WEAK]))
    assert out["fitness_tier"].tolist() == [1, 4]
    assert out["fitness_tier_probability"].between(shipped.min_probability, 1).all()
    assert out["fitness_tier_items"].iat[0] == ("grip_strength_kg,sit_and_reach_cm,"
                                                "sit_up_1min_count,standing_long_jump_cm")
    assert out["fitness_tier_abstain_reason"].isna().all()


def test_shipped_model_abstains_outside_its_range(shipped):
    child = FIT | {"age_years": 12}
    one_item = {"age_years": 40, "sex": "F", "height_cm": 160, "weight_kg": 55,
                "sit_and_reach_cm": 18}
    no_sex = {k: v for k, v in FIT.items() if k != "sex"}
    out = shipped.predict_frame(pd.DataFrame([child, one_item, no_sex]))
    assert out["fitness_tier"].isna().all()
    assert out["fitness_tier_abstain_reason"].tolist() == ["age_out_of_range", "too_few_items",
                                                           "sex_missing"]
    assert out["fitness_tier_items"].iat[1] == "sit_and_reach_cm"


def test_record_and_frame_give_the_same_answer(shipped):
    record = shipped.predict_record(FIT | {"name": "ignored", "conditions": ["I10"]})
    row = shipped.predict_frame(pd.DataFrame([FIT])).iloc[0]
    assert record["fitness_tier"] == row["fitness_tier"]
    assert record["fitness_tier_probability"] == row["fitness_tier_probability"]
    assert record["model_version"] == shipped.version
    assert shipped.version.startswith("fitness_tier-")


def test_sidecar_records_provenance_and_the_required_quality(shipped):
    side = shipped.sidecar
    assert set(side["libraries"]) == {"python", "sklearn", "numpy", "pandas", "skops"}
    assert side["classes"] == [1, 2, 3, 4]
    assert len(side["training"]["data_sha256"]) == 64
    cv = side["metrics"]["cv"]["scenarios"]
    assert cv["all_items"]["model"]["macro_f1"] >= 0.77
    assert abs(side["metrics"]["holdout"]["macro_f1"] - cv["all_items"]["model"]["macro_f1"]) <= 0.03
    # Missing items degrade gracefully: monotone, and still far above chance with two left.
    f1 = [cv[s]["model"]["macro_f1"] for s in ("all_items", "withheld_1", "withheld_2", "withheld_3")]
    assert f1 == sorted(f1, reverse=True)
    assert f1[2] > 0.5
    assert (SHIPPED / "model.skops").stat().st_size < 5_000_000


def test_model_card_quotes_the_recorded_numbers(shipped):
    card = (SHIPPED / "MODEL_CARD.md").read_text(encoding="utf-8")
    cv = shipped.sidecar["metrics"]["cv"]["scenarios"]["all_items"]["model"]
    assert f"{cv['macro_f1']:.3f}" in card
    assert shipped.version in card
    for words in ("Must not be used", "Known limits", "KSPO", "abstain"):
        assert words in card


def test_tampered_artifact_is_refused(shipped_copy):
    path = shipped_copy / "model.skops"
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelArtifactError, match="tampered"):
        load_model(shipped_copy)


@pytest.mark.parametrize(("key", "value", "message"), [
    ("sklearn", "1.0.2", "scikit-learn 1.0.2"),
    ("code_version", "0" * 64, "other prescribe/fitness code"),
])
def test_version_mismatch_is_refused(shipped_copy, key, value, message):
    side_path = shipped_copy / "model.json"
    side = json.loads(side_path.read_text())
    if key == "sklearn":
        side["libraries"]["sklearn"] = value
    else:
        side[key] = value
    side_path.write_text(json.dumps(side))
    with pytest.raises(ModelArtifactError, match=message):
        load_model(shipped_copy)


def test_every_problem_is_listed_at_once(shipped_copy):
    side_path = shipped_copy / "model.json"
    side = json.loads(side_path.read_text())
    side["libraries"]["sklearn"] = "0.24.0"
    side["artifact_sha256"] = "f" * 64
    side_path.write_text(json.dumps(side))
    with pytest.raises(ModelArtifactError) as info:
        load_model(shipped_copy)
    assert "scikit-learn 0.24.0" in str(info.value)
    assert "tampered" in str(info.value)


def test_types_outside_the_allow_list_are_refused(shipped_copy, monkeypatch):
    allowed = set(artifact_module.ALLOWED_TYPES)
    allowed.discard("prescribe.fitness.features.GroupedPercentileScorer")
    monkeypatch.setattr(artifact_module, "ALLOWED_TYPES", frozenset(allowed))
    with pytest.raises(ModelArtifactError, match="allow-list.*GroupedPercentileScorer"):
        load_model(shipped_copy)


def test_missing_folder_names_the_way_out(tmp_path):
    with pytest.raises(ModelArtifactError, match="prescribe model train"):
        load_model(tmp_path / "nothing")
