"""The frame twins read sex in any column type exactly as the scalar functions read it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from prescribe.standards import (
    atr_band,
    atr_band_frame,
    bmi_class_youth,
    bmi_class_youth_frame,
    central_obesity,
    central_obesity_frame,
    screening_myopia,
    screening_myopia_frame,
)

SEXES = ["M", "F", "男", "女", "1", "2", "male", " F ", "x", None]
MIXED = [1, 1.0, True, "2", 2, 2.0, "女", None, np.nan, "M"]  # 1 is M, 1.0 is not a sex


def _columns() -> dict[str, pd.Series]:
    text = pd.Series(SEXES * 3, dtype=object)
    return {"object": text, "string": text.astype("string"), "category": text.astype("category"),
            "int": pd.Series([1, 2, 3] * 10), "float": pd.Series([1.0, 2.0, np.nan] * 10),
            "mixed": pd.Series(MIXED * 3, dtype=object)}


def _none(v):
    return None if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else v


@pytest.mark.parametrize("kind", list(_columns()))
def test_youth_weight_class_reads_sex_like_the_scalar(kind):
    sex = _columns()[kind]
    n = len(sex)
    bmi = pd.Series(np.linspace(14.0, 30.0, n))
    age = pd.Series(np.linspace(6.0, 18.9, n))
    got = bmi_class_youth_frame(bmi, age, sex)
    want = [bmi_class_youth(b, a, s if pd.notna(s) else None)
            for b, a, s in zip(bmi, age, sex.tolist(), strict=True)]
    assert [_none(v) for v in got] == want
    assert got.index.equals(bmi.index)


@pytest.mark.parametrize("kind", list(_columns()))
def test_central_obesity_reads_sex_like_the_scalar(kind):
    sex = _columns()[kind]
    waist = pd.Series(np.linspace(80.0, 95.0, len(sex)))
    waist.iloc[4] = np.nan
    got = central_obesity_frame(waist, sex)
    want = [central_obesity(w if pd.notna(w) else None, s if pd.notna(s) else None)
            for w, s in zip(waist, sex.tolist(), strict=True)]
    assert [_none(v) for v in got] == want
    assert str(got.dtype) == "boolean"


def test_screening_flags_frame_twins_agree_with_the_scalars():
    rng = np.random.default_rng(4)
    n = 400
    va = pd.Series(np.where(rng.random(n) < 0.1, np.nan, rng.choice([4.6, 4.9, 5.0, 5.1], n)))
    se = pd.Series(np.where(rng.random(n) < 0.1, np.nan, rng.choice([-1.0, -0.5, -0.25, 0.5], n)))
    age = pd.Series(np.where(rng.random(n) < 0.05, np.nan, rng.uniform(4, 18, n)))
    atr = pd.Series(np.where(rng.random(n) < 0.1, np.nan, rng.choice([0, 4.9, 5, 6.9, 7, 12], n)))
    myopia = screening_myopia_frame(va, va[::-1].reset_index(drop=True), se, age)
    assert str(myopia.dtype) == "boolean"
    assert [_none(v) for v in myopia] == [
        screening_myopia(*(_none(x) for x in vals))
        for vals in zip(va, va[::-1].reset_index(drop=True), se, age, strict=True)]
    assert atr_band_frame(atr).tolist() == [atr_band(_none(a)) for a in atr]
