"""Report DATA for a class or a school: the numbers a school doctor reads out at the term
meeting and the district asks for, computed from a screened frame (see
``screening.screen_students``). No layout here: the web page and the PDF render these dicts.

Conventions, chosen so that reports from different schools add up:

* Every share is ``{n, of, share}``: numerator, denominator (students with the value),
  share (``None`` when the denominator is 0). Students without a value are left out of
  the denominator, never counted as healthy.
* An item "passes" at a score ≥ 60 (the 2014 standard's pass line for the total, applied
  per item as school reports do).
* The plan target is ≥ 60 % good or excellent (达标优良率, 2030 youth plan).
* Last year's data may come as a screened frame (paired by 学籍号 ``student_id``, the only
  comparison that says whether *these* children improved) or as last year's report dict
  (aggregate comparison only).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from .kpi import STUDENT_GOOD_EXCELLENT_TARGET

GRADES = ("excellent", "good", "pass", "fail")
GRADE_RANK = {"fail": 0, "pass": 1, "good": 2, "excellent": 3}
ITEM_PASS_SCORE = 60
HEADLINE = ("mean_total_score", "good_excellent", "pass_or_better", "overweight_or_obese",
            "screening_myopia", "scoliosis_positive")


def _share(hits: pd.Series, counted: pd.Series) -> dict[str, Any]:
    n, of = int((hits & counted).sum()), int(counted.sum())
    return {"n": n, "of": of, "share": (n / of) if of else None}


def _flag_share(frame: pd.DataFrame, column: str) -> dict[str, Any]:
    if column not in frame.columns:
        return {"n": 0, "of": 0, "share": None}
    col = frame[column].astype("boolean")
    return _share(col.fillna(False).astype(bool), col.notna().to_numpy())


def _items(frame: pd.DataFrame) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for col in frame.columns:
        if not str(col).startswith("score_"):
            continue
        score = pd.to_numeric(frame[col], errors="coerce")
        tested = score.notna()
        if not tested.any():
            continue
        out[str(col)[len("score_"):]] = {
            **_share((score >= ITEM_PASS_SCORE).fillna(False).astype(bool), tested),
            "mean_score": round(float(score.mean()), 1),
        }
    return out


def _grades(frame: pd.DataFrame) -> pd.Series:
    if "grade" not in frame.columns:
        return pd.Series(pd.NA, index=frame.index, dtype="string")
    return frame["grade"].astype("string").str.lower()


def _summary(frame: pd.DataFrame) -> dict[str, Any]:
    grade = _grades(frame)
    graded = grade.isin(GRADES).fillna(False).astype(bool)
    counts = {g: int((grade == g).fillna(False).sum()) for g in GRADES}
    total = pd.to_numeric(frame.get("total_score", pd.Series(index=frame.index, dtype=float)),
                          errors="coerce")
    weight = frame.get("weight_status", pd.Series(pd.NA, index=frame.index)).astype("string")
    weighed = weight.isin(("normal", "overweight", "obese")).fillna(False).astype(bool)
    good_exc = _share(grade.isin(("excellent", "good")).fillna(False).astype(bool), graded)
    return {
        "n_students": len(frame),
        "n_graded": int(graded.sum()),
        "grade_distribution": {g: {"n": counts[g], "share": counts[g] / graded.sum()
                                   if graded.any() else None} for g in GRADES},
        "mean_total_score": round(float(total.mean()), 1) if total.notna().any() else None,
        "items": _items(frame),
        "good_excellent": {**good_exc, "target": STUDENT_GOOD_EXCELLENT_TARGET,
                           "meets_target": None if good_exc["share"] is None
                           else good_exc["share"] >= STUDENT_GOOD_EXCELLENT_TARGET},
        "pass_or_better": _share(grade.isin(("excellent", "good", "pass")).fillna(False)
                                 .astype(bool), graded),
        "overweight": _share((weight == "overweight").fillna(False).astype(bool), weighed),
        "obese": _share((weight == "obese").fillna(False).astype(bool), weighed),
        "overweight_or_obese": _share(weight.isin(("overweight", "obese")).fillna(False)
                                      .astype(bool), weighed),
        "screening_myopia": _flag_share(frame, "screening_myopia"),
        "scoliosis_positive": _flag_share(frame, "scoliosis_screen_positive"),
    }


def _headline(report: Mapping[str, Any], key: str) -> float | None:
    value = report.get(key)
    return value.get("share") if isinstance(value, Mapping) else value


def _aggregate_change(now: Mapping[str, Any], before: Mapping[str, Any]) -> dict[str, Any]:
    out = {}
    for key in HEADLINE:
        a, b = _headline(now, key), _headline(before, key)
        out[key] = {"now": a, "last_year": b,
                    "change": None if a is None or b is None else a - b}
    return out


def _paired_change(frame: pd.DataFrame, last_year: pd.DataFrame) -> dict[str, Any]:
    """Same children, this year vs last: matched by 学籍号, never by name."""
    cols = [c for c in ("student_id", "total_score", "grade") if c in last_year.columns]
    if "student_id" not in cols or "student_id" not in frame.columns:
        raise KeyError("paired comparison needs a student_id (学籍号) column in both frames")
    before = last_year[cols].drop_duplicates("student_id", keep="last")
    now = frame[[c for c in cols if c in frame.columns]].drop_duplicates("student_id",
                                                                        keep="last")
    both = now.merge(before, on="student_id", suffixes=("", "_last"))
    out: dict[str, Any] = {"n_matched": len(both), "n_new": len(now) - len(both),
                           "n_left": len(before) - len(both)}
    if "total_score" in both and "total_score_last" in both:
        diff = (pd.to_numeric(both["total_score"], errors="coerce")
                - pd.to_numeric(both["total_score_last"], errors="coerce")).dropna()
        out["mean_total_change"] = round(float(diff.mean()), 1) if len(diff) else None
    if "grade" in both and "grade_last" in both:
        a = both["grade"].astype("string").str.lower().map(GRADE_RANK)
        b = both["grade_last"].astype("string").str.lower().map(GRADE_RANK)
        known = a.notna() & b.notna()
        out["grade_moves"] = {"up": int((a > b)[known].sum()), "same": int((a == b)[known].sum()),
                              "down": int((a < b)[known].sum())}
    return out


def class_report(frame: pd.DataFrame,
                 last_year: pd.DataFrame | Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Report data for one group of students (a class, a grade, a school).

    ``last_year``: a screened frame (paired by 学籍号 plus aggregate change) or last year's
    report dict (aggregate change only).
    """
    report = _summary(frame)
    if last_year is None:
        return report
    if isinstance(last_year, pd.DataFrame):
        before = _summary(last_year)
        report["last_year"] = {"aggregate": _aggregate_change(report, before),
                               "paired": _paired_change(frame, last_year)}
    else:
        report["last_year"] = {"aggregate": _aggregate_change(report, last_year)}
    return report


