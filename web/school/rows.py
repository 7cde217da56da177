"""From an import frame to database rows: pure pandas, no session, no request.

The import preview (``prescribe.school.preview_import``) and the pipeline
(``prescribe.school.run_pipeline``) give one row per student in vocabulary columns. This
module turns such frames into what the tables store, column by column over the whole
frame: the values an ``Assessment`` keeps (exactly what ``parse_assessment`` accepts, so
the clinician pages can re-parse them), the scores in the shape ``web.scoring.score``
writes, the screening columns of ``StudentAssessment``, and the fingerprint that makes a
re-import of the same file change nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import numpy as np
import pandas as pd

from prescribe.vocabulary import BY_NAME

from ..standard_items import standard_group

PERSON_FIELDS = ("sex", "birth_date", "test_date", "age_years")
"""Kept on the patient (or derived from it): never duplicated into assessment values."""
EXTRA_FIELDS = ("va_below_3_left", "va_below_3_right", "se_left_d", "se_right_d",
                "atr_region")
"""Screening details the vocabulary does not name; kept for the record, not for rules."""
RESULT_FIELDS = ("bmi", "bmi_category", "bonus_points", "total_score", "grade",
                 "missing_items", "standard_edition")
TEXT_FIELDS = ("name", "class_code", "class_name", "ethnicity_code", "address")


def school_year(day: dt.date) -> int:
    """The Chinese school year starts in September: a test on 2026-03-10 is 2025's year."""
    return day.year if day.month >= 9 else day.year - 1


def school_years(days: pd.Series) -> pd.Series:
    stamp = pd.to_datetime(days)
    return (stamp.dt.year - (stamp.dt.month < 9)).astype("int64")


def value_columns(frame: pd.DataFrame) -> list[str]:
    """Vocabulary inputs an assessment stores (``grade_code`` included: a record keeps the
    grade it was tested in, whatever grade the child is in now)."""
    return [c for c in frame.columns if c in BY_NAME and not BY_NAME[c].derived
            and c not in PERSON_FIELDS]


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _json_rows(frame: pd.DataFrame) -> list[str]:
    """Each row as compact JSON without its missing cells (sorted keys, Chinese kept)."""
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return [json.dumps({k: _plain(v) for k, v in rec.items() if _plain(v) is not None},
                       ensure_ascii=False, sort_keys=True) for rec in records]


def assessment_values(frame: pd.DataFrame) -> list[str]:
    """``Assessment.values_json`` per row."""
    return _json_rows(frame[value_columns(frame)])


def extra_values(frame: pd.DataFrame) -> list[str | None]:
    cols = [c for c in EXTRA_FIELDS if c in frame.columns]
    if not cols:
        return [None] * len(frame)
    return [None if text == "{}" else text for text in _json_rows(frame[cols])]


HASHED = tuple(sorted({*(v.name for v in BY_NAME.values() if not v.derived
                          and v.name not in PERSON_FIELDS), *EXTRA_FIELDS, "test_date",
                       "class_code"}))
"""What an assessment's fingerprint covers; a column the upload lacks counts as empty."""
SCREENING_FIELDS = ("uncorrected_va_left", "uncorrected_va_right", "spherical_equivalent_d",
                    "atr_deg", "cobb_deg", *EXTRA_FIELDS)
"""Results that often arrive on their own sheet: an upload without them keeps the stored."""


def values_hash(frame: pd.DataFrame) -> pd.Series:
    """A 16-hex-digit fingerprint of what one year's assessment stores (values, test day,
    grade and class), computed over the whole frame at once.

    Everything is hashed as text over a fixed list of columns, so the same sheet read
    from CSV or XLSX, with or without an empty optional column, hashes the same.
    """
    text = frame.reindex(columns=list(HASHED)).astype("string").fillna("")
    hashed = pd.util.hash_pandas_object(text, index=False).to_numpy(dtype=np.uint64)
    return pd.Series(np.char.zfill(np.char.mod("%x", hashed), 16), index=frame.index)


