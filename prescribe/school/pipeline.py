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
from .screening import screen_students

PRESCRIBE_FOR = ("flagged", "all", "none")
RX_LISTS = ("referrals", "components", "excluded", "needs_review", "fired")
RX_TEXT = ("outcome", "intensity_cap", "clearance_before")
RX_COLUMNS = ("rx_outcome", "rx_intensity_cap", "rx_clearance_required", "rx_clearance_before",
              *(f"rx_{c}" for c in RX_LISTS), "rx_target_hr_lo", "rx_target_hr_hi",
              "rx_input_errors")
ENGINE_SKIP = ("birth_date", "test_date")  # age_years is passed: one age for all steps
DATE_COLUMNS = ("birth_date", "test_date")
INT_COLUMNS = ("input_errors",)


class Prescriber(Protocol):
    """What the pipeline needs from ``prescribe.assistant.Assistant``."""

    def prescribe_frame(self, df: pd.DataFrame, *, on_invalid: str = ...,
                        prescriptions: bool = ...) -> pd.DataFrame: ...


def engine_inputs(screened: pd.DataFrame) -> pd.DataFrame:
    """The columns the rule engine accepts: vocabulary inputs and pass-through IDs."""
    keep = [c for c in screened.columns if c not in ENGINE_SKIP and (
        c in PASSTHROUGH or (c in BY_NAME and not BY_NAME[c].derived))]
    return screened[keep]


def _joined(values: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Lists → ';'-joined text, once per distinct list object: the engine shares one list
    among all rows of a decision pattern, so this loops over patterns, not children."""
    keys = np.fromiter((id(v) for v in values), dtype=np.int64, count=len(values))
    _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    labels = [None if values[i] is None else ";".join(map(str, values[i]))
              for i in first.tolist()]
    return pd.array(labels, dtype="string").take(inverse.reshape(-1))


def _errors_json(values: np.ndarray) -> pd.api.extensions.ExtensionArray:
    out = np.full(len(values), None, dtype=object)
    for i in np.flatnonzero(pd.notna(values) & (values != None)):  # noqa: E711 - object array
        out[i] = json.dumps(values[i], ensure_ascii=False)
    return pd.array(out, dtype="string")


def _attach(screened: pd.DataFrame, rx: pd.DataFrame | None, chosen: np.ndarray,
            invalid: np.ndarray) -> pd.DataFrame:
    n = len(screened)
    out = screened
    outcome = np.full(n, None, dtype=object)
    outcome[invalid] = "invalid_input"
    cols: dict[str, Any] = {}
    if rx is not None and len(rx):
        pos = np.flatnonzero(chosen)
        outcome[pos] = rx["outcome"].to_numpy(dtype=object)
        for c in ("intensity_cap", "clearance_before"):
            full = np.full(n, None, dtype=object)
            full[pos] = rx[c].to_numpy(dtype=object)
            cols[f"rx_{c}"] = full
        req = np.full(n, None, dtype=object)
        req[pos] = rx["clearance_required"].to_numpy(dtype=object)
        cols["rx_clearance_required"] = pd.array(req, dtype="boolean")
        for c in RX_LISTS:
            full = np.full(n, None, dtype=object)
            full[pos] = rx[c].to_numpy(dtype=object)
            cols[f"rx_{c}"] = _joined(full)
        for c in ("target_hr_lo", "target_hr_hi"):
            full = np.full(n, np.nan)
            full[pos] = rx[c].to_numpy(dtype=float, na_value=np.nan)
            cols[f"rx_{c}"] = full
        errs = np.full(n, None, dtype=object)
        errs[pos] = rx["input_errors"].to_numpy(dtype=object)
        cols["rx_input_errors"] = _errors_json(errs)
        if "prescription" in rx.columns:
            js = np.full(n, None, dtype=object)
            js[pos] = [None if p is None else json.dumps(p, ensure_ascii=False, default=str)
                       for p in rx["prescription"]]
            cols["rx_prescription"] = pd.array(js, dtype="string")
    out["prescribed"] = chosen
    out["rx_outcome"] = pd.array(outcome, dtype="string")
    for name in RX_COLUMNS[1:]:
        out[name] = cols.get(name, pd.array([None] * n, dtype="boolean") if name ==
                             "rx_clearance_required" else np.full(n, np.nan) if
                             name.startswith("rx_target") else pd.array([None] * n,
                                                                        dtype="string"))
    if "rx_prescription" in cols:
        out["rx_prescription"] = cols["rx_prescription"]
    return out


def canonical(frame: pd.DataFrame) -> pd.DataFrame:
    """Fix every column's dtype so that any two chunks share one Parquet schema."""
    out = {}
    for name in frame.columns:
        col = frame[name]
        var = BY_NAME.get(name)
        if name in DATE_COLUMNS:
            out[name] = pd.to_datetime(col, errors="coerce").astype("datetime64[s]")
        elif name.startswith("score_") or name in ("bonus_points",) or name in INT_COLUMNS:
            out[name] = pd.to_numeric(col, errors="coerce").astype("Int64")
        elif var is not None and var.kind in NUMERIC_KINDS or name.startswith("rx_target") \
                or name in ("bmi", "total_score", "atr_deg", "age_years"):
            out[name] = pd.to_numeric(col, errors="coerce").astype("float64")
        elif pd.api.types.is_bool_dtype(col) and not isinstance(col.dtype, pd.BooleanDtype) \
                and not col.isna().any():
            out[name] = col.astype(bool)
        elif isinstance(col.dtype, pd.BooleanDtype):
            out[name] = col
        elif pd.api.types.is_float_dtype(col):
            out[name] = col.astype("float64")
        else:
            out[name] = col.astype("string")
    return pd.DataFrame(out, index=frame.index)


def run_pipeline(frame: pd.DataFrame, assistant: Prescriber | None = None, *,
                 prescribe_for: str = "flagged", on: dt.date | None = None,
                 prescriptions: bool = False) -> pd.DataFrame:
    """Screen every row, prescribe for the chosen rows; one output row per input row.

    ``prescribe_for``: ``flagged`` (default), ``all`` or ``none``; ``prescriptions=True``
    adds the full prescription JSON per prescribed row (slow: one document per child).
    """
    if prescribe_for not in PRESCRIBE_FOR:
        raise ValueError(f"prescribe_for must be one of {', '.join(PRESCRIBE_FOR)}")
    screened = screen_students(frame, on=on)
    invalid = screened["input_errors"].to_numpy() > 0
    if "has_error" in screened.columns:  # an import preview's own template checks
        invalid |= screened["has_error"].astype("boolean").fillna(False).to_numpy(bool)
    wanted = np.zeros(len(screened), dtype=bool)
    if assistant is not None and prescribe_for != "none":
        wanted = screened["flagged"].to_numpy(bool) if prescribe_for == "flagged" else ~wanted
    chosen = wanted & ~invalid
    rx = None
    if chosen.any():
        rx = assistant.prescribe_frame(engine_inputs(screened[chosen]), on_invalid="mark",
                                       prescriptions=prescriptions)
    out = _attach(screened, rx, chosen, invalid & wanted)
    return canonical(out)
