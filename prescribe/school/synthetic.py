"""Synthetic students for benchmarks, demos and engine-equivalence tests — never real data.

One vectorised draw per column (a million students take about a second), in vocabulary
columns, with each child's test battery matching their grade and sex and rough Chinese
school distributions, so that every branch of scoring and screening is exercised:
grades 11–16, 21–23, 31–33; about 10 % overweight and 5 % obese, half with screening
myopia, a few per cent with a positive scoliometer screen, and a sprinkling of missing
results. Deterministic for a given ``seed``.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

GRADE_CODES = np.array(["11", "12", "13", "14", "15", "16", "21", "22", "23", "31", "32",
                        "33"])
TEST_DATE = dt.date(2025, 10, 15)


def _school_year(code: np.ndarray) -> np.ndarray:
    stage, year = code.astype(int) // 10, code.astype(int) % 10
    return np.select([stage == 1, stage == 2], [year, year + 6], year + 9)


def synthetic_students(n: int, seed: int = 0, *, test_date: dt.date = TEST_DATE,
                       id_offset: int = 0) -> pd.DataFrame:
    """``n`` synthetic students in vocabulary columns (``student_id`` S000000000001 …)."""
    rng = np.random.default_rng(seed)
    grade = GRADE_CODES[rng.integers(0, len(GRADE_CODES), n)]
    year = _school_year(grade)
    boy = rng.random(n) < 0.52
    age = year + 5.0 + rng.random(n) + 0.125  # age on the test day (mid-October)
    days = np.round(age * 365.2425).astype("timedelta64[D]")
    birth = np.datetime64(test_date, "D") - days
    growth = 6.0 * np.minimum(age - 6, 6) + np.where(boy, 7.0, 3.0) * np.clip(age - 12, 0, 5)
    height = rng.normal(117 + growth, 5.5)
    bmi = 13.9 + 0.42 * np.minimum(age - 6, 11) + rng.lognormal(0.55, 0.62, n)
    weight = bmi * (height / 100) ** 2
    sex_f = np.where(boy, 1.0, 0.85)
    out = {
        "student_id": pd.array(np.char.add("S", np.char.zfill(
            np.arange(id_offset + 1, id_offset + n + 1).astype(str), 12)), dtype="string"),
        "grade_code": pd.array(grade, dtype="string"),
        "class_code": pd.array(np.char.zfill(rng.integers(1, 9, n).astype(str), 2),
                               dtype="string"),
        "sex": pd.array(np.where(boy, "M", "F"), dtype="string"),
        "birth_date": pd.to_datetime(birth).date,
        "test_date": np.full(n, test_date, dtype=object),
        "height_cm": np.round(height, 1),
        "weight_kg": np.round(weight, 1),
        "vital_capacity_ml": np.round(np.maximum(
            rng.normal((900 + 240 * (age - 6)) * sex_f, 260), 400)),
        "run_50m_s": np.round(np.maximum(rng.normal(11.6 - 0.38 * np.minimum(age - 6, 10)
                                                    + np.where(boy, 0, 0.6), 0.8), 6.0), 1),
        "sit_and_reach_cm": np.round(rng.normal(np.where(boy, 4, 9), 5.5), 1),
    }
    primary, middle = year <= 6, year >= 7

    def only(mask: np.ndarray, values: np.ndarray) -> np.ndarray:
        return np.where(mask, values, np.nan)

    out["rope_skip_1min_count"] = only(primary, np.round(np.clip(
        rng.normal(55 + 17 * (age - 6), 25), 5, 220)))
    out["sit_up_1min_count"] = only((year >= 3) & (primary | ~boy), np.round(np.clip(
        rng.normal(24 + 2.5 * (age - 8), 8), 0, 70)))
    out["shuttle_run_50mx8_s"] = only((year == 5) | (year == 6), np.round(
        rng.normal(np.where(boy, 112, 118), 10)))
    out["standing_long_jump_cm"] = only(middle, np.round(rng.normal(
        np.where(boy, 185 + 8 * np.minimum(age - 13, 4), 162), 18)))
    out["pull_up_count"] = only(middle & boy, rng.poisson(3.5, n).astype(float))
    out["run_1000m_s"] = only(middle & boy, np.round(rng.normal(272, 32)))
    out["run_800m_s"] = only(middle & ~boy, np.round(rng.normal(245, 27)))
    myopic = rng.random(n) < 0.2 + 0.05 * year
    se_l = np.where(myopic, -rng.gamma(2.0, 0.9, n), rng.normal(0.6, 0.5, n))
    se_r = se_l + rng.normal(0, 0.35, n)
    for eye, se in (("left", se_l), ("right", se_r)):
        out[f"uncorrected_va_{eye}"] = np.round(np.clip(
            5.0 + np.minimum(se, 0.25) * 0.28 + rng.normal(0, 0.05, n), 3.0, 5.3), 1)
    out["spherical_equivalent_d"] = np.round(np.minimum(se_l, se_r) * 4) / 4
    atr = rng.choice([0, 1, 2, 3, 4, 5, 6, 7, 8, 11], size=n,
                     p=[.295, .25, .18, .13, .08, .025, .015, .01, .008, .007])
    out["atr_deg"] = atr.astype(float)
    frame = pd.DataFrame(out)
    absent = rng.random(n) < 0.01  # absent on the day of one item
    frame.loc[absent, "vital_capacity_ml"] = np.nan
    unscreened = rng.random(n) < 0.03
    frame.loc[unscreened, ["uncorrected_va_left", "uncorrected_va_right",
                           "spherical_equivalent_d", "atr_deg"]] = np.nan
    return frame
