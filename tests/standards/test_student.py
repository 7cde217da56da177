"""国家学生体质健康标准 2014: thresholds, bonus, totals, grades, missing items, input checks."""

from __future__ import annotations

import pandas as pd
import pytest

from prescribe.errors import AssessmentError
from prescribe.standards import score_frame, score_record
from prescribe.standards.tables import load_table


def both(record: dict) -> dict:
    """Score one record by both paths and check they agree."""
    one = score_record(record, "student")
    row = score_frame(pd.DataFrame([record]), "student").iloc[0]
    for key, value in one.items():
        other = row[key]
        assert (value is None and pd.isna(other)) or value == other, (key, value, other)
    return one


def level(group: str, sex: str, item: str, score: int) -> float:
    t = load_table("student-2014", "item_scores")
    return float(t.loc[(t.grade_group == group) & (t.sex == sex) & (t.item == item)
                       & (t.score == score), "threshold"].iloc[0])


@pytest.mark.parametrize(("grade", "sex", "item", "value", "score"), [
    # lower_better: the threshold is the largest time earning the score
    ("11", "F", "run_50m_s", 11.0, 100), ("11", "F", "run_50m_s", 10.9, 100),
    ("11", "F", "run_50m_s", 11.05, 95), ("11", "F", "run_50m_s", 11.1, 95),
    ("21", "M", "run_1000m_s", 235, 100), ("21", "M", "run_1000m_s", 236, 95),
    ("21", "M", "run_1000m_s", 420, 10), ("21", "M", "run_1000m_s", 421, 0),
    ("31", "F", "run_800m_s", 204, 100), ("31", "F", "run_800m_s", 280, 60),
    ("31", "F", "run_800m_s", 281, 50),
    ("15", "M", "shuttle_run_50mx8_s", 96, 100), ("15", "M", "shuttle_run_50mx8_s", 158, 10),
    ("15", "M", "shuttle_run_50mx8_s", 159, 0),
    # higher_better: the threshold is the smallest result earning the score
    ("41", "M", "sit_and_reach_cm", 24.9, 100), ("42", "M", "sit_and_reach_cm", 24.8, 95),
    ("41", "M", "sit_and_reach_cm", 30.0, 100), ("41", "M", "sit_and_reach_cm", -1.3, 10),
    ("41", "M", "sit_and_reach_cm", -1.4, 0),
    ("21", "M", "pull_up_count", 0, 0), ("21", "M", "pull_up_count", 1, 30),
    ("21", "M", "pull_up_count", 13, 100),
    ("11", "M", "rope_skip_1min_count", 109, 100), ("11", "M", "rope_skip_1min_count", 108, 95),
    ("11", "M", "rope_skip_1min_count", 2, 10), ("11", "M", "rope_skip_1min_count", 1, 0),
    ("13", "F", "sit_up_1min_count", 16, 60), ("13", "F", "sit_up_1min_count", 15, 50),
    ("44", "F", "sit_up_1min_count", 57, 100), ("43", "F", "sit_up_1min_count", 56, 95),
])
def test_item_scores_at_just_above_and_just_below_thresholds(grade, sex, item, value, score):
    assert both({"grade_code": grade, "sex": sex, item: value})[f"score_{item}"] == score


def test_university_years_one_two_and_three_four_use_different_tables():
    first = both({"grade_code": "42", "sex": "M", "pull_up_count": 19})
    third = both({"grade_code": "43", "sex": "M", "pull_up_count": 19})
    assert (first["score_pull_up_count"], third["score_pull_up_count"]) == (100, 95)


@pytest.mark.parametrize(("weight", "bmi", "category", "score"), [
    (13.44, 13.4, "underweight", 80), (13.45, 13.5, "normal", 100),
    (18.14, 18.1, "normal", 100), (18.15, 18.2, "overweight", 80),
    (18.25, 18.3, "overweight", 80),  # an exact half rounds up (Python's round() gives 18.2)
    (20.35, 20.4, "obese", 60),
])
def test_bmi_is_rounded_half_up_to_one_decimal_before_matching(weight, bmi, category, score):
    got = both({"grade_code": "11", "sex": "M", "height_cm": 100.0, "weight_kg": weight})
    assert (got["bmi"], got["bmi_category"], got["score_bmi"]) == (bmi, category, score)


def test_a_realistic_bmi_from_height_and_weight():
    got = both({"grade_code": "21", "sex": "M", "height_cm": 158.3, "weight_kg": 55.4})
    assert got["bmi"] == 22.1
    assert got["score_bmi"] == 100


@pytest.mark.parametrize(("grade", "sex", "values", "bonus"), [
    ("11", "M", {"rope_skip_1min_count": 109}, 0), ("11", "M", {"rope_skip_1min_count": 110}, 0),
    ("11", "M", {"rope_skip_1min_count": 111}, 1), ("11", "M", {"rope_skip_1min_count": 149}, 20),
    ("11", "M", {"rope_skip_1min_count": 250}, 20),
    ("21", "M", {"pull_up_count": 14}, 1), ("21", "M", {"pull_up_count": 23}, 10),
    ("21", "M", {"pull_up_count": 40}, 10), ("21", "M", {"run_1000m_s": 231}, 1),
    ("21", "M", {"run_1000m_s": 232}, 0), ("21", "M", {"run_1000m_s": 150}, 10),
    ("31", "F", {"run_800m_s": 199}, 1), ("31", "F", {"run_800m_s": 194}, 2),
    ("21", "M", {"pull_up_count": 23, "run_1000m_s": 150}, 20),
])
def test_bonus_points_are_capped_per_item_and_in_total(grade, sex, values, bonus):
    assert both({"grade_code": grade, "sex": sex, **values})["bonus_points"] == bonus


