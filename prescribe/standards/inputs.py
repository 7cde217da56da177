"""Checking and cleaning the inputs a standard needs, for a frame or a single record.

Numbers go through ``prescribe.assessment`` (``validate_frame`` / ``parse_assessment``) so
that limits and messages are the vocabulary's; this module adds what scoring needs on
top: sex and grade code present and known, an age the edition has a group for (from
``age_years`` or from ``birth_date`` + ``test_date`` by calendar months), a plausible BMI,
and a hint when an endurance time was typed as minutes.seconds (3.40). Columns whose
dtype is already numeric are range-checked here directly, with the same messages, because
``validate_frame`` renders every value as text and costs about 0.5 s per million rows
per column.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import is_numeric_dtype

from ..assessment import SEX_ALIASES, parse_assessment, validate_frame
from ..errors import AssessmentError, InputProblem
from ..tabular import parse_min_sec, parse_time
from ..vocabulary import BY_NAME
from .dates import age_in_months, parse_date_one, parse_dates
from .physique import compile_physique
from .student import compile_student

MINUTE_ITEMS = ("run_800m_s", "run_1000m_s", "shuttle_run_50mx8_s")
AGE_NEEDED = "age_years, or birth_date and test_date, is required"
SEX_ALLOWED = "M | F | 男 | 女 | 1 | 2"


def numeric_inputs(standard: str, edition: str) -> list[str]:
    """The numeric columns a standard reads (anthropometry, age, items)."""
    if standard == "student":
        return ["height_cm", "weight_kg", *compile_student(edition).items]
    return ["age_years", "height_cm", "weight_kg",
            *(i for i in compile_physique(edition).items if i != "height_cm")]


def _lines(frame: pd.DataFrame) -> np.ndarray:
    if frame.index.name == "line":
        return frame.index.to_numpy(dtype=np.int64)
    return np.arange(len(frame), dtype=np.int64) + 2


def _hint(p: InputProblem) -> InputProblem:
    if p.field not in MINUTE_ITEMS:
        return p
    if p.message == "not a number":
        return dataclasses.replace(p, message="not a time: write 3'40\" or seconds (220)")
    value = pd.to_numeric(pd.Series([p.value]), errors="coerce").iloc[0]
    if p.message == "impossible value" and value < 20:
        return dataclasses.replace(p, message="looks like minutes.seconds: write 3'40\" or "
                                              "seconds (220)")
    return p


def _check_numeric(name: str, num: np.ndarray, lines: np.ndarray) -> list[InputProblem]:
    """``validate_frame``'s checks on an already numeric column, in a few array passes."""
    var = BY_NAME[name]
    lo = -np.inf if var.lo is None else var.lo
    hi = np.inf if var.hi is None else var.hi
    with np.errstate(invalid="ignore"):
        given = ~np.isnan(num)
        bad = ~((num >= lo) & (num <= hi)) & given  # also catches ±inf
        if var.kind == "count":
            bad |= (num != np.floor(num)) & given
    out = []
    for i in np.flatnonzero(bad):
        value = float(num[i])
        reason = ("not a number" if math.isinf(value) else "impossible value"
                  if not lo <= value <= hi else "must be a whole number")
        out.append(InputProblem(name, value, reason, int(lines[i]), var.allowed))
    return out


def prepare_frame(frame: pd.DataFrame, standard: str, edition: str
                  ) -> tuple[pd.DataFrame, list[InputProblem]]:
    """Clean the columns ``standard`` needs; return (clean frame, every problem found).

    Problem rows are file lines when the frame's index is named ``line`` (as
    ``prescribe.tabular.read_table`` makes it), else data-row position + 2 (a header line).
    """
    lines = _lines(frame)
    columns: dict[str, np.ndarray] = {}
    problems: list[InputProblem] = []
    slow: dict[str, pd.Series] = {}
    for name in numeric_inputs(standard, edition):
        if name not in frame.columns:
            continue
        col = frame[name]
        if name.endswith("_s") and not is_numeric_dtype(col):
            parsed = parse_min_sec(col)
            col = parsed.astype(object).where(~(col.notna() & parsed.isna()), col)
        if is_numeric_dtype(col):
            columns[name] = col.to_numpy(dtype=float, na_value=np.nan, copy=True)
            problems += _check_numeric(name, columns[name], lines)
        else:
            slow[name] = col
    if slow:
        checked, probs = validate_frame(pd.DataFrame({k: v.to_numpy() for k, v in slow.items()}),
                                        first_row=0)
        problems += [dataclasses.replace(p, row=int(lines[p.row])) for p in probs]
        for name in slow:
            columns[name] = checked[name].to_numpy(dtype=float, na_value=np.nan, copy=True)
    for name, values in columns.items():  # bad cells become missing in the clean frame
        bad = [p.row for p in problems if p.field == name]
        if bad:
            values[np.isin(lines, bad)] = np.nan
    clean = pd.DataFrame(columns, index=frame.index, copy=False)
    problems += _check_sex(frame, clean, lines)
    if standard == "student":
        problems += _check_grade(frame, clean, lines, edition)
    else:
        problems += _check_age(frame, clean, lines, edition)
    problems += _check_bmi(frame, clean, lines)
    problems = [_hint(p) for p in problems]
    order = {c: i for i, c in enumerate(frame.columns)}
    problems.sort(key=lambda p: (p.row or 0, order.get(p.field, len(order))))
    return clean, problems