def _label(key: Any) -> str:
    """Group key → text; a missing grade or class code reads ``unknown``."""
    parts = key if isinstance(key, tuple) else (key,)
    return "|".join("unknown" if pd.isna(k) else str(k) for k in parts)


def school_report(frame: pd.DataFrame,
                  last_year: pd.DataFrame | Mapping[str, Any] | None = None, *,
                  class_columns: tuple[str, ...] = ("grade_code", "class_code"),
                  grade_column: str = "grade_code") -> dict[str, Any]:
    """Report data for a school: the whole school, each school grade and each class.

    Classes are keyed by ``class_columns`` joined with ``|`` (年级编号|班级编号, since
    班级编号 alone repeats across grades). A last-year frame is split the same way so each
    class is compared with its own children; a last-year dict compares the school only.
    """
    missing = [c for c in (*class_columns, grade_column) if c not in frame.columns]
    if missing:
        raise KeyError(f"school_report needs column(s) {missing}")
    paired = last_year if isinstance(last_year, pd.DataFrame) else None
    out: dict[str, Any] = {"school": class_report(frame, last_year), "grades": {}, "classes": {}}
    for key, part in frame.groupby(grade_column, sort=True, dropna=False):
        out["grades"][_label(key)] = class_report(part, _subset(paired, part))
    for key, part in frame.groupby(list(class_columns), sort=True, dropna=False):
        out["classes"][_label(key)] = class_report(part, _subset(paired, part))
    return out


def _subset(last_year: pd.DataFrame | None, part: pd.DataFrame) -> pd.DataFrame | None:
    """Last year's rows for the children now in ``part`` (they have moved up a grade)."""
    if last_year is None or "student_id" not in part.columns:
        return None
    return last_year[last_year["student_id"].isin(part["student_id"])]
