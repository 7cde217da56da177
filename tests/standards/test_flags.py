"""WS/T 586 and WS/T 428 weight classes, screening myopia and ATR bands (scalar and frame)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from prescribe.standards import (
    atr_band,
    atr_band_frame,
    atr_screen_positive,
    bmi_class_adult,
    bmi_class_adult_frame,
    bmi_class_youth,
    bmi_class_youth_frame,
    central_obesity,
    central_obesity_frame,
    screening_myopia,
    screening_myopia_frame,
)


@pytest.mark.parametrize(("bmi", "age", "sex", "expected"), [
    (16.3, 6.0, "M", "normal"), (16.4, 6.0, "M", "overweight"), (17.7, 6.49, "M", "obese"),
    (16.7, 6.5, "M", "overweight"),
    (22.1, 13.0, "F", "normal"), (22.2, 13.2, "F", "overweight"),  # girls 13.0: 22.2 / 25.0
    (24.9, 13.4, "F", "overweight"), (25.0, 13.4, "F", "obese"), (22.6, 13.5, "女", "overweight"),
    (23.96, 18.0, "M", "overweight"),  # rounded to 24.0 first
    (27.9, 18.9, "M", "overweight"), (12.0, 10, "F", "normal"),  # never "underweight"
    (30.0, 5.99, "M", None), (30.0, 19.0, "M", None), (None, 10, "M", None),
    (20.0, None, "M", None), (20.0, 10, None, None), (math.nan, 10, "M", None),
])
def test_wst586_youth_classes(bmi, age, sex, expected):
    assert bmi_class_youth(bmi, age, sex) == expected
    frame = bmi_class_youth_frame(pd.Series([bmi], dtype=float), pd.Series([age], dtype=float),
                                  pd.Series([sex], dtype=object))
    assert frame.iloc[0] == expected


@pytest.mark.parametrize(("bmi", "expected"), [
    (18.44, "underweight"), (18.45, "normal"), (18.5, "normal"), (23.9, "normal"),
    (23.96, "overweight"), (24.0, "overweight"), (27.94, "overweight"), (27.95, "obese"),
    (28.0, "obese"), (45.0, "obese"), (None, None),
])
def test_wst428_adult_classes_on_bmi_rounded_to_one_decimal(bmi, expected):
    assert bmi_class_adult(bmi) == expected
    assert bmi_class_adult_frame(pd.Series([bmi], dtype=float)).iloc[0] == expected


@pytest.mark.parametrize(("waist", "sex", "expected"), [
    (89.9, "M", False), (90.0, "M", True), (84.9, "F", False), (85.0, "女", True),
    (None, "M", None), (95.0, None, None),
])
def test_central_obesity_waist_cut_offs(waist, sex, expected):
    assert central_obesity(waist, sex) is expected
    got = central_obesity_frame(pd.Series([waist], dtype=float), pd.Series([sex], dtype=object))
    assert (pd.isna(got.iloc[0]) and expected is None) or got.iloc[0] == expected


@pytest.mark.parametrize(("left", "right", "se", "age", "expected"), [
    (4.9, 5.0, -0.75, 8, True), (5.0, 4.6, -2.0, 12, True),
    (4.9, 5.0, -0.50, 8, True),    # exactly -0.50: "at or below" per issue #2
    (4.9, 5.0, -0.25, 8, False),   # pre-myopia range: not screening myopia
    (5.0, 5.1, -1.0, 8, False),    # VA 5.0 is not below 5.0
    (4.9, None, -1.0, 8, True), (5.0, None, -1.0, 8, None), (5.0, 5.0, None, 8, False),
    (4.8, 4.8, None, 8, None), (None, None, -0.25, 8, False),
    (4.5, 4.5, -3.0, 5.9, None),   # under 6 the definition does not apply
    (4.5, 4.5, -3.0, None, None),
])
def test_screening_myopia_is_three_valued(left, right, se, age, expected):
    assert screening_myopia(left, right, se, age) is expected
    got = screening_myopia_frame(*(pd.Series([v], dtype=float) for v in (left, right, se, age)))
    assert (pd.isna(got.iloc[0]) and expected is None) or got.iloc[0] == expected


@pytest.mark.parametrize(("atr", "band", "positive"), [
    (0, "negative", False), (4.9, "negative", False), (5, "observe", True),
    (6.9, "observe", True), (7, "positive", True), (9.9, "positive", True), (10, "refer", True),
    (25, "refer", True), (None, None, None),
])
def test_atr_bands_and_screen_positive(atr, band, positive):
    assert atr_band(atr) == band
    assert atr_screen_positive(atr) is positive
    assert atr_band_frame(pd.Series([atr], dtype=float)).iloc[0] == band


maybe = st.one_of(st.none(), st.floats(3.0, 5.3).map(lambda v: round(v, 1)))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(10, 45), st.one_of(st.none(), st.floats(3, 25)),
                          st.sampled_from(["M", "F", "男", "女"]), maybe, maybe,
                          st.one_of(st.none(), st.sampled_from([-0.5, -0.25, -0.75, -3.0])),
                          st.one_of(st.none(), st.floats(0, 30)),
                          st.one_of(st.none(), st.floats(60, 120))), min_size=1, max_size=60))
def test_frame_versions_agree_with_the_scalar_functions(rows):
    f = pd.DataFrame(rows, columns=["bmi", "age", "sex", "va_l", "va_r", "se", "atr", "waist"])
    f = f.astype({c: float for c in ("age", "va_l", "va_r", "se", "atr", "waist")})

    def n(v):
        return None if pd.isna(v) else v

    youth = bmi_class_youth_frame(f["bmi"], f["age"], f["sex"]).tolist()
    adult = bmi_class_adult_frame(f["bmi"]).tolist()
    myopia = screening_myopia_frame(f["va_l"], f["va_r"], f["se"], f["age"]).tolist()
    atr = atr_band_frame(f["atr"]).tolist()
    waist = central_obesity_frame(f["waist"], f["sex"]).tolist()
    for i, r in enumerate(f.itertuples()):
        assert youth[i] == bmi_class_youth(r.bmi, n(r.age), r.sex)
        assert adult[i] == bmi_class_adult(r.bmi)
        assert n(myopia[i]) == screening_myopia(n(r.va_l), n(r.va_r), n(r.se), n(r.age))
        assert atr[i] == atr_band(n(r.atr))
        assert n(waist[i]) == central_obesity(n(r.waist), r.sex)
