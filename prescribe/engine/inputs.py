"""From assessments to a :class:`FactFrame`: one record (already parsed) or a whole table.

The table path accepts and rejects exactly what ``parse_assessment`` accepts and rejects for
each row, so a school's file gives the same facts row by row as typing each child in:
numbers go through ``validate_frame``, every other column is parsed with the same
``parse_value`` once per *distinct* raw value, and the cross-field checks of
``parse_assessment`` are repeated column-wise. Problems name the row (file line), field,
value and the allowed range; all of them are reported at once.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype, is_bool_dtype, is_numeric_dtype

from ..assessment import PASSTHROUGH, Assessment, age_on, parse_value, validate_frame
from ..errors import AssessmentError, InputProblem
from ..vocabulary import BY_NAME, NUMERIC_KINDS, VARIABLES
from .columns import CatCol, FactFrame, NumCol
from .conditions import suggest

YOUTH_FIELDS_ALLOWED_FOR_ADULTS = ("mvpa_min_per_day", "outdoor_min_per_day", "screen_min_per_day")


def kinds_of(registry) -> dict[str, str]:
    return {name: spec.kind for name, spec in registry.facts.items()}


PROFILES = ("CN2025", "ACSM2015")


def record_frame(assessment: Assessment, kinds: Mapping[str, str]) -> FactFrame:
    """A one-row FactFrame of a parsed assessment's inputs.

    ``screening_profile`` (a pass-through field) chooses the profile for this record; an
    unknown profile is an input error.
    """
    values = {k: v for k, v in assessment.values.items() if k in BY_NAME}
    profile = assessment.values.get("screening_profile")
    if profile is not None:
        if str(profile).strip() not in PROFILES:
            raise AssessmentError([InputProblem("screening_profile", profile, "unknown screening profile",
                                                None, " | ".join(PROFILES))])
        values["screening_profile"] = str(profile).strip()
    return FactFrame.from_records([values], kinds)


def _missing(v: Any) -> bool:
    if v is None:
        return True
    if isinstance(v, float) and math.isnan(v):
        return True
    if isinstance(v, str) and v.strip() == "":
        return True
    if isinstance(v, list | tuple | np.ndarray) and len(v) == 0:
        return True
    return v is pd.NA or v is pd.NaT


def frame_inputs(df: pd.DataFrame, kinds: Mapping[str, str], *, first_row: int = 2
                 ) -> tuple[FactFrame, list[InputProblem], np.ndarray]:
    """Parse a table of assessments; return (facts, problems, rows-with-errors mask)."""
    n = len(df)
    lines = np.arange(n) + first_row
    problems: list[InputProblem] = []
    bad = np.zeros(n, dtype=bool)
    cols: dict[str, Any] = {}
    for col in df.columns:
        if col in PASSTHROUGH:
            continue
        var = BY_NAME.get(col)
        if var is None or var.derived:
            hint = suggest(col, [v.name for v in VARIABLES if not v.derived])
            problems.append(InputProblem(str(col), None, "unknown column", None,
                                         f"did you mean {hint}?" if hint else None))
            bad[:] = True
    numeric = [c for c in df.columns if c in BY_NAME and BY_NAME[c].kind in NUMERIC_KINDS]
    typed = [c for c in numeric if _holds_numbers(df[c])]
    text = [c for c in numeric if c not in typed]
    if text:  # numbers written as text: validate_frame, as for a CSV
        clean, probs = validate_frame(df[text].reset_index(drop=True), first_row=first_row)
        for p in probs:
            problems.append(p)
            bad[p.row - first_row] = True
        for c in text:
            cols[c] = NumCol(pd.to_numeric(clean[c], errors="coerce").to_numpy(dtype=float, na_value=np.nan))
    for c in typed:  # already numbers: the same checks without rendering every value as text
        cols[c], col_probs = _check_numbers(BY_NAME[c], df[c].to_numpy(dtype=float, na_value=np.nan), lines)
        for p in col_probs:
            problems.append(p)
            bad[p.row - first_row] = True
    if "sbp_mmhg" in typed and "dbp_mmhg" in typed:
        sbp, dbp = cols["sbp_mmhg"].values, cols["dbp_mmhg"].values
        for i in np.flatnonzero(dbp >= sbp):
            problems.append(InputProblem("dbp_mmhg", float(dbp[i]), "diastolic must be below systolic",
                                         int(lines[i])))
            bad[i] = True
    for c in df.columns:
        var = BY_NAME.get(c)
        if var is None or var.kind in NUMERIC_KINDS:
            continue
        coded, col_probs = _parse_coded(var, df[c], lines)
        if var.kind == "bool":  # booleans are stored as 1.0 / 0.0 / NaN
            lut = np.array([1.0 if v else 0.0 for v in coded.levels] + [np.nan])
            cols[c] = NumCol(lut[coded.codes])
        else:
            cols[c] = coded
        for p in col_probs:
            problems.append(p)
            bad[p.row - first_row] = True
    if "screening_profile" in df.columns:
        raw = [None if _missing(v) else str(v).strip() for v in df["screening_profile"].tolist()]
        for i, v in enumerate(raw):
            if v is not None and v not in PROFILES:
                problems.append(InputProblem("screening_profile", v, "unknown screening profile",
                                             int(lines[i]), " | ".join(PROFILES)))
                bad[i] = True
        cols["screening_profile"] = CatCol.from_values([v if v in PROFILES else None for v in raw])
    ff = FactFrame(n, {k: v for k, v in cols.items() if k in kinds}, kinds)
    for p in _cross_checks(ff, lines):
        problems.append(p)
        bad[p.row - first_row] = True
    problems.sort(key=lambda p: (p.row or 0, p.field))
    return ff, problems, bad


def _holds_numbers(col: pd.Series) -> bool:
    """A numeric column, or an object column of numbers and blanks (no text, no yes/no)."""
    if is_bool_dtype(col):
        return False
    if is_numeric_dtype(col):
        return True
    return infer_dtype(col, skipna=True) in ("floating", "integer", "mixed-integer-float", "empty")


def _check_numbers(var, values: np.ndarray, lines: np.ndarray) -> tuple[NumCol, list[InputProblem]]:
    """``parse_assessment``'s number checks on a numeric column: finite, in range, whole counts."""
    with np.errstate(invalid="ignore"):
        infinite = np.isinf(values)
        out_of_range = np.zeros(len(values), dtype=bool)
        if var.lo is not None:
            out_of_range |= values < var.lo
        if var.hi is not None:
            out_of_range |= values > var.hi
        # floor, not `% 1` (an fmod per value): the same test on finite values, far faster
        not_whole = (np.floor(values) != values) & np.isfinite(values) if var.kind == "count" \
            else np.zeros(len(values), bool)
    problems = []
    wrong = infinite | out_of_range | not_whole
    for i in np.flatnonzero(wrong):
        reason = ("not a number" if infinite[i] else "must be a whole number" if not_whole[i] and not out_of_range[i]
                  else "impossible value")
        problems.append(InputProblem(var.name, float(values[i]), reason, int(lines[i]), var.allowed))
    return NumCol(np.where(wrong, np.nan, values)), problems


