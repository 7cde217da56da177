"""Every cell of the reference tables in ../shared scores exactly as the reference says.

The expected values are derived straight from the shared reference CSVs (not from the
project's tables), so a slip in ``tools/build_standard_tables.py`` or in the scorers would
show here. For each threshold: the result *at* the threshold earns that score, a result one
recording step worse earns the level below it (0 or nothing below the lowest level).
Skipped when ../shared is not beside the project.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from prescribe.standards import bmi_class_youth, bmi_class_youth_frame, score_frame, score_record

GROUP_CODE = {"G1": "11", "G2": "12", "G3": "13", "G4": "14", "G5": "15", "G6": "16",
              "G7": "21", "G8": "22", "G9": "23", "G10": "31", "G11": "32", "G12": "33",
              "U12": "41", "U34": "44"}
STEP = {"vital_capacity_ml": 1, "run_50m_s": 0.1, "sit_and_reach_cm": 0.1,
        "rope_skip_1min_count": 1, "sit_up_1min_count": 1, "shuttle_run_50mx8_s": 1,
        "standing_long_jump_cm": 1, "pull_up_count": 1, "run_800m_s": 1, "run_1000m_s": 1}


def _expected(levels: pd.DataFrame, value: float, below: float) -> float:
    """Best score whose threshold the value reaches, read from reference rows."""
    higher = levels["direction"].iloc[0] == "higher_better"
    thr = levels["threshold"].fillna(-np.inf if higher else np.inf)
    reached = thr <= value + 1e-9 if higher else thr >= value - 1e-9
    return levels.loc[reached, "score"].max() if reached.any() else below


@pytest.fixture(scope="module")
def student_cells(shared_dir):
    return pd.read_csv(shared_dir / "standards" / "student_scores.csv")


def _student_probe(cells: pd.DataFrame, offset_steps: int) -> tuple[pd.DataFrame, list]:
    records, expected = [], []
    for (group, sex, item), levels in cells.groupby(["grade_code", "sex", "item"]):
        higher = levels["direction"].iloc[0] == "higher_better"
        worse = -1 if higher else 1
        for t in levels["threshold"]:
            value = round(t + worse * offset_steps * STEP[item], 1)
            if value < 0 or (item == "run_50m_s" and value < 4.5):
                continue
            records.append({"sex": sex, "grade_code": GROUP_CODE[group], item: value})
            expected.append(_expected(levels, value, 0))
    return pd.DataFrame(records), expected


@pytest.mark.parametrize("offset", [0, 1], ids=["at_threshold", "one_step_worse"])
def test_every_student_cell_scores_as_the_reference(student_cells, offset):
    frame, expected = _student_probe(student_cells, offset)
    result = score_frame(frame, "student")
    item_cols = [c for c in frame.columns if c not in ("sex", "grade_code")]
    got = [result.at[i, f"score_{frame.loc[i, item_cols].dropna().index[0]}"]
           for i in frame.index]
    mismatches = [(frame.loc[i].dropna().to_dict(), e, g)
                  for i, (e, g) in enumerate(zip(expected, got, strict=True)) if e != g]
    assert not mismatches[:10]
    assert len(frame) > 2900


def test_random_student_cells_score_the_same_one_record_at_a_time(student_cells):
    frame, expected = _student_probe(student_cells.sample(300, random_state=7), 0)
    for rec, exp in zip(frame.to_dict("records"), expected, strict=True):
        item = next(k for k, v in rec.items() if k not in ("sex", "grade_code") and v == v)
        assert score_record({k: v for k, v in rec.items() if v == v}, "student")[
            f"score_{item}"] == exp, rec


def test_student_bmi_bands_score_as_the_reference_at_both_bounds(shared_dir):
    bands = pd.read_csv(shared_dir / "standards" / "student_bmi_grading.csv")
    records, expected = [], []
    for row in bands.itertuples():
        for bound in (row.bmi_min, row.bmi_max):
            if bound == bound:  # a 1.00 m tall child: BMI equals the weight
                records.append({"sex": row.sex, "grade_code": GROUP_CODE[row.grade_code],
                                "height_cm": 100.0, "weight_kg": bound})
                expected.append((row.category_en, row.score))
    result = score_frame(pd.DataFrame(records), "student")
    assert list(zip(result["bmi_category"], result["score_bmi"], strict=True)) == expected


def test_student_bonus_thresholds_give_the_reference_points(shared_dir):
    bonus = pd.read_csv(shared_dir / "standards" / "student_bonus.csv")
    frame = pd.DataFrame({"sex": bonus["sex"], "grade_code": bonus["grade_code"].map(GROUP_CODE),
                          "item": bonus["item"], "value": bonus["absolute_threshold"]})
    wide = frame.pivot_table(index=frame.index, columns="item", values="value")
    wide[["sex", "grade_code"]] = frame[["sex", "grade_code"]]
    result = score_frame(wide, "student")
    assert result["bonus_points"].tolist() == bonus["bonus_points"].tolist()


@pytest.mark.parametrize("name", ["physique_adult_scores.csv", "physique_elderly_scores.csv",
                                  "physique_child_scores.csv"])
@pytest.mark.parametrize("offset", [0, 1], ids=["at_threshold", "one_step_worse"])
def test_every_physique_cell_scores_as_the_reference(shared_dir, name, offset):
    cells = pd.read_csv(shared_dir / "standards" / name)
    records, expected = [], []
    for (band, sex, item), levels in cells.groupby(["age_band", "sex", "item"]):
        lo, hi = (float(x) for x in band.split("-"))
        age = lo + 0.25 if "." in band else lo + 2
        higher = levels["direction"].iloc[0] == "higher_better"
        step = levels["resolution"].iloc[0]
        for t in levels["threshold"].dropna():
            value = round(t + (-1 if higher else 1) * offset * step, 2)
            if value < 0:
                continue
            records.append({"sex": sex, "age_years": age, item: value})
            expected.append(_expected(levels, value, np.nan))
    frame = pd.DataFrame(records)
    result = score_frame(frame, "physique")
    items = [c for c in frame.columns if c not in ("sex", "age_years")]
    got = [result.at[i, f"score_{frame.loc[i, items].dropna().index[0]}"] for i in frame.index]
    got = [np.nan if g is pd.NA else g for g in got]
    bad = [(r, e, g) for r, e, g in zip(records, expected, got, strict=True)
           if not (e == g or (np.isnan(e) and np.isnan(g)))]
    assert not bad[:10]


def test_height_for_weight_cells_score_as_the_reference(shared_dir):
    table = pd.read_csv(shared_dir / "standards" / "physique_height_weight.csv")
    sample = table.sample(600, random_state=11)
    records, expected = [], []
    ages = {"20-29": 25, "30-39": 35, "40-49": 45, "50-59": 55, "60-69": 65, "3-6": 5}
    for row in sample.itertuples():
        for weight in (row.weight_min_kg, row.weight_max_kg):
            if weight == weight and weight >= 10:  # the vocabulary refuses < 10 kg
                records.append({"sex": row.sex, "age_years": ages[row.age_band],
                                "height_cm": row.height_min_cm + 0.5, "weight_kg": weight})
                expected.append(row.score)
    result = score_frame(pd.DataFrame(records), "physique")
    assert result["score_height_weight"].tolist() == expected


def test_wst586_rows_classify_as_the_reference(shared_dir):
    rows = pd.read_csv(shared_dir / "standards" / "wst586_bmi_cutoffs.csv")
    cases = []
    for r in rows.itertuples():
        age = r.age_years_from + 0.25
        cases += [(round(r.overweight_bmi_min - 0.1, 1), age, r.sex, "normal"),
                  (r.overweight_bmi_min, age, r.sex, "overweight"),
                  (round(r.obesity_bmi_min - 0.1, 1), age, r.sex, "overweight"),
                  (r.obesity_bmi_min, age, r.sex, "obese")]
    assert [bmi_class_youth(b, a, s) for b, a, s, _ in cases] == [c[3] for c in cases]
    frame = pd.DataFrame(cases, columns=["bmi", "age", "sex", "expected"])
    got = bmi_class_youth_frame(frame["bmi"], frame["age"], frame["sex"])
    assert got.tolist() == frame["expected"].tolist()
