"""Reading the training file and encoding inputs: vocabulary names, every problem located."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from prescribe.errors import AssessmentError
from prescribe.fitness.data import (
    MODEL_COLUMNS,
    TrainingDataError,
    encode_inputs,
    parse_features_json,
    read_body_performance,
)

RAW_HEADER = ("age,gender,height_cm,weight_kg,body fat_%,diastolic,systolic,gripForce,"
              "sit and bend forward_cm,sit-ups counts,broad jump_cm,class\n")


def test_raw_file_is_mapped_to_vocabulary_names_and_tiers(tmp_path):
    path = tmp_path / "raw.csv"
    path.write_text(RAW_HEADER
                    + "25.0,M,165.0,55.8,15.7,77.0,126.0,36.4,16.3,53.0,229.0,A\n"
                    + "31.0,F,159.6,58.0,30.1,72.0,118.0,24.8,213.0,29.0,0.0,D\n")
    data = read_body_performance(path)
    assert list(data.frame.columns[:2]) == ["age_years", "sex"]
    assert data.tiers.tolist() == [1, 4]
    row = data.frame.iloc[0]
    assert row["grip_strength_kg"] == 36.4
    assert row["sit_up_1min_count"] == 53
    assert row["standing_long_jump_cm"] == 229
    assert row["sbp_mmhg"] == 126
    # 213 cm sit-and-reach and a 0 cm jump are impossible: blanked and counted, not trained on.
    assert np.isnan(data.frame.iloc[1]["sit_and_reach_cm"])
    assert data.blanked == {"sit_and_reach_cm": 1, "standing_long_jump_cm": 1}
    assert len(data.sha256) == 64


def test_bad_labels_and_sexes_are_reported_with_their_lines(tmp_path):
    path = tmp_path / "raw.csv"
    path.write_text(RAW_HEADER
                    + "25.0,M,165.0,55.8,15.7,77.0,126.0,36.4,16.3,53.0,229.0,A\n"
                    + "31.0,X,159.6,58.0,30.1,72.0,118.0,24.8,13.0,29.0,150.0,E\n")
    with pytest.raises(TrainingDataError) as info:
        read_body_performance(path)
    assert {(p.row, p.field) for p in info.value.problems} == {(3, "label"), (3, "sex")}


def test_a_file_without_the_needed_columns_names_them(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("age_years,sex,height_cm\n30,M,170\n")
    with pytest.raises(TrainingDataError, match="grip_strength_kg"):
        read_body_performance(path)
    with pytest.raises(TrainingDataError, match="no such file"):
        read_body_performance(tmp_path / "missing.csv")


def test_encode_inputs_codes_sex_and_locates_every_problem():
    frame = pd.DataFrame({"age_years": ["40", "", "38"], "sex": ["男", "F", "x"],
                          "grip_strength_kg": ["30", "500", "abc"], "waist_cm": ["80", "", ""]})
    X, problems = encode_inputs(frame)
    assert list(X.columns) == list(MODEL_COLUMNS)
    assert X["sex_male"].tolist()[:2] == [1.0, 0.0]
    assert [(p.row, p.field) for p in problems] == [(3, "grip_strength_kg"), (4, "sex"),
                                                    (4, "grip_strength_kg")]
    assert np.isnan(X["body_fat_pct"]).all()  # absent column: missing, not an error


def test_features_json_broken_rows_are_named_by_review_id():
    good = parse_features_json(pd.Series(['{"age_years": 40, "sex": "F"}', '{"sex": "M"}']))
    assert good["sex"].tolist() == ["F", "M"]
    with pytest.raises(AssessmentError) as info:
        parse_features_json(pd.Series(['{"age_years": 40}', "not json", "[1, 2]"]),
                            ids=pd.Series([11, 12, 13]))
    assert [p.row for p in info.value.problems] == [12, 13]