def _parse_coded(var, column: pd.Series, lines: np.ndarray) -> tuple[CatCol, list[InputProblem]]:
    """Parse a non-numeric column once per distinct raw value."""
    if isinstance(column.dtype, pd.StringDtype | pd.CategoricalDtype):
        # text without mixed kinds: factorised as it is stored, no Python object per row
        codes, found = pd.factorize(column, use_na_sentinel=True)
        uniques = found.tolist()
    else:
        series = pd.Series(column.tolist(), dtype=object)
        try:
            codes, uniques = pd.factorize(series, use_na_sentinel=True)
        except TypeError:  # list cells (from JSON): make them hashable, row by row
            series = series.map(lambda v: tuple(v) if isinstance(v, list | np.ndarray) else v)
            codes, uniques = pd.factorize(series, use_na_sentinel=True)
    blank = np.array([_missing(u) for u in uniques] + [True], dtype=bool)
    codes = np.where(blank[codes], -1, codes)
    levels, ok, errors = [], [], []
    for u, is_blank in zip(uniques, blank[:-1], strict=True):
        if is_blank:  # never referenced: its rows are missing
            levels.append(None)
            ok.append(False)
            errors.append([])
            continue
        value, probs = parse_value(var, list(u) if isinstance(u, tuple) else u)
        levels.append(value)
        errs = [p for p in probs if p.severity == "error"]
        ok.append(value is not None and not errs)
        errors.append(errs)
    problems = []
    codes = codes.astype(np.intp)
    for k, errs in enumerate(errors):
        if not errs:
            continue
        for i in np.flatnonzero(codes == k):
            problems.extend(InputProblem(p.field, p.value, p.message, int(lines[i]), p.allowed)
                            for p in errs)
    good = np.array(ok + [False], dtype=bool)
    codes = np.where(good[codes], codes, -1)
    return CatCol(codes, levels).compact(), problems


