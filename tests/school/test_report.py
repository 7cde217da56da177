"""Report data for a class and a school, with last year's comparison."""

from __future__ import annotations

import pandas as pd
import pytest

from prescribe.school import class_report, school_report

# A class of six screened students, as screen_students returns them (only the columns the
# report reads). S6 was absent for an item: no total, no grade.
THIS_YEAR = pd.DataFrame({
    "student_id": ["S1", "S2", "S3", "S4", "S5", "S6"],
    "grade_code": ["21", "21", "21", "21", "22", "22"],
    "class_code": ["01", "01", "02", "02", "01", "01"],
    "total_score": [92.0, 84.5, 71.0, 55.0, 63.0, None],
    "grade": ["excellent", "good", "pass", "fail", "pass", ""],
    "score_run_50m_s": [100, 85, 60, 40, 50, None],
    "score_sit_and_reach_cm": [90, 70, 66, 64, None, 80],
    "weight_status": ["normal", "overweight", "obese", "normal", "normal", None],
    "screening_myopia": pd.array([True, False, True, None, False, True], dtype="boolean"),
    "scoliosis_screen_positive": pd.array([False, False, True, False, None, False],
                                          dtype="boolean"),
})
LAST_YEAR = pd.DataFrame({
    "student_id": ["S1", "S2", "S3", "S4", "S9"],
    "total_score": [88.0, 86.0, 65.0, 58.0, 70.0],
    "grade": ["good", "good", "pass", "fail", "pass"],
    "weight_status": ["normal", "normal", "obese", "normal", "overweight"],
    "screening_myopia": pd.array([True, False, False, None, False], dtype="boolean"),
})


def test_grade_distribution_counts_only_graded_students():
    report = class_report(THIS_YEAR)
    assert report["n_students"] == 6
    assert report["n_graded"] == 5
    assert {g: d["n"] for g, d in report["grade_distribution"].items()} == {
        "excellent": 1, "good": 1, "pass": 2, "fail": 1}
    assert report["grade_distribution"]["pass"]["share"] == pytest.approx(0.4)
    assert report["mean_total_score"] == pytest.approx(73.1)


def test_item_pass_rate_is_score_60_or_more_among_tested():
    items = class_report(THIS_YEAR)["items"]
    assert items["run_50m_s"] == {"n": 3, "of": 5, "share": pytest.approx(0.6),
                                  "mean_score": 67.0}
    assert items["sit_and_reach_cm"]["of"] == 5
    assert items["sit_and_reach_cm"]["n"] == 5


def test_prevalences_leave_unscreened_children_out():
    report = class_report(THIS_YEAR)
    assert report["overweight_or_obese"] == {"n": 2, "of": 5, "share": pytest.approx(0.4)}
    assert report["obese"]["n"] == 1
    assert report["screening_myopia"] == {"n": 3, "of": 5, "share": pytest.approx(0.6)}
    assert report["scoliosis_positive"] == {"n": 1, "of": 5, "share": pytest.approx(0.2)}


def test_good_or_excellent_against_the_60_percent_target():
    report = class_report(THIS_YEAR)["good_excellent"]
    assert (report["n"], report["of"], report["target"], report["meets_target"]) == (
        2, 5, 0.6, False)
    assert class_report(THIS_YEAR.iloc[:2])["good_excellent"]["meets_target"] is True


def test_last_year_by_student_id_follows_the_same_children():
    paired = class_report(THIS_YEAR, LAST_YEAR)["last_year"]["paired"]
    assert (paired["n_matched"], paired["n_new"], paired["n_left"]) == (4, 2, 1)
    # (92-88) + (84.5-86) + (71-65) + (55-58) = 5.5 over four children
    assert paired["mean_total_change"] == pytest.approx(1.4)
    assert paired["grade_moves"] == {"up": 1, "same": 3, "down": 0}


def test_last_year_aggregate_from_a_report_dict():
    before = class_report(LAST_YEAR)
    change = class_report(THIS_YEAR, before)["last_year"]["aggregate"]
    assert change["good_excellent"]["last_year"] == pytest.approx(0.4)
    assert change["good_excellent"]["change"] == pytest.approx(0.0)
    assert change["overweight_or_obese"]["change"] == pytest.approx(0.4 - 0.4)
    assert change["mean_total_score"]["change"] == pytest.approx(73.1 - 73.4)
    assert "paired" not in class_report(THIS_YEAR, before)["last_year"]


def test_school_report_has_school_grades_and_classes():
    report = school_report(THIS_YEAR, LAST_YEAR)
    assert report["school"]["n_students"] == 6
    assert sorted(report["grades"]) == ["21", "22"]
    assert sorted(report["classes"]) == ["21|01", "21|02", "22|01"]
    assert report["classes"]["21|02"]["n_students"] == 2
    assert report["classes"]["21|01"]["last_year"]["paired"]["n_matched"] == 2


def test_school_report_needs_class_columns():
    with pytest.raises(KeyError, match="class_code"):
        school_report(THIS_YEAR.drop(columns="class_code"))


def test_the_fixture_school_report_adds_up(school_preview):
    from prescribe.school import screen_students

    screened = screen_students(school_preview.frame)
    report = school_report(screened)
    assert sum(c["n_students"] for c in report["classes"].values()) == len(screened)
    assert sum(g["n_graded"] for g in report["grades"].values()) == report["school"]["n_graded"]
