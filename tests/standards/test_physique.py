"""国民体质测定标准 2003: item points, height-for-weight, age bands, totals and grades."""

from __future__ import annotations

import pandas as pd
import pytest

from prescribe.errors import AssessmentError
from prescribe.standards import score_frame, score_record
from prescribe.standards.tables import load_table


def both(record: dict) -> dict:
    """Score one record by both paths and check they agree."""
    one = score_record(record, "physique")
    row = score_frame(pd.DataFrame([record]), "physique").iloc[0]
    for key, value in one.items():
        other = row[key]
        assert (value is None and pd.isna(other)) or value == other, (key, value, other)
    return one


@pytest.mark.parametrize(("age", "sex", "item", "value", "points"), [
    (22, "M", "vital_capacity_ml", 2369, 1), (22, "M", "vital_capacity_ml", 2847, 1),
    (22, "M", "vital_capacity_ml", 2848, 2), (22, "M", "vital_capacity_ml", 4635, 5),
    (22, "M", "vital_capacity_ml", 2368, None),  # below the 1-point limit: scores nothing
    (22, "M", "choice_reaction_time_s", 0.38, 5), (22, "M", "choice_reaction_time_s", 0.39, 4),
    (22, "M", "choice_reaction_time_s", 0.69, 1), (22, "M", "choice_reaction_time_s", 0.70, None),
    (62, "M", "sit_and_reach_cm", -25.0, 1),  # open-ended lowest band: no lower limit
    (62, "M", "sit_and_reach_cm", -7.7, 2), (62, "M", "sit_and_reach_cm", 13.2, 5),
])
def test_item_points_at_and_around_thresholds(age, sex, item, value, points):
    assert both({"age_years": age, "sex": sex, item: value})[f"score_{item}"] == points


@pytest.mark.parametrize(("height", "weight", "points"), [
    (168.0, 50.4, 1), (168.5, 50.5, 3), (168.9, 54.3, 3), (168.9, 54.4, 5), (168.2, 70.4, 5),
    (168.2, 70.5, 3), (168.2, 75.0, 3), (168.2, 75.1, 1),
    (168.94, 55.0, 5),   # rounds to 168.9: the 168 cm row (normal 54.4–70.4)
    (168.95, 55.0, 3),   # rounds to 169.0: the 169 cm row (light 51.2–55.0)
    (168.2, 54.34, 3), (168.2, 54.35, 5),  # weight rounded half up to 0.1 kg first
    (143.9, 40.0, None),  # below the printed height rows: unscored
])
def test_height_for_weight_rounds_height_and_weight_to_the_recording_step(height, weight,
                                                                         points):
    got = both({"age_years": 25, "sex": "M", "height_cm": height, "weight_kg": weight})
    assert got["score_height_weight"] == points


@pytest.mark.parametrize(("age", "band"), [
    (3.0, "3.0-3.5"), (3.49, "3.0-3.5"), (3.5, "3.5-4.0"), (6.99, "6.0-7.0"),
    (20, "20-24"), (24.99, "20-24"), (25, "25-29"), (59.99, "55-59"), (60, "60-64"),
    (69.99, "65-69"),
])
def test_age_bands_include_their_lower_bound(age, band):
    assert both({"age_years": age, "sex": "F"})["age_band"] == band


@pytest.mark.parametrize(("birth", "test", "band"), [
    ("1999-05-06", "2024-05-05", "20-24"), ("1999-05-06", "2024-05-06", "25-29"),
    ("2020-01-15", "2023-07-14", "3.0-3.5"), ("2020/1/15", "2023-07-15", "3.5-4.0"),
    ("19590301", "2024-02-29", "60-64"),
])
def test_age_from_dates_counts_calendar_months(birth, test, band):
    assert both({"birth_date": birth, "test_date": test, "sex": "M"})["age_band"] == band


@pytest.mark.parametrize(("record", "field", "message"), [
    ({"sex": "M"}, "age_years", "age_years, or birth_date and test_date, is required"),
    ({"sex": "M", "birth_date": "1990-01-01"}, "age_years", "is required"),
    ({"sex": "M", "age_years": 12}, "age_years", "age 12.0 y has no group in physique-2003"),
    ({"sex": "M", "age_years": 70}, "age_years", "has no group"),
    ({"sex": "F", "age_years": 19.9}, "age_years", "has no group"),
    ({"sex": "F", "birth_date": "2030-01-01", "test_date": "2024-01-01"}, "birth_date",
     "after the test date"),
    ({"sex": "F", "birth_date": "1990-13-45", "test_date": "2024-01-01"}, "birth_date",
     "not a date"),
    ({"age_years": 30}, "sex", "missing: sex is required"),
])
def test_invalid_person_details_are_reported_by_both_paths(record, field, message):
    with pytest.raises(AssessmentError) as one:
        score_record(record, "physique")
    with pytest.raises(AssessmentError) as many:
        score_frame(pd.DataFrame([record]), "physique")
    for info in (one, many):
        assert any(p.field == field and message in p.message for p in info.value.problems), \
            info.value.problems