def _group_keys(grades: pd.Series) -> pd.Series:
    """Group key of ``web.standard_items`` per grade code (student groups depend on the
    grade alone), looked up once per distinct code."""
    keys = {g: standard_group(10.0, "M", g).key for g in grades.dropna().unique()}
    return grades.map(keys)


def assessment_scores(screened: pd.DataFrame) -> list[str]:
    """``Assessment.scores_json`` per row, in ``web.scoring.score``'s shape."""
    score_cols = [c for c in screened.columns if c.startswith("score_")]
    result = screened[[c for c in (*RESULT_FIELDS, *score_cols) if c in screened.columns]]
    result = result.astype(object).where(result.notna(), None)
    if "grade" in result.columns:
        result["grade"] = result["grade"].replace("", None)
    flags = pd.DataFrame({
        "bmi": screened["bmi"], "bmi_class": screened["weight_status"],
        "screening_myopia": screened["screening_myopia"], "atr_band": screened["atr_band"]})
    flags = flags.astype(object).where(flags.notna(), None)
    groups = _group_keys(screened["grade_code"].astype("string")).tolist()
    out = []
    for group, res, flag in zip(groups, result.to_dict("records"),
                                flags.to_dict("records"), strict=True):
        out.append(json.dumps({
            "group": group, "standard": "student",
            "result": {k: _plain(v) for k, v in res.items()},
            "flags": {k: _plain(v) for k, v in flag.items() if _plain(v) is not None}},
            ensure_ascii=False, sort_keys=True))
    return out


def _nullable_bool(col: pd.Series) -> list[bool | None]:
    values = col.astype("boolean")
    return [None if v is pd.NA else bool(v) for v in values]


def screening_columns(screened: pd.DataFrame) -> pd.DataFrame:
    """The ``StudentAssessment`` screening columns for every row."""
    total = pd.to_numeric(screened["total_score"], errors="coerce")
    grade = screened["grade"].astype("string").replace("", pd.NA)
    out = pd.DataFrame({
        "total_score": total.astype(object).where(total.notna(), None),
        "grade": grade.astype(object).where(grade.notna(), None),
        "bmi": screened["bmi"].astype(object).where(screened["bmi"].notna(), None),
        "weight_status": screened["weight_status"].astype(object).where(
            screened["weight_status"].notna(), None),
        "atr_band": screened["atr_band"].astype(object).where(
            screened["atr_band"].notna(), None),
        "flagged": screened["flagged"].astype(bool),
        "flag_reasons": screened["flag_reasons"].astype("string").fillna(""),
        "failing_items": screened["failing_items"].astype("string").fillna(""),
    }, index=screened.index)
    out["screening_myopia"] = _nullable_bool(screened["screening_myopia"])
    out["scoliosis_positive"] = _nullable_bool(screened["scoliosis_screen_positive"])
    return out


def text_column(frame: pd.DataFrame, name: str) -> pd.Series:
    """A text column as Python objects (None where empty); absent columns are all None."""
    if name not in frame.columns:
        return pd.Series([None] * len(frame), index=frame.index, dtype=object)
    col = frame[name].astype("string").str.strip().replace("", pd.NA)
    return col.astype(object).where(col.notna(), None)


def row_warnings(frame: pd.DataFrame, problems: list[dict[str, Any]]) -> list[str]:
    """``Assessment.warnings_json`` per row: the preview's warnings located on that line."""
    found: dict[tuple[str, int], list[dict[str, str]]] = {}
    for p in problems:
        if p["severity"] == "warning" and p["row"] is not None:
            found.setdefault((p["file"], int(p["row"])), []).append(
                {"field": p["field"], "message": p["reason"]})
    keys = zip(frame["source_file"].astype(str), frame["source_line"].astype(int), strict=True)
    return [json.dumps(found.get(key, []), ensure_ascii=False) for key in keys]
