"""Parsing assessments at the boundary: one record (a clinician's form, a JSON file) or a
batch (a DataFrame from CSV/XLSX). Both report *every* problem at once, each naming the
field, the value and the allowed range (and the row, in a batch), so a person fixes the
input in one pass. Impossible values are errors; unusual but possible values are warnings.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from . import codes
from .errors import AssessmentError, InputProblem
from .vocabulary import BY_NAME, NUMERIC_KINDS, Variable

SEX_ALIASES = {"M": "M", "F": "F", "男": "M", "女": "F", "1": "M", "2": "F", "m": "M",
               "f": "F", "male": "M", "female": "F", "Male": "M", "Female": "F"}
TRUE_WORDS = {"true", "yes", "y", "1", "是", "有"}
FALSE_WORDS = {"false", "no", "n", "0", "否", "无"}

# Fields that are not vocabulary variables but are carried through untouched.
PASSTHROUGH = {"person_id", "student_id", "name", "id", "class_code", "class_name",
               "school", "lang", "screening_profile"}


@dataclass(frozen=True)
class Assessment:
    """A validated assessment: values keyed by vocabulary name, plus warnings.

    ``values`` holds only fields that were given (missing stays missing: the engine must see
    the difference between "absent" and "normal").
    """

    values: Mapping[str, Any]
    warnings: tuple[InputProblem, ...] = field(default=())

    def get(self, name: str, default: Any = None) -> Any:
        return self.values.get(name, default)

    def to_dict(self) -> dict[str, Any]:
        out = {}
        for k, v in self.values.items():
            out[k] = v.isoformat() if isinstance(v, dt.date) else (list(v) if isinstance(v, tuple) else v)
        return out


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    if len(text) == 8 and text.isdigit():  # 20150304, as the school template writes it
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    return dt.date.fromisoformat(text)


def age_on(birth: dt.date, on: dt.date) -> float:
    """Exact age in years (days / 365.2425), which half-year tables need."""
    return (on - birth).days / 365.2425


def _check_number(var: Variable, raw: Any, row: int | None) -> tuple[Any, list[InputProblem]]:
    try:
        if isinstance(raw, bool):
            raise ValueError
        num = float(str(raw).strip()) if isinstance(raw, str) else float(raw)
        if math.isnan(num) or math.isinf(num):
            raise ValueError
    except (TypeError, ValueError):
        return None, [InputProblem(var.name, raw, f"not a number ({var.unit or var.kind})", row, var.allowed)]
    if var.kind == "count":
        if num != int(num):
            return None, [InputProblem(var.name, raw, "must be a whole number", row, var.allowed)]
        num = int(num)
    if (var.lo is not None and num < var.lo) or (var.hi is not None and num > var.hi):
        return None, [InputProblem(var.name, raw, "impossible value", row, var.allowed)]
    probs = []
    if (var.warn_lo is not None and num < var.warn_lo) or (var.warn_hi is not None and num > var.warn_hi):
        probs.append(InputProblem(var.name, raw, "unusual value: please re-check", row,
                                  var.allowed, severity="warning"))
    return num, probs


def _as_list(raw: Any) -> list[str]:
    if isinstance(raw, str):
        parts = raw.replace("；", ";").replace("，", ",").replace("、", ",").replace(";", ",").split(",")
        return [p.strip() for p in parts if p.strip()]
    return [str(x).strip() for x in raw if str(x).strip()]


def parse_value(var: Variable, raw: Any, row: int | None = None) -> tuple[Any, list[InputProblem]]:
    """Convert one raw value to its vocabulary type; return (value or None, problems)."""
    if var.kind in NUMERIC_KINDS:
        return _check_number(var, raw, row)
    if var.kind == "date":
        try:
            return parse_date(raw), []
        except (TypeError, ValueError):
            return None, [InputProblem(var.name, raw, "not a date (YYYY-MM-DD)", row, "YYYY-MM-DD")]
    if var.kind == "bool":
        if isinstance(raw, bool):
            return raw, []
        word = str(raw).strip().lower()
        if word in TRUE_WORDS:
            return True, []
        if word in FALSE_WORDS:
            return False, []
        return None, [InputProblem(var.name, raw, "not yes/no", row, "true | false")]
    if var.kind == "enum":
        text = str(raw).strip()
        if text.endswith(".0") and text[:-2].isdigit():
            text = text[:-2]
        if var.name == "sex":
            text = SEX_ALIASES.get(text, text)
        if text not in var.choices:
            return None, [InputProblem(var.name, raw, "not an allowed value", row, var.allowed)]
        return text, []
    if var.kind == "list":
        items = _as_list(raw)
        if var.name == "conditions":
            return codes.resolve_conditions(items, row)
        if var.name == "medications":
            return codes.resolve_medications(items, row)
        if var.name == "symptoms":
            return codes.resolve_symptoms(items, row)
        bad = [i for i in items if var.choices and i not in var.choices]
        if bad:
            return None, [InputProblem(var.name, bad, "unknown code(s)", row, var.allowed)]
        return tuple(items), []
    return str(raw).strip(), []


def _cross_checks(values: dict[str, Any], row: int | None) -> list[InputProblem]:
    probs: list[InputProblem] = []
    sbp, dbp = values.get("sbp_mmhg"), values.get("dbp_mmhg")
    if sbp is not None and dbp is not None and dbp >= sbp:
        probs.append(InputProblem("dbp_mmhg", dbp, "diastolic must be below systolic", row,
                                  f"< {sbp}"))
    h, w = values.get("height_cm"), values.get("weight_kg")
    if h is not None and w is not None:
        bmi = w / (h / 100) ** 2
        if not 10 <= bmi <= 80:
            probs.append(InputProblem("weight_kg", w, f"BMI {bmi:.1f} is impossible with this height",
                                      row, "BMI 10–80"))
    birth, test = values.get("birth_date"), values.get("test_date")
    if birth is not None:
        on = test or dt.date.today()
        if birth > on:
            probs.append(InputProblem("birth_date", birth.isoformat(), "after the test date", row))
        elif "age_years" not in values:
            age = age_on(birth, on)
            if not 3 <= age <= 110:
                probs.append(InputProblem("birth_date", birth.isoformat(),
                                          f"gives age {age:.1f}, outside 3–110 y", row, "age 3–110 y"))
            else:
                values["age_years"] = round(age, 2)
    age = values.get("age_years")
    if age is not None and age >= 19:
        for name in list(values):
            var = BY_NAME.get(name)
            if var is not None and var.youth_only and name not in ("mvpa_min_per_day",
                                                                     "outdoor_min_per_day",
                                                                     "screen_min_per_day"):
                probs.append(InputProblem(name, values[name], "youth-only field given for an adult",
                                          row, "ages < 19"))
    return probs


def parse_assessment(data: Mapping[str, Any], *, row: int | None = None) -> Assessment:
    """Validate one assessment; raise ``AssessmentError`` listing every problem.

    Unknown field names are errors with a suggestion, so a typo (``sbp``) never silently
    drops a blood pressure.
    """
    from difflib import get_close_matches

    values: dict[str, Any] = {}
    problems: list[InputProblem] = []
    for key, raw in data.items():
        if key in PASSTHROUGH:
            if not _is_missing(raw):
                values[key] = raw
            continue
        var = BY_NAME.get(key)
        if var is None or var.derived:
            hint = get_close_matches(key, list(BY_NAME), n=1, cutoff=0.5) or [
                n for n in BY_NAME if n.startswith(key.lower() + "_")][:1]
            problems.append(InputProblem(
                key, raw, f"unknown field; did you mean `{hint[0]}`?" if hint else "unknown field", row))
            continue
        if _is_missing(raw) or (isinstance(raw, list | tuple) and not raw):
            continue
        value, probs = parse_value(var, raw, row)
        problems.extend(probs)
        if value is not None:
            values[key] = value
    problems.extend(_cross_checks(values, row))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise AssessmentError(problems)
    return Assessment(values, tuple(p for p in problems if p.severity == "warning"))


def validate_frame(frame: pd.DataFrame, *, first_row: int = 2) -> tuple[pd.DataFrame, list[InputProblem]]:
    """Validate a batch column by column (vectorised) and return (clean frame, problems).

    The clean frame has numeric columns as float and NaN where missing; problems carry the
    1-based file line (``first_row`` is the line of the first data row: 2 under a header).
    A row with any error is kept in the frame but listed; callers decide whether to drop
    invalid rows (``--skip-invalid``) or refuse the file.
    """
    out = frame.copy()
    problems: list[InputProblem] = []
    lines = np.arange(len(frame)) + first_row
    for col in frame.columns:
        var = BY_NAME.get(col)
        if var is None or var.kind not in NUMERIC_KINDS:
            continue
        raw = frame[col]
        if pd.api.types.is_numeric_dtype(raw):  # fast path: nothing to parse
            num = raw.astype(float)
            bad_type = pd.Series(False, index=raw.index)
        else:
            num = pd.to_numeric(raw, errors="coerce")
            present = ~raw.isna() & (raw.astype(str).str.strip() != "")
            bad_type = present & num.isna()
        bad = bad_type.copy()
        lo = num < var.lo if var.lo is not None else pd.Series(False, index=num.index)
        hi = num > var.hi if var.hi is not None else pd.Series(False, index=num.index)
        out_of_range = lo | hi
        not_whole = (num % 1 != 0) & num.notna() if var.kind == "count" else pd.Series(False, index=num.index)
        bad = bad | out_of_range | not_whole
        for i in np.flatnonzero(bad.to_numpy()):
            reason = ("not a number" if bad_type.iat[i] else
                      "must be a whole number" if not_whole.iat[i] else "impossible value")
            problems.append(InputProblem(col, raw.iat[i], reason, int(lines[i]), var.allowed))
        out[col] = num.where(~bad)
    if "sbp_mmhg" in out and "dbp_mmhg" in out:
        clash = (out["dbp_mmhg"] >= out["sbp_mmhg"]).to_numpy()
        for i in np.flatnonzero(clash):
            problems.append(InputProblem("dbp_mmhg", frame["dbp_mmhg"].iat[i],
                                         "diastolic must be below systolic", int(lines[i])))
    problems.sort(key=lambda p: (p.row or 0, list(frame.columns).index(p.field)
                                 if p.field in frame.columns else 0))
    return out, problems