def _level(age_min: float, sex: str, item: str, points: int) -> float:
    t = load_table("physique-2003", "item_scores")
    row = t[(t.age_min == age_min) & (t.sex == sex) & (t.item == item) & (t.score == points)]
    threshold = row["threshold"].iloc[0]
    if pd.isna(threshold):  # open-ended lowest band: anything below the 2-point level
        nxt = t[(t.age_min == age_min) & (t.sex == sex) & (t.item == item) & (t.score == 2)]
        higher = row["direction"].iloc[0] == "higher_better"
        return float(nxt["threshold"].iloc[0]) + (-0.5 if higher else 0.5)
    return float(threshold)


def _spread(total: int, n: int) -> list[int]:
    """n item points of 1–5 adding up to ``total``."""
    points, extra = [], total - n
    for _ in range(n):
        points.append(1 + min(4, extra))
        extra -= min(4, extra)
    assert extra == 0, "target total out of reach"
    return points


def _person(age: float, sex: str, total: int) -> dict:
    """A complete record whose points add up to ``total`` (height-for-weight gives 5)."""
    t = load_table("physique-2003", "items")
    items = t[(t.age_min <= age) & (t.age_max > age) & (t.sex == sex)]["item"].tolist()
    items.remove("height_weight")
    age_min = float(t[(t.age_min <= age) & (t.age_max > age)]["age_min"].iloc[0])
    hw = load_table("physique-2003", "height_weight")
    normal = hw[(hw.age_min <= age) & (hw.age_max > age) & (hw.sex == sex)
                & (hw.category == "normal_5")]
    record, fixed = {"age_years": age, "sex": sex}, 5
    if "height_cm" in items:  # children: height is also an item; make it worth 5
        items.remove("height_cm")
        record["height_cm"] = _level(age_min, sex, "height_cm", 5)
        fixed += 5
    else:
        record["height_cm"] = float(normal["height_min_cm"].iloc[len(normal) // 2]) + 0.4
    cell = normal[normal.height_min_cm == int(record["height_cm"])].iloc[0]
    record["weight_kg"] = round(cell.weight_min_kg + 0.1, 1)
    for item, p in zip(items, _spread(total - fixed, len(items)), strict=True):
        record[item] = _level(age_min, sex, item, p)
    return record


@pytest.mark.parametrize(("age", "sex", "total", "grade"), [
    (22, "M", 45, "excellent"), (22, "M", 34, "excellent"), (27, "F", 33, "good"),
    (33, "M", 30, "good"), (38, "F", 29, "pass"), (22, "M", 23, "pass"), (22, "F", 22, "fail"),
    (42, "M", 27, "excellent"), (47, "F", 26, "good"), (52, "M", 24, "good"),
    (57, "F", 23, "pass"), (44, "M", 18, "pass"), (44, "M", 17, "fail"),
    (61, "F", 24, "excellent"), (66, "M", 23, "good"), (61, "M", 21, "good"),
    (66, "F", 20, "pass"), (61, "M", 15, "pass"), (61, "F", 14, "fail"),
    (4.2, "M", 32, "excellent"), (5.7, "F", 31, "good"), (3.2, "M", 28, "good"),
    (6.5, "F", 27, "pass"), (4.2, "M", 20, "pass"), (4.8, "F", 19, "fail"),
])
def test_overall_grade_from_total_points(age, sex, total, grade):
    got = both(_person(age, sex, total))
    assert (got["total_points"], got["grade"], got["missing_items"], got["unscored_items"]) == \
        (total, grade, "", "")


def test_a_missing_or_unscored_item_leaves_total_and_grade_empty():
    record = _person(33, "M", 40)
    missing = dict(record, step_test_index=None)
    unscored = dict(record, grip_strength_kg=5.0)
    got = both(missing)
    assert (got["total_points"], got["grade"], got["missing_items"]) == (None, "",
                                                                         "step_test_index")
    got = both(unscored)
    assert (got["total_points"], got["grade"], got["unscored_items"]) == (None, "",
                                                                          "grip_strength_kg")
    assert got["score_grip_strength_kg"] is None
    assert got["score_step_test_index"] is not None


def test_a_record_reports_age_and_value_problems_together():
    with pytest.raises(AssessmentError) as info:
        score_record({"sex": "M", "height_cm": 17, "grip_strength_kg": "strong"}, "physique")
    assert {p.field for p in info.value.problems} == {"height_cm", "grip_strength_kg",
                                                      "age_years"}