def _full_junior_boy(levels: dict[str, int], bmi_weight: float = 55.0) -> dict:
    record = {"grade_code": "21", "sex": "M", "height_cm": 165.0, "weight_kg": bmi_weight}
    for item, score in levels.items():
        record[item] = level("G7", "M", item, score)
    return record


def _levels_for(target_hundredths: int) -> dict[str, int]:
    """Find item levels whose weighted sum (BMI 100 × 15) is exactly the target."""
    weights = {"vital_capacity_ml": 15, "run_50m_s": 20, "sit_and_reach_cm": 10,
               "standing_long_jump_cm": 10, "pull_up_count": 10, "run_1000m_s": 20}
    t = load_table("student-2014", "item_scores")
    reach = {1500: {}}
    for item, w in weights.items():
        scores = t.loc[(t.grade_group == "G7") & (t.sex == "M") & (t.item == item), "score"]
        reach = {s + int(x) * w: {**combo, item: int(x)} for s, combo in reach.items()
                 for x in scores}
    return reach[target_hundredths]


@pytest.mark.parametrize(("hundredths", "total", "grade"), [
    (8995, 89.95, "excellent"),  # reported 90.0
    (8985, 89.85, "good"),       # reported 89.9
    (8000, 80.0, "good"), (7995, 79.95, "good"), (7985, 79.85, "pass"),
    (5995, 59.95, "pass"), (5985, 59.85, "fail"),
])
def test_grade_is_read_from_the_total_rounded_to_one_decimal(hundredths, total, grade):
    got = both(_full_junior_boy(_levels_for(hundredths)))
    assert (got["total_score"], got["grade"], got["bonus_points"]) == (total, grade, 0)


def test_total_adds_bonus_to_the_weighted_score():
    levels = dict.fromkeys(["vital_capacity_ml", "run_50m_s", "sit_and_reach_cm",
                            "standing_long_jump_cm", "run_1000m_s"], 90)
    record = _full_junior_boy({**levels, "pull_up_count": 100})
    record["pull_up_count"] += 3  # 3 beyond the 100-point level: 3 bonus points on top
    got = both(record)
    # 15 × 100 + (15 + 20 + 10 + 10 + 20) × 90 + 10 × 100 = 9250 hundredths
    assert (got["total_score"], got["bonus_points"], got["grade"]) == (95.5, 3, "excellent")


def test_missing_required_item_gives_no_grade_and_names_the_item():
    record = _full_junior_boy(_levels_for(7000))
    del record["run_1000m_s"]
    got = both(record)
    assert (got["total_score"], got["grade"], got["missing_items"]) == (None, "", "run_1000m_s")
    assert got["score_pull_up_count"] is not None


def test_result_below_the_lowest_level_scores_zero_and_still_grades():
    record = _full_junior_boy(_levels_for(7000))
    record["pull_up_count"] = 0
    got = both(record)
    assert got["score_pull_up_count"] == 0
    assert got["grade"] in ("pass", "fail")
    assert got["missing_items"] == ""


def test_items_not_in_the_students_battery_are_ignored():
    got = both({"grade_code": "21", "sex": "M", "sit_up_1min_count": 50,
                "rope_skip_1min_count": 150})
    assert got["score_sit_up_1min_count"] is None
    assert got["score_rope_skip_1min_count"] is None
    assert "pull_up_count" in got["missing_items"]
    assert "sit_up" not in got["missing_items"]


@pytest.mark.parametrize("sex", ["M", "男", "1", 1, "m"])
def test_template_sex_codes_are_accepted(sex):
    assert both({"grade_code": 11, "sex": sex, "run_50m_s": 10.2})["score_run_50m_s"] == 100


def test_minute_second_times_are_accepted_in_a_record():
    got = both({"grade_code": "21", "sex": "M", "run_1000m_s": "3'55\""})
    assert got["score_run_1000m_s"] == 100


def test_every_problem_in_a_frame_is_reported_with_its_row():
    frame = pd.DataFrame([
        {"grade_code": "27", "sex": "M", "height_cm": 150, "weight_kg": 40},
        {"grade_code": "21", "sex": "X", "height_cm": 17, "weight_kg": 40},
        {"grade_code": None, "sex": None, "run_800m_s": 3.4},
    ])
    with pytest.raises(AssessmentError) as info:
        score_frame(frame, "student")
    found = [(p.row, p.field, p.message) for p in info.value.problems]
    assert found == [
        (2, "grade_code", "unknown grade code"),
        (3, "sex", "not an allowed value"),
        (3, "height_cm", "impossible value"),
        (4, "grade_code", "missing: the grade code is required"),
        (4, "sex", "missing: sex is required"),
        (4, "run_800m_s", "looks like minutes.seconds: write 3'40\" or seconds (220)"),
    ]


def test_every_problem_in_a_record_is_reported_at_once():
    with pytest.raises(AssessmentError) as info:
        score_record({"grade_code": "99", "height_cm": 160, "weight_kg": 3,
                      "run_1000m_s": "4'75\""}, "student")
    assert {p.field for p in info.value.problems} == {
        "grade_code", "sex", "weight_kg", "run_1000m_s"}


def test_impossible_bmi_is_refused():
    with pytest.raises(AssessmentError, match=r"weight_kg=60.0: BMI 93.7 is impossible"):
        score_frame(pd.DataFrame([{"grade_code": "21", "sex": "F", "height_cm": 80,
                                   "weight_kg": 60}]), "student")
