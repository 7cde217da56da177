"""Weight status: WS/T 586-2018 (ages 6–18) and WS/T 428-2013 (adults).

BMI is rounded half up to 0.1 before it is compared (as it is reported), in both standards,
so that the class always matches the BMI printed beside it: 23.96 is reported 24.0 and is
overweight. WS/T 586 uses the half-year row whose age is at or below the exact age; the
18.0 row covers 18.0–<19 (the standard covers ages 6–18), and it never gives
``underweight`` (the standard has no such cut-off). Every function has a frame twin taking
Series; results are ``None`` (scalar) / missing (frame) when an input is missing or the age
is outside the standard.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from .lookup import tenths, tenths_one
from .tables import default_edition, load_table

YOUTH_CLASSES = ("normal", "overweight", "obese")
ADULT_CLASSES = ("underweight", "normal", "overweight", "obese")
SEXES = ("M", "F")
YOUTH_AGE_END = 19.0


@lru_cache(maxsize=1)
def _youth() -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    table = load_table(default_edition("youth_bmi"), "bmi_cutoffs").sort_values("age_from")
    return {sex: (rows["age_from"].to_numpy(float),
                  np.round(rows["overweight_min"].to_numpy(float) * 10),
                  np.round(rows["obese_min"].to_numpy(float) * 10))
            for sex, rows in table.groupby("sex")}


@lru_cache(maxsize=1)
def _adult() -> tuple[np.ndarray, dict[str, float]]:
    classes = load_table(default_edition("adult_weight"), "bmi_classes").set_index("class")
    lower = np.round(classes.loc[list(ADULT_CLASSES[1:]), "bmi_min"].to_numpy(float) * 10)
    waist = load_table(default_edition("adult_weight"), "waist").set_index("sex")
    return lower, waist["central_min_cm"].astype(float).to_dict()


def _sex(sex: object) -> str | None:
    from ..assessment import SEX_ALIASES

    return SEX_ALIASES.get(str(sex).strip()) if sex is not None else None


def _sex_codes(sex: pd.Series) -> np.ndarray:
    """Per row, the position of ``_sex(value)`` in ``SEXES`` (-1: missing or unreadable),
    worked out once per distinct value.

    Factorising is exact for a column of one type (text, numbers, categorical). An object
    column mixing kinds is read row by row instead: factorising would treat ``1``,
    ``1.0`` and ``True`` as one value, while ``_sex`` reads "1" as M and "1.0" as nothing.
    """
    def code(value: object) -> int:
        got = _sex(value) if pd.notna(value) else None
        return SEXES.index(got) if got in SEXES else -1

    if sex.dtype == object and pd.api.types.infer_dtype(sex, skipna=True) not in (
            "string", "empty"):
        return np.array([code(s) for s in sex.tolist()], dtype=np.int64)
    codes, uniques = pd.factorize(sex, use_na_sentinel=True)
    return np.array([code(u) for u in uniques] + [-1], dtype=np.int64)[codes]


def bmi_class_youth(bmi: float | None, age_years: float | None, sex: object) -> str | None:
    """WS/T 586 class (``normal|overweight|obese``) or None outside 6–<19 y / missing input."""
    code = _sex(sex)
    if bmi is None or age_years is None or code is None or np.isnan(bmi) or np.isnan(age_years):
        return None
    ages, overweight, obese = _youth()[code]
    row = int(np.searchsorted(ages, age_years, side="right")) - 1
    if row < 0 or age_years >= YOUTH_AGE_END:
        return None
    t = tenths_one(bmi)
    return YOUTH_CLASSES[int(t >= overweight[row]) + int(t >= obese[row])]


def bmi_class_youth_frame(bmi: pd.Series, age_years: pd.Series, sex: pd.Series) -> pd.Series:
    """Frame twin of :func:`bmi_class_youth`."""
    b = bmi.to_numpy(dtype=float, na_value=np.nan)
    age = age_years.to_numpy(dtype=float, na_value=np.nan)
    codes = _sex_codes(sex)
    result = np.full(len(b), None, dtype=object)
    t = tenths(b)
    with np.errstate(invalid="ignore"):
        usable = ~np.isnan(t) & (age < YOUTH_AGE_END)  # NaN age compares false
    for code, (ages, overweight, obese) in _youth().items():
        at = np.flatnonzero(usable & (codes == SEXES.index(code)))
        row = np.searchsorted(ages, age[at], side="right") - 1
        at, row = at[row >= 0], row[row >= 0]
        idx = (t[at] >= overweight[row]).astype(int) + (t[at] >= obese[row]).astype(int)
        result[at] = np.asarray(YOUTH_CLASSES, dtype=object)[idx]
    return pd.Series(result, index=bmi.index, name="bmi_class_youth", dtype=object)


def bmi_class_adult(bmi: float | None) -> str | None:
    """WS/T 428 class: <18.5 underweight, <24 normal, <28 overweight, else obese."""
    if bmi is None or np.isnan(bmi):
        return None
    lower, _ = _adult()
    return ADULT_CLASSES[int((tenths_one(bmi) >= lower).sum())]


def bmi_class_adult_frame(bmi: pd.Series) -> pd.Series:
    """Frame twin of :func:`bmi_class_adult`."""
    lower, _ = _adult()
    t = tenths(bmi.to_numpy(dtype=float, na_value=np.nan))
    idx = (t[:, None] >= lower[None, :]).sum(axis=1)
    out = np.asarray(ADULT_CLASSES, dtype=object)[idx]
    return pd.Series(np.where(np.isnan(t), None, out), index=bmi.index, name="bmi_class_adult",
                     dtype=object)


def central_obesity(waist_cm: float | None, sex: object) -> bool | None:
    """WS/T 428: waist ≥ 90 cm (men) / ≥ 85 cm (women); None when waist or sex is missing."""
    code = _sex(sex)
    if waist_cm is None or code is None or np.isnan(waist_cm):
        return None
    return bool(waist_cm >= _adult()[1][code])


def central_obesity_frame(waist_cm: pd.Series, sex: pd.Series) -> pd.Series:
    """Frame twin of :func:`central_obesity` (nullable boolean)."""
    by_sex = np.array([_adult()[1].get(s, np.nan) for s in SEXES] + [np.nan], dtype=float)
    limits = pd.Series(by_sex[_sex_codes(sex)], index=sex.index)
    waist = waist_cm.astype(float)
    known = waist.notna() & limits.notna()
    result = (waist >= limits.astype(float)).astype("boolean")
    return result.where(known, pd.NA).rename("central_obesity")