def _cross_checks(ff: FactFrame, lines: np.ndarray) -> list[InputProblem]:
    """``parse_assessment``'s cross-field checks, column-wise (dbp < sbp is validate_frame's)."""
    out: list[InputProblem] = []
    h, w = ff.num("height_cm"), ff.num("weight_kg")
    with np.errstate(invalid="ignore", divide="ignore"):
        bmi = w / (h / 100) ** 2
    for i in np.flatnonzero(~np.isnan(bmi) & ~((bmi >= 10) & (bmi <= 80))):
        out.append(InputProblem("weight_kg", float(w[i]), f"BMI {bmi[i]:.1f} is impossible with this height",
                                int(lines[i]), "BMI 10–80"))
    out += _ages(ff, lines)
    age = ff.num("age_years")
    adult = age >= 19
    if adult.any():
        for v in VARIABLES:
            if not v.youth_only or v.name in YOUTH_FIELDS_ALLOWED_FOR_ADULTS or v.name not in ff:
                continue
            col = ff.get(v.name)
            given = ~np.isnan(col.values) if isinstance(col, NumCol) else col.codes >= 0
            for i in np.flatnonzero(given & adult):
                value = float(col.values[i]) if isinstance(col, NumCol) else col.levels[col.codes[i]]
                out.append(InputProblem(v.name, value, "youth-only field given for an adult",
                                        int(lines[i]), "ages < 19"))
    return out


def _ages(ff: FactFrame, lines: np.ndarray) -> list[InputProblem]:
    """Age from birth and test date where age is not given, rounded as parse_assessment does."""
    out: list[InputProblem] = []
    if "birth_date" not in ff:
        return out
    birth, test = ff.get("birth_date"), ff.get("test_date")
    today = dt.date.today()
    b_days = _ordinals(birth)
    t_days = _ordinals(test)
    t_days = np.where(t_days < 0, today.toordinal(), t_days)
    has_birth = b_days >= 0
    after = has_birth & (b_days > t_days)
    for i in np.flatnonzero(after):
        out.append(InputProblem("birth_date", dt.date.fromordinal(int(b_days[i])).isoformat(),
                                "after the test date", int(lines[i])))
    age = ff.num("age_years")
    need = has_birth & ~after & np.isnan(age)
    if need.any():
        days = (t_days - b_days)[need]
        uniq, inv = np.unique(days, return_inverse=True)
        # the same Python expression as parse_assessment, once per distinct day count
        ages = np.array([age_on(dt.date.fromordinal(1), dt.date.fromordinal(1 + int(d)))
                         for d in uniq.tolist()], dtype=float)
        computed = ages[inv.reshape(-1)]
        bad_age = ~((computed >= 3) & (computed <= 110))
        idx = np.flatnonzero(need)
        for j in np.flatnonzero(bad_age):
            i = idx[j]
            out.append(InputProblem("birth_date", dt.date.fromordinal(int(b_days[i])).isoformat(),
                                    f"gives age {computed[j]:.1f}, outside 3–110 y", int(lines[i]),
                                    "age 3–110 y"))
        rounded = np.array([round(float(a), 2) for a in ages])[inv.reshape(-1)]
        new_age = age.copy()
        new_age[idx[~bad_age]] = rounded[~bad_age]
        ff.set("age_years", NumCol(new_age))
    return out


def _ordinals(col) -> np.ndarray:
    if not isinstance(col, CatCol):
        return np.full(len(col.values), -1, dtype=np.int64)
    lut = np.array([d.toordinal() for d in col.levels] + [-1], dtype=np.int64)
    return lut[col.codes]