def _text(frame: pd.DataFrame, name: str) -> pd.Series:
    """The column with blank text as missing (all missing when the column is absent)."""
    if name not in frame.columns:
        return pd.Series(np.nan, index=frame.index, dtype=object)
    col = frame[name]
    if is_numeric_dtype(col) or pd.api.types.is_datetime64_any_dtype(col):
        return col
    return col.where(~(col.isna() | col.astype(str).str.strip().eq("")))


def _coded(frame: pd.DataFrame, name: str, known: Mapping[str, str]
           ) -> tuple[pd.Series, pd.Series]:
    """(raw with blanks as missing, canonical code or NaN); codes already canonical are
    recognised in one hashing pass, the rest are stripped, '1.0' → '1', and mapped."""
    if name not in frame.columns:
        empty = pd.Series(np.nan, index=frame.index, dtype=object)
        return empty, empty
    col = frame[name]
    direct = col.isin(sorted(set(known.values())))
    if direct.all():
        return col, col
    canon = col.astype(object).where(direct)
    raw = col.astype(object)
    rest = (~direct & col.notna()).to_numpy()
    if rest.any():
        text = col[rest].astype(str).str.strip().str.replace(r"\.0$", "", regex=True)
        canon[rest] = text.map(known).to_numpy(dtype=object)
        raw[rest] = text.where(text.ne(""), None).to_numpy(dtype=object)
    return raw, canon


def _check_sex(frame: pd.DataFrame, clean: pd.DataFrame, lines: np.ndarray) -> list[InputProblem]:
    raw, sex = _coded(frame, "sex", SEX_ALIASES)
    clean["sex"] = sex
    return [InputProblem("sex", raw.iat[i], "missing: sex is required" if pd.isna(raw.iat[i])
                         else "not an allowed value", int(lines[i]), SEX_ALLOWED)
            for i in np.flatnonzero(sex.isna().to_numpy())]


def _check_grade(frame: pd.DataFrame, clean: pd.DataFrame, lines: np.ndarray,
                 edition: str) -> list[InputProblem]:
    known = {c: c for c in compile_student(edition).group_of_code}
    raw, grade = _coded(frame, "grade_code", known)
    clean["grade_code"] = grade
    allowed = " | ".join(known)
    return [InputProblem("grade_code", raw.iat[i], "missing: the grade code is required"
                         if pd.isna(raw.iat[i]) else "unknown grade code", int(lines[i]), allowed)
            for i in np.flatnonzero(grade.isna().to_numpy())]


def _check_age(frame: pd.DataFrame, clean: pd.DataFrame, lines: np.ndarray,
               edition: str) -> list[InputProblem]:
    problems: list[InputProblem] = []
    age = clean["age_years"] if "age_years" in clean else pd.Series(np.nan, index=frame.index)
    given_age = _text(frame, "age_years").notna().to_numpy()
    birth_raw, test_raw = _text(frame, "birth_date"), _text(frame, "test_date")
    birth, test = parse_dates(birth_raw), parse_dates(test_raw)
    use_dates = ~given_age
    for name, raw, parsed in (("birth_date", birth_raw, birth), ("test_date", test_raw, test)):
        bad = use_dates & raw.notna().to_numpy() & parsed.isna().to_numpy()
        problems += [InputProblem(name, raw.iat[i], "not a date (YYYY-MM-DD)", int(lines[i]),
                                  "YYYY-MM-DD") for i in np.flatnonzero(bad)]
    have = use_dates & birth.notna().to_numpy() & test.notna().to_numpy()
    months = age_in_months(birth, test).to_numpy(dtype=float, na_value=np.nan)
    after = have & (months < 0)
    problems += [InputProblem("birth_date", birth_raw.iat[i], "after the test date",
                              int(lines[i])) for i in np.flatnonzero(after)]
    computed = np.where(have & ~after, months / 12.0, np.nan)
    out_of_range = ~np.isnan(computed) & ((computed < 3) | (computed > 110))
    problems += [InputProblem("birth_date", birth_raw.iat[i], f"gives age {computed[i]:.1f}, "
                              "outside 3–110 y", int(lines[i]), "age 3–110 y")
                 for i in np.flatnonzero(out_of_range)]
    reported = {p.row for p in problems}
    age = np.where(given_age, age.to_numpy(dtype=float), np.where(out_of_range, np.nan, computed))
    neither = np.isnan(age) & ~given_age & ~np.isin(lines, list(reported))
    problems += [InputProblem("age_years", None, AGE_NEEDED, int(lines[i]))
                 for i in np.flatnonzero(neither)]
    tables = compile_physique(edition)
    outside = ~np.isnan(age) & (tables.band_of(age) < 0)
    problems += [InputProblem("age_years" if given_age[i] else "birth_date",
                              float(round(age[i], 2)) if given_age[i] else birth_raw.iat[i],
                              f"age {age[i]:.1f} y has no group in {edition}",
                              int(lines[i]), tables.covered_ages())
                 for i in np.flatnonzero(outside)]
    clean["age_years"] = age
    return problems


