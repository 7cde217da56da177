"""Scoring once: the engine takes the screening's scores and the output does not change."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from prescribe.engine import grades
from prescribe.school import run_pipeline
from prescribe.school.synthetic import synthetic_students


@pytest.fixture(scope="module")
def awkward_cohort() -> pd.DataFrame:
    """Synthetic pupils plus the rows a real school file has: a typo, an unknown grade code,
    no sex, a child absent for every test item, a time written as 4'05"."""
    frame = synthetic_students(1_500, seed=23).astype({"weight_kg": object,
                                                       "run_800m_s": object})
    frame.loc[3, "weight_kg"] = "abc"
    frame.loc[5, "grade_code"] = "99"
    frame.loc[8, "sex"] = None
    items = ["vital_capacity_ml", "run_50m_s", "sit_and_reach_cm", "rope_skip_1min_count",
             "sit_up_1min_count", "shuttle_run_50mx8_s", "standing_long_jump_cm",
             "pull_up_count", "run_1000m_s", "run_800m_s"]
    frame.loc[13, items] = np.nan
    girl = frame.index[(frame["sex"] == "F") & frame["run_800m_s"].notna()][0]
    frame.loc[girl, "run_800m_s"] = "4'05\""
    return frame


@pytest.mark.parametrize("prescribe_for", ["flagged", "all"])
def test_reusing_the_screening_scores_changes_nothing(awkward_cohort, assistant, test_date,
                                                      prescribe_for):
    reused = run_pipeline(awkward_cohort, assistant, prescribe_for=prescribe_for,
                          on=test_date)
    rescored = run_pipeline(awkward_cohort, assistant, prescribe_for=prescribe_for,
                            on=test_date, reuse_scores=False)
    pd.testing.assert_frame_equal(reused, rescored)
    assert reused["prescribed"].sum() > 500
    assert (reused["rx_outcome"] == "invalid_input").sum() >= 3  # the planted rows


def test_full_prescriptions_are_the_same_with_reused_scores(awkward_cohort, assistant,
                                                            test_date):
    part = awkward_cohort.head(40)
    reused = run_pipeline(part, assistant, on=test_date, prescriptions=True)
    rescored = run_pipeline(part, assistant, on=test_date, prescriptions=True,
                            reuse_scores=False)
    stamp = r'"generated_at": "[^"]*"'
    docs = [frame["rx_prescription"].str.replace(stamp, "", regex=True)
            for frame in (reused, rescored)]
    pd.testing.assert_series_equal(*docs)
    graded = docs[0].dropna().str.contains('"student_grade"')
    assert not graded[13]  # absent for every item: no grade, with or without reuse
    assert graded.drop(index=13).all()


def test_the_student_standard_runs_once_when_scores_are_reused(awkward_cohort, assistant,
                                                               test_date, monkeypatch):
    calls: list[str] = []
    real = grades._score

    def counting(ff, standard, rows):
        calls.append(standard)
        return real(ff, standard, rows)

    monkeypatch.setattr(grades, "_score", counting)
    run_pipeline(awkward_cohort, assistant, on=test_date)
    assert "student" not in calls
    run_pipeline(awkward_cohort, assistant, on=test_date, reuse_scores=False)
    assert "student" in calls


def test_scores_for_other_rows_are_refused(assistant):
    frame = pd.DataFrame({"sex": ["M", "F"], "age_years": [9.5, 10.2], "grade_code": ["13", "14"],
                          "height_cm": [135.0, 140.0], "weight_kg": [30.0, 33.0],
                          "run_50m_s": [9.8, 10.1]})
    wrong = pd.DataFrame({"grade": ["pass"], "score_run_50m_s": pd.array([70], dtype="Int64")})
    with pytest.raises(ValueError, match="student_scores has 1 rows for 2"):
        assistant.decide_frame(frame, student_scores=wrong)
