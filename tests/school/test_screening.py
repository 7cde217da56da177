"""Screening a school at once: weight status, screening myopia, scoliometer, failing grade."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from prescribe.school import screen_students
from prescribe.school.screenfiles import more_myopic
from prescribe.school.synthetic import synthetic_students
from prescribe.standards import score_frame

COLUMNS = ["student_id", "grade_code", "sex", "birth_date", "height_cm", "weight_kg",
           "vital_capacity_ml", "run_50m_s", "sit_and_reach_cm", "rope_skip_1min_count",
           "sit_up_1min_count", "uncorrected_va_left", "uncorrected_va_right", "spherical_equivalent_d", "atr_deg"]
# Ages on 2025-10-15: born 2019-03-10 → 6 y 7 m (WS/T 586 row 6.5: boys OW 16.7, OB 18.1);
# born 2015-09-01 → 10 y 1 m (row 10.0: girls OW 19.5, OB 21.5). Items are ordinary except
# S5's, which fail a first grader on every item.
STUDENTS = [
    ("S1", "11", "M", "2019-03-10", 120.0, 24.5, 1200, 11.0, 8.0, 90, None, 4.8, 5.0, -1.00, 4),
    ("S2", "11", "M", "2019-03-10", 120.0, 26.1, 1200, 11.0, 8.0, 90, None, 5.0, 5.1, -1.00, 5),
    ("S3", "14", "F", "2015-09-01", 140.0, 38.0, 1600, 10.0, 12.0, 110, 30, 4.7, 4.6, None, 7),
    ("S4", "14", "F", "2015-09-01", 140.0, 38.0, 1600, 10.0, 12.0, 110, 30, 0.0, 5.0, -3.00, 10),
    ("S5", "11", "M", "2019-03-10", 120.0, 21.0, 500, 14.5, -9.0, 5, None, 5.1, 5.1, 0.50, None),
]


@pytest.fixture(scope="module")
def screened(test_date) -> pd.DataFrame:
    frame = pd.DataFrame(STUDENTS, columns=COLUMNS)
    return screen_students(frame, on=test_date).set_index("student_id")


@pytest.mark.parametrize(("sid", "status"), [("S1", "overweight"), ("S2", "obese"),
                                             ("S3", "normal"), ("S5", "normal")])
def test_weight_status_follows_wst586_by_exact_age(screened, sid, status):
    assert screened.loc[sid, "weight_status"] == status


@pytest.mark.parametrize(("sid", "myopia"), [
    ("S1", True),      # VA 4.8 in one eye and SE −1.00
    ("S2", False),     # SE myopic but both eyes see 5.0 or better
    ("S3", None),      # poor VA, no refraction: cannot decide
    ("S4", True),      # left eye coded 0 (below 3.0) and SE −3.00
    ("S5", False),
])
def test_screening_myopia_is_three_valued(screened, sid, myopia):
    got = screened.loc[sid, "screening_myopia"]
    assert (got is pd.NA and myopia is None) or got == myopia


@pytest.mark.parametrize(("sid", "band", "positive"), [
    ("S1", "negative", False), ("S2", "observe", True), ("S3", "positive", True),
    ("S4", "refer", True), ("S5", None, None)])
def test_scoliometer_band_and_positive_screen(screened, sid, band, positive):
    got_band = screened.loc[sid, "atr_band"]
    got_pos = screened.loc[sid, "scoliosis_screen_positive"]
    assert (pd.isna(got_band) and band is None) or got_band == band
    assert (got_pos is pd.NA and positive is None) or got_pos == positive


def test_scores_are_the_standards_own(screened, test_date):
    direct = score_frame(pd.DataFrame(STUDENTS, columns=COLUMNS).drop(
        columns=["uncorrected_va_left", "uncorrected_va_right", "spherical_equivalent_d",
                 "atr_deg", "birth_date", "student_id"]), "student")
    assert direct["total_score"].notna().all()
    np.testing.assert_array_equal(screened["total_score"], direct["total_score"])
    assert screened["grade"].tolist() == direct["grade"].tolist()


def test_a_failing_child_is_flagged_with_the_items_to_work_on(screened):
    assert screened.loc["S5", "grade"] == "fail"
    assert bool(screened.loc["S5", "grade_fail"])
    assert set(screened.loc["S5", "failing_items"].split(";")) == {
        "vital_capacity_ml", "run_50m_s", "sit_and_reach_cm", "rope_skip_1min_count"}
    assert screened.loc["S5", "flag_reasons"] == "fail"


def test_flag_reasons_name_every_problem(screened):
    assert screened["flag_reasons"].to_dict() == {
        "S1": "overweight;screening_myopia", "S2": "obese;scoliosis", "S3": "scoliosis",
        "S4": "screening_myopia;scoliosis", "S5": "fail"}
    assert screened["flagged"].all()


def test_bad_cells_are_counted_and_never_scored(test_date):
    frame = pd.DataFrame(STUDENTS, columns=COLUMNS).astype({"height_cm": object,
                                                            "sex": object})
    frame.loc[0, "height_cm"] = "一米二"
    frame.loc[1, "sex"] = "X"
    frame.loc[2, "atr_deg"] = 40
    got = screen_students(frame, on=test_date)
    assert got["input_errors"].tolist() == [1, 1, 1, 0, 0]
    assert pd.isna(got.loc[0, "total_score"])
    assert got.loc[0, "grade"] == ""
    assert pd.isna(got.loc[1, "total_score"])
    assert pd.isna(got.loc[1, "weight_status"])
    assert pd.isna(got.loc[2, "atr_deg"])
    assert got.loc[2, "atr_band"] is pd.NA


def test_vectorised_equals_one_child_at_a_time():
    frame = synthetic_students(60, seed=5)
    whole = screen_students(frame)
    single = pd.concat([screen_students(frame.iloc[[i]]) for i in range(len(frame))])
    cols = ["total_score", "grade", "weight_status", "screening_myopia", "atr_band",
            "scoliosis_screen_positive", "failing_items", "flagged", "flag_reasons"]
    pd.testing.assert_frame_equal(whole[cols], single[cols])


def test_the_fixture_school_screens_with_plausible_prevalence(school_preview):
    got = screen_students(school_preview.frame)
    share = got["weight_status"].isin(["overweight", "obese"]).mean()
    assert 0.05 < share < 0.30
    assert 0.3 < got["screening_myopia"].mean() < 0.7
    assert got["scoliosis_screen_positive"].mean() < 0.1
    assert (got.loc[got["grade_fail"].fillna(False), "flagged"]).all()


@pytest.mark.parametrize(("left", "right", "worse"), [
    (-1.0, 0.5, -1.0), (0.5, -2.25, -2.25),
    (-0.75, None, -0.75),      # the known eye is myopic: it decides
    (0.25, None, None),        # the missing eye could be the myopic one
    (None, None, None)])
def test_the_more_myopic_eye_decides(left, right, worse):
    got = more_myopic(pd.Series([left], dtype=float), pd.Series([right], dtype=float)).iloc[0]
    assert (np.isnan(got) and worse is None) or got == worse
