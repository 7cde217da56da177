"""Predicting: the CLI on a CSV, clear errors for bad input, and every abstention rule."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from prescribe.cli import main
from prescribe.errors import AssessmentError
from prescribe.fitness import load_model

HEADER = ("age_years,sex,height_cm,weight_kg,body_fat_pct,sbp_mmhg,dbp_mmhg,grip_strength_kg,"
          "sit_and_reach_cm,sit_up_1min_count,standing_long_jump_cm,person_id\n")
ROWS = [
    "26,男,176,70,14,120,75,50,21,60,250,p1",  # strong young man
    "58,F,158,66,36,135,85,19,2,6,95,p2",  # weak older woman
    "45,F,160,58,,,,26,18,,,p3",  # two items, no body fat or BP
    "70,M,170,70,22,130,80,35,10,25,180,p4",  # older than the training range
    "35,M,175,75,20,125,80,,12,,,p5",  # one item only
    ",F,160,55,25,120,80,25,15,30,160,p6",  # no age
]


@pytest.fixture
def tiny(tiny_model_dir):
    return load_model(tiny_model_dir)


def test_predict_command_adds_tier_columns(tiny_model_dir, tmp_path, capsys):
    src, dst = tmp_path / "in.csv", tmp_path / "out.csv"
    src.write_text(HEADER + "\n".join(ROWS) + "\n", encoding="utf-8")
    assert main(["model", "predict", str(src), "-o", str(dst), "--model", str(tiny_model_dir)]) == 0
    out = pd.read_csv(dst, dtype={"fitness_tier": "Int64"})
    assert out["person_id"].tolist() == ["p1", "p2", "p3", "p4", "p5", "p6"]
    assert out["fitness_tier"].iat[0] in (1, 2)
    assert out["fitness_tier"].iat[1] in (3, 4)
    assert out["fitness_tier_items"].iat[2] == "grip_strength_kg,sit_and_reach_cm"
    assert out["fitness_tier_abstain_reason"].tolist()[3:] == ["age_out_of_range", "too_few_items",
                                                               "age_missing"]
    assert out["fitness_tier"].iloc[3:].isna().all()
    assert "6 row(s)" in capsys.readouterr().out


def test_predict_command_lists_every_bad_value(tiny_model_dir, tmp_path, capsys):
    src = tmp_path / "bad.csv"
    src.write_text(HEADER + "40,M,175,70,20,120,80,500,10,30,200,a\n"
                   + "40,Q,175,70,20,120,80,40,10,30.5,200,b\n", encoding="utf-8")
    code = main(["model", "predict", str(src), "-o", str(tmp_path / "x.csv"),
                 "--model", str(tiny_model_dir)])
    err = capsys.readouterr().err
    assert code == 2
    assert "row 2, grip_strength_kg='500'" in err
    assert "row 3, sex='Q'" in err
    assert "row 3, sit_up_1min_count='30.5'" in err
    assert not (tmp_path / "x.csv").exists()


def test_predict_command_refuses_a_missing_model(tmp_path, capsys):
    src = tmp_path / "in.csv"
    src.write_text(HEADER + ROWS[0] + "\n")
    assert main(["model", "predict", str(src), "-o", str(tmp_path / "o.csv"),
                 "--model", str(tmp_path / "none")]) == 4
    assert "model sidecar" in capsys.readouterr().err


def test_low_confidence_abstains_but_shows_the_probability(tiny):
    record = {"age_years": 40, "sex": "F", "height_cm": 162, "weight_kg": 58,
              "grip_strength_kg": 26, "sit_and_reach_cm": 16}
    tiny.min_probability = 0.999
    out = tiny.predict_record(record)
    assert out["fitness_tier"] is None
    assert out["fitness_tier_abstain_reason"] == "low_confidence"
    assert 0.25 <= out["fitness_tier_probability"] < 0.999


def test_age_is_judged_in_whole_years(tiny):
    base = {"sex": "M", "height_cm": 175, "weight_kg": 70, "grip_strength_kg": 45,
            "sit_and_reach_cm": 15, "sit_up_1min_count": 40, "standing_long_jump_cm": 210}
    out = tiny.predict_frame(pd.DataFrame([base | {"age_years": tiny.age_max + 0.9},
                                           base | {"age_years": tiny.age_max + 1},
                                           base | {"age_years": tiny.age_min - 0.1}]))
    reasons = out["fitness_tier_abstain_reason"].fillna("").tolist()
    assert reasons[0] in ("", "low_confidence")  # 64.9 is 64 in whole years: in range
    assert reasons[1:] == ["age_out_of_range"] * 2


def test_batch_keeps_the_callers_index_and_matches_single_records(tiny, sample_data):
    frame = sample_data.frame.iloc[:25].set_index(pd.Index(np.arange(100, 125)))
    batch = tiny.predict_frame(frame)
    assert list(batch.index) == list(frame.index)
    assert str(batch["fitness_tier"].dtype) == "Int64"
    for i in (100, 113, 124):
        single = tiny.predict_record(frame.loc[i].to_dict())
        assert single["fitness_tier_probability"] == batch.loc[i, "fitness_tier_probability"]


def test_record_errors_carry_no_row_number(tiny):
    with pytest.raises(AssessmentError) as info:
        tiny.predict_record({"age_years": 30, "sex": "M", "grip_strength_kg": -3})
    assert [(p.row, p.field) for p in info.value.problems] == [(None, "grip_strength_kg")]


def test_held_out_rows_score_close_to_cross_validation(tiny_model_dir):
    import json

    side = json.loads((tiny_model_dir / "model.json").read_text())
    hold, cv = side["metrics"]["holdout"], side["metrics"]["cv"]["scenarios"]["all_items"]["model"]
    assert hold["n"] == 240
    assert abs(hold["macro_f1"] - cv["macro_f1"]) < 0.08  # 240 rows: sampling error ≈ 0.03