def _check_bmi(frame: pd.DataFrame, clean: pd.DataFrame, lines: np.ndarray) -> list[InputProblem]:
    if "height_cm" not in clean or "weight_kg" not in clean:
        return []
    h, w = clean["height_cm"].to_numpy(float), clean["weight_kg"].to_numpy(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        bmi = w / (h / 100) ** 2
    bad = ~np.isnan(bmi) & ((bmi < 10) | (bmi > 80))
    return [InputProblem("weight_kg", float(w[i]),
                         f"BMI {bmi[i]:.1f} is impossible with this height", int(lines[i]),
                         "BMI 10–80") for i in np.flatnonzero(bad)]


def rows_with_errors(frame: pd.DataFrame, problems: list[InputProblem]) -> np.ndarray:
    """Boolean mask of the rows that have at least one error."""
    bad = [p.row for p in problems if p.severity == "error" and p.row is not None]
    return np.isin(_lines(frame), bad)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        isinstance(value, str) and not value.strip())


def prepare_record(record: Mapping[str, Any], standard: str, edition: str) -> dict[str, Any]:
    """Clean one record the way :func:`prepare_frame` cleans a row; raise every problem."""
    names = numeric_inputs(standard, edition)
    subset: dict[str, Any] = {}
    for name in ["sex", *names] + (["grade_code"] if standard == "student" else []):
        raw = record.get(name)
        if _missing(raw):
            continue
        if name.endswith("_s") and isinstance(raw, str):
            seconds = parse_time(raw)
            raw = raw if seconds is None else seconds
        if name == "grade_code" and isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        subset[name] = raw
    problems: list[InputProblem] = []
    values: dict[str, Any] = {}
    try:
        values = dict(parse_assessment(subset).values)
    except AssessmentError as exc:
        problems += [_hint(p) for p in exc.problems if p.severity == "error"]
    if "sex" not in subset:
        problems.append(InputProblem("sex", None, "missing: sex is required",
                                     allowed=SEX_ALLOWED))
    if standard == "student" and "grade_code" not in subset:
        problems.append(InputProblem("grade_code", None, "missing: the grade code is required"))
    if standard == "physique" and not any(p.field == "age_years" for p in problems):
        values["age_years"] = _record_age(record, subset, edition, problems)
    if problems:
        raise AssessmentError(problems)
    return values


def _record_age(record: Mapping[str, Any], subset: dict, edition: str,
                problems: list[InputProblem]) -> float | None:
    if "age_years" in subset:
        age = float(subset["age_years"])
        field, shown = "age_years", round(age, 2)
    else:
        birth, test = record.get("birth_date"), record.get("test_date")
        if _missing(birth) or _missing(test):
            problems.append(InputProblem("age_years", None, AGE_NEEDED))
            return None
        b, t = parse_date_one(birth), parse_date_one(test)
        for name, raw, got in (("birth_date", birth, b), ("test_date", test, t)):
            if got is None:
                problems.append(InputProblem(name, raw, "not a date (YYYY-MM-DD)",
                                             allowed="YYYY-MM-DD"))
        if b is None or t is None:
            return None
        months = (t[0] - b[0]) * 12 + (t[1] - b[1]) - int(t[2] < b[2])
        if months < 0:
            problems.append(InputProblem("birth_date", birth, "after the test date"))
            return None
        age = months / 12.0
        if not 3 <= age <= 110:
            problems.append(InputProblem("birth_date", birth, f"gives age {age:.1f}, outside "
                                         "3–110 y", allowed="age 3–110 y"))
            return None
        field, shown = "birth_date", birth
    tables = compile_physique(edition)
    if tables.band_of(np.array([age]))[0] < 0:
        problems.append(InputProblem(field, shown, f"age {age:.1f} y has no group in {edition}",
                                     allowed=tables.covered_ages()))
    return age
