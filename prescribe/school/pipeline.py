"""score → screen → prescribe for a whole frame of students, one pure function.

``run_pipeline(frame, assistant)`` screens every student (``screening.screen_students``)
and hands the students a school doctor must look at — by default the ``flagged`` ones
(fail, overweight/obese, screening myopia, positive scoliometer screen) — to the rule
engine's batch path (``Assistant.prescribe_frame``). Its columns come back prefixed
``rx_``. A row with an input error is never prescribed: ``rx_outcome`` is
``invalid_input`` and the row waits for the corrected value (a blanked typo must not
become a healthy default).

The output has a **fixed schema** (``canonical``): numbers float64, counts and scores
nullable Int64, flags nullable boolean, codes and lists as strings (lists ``;``-joined,
free-text problems as JSON), dates as datetime64. Every chunk or partition of a batch
therefore writes the same Parquet schema, and the pandas and Dask engines produce
identical files. The function is row-local (no row depends on another), which is what
makes it safe to run partition by partition.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Protocol

import numpy as np
import pandas as pd

from ..assessment import PASSTHROUGH
from ..vocabulary import BY_NAME, NUMERIC_KINDS
from .screening import screen_students, take_text

PRESCRIBE_FOR = ("flagged", "all", "none")
RX_LISTS = ("referrals", "components", "excluded", "needs_review", "fired")
RX_TEXT = ("outcome", "intensity_cap", "clearance_before")
RX_COLUMNS = ("rx_outcome", "rx_intensity_cap", "rx_clearance_required", "rx_clearance_before",
              *(f"rx_{c}" for c in RX_LISTS), "rx_target_hr_lo", "rx_target_hr_hi",
              "rx_input_errors")
ENGINE_SKIP = ("birth_date",)  # age_years is passed: one age for all steps; test_date
# stays so batch re-test dates count from the test day, as on the single-record path
DATE_COLUMNS = ("birth_date", "test_date")
INT_COLUMNS = ("input_errors",)


class Prescriber(Protocol):
    """What the pipeline needs from ``prescribe.assistant.Assistant``."""

    def prescribe_frame(self, df: pd.DataFrame, *, on_invalid: str = ...,
                        prescriptions: bool = ...,
                        student_scores: pd.DataFrame | None = ...) -> pd.DataFrame: ...


def engine_inputs(screened: pd.DataFrame) -> pd.DataFrame:
    """The columns the rule engine accepts: vocabulary inputs and pass-through IDs."""
    keep = [c for c in screened.columns if c not in ENGINE_SKIP and (
        c in PASSTHROUGH or (c in BY_NAME and not BY_NAME[c].derived))]
    return screened[keep]


def _patterns(values: np.ndarray, render: Any) -> tuple[list[Any], np.ndarray]:
    """(rendered label per distinct list object, index of each row's label).

    The engine shares one list object among all rows of a decision pattern, so grouping by
    object identity renders each pattern once instead of once per child (lists are not
    hashable; the scalar columns go through :func:`_values` instead).
    """
    keys = np.fromiter(map(id, values), dtype=np.int64, count=len(values))
    codes, uniques = pd.factorize(keys)
    first = np.empty(len(uniques), dtype=np.int64)
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)  # first row of each pattern
    return [render(values[i]) for i in first.tolist()], codes


def _values(values: np.ndarray) -> tuple[list[Any], np.ndarray]:
    """(distinct values, index of each row's value; -1 where missing) of a column of
    scalars (codes, yes/no): factorised by value, a few distinct values over many rows."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return list(uniques), codes


def _scatter(labels: list[Any], inverse: np.ndarray, pos: np.ndarray, n: int,
             dtype: str = "string") -> pd.api.extensions.ExtensionArray:
    """Labels of the drafted rows placed at ``pos`` in an ``n``-row column (NA elsewhere)."""
    codes = np.full(n, -1, dtype=np.int64)
    codes[pos] = inverse
    if dtype == "string":
        return take_text(labels, codes)
    return pd.array(labels, dtype=dtype).take(codes, allow_fill=True)


def _join(v: Any) -> str | None:
    return None if v is None else ";".join(map(str, v))


def _json(v: Any) -> str | None:
    return None if v is None or (isinstance(v, float) and np.isnan(v)) else json.dumps(
        v, ensure_ascii=False, default=str)


def _empty(name: str, n: int) -> Any:
    if name.startswith("rx_target"):
        return np.full(n, np.nan)
    dtype = "boolean" if name == "rx_clearance_required" else "string"
    return pd.array([], dtype=dtype).take(np.full(n, -1), allow_fill=True)


def _attach(screened: pd.DataFrame, rx: pd.DataFrame | None, chosen: np.ndarray,
            invalid: np.ndarray) -> pd.DataFrame:
    """Add ``prescribed`` and the ``rx_*`` columns; ``invalid`` rows read invalid_input."""
    n = len(screened)
    out = screened
    cols: dict[str, Any] = {}
    outcome_labels: list[Any] = ["invalid_input"]
    outcome_codes = np.where(invalid, 0, -1).astype(np.int64)
    if rx is not None and len(rx):
        pos = np.flatnonzero(chosen)
        labels, inverse = _values(rx["outcome"].to_numpy(dtype=object))
        outcome_codes[pos] = np.where(inverse < 0, -1, inverse + 1)
        outcome_labels += labels
        for c in ("intensity_cap", "clearance_before"):
            cols[f"rx_{c}"] = _scatter(*_values(rx[c].to_numpy(dtype=object)), pos, n)
        cols["rx_clearance_required"] = _scatter(*_values(
            rx["clearance_required"].to_numpy(dtype=object)), pos, n, "boolean")
        for c in RX_LISTS:
            cols[f"rx_{c}"] = _scatter(*_patterns(rx[c].to_numpy(dtype=object), _join), pos, n)
        for c in ("target_hr_lo", "target_hr_hi"):
            full = np.full(n, np.nan)
            full[pos] = rx[c].to_numpy(dtype=float, na_value=np.nan)
            cols[f"rx_{c}"] = full
        cols["rx_input_errors"] = _scatter(*_patterns(
            rx["input_errors"].to_numpy(dtype=object), _json), pos, n)
        if "prescription" in rx.columns:  # one document per child: nothing to share
            docs = [_json(p) for p in rx["prescription"]]
            cols["rx_prescription"] = _scatter(docs, np.arange(len(docs)), pos, n)
    out["prescribed"] = chosen
    cols["rx_outcome"] = take_text(outcome_labels, outcome_codes)
    for name in (*RX_COLUMNS, *(["rx_prescription"] if "rx_prescription" in cols else [])):
        out[name] = cols[name] if name in cols else _empty(name, n)
    return out


STRING = pd.array([], dtype="string").dtype
DATETIME = np.dtype("datetime64[s]")


def _canonical_column(name: str, col: pd.Series) -> Any:
    """The column in its fixed dtype, or ``None`` when it already has it."""
    var = BY_NAME.get(name)
    if name in DATE_COLUMNS:
        return None if col.dtype == DATETIME else pd.to_datetime(
            col, errors="coerce").astype(DATETIME)
    if name.startswith("score_") or name in ("bonus_points",) or name in INT_COLUMNS:
        return None if col.dtype == "Int64" else pd.to_numeric(
            col, errors="coerce").astype("Int64")
    if var is not None and var.kind in NUMERIC_KINDS or name.startswith("rx_target") \
            or name in ("bmi", "total_score", "atr_deg", "age_years"):
        return None if col.dtype == np.float64 else pd.to_numeric(
            col, errors="coerce").astype("float64")
    if pd.api.types.is_bool_dtype(col) and not isinstance(col.dtype, pd.BooleanDtype) \
            and not col.isna().any():
        return None if col.dtype == np.bool_ else col.astype(bool)
    if isinstance(col.dtype, pd.BooleanDtype):
        return None
    if pd.api.types.is_float_dtype(col):
        return None if col.dtype == np.float64 else col.astype("float64")
    return None if col.dtype == STRING else col.astype("string")


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """Fix every column's dtype so that any two chunks share one Parquet schema.

    A new frame (the input is not changed); columns that already have their dtype are
    shared, not copied, and the frame is not consolidated into 2-D blocks — a chunk goes
    straight to Arrow, column by column.
    """
    out = frame.copy(deep=False)
    for name in frame.columns:
        converted = _canonical_column(name, frame[name])
        if converted is not None:
            out[name] = converted
    return out


def student_scores(screened: pd.DataFrame) -> pd.DataFrame:
    """The screening's 2014 scores in the shape the engine takes (``grade``, ``score_*``).

    The engine's inputs are the screened (cleaned) columns, so these are exactly the scores
    the engine would compute from them: passing them lets the standard run once per child.
    """
    return screened[["grade", *(c for c in screened.columns if c.startswith("score_"))]]


def run_pipeline(frame: pd.DataFrame, assistant: Prescriber | None = None, *,
                 prescribe_for: str = "flagged", on: dt.date | None = None,
                 prescriptions: bool = False, reuse_scores: bool = True) -> pd.DataFrame:
    """Screen every row, prescribe for the chosen rows; one output row per input row.

    ``prescribe_for``: ``flagged`` (default), ``all`` or ``none``; ``prescriptions=True``
    adds the full prescription JSON per prescribed row (slow: one document per child).
    ``reuse_scores`` (default): the engine takes the screening's student-standard scores
    instead of scoring the children again; ``False`` lets it score them itself — the same
    output, slower (a test holds the two equal).
    """
    if prescribe_for not in PRESCRIBE_FOR:
        raise ValueError(f"prescribe_for must be one of {', '.join(PRESCRIBE_FOR)}")
    screened = screen_students(frame, on=on)
    invalid = screened["input_errors"].to_numpy() > 0
    if "has_error" in screened.columns:  # an import preview's own template checks
        invalid |= screened["has_error"].astype("boolean").fillna(False).to_numpy(bool)
    drafting = assistant is not None and prescribe_for != "none"
    wanted = np.zeros(len(screened), dtype=bool)
    if drafting:
        wanted = screened["flagged"].to_numpy(bool) if prescribe_for == "flagged" else ~wanted
    chosen = wanted & ~invalid
    rx = None
    if chosen.any():
        drafted = screened[chosen]
        rx = assistant.prescribe_frame(
            engine_inputs(drafted), on_invalid="mark", prescriptions=prescriptions,
            student_scores=student_scores(drafted) if reuse_scores else None)
    # a row with a bad cell is reported as such even when it raised no flag: the flags
    # were computed without that value
    out = _attach(screened, rx, chosen, invalid & drafting)
    return canonical(out)
