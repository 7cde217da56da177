"""Screen a whole school at once: 2014 score, WS/T 586 weight status, screening myopia,
scoliometer band, failing grade — vectorised over the frame, one pass per column.

All clinical thresholds live in ``prescribe.standards`` (tables with provenance); this
module only combines them and decides which children a school doctor should look at:
``flagged`` is true for a fail grade, overweight or obesity, screening myopia or a
screen-positive scoliometer reading (ATR ≥ 5°). Flags are three-valued where the inputs
may be missing (nullable boolean): an unscreened child is "unknown", never "negative".

A row whose sex or grade code is unusable is not scored (no score, no grade), and
``input_errors`` counts the cells that failed validation in that row, so a batch keeps
going and the summary says how many rows need fixing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..standards import (
    atr_band_frame,
    bmi_class_youth_frame,
    prepare_frame,
    score_prepared,
    screening_myopia_frame,
)
from ..standards.inputs import age_in_months, parse_dates
from ..standards.tables import default_edition, load_table
from ..vocabulary import BY_NAME, NUMERIC_KINDS
from .screenfiles import more_myopic

ITEM_PASS_SCORE = 60
VA_BELOW_3 = 2.9
"""Stands in for an eye coded 0 ("below 3.0") only to evaluate VA < 5.0, which it is."""
FLAG_REASONS = ("fail", "overweight", "obese", "screening_myopia", "scoliosis")
SCREEN_COLUMNS = ("age_years", "weight_status", "screening_myopia", "atr_band",
                  "scoliosis_screen_positive", "grade_fail", "failing_items", "flagged",
                  "flag_reasons", "input_errors")


@lru_cache(maxsize=1)
def positive_atr_bands() -> frozenset[str]:
    """ATR bands that count as a positive forward-bend screen, from the standards table."""
    bands = load_table(default_edition("scoliosis"), "atr_bands")
    return frozenset(bands.loc[bands["screen_positive"].eq("yes"), "band"])


def _num(frame: pd.DataFrame, name: str) -> pd.Series:
    if name not in frame.columns:
        return pd.Series(np.nan, index=frame.index, dtype=float)
    return pd.to_numeric(frame[name], errors="coerce").astype(float)


def dates(values: pd.Series) -> pd.Series:
    """Dates from date objects or datetimes (fast path) or template text (2015-03-04 …)."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values
    first = values.dropna().head(1)
    if len(first) and isinstance(first.iloc[0], dt.date):
        return pd.to_datetime(values, errors="coerce")
    return parse_dates(values)


def ages(frame: pd.DataFrame, on: dt.date | None = None) -> tuple[pd.Series, np.ndarray]:
    """(exact age in years, unreadable-date mask): ``age_years`` where given, else birth
    date → test date (or ``on``), in completed calendar months / 12 as the standards do.
    """
    given = _num(frame, "age_years")
    if "birth_date" not in frame.columns:
        return given, np.zeros(len(frame), dtype=bool)
    born = dates(frame["birth_date"])
    unreadable = (frame["birth_date"].notna() & born.isna()).to_numpy()
    if "test_date" in frame.columns:
        tested = dates(frame["test_date"])
        if on is not None:
            tested = tested.fillna(pd.Timestamp(on))
    else:
        tested = pd.Series(pd.Timestamp(on or dt.date.today()), index=frame.index)
    months = age_in_months(born, tested).astype(float)
    return given.fillna(months / 12.0), unreadable


def take_text(labels: Sequence[str | None], codes: np.ndarray
              ) -> pd.api.extensions.ExtensionArray:
    """The nullable string column whose row ``i`` is ``labels[codes[i]]`` (NA where the
    code is negative): one Arrow ``take`` with a masked index, about twice as fast on long
    labels as pandas' ``take(allow_fill=True)``, with the same result and dtype."""
    codes = np.asarray(codes, dtype=np.int64)
    index = pa.array(codes, mask=codes < 0)
    return pd.array(pc.take(pa.array(list(labels), type=pa.large_string()), index),
                    dtype="string")


def _bits_to_names(bits: np.ndarray, names: tuple[str, ...]) -> pd.api.extensions.ExtensionArray:
    """Per-row bit masks → ';'-joined names, via the few distinct patterns (vectorised:
    the masks are small integers, so a ``bincount`` finds the patterns without sorting)."""
    if len(bits) == 0:
        return pd.array([], dtype="string")
    patterns = np.flatnonzero(np.bincount(bits))
    lookup = np.zeros(int(patterns[-1]) + 1, dtype=np.int64)
    lookup[patterns] = np.arange(len(patterns))
    labels = [";".join(n for j, n in enumerate(names) if p >> j & 1) for p in patterns.tolist()]
    return take_text(labels, lookup[bits])


def text(values: pd.Series | np.ndarray) -> pd.api.extensions.ExtensionArray:
    """A nullable string array built per distinct value (a few labels over many rows);
    a categorical is read through its codes, without looking at every row's value."""
    if isinstance(getattr(values, "dtype", None), pd.CategoricalDtype):
        cat = pd.Categorical(values)
        return take_text([str(c) for c in cat.categories], cat.codes)
    codes, uniques = pd.factorize(np.asarray(values, dtype=object))
    return take_text([str(u) for u in uniques], codes)


def _flag(values: np.ndarray, known: np.ndarray) -> pd.arrays.BooleanArray:
    """A three-valued flag (nullable boolean) from truth values and a known mask."""
    return pd.arrays.BooleanArray(values & known, ~known)


def _truth(flag: pd.api.extensions.ExtensionArray | pd.Series) -> np.ndarray:
    """True where a nullable boolean is true (unknown counts as not true)."""
    return np.asarray(flag.to_numpy(dtype=bool, na_value=False))


def _range_errors(name: str, values: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Vocabulary range check on a numeric column: (clean values, error mask)."""
    var = BY_NAME[name]
    num = pd.to_numeric(values, errors="coerce").astype(float)
    bad = values.notna().to_numpy() & num.isna().to_numpy()
    arr = num.to_numpy()
    with np.errstate(invalid="ignore"):
        if var.lo is not None:
            bad |= arr < var.lo
        if var.hi is not None:
            bad |= arr > var.hi
    return num.mask(bad), bad


def clean_inputs(frame: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray, pd.DataFrame]:
    """(clean inputs, errors per row, 2014 scores) for any vocabulary-coded frame.

    The standard's inputs are cleaned by ``standards.prepare_frame`` (times such as 4'05"
    parsed, sex and grade code canonical); the other numeric inputs (vision, ATR …) are
    range-checked here the same way. A bad cell becomes missing and counts in the row's
    errors. Uncorrected VA 0 is the MOE code for "below 3.0": not an error, it sets
    ``va_below_3_<eye>``.
    """
    positional = frame.set_axis(pd.RangeIndex(len(frame), name="line"))
    clean, problems = prepare_frame(positional, "student")
    errors = np.bincount([p.row for p in problems if p.severity == "error" and p.row is not None],
                         minlength=len(frame))[: len(frame)].astype(np.int64)
    for name in frame.columns:
        var = BY_NAME.get(name)
        if name in clean.columns or var is None or var.kind not in NUMERIC_KINDS:
            continue
        values = positional[name]
        if name.startswith("uncorrected_va_"):
            eye = name.rsplit("_", 1)[1]
            zero = pd.to_numeric(values, errors="coerce").eq(0).to_numpy()
            if zero.any():
                clean[f"va_below_3_{eye}"] = pd.array(np.where(zero, True, pd.NA),
                                                      dtype="boolean")
                values = values.mask(zero)
        clean[name], bad = _range_errors(name, values)
        errors += bad
    ok = (clean["sex"].notna() & clean["grade_code"].notna()).to_numpy()
    if ok.all():  # the usual case: no row to leave out and put back
        scored = score_prepared(clean, "student")
    else:
        scored = score_prepared(clean[ok], "student").reindex(positional.index)
    return clean.set_axis(frame.index), errors, scored.set_axis(frame.index)


def _failing(scored: pd.DataFrame) -> np.ndarray:
    items = tuple(c for c in scored.columns if c.startswith("score_"))
    bits = np.zeros(len(scored), dtype=np.int64)
    for j, col in enumerate(items):
        values = scored[col].to_numpy(dtype=float, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            bits |= (values < ITEM_PASS_SCORE).astype(np.int64) << j  # missing: not failing
    return _bits_to_names(bits, tuple(c[len("score_"):] for c in items))


def _myopia(frame: pd.DataFrame, age: pd.Series) -> pd.Series:
    va = {}
    for eye in ("left", "right"):
        values = _num(frame, f"uncorrected_va_{eye}")
        if f"va_below_3_{eye}" in frame.columns:
            below = frame[f"va_below_3_{eye}"].astype("boolean").fillna(False).to_numpy(bool)
            values = values.mask(below, VA_BELOW_3)
        va[eye] = values
    se = _num(frame, "spherical_equivalent_d")
    if "se_left_d" in frame.columns or "se_right_d" in frame.columns:
        se = se.fillna(more_myopic(_num(frame, "se_left_d"), _num(frame, "se_right_d")))
    return screening_myopia_frame(va["left"], va["right"], se, age)


def screen_students(frame: pd.DataFrame, *, on: dt.date | None = None) -> pd.DataFrame:
    """The frame with clean inputs and score, weight-status and screening columns added.

    Input columns use vocabulary names (``prescribe.tabular.read_table`` or an import
    preview frame); numeric inputs come back cleaned (times in seconds, bad cells missing
    and counted in ``input_errors``), sex M/F. ``on`` is the test date for rows without a
    ``test_date``. Added: the standard's columns (``bmi``, ``score_<item>``,
    ``total_score``, ``grade``, ``missing_items`` …) and ``SCREEN_COLUMNS``. Same index.
    """
    clean, errors, scored = clean_inputs(frame)
    age, bad_birth = ages(frame, on)
    errors = errors + bad_birth
    out = frame.drop(columns=[c for c in (*scored.columns, *SCREEN_COLUMNS)
                              if c in frame.columns])
    for col in clean.columns:
        out[col] = clean[col]
    for col in scored.columns:
        out[col] = scored[col]
    for col in ("bmi_category", "grade", "missing_items", "standard_edition"):
        out[col] = text(scored[col])
    out["grade"] = out["grade"].fillna("")
    out["age_years"] = age
    weight = bmi_class_youth_frame(scored["bmi"].astype(float), age, clean["sex"])
    out["weight_status"] = text(weight)
    out["screening_myopia"] = _myopia(out, age)
    band, bands = pd.factorize(atr_band_frame(_num(out, "atr_deg")).to_numpy(dtype=object))
    out["atr_band"] = take_text([str(b) for b in bands], band)
    positive = np.array([b in positive_atr_bands() for b in bands] + [False])[band]
    out["scoliosis_screen_positive"] = _flag(positive, band >= 0)
    grade = scored["grade"]  # categorical; missing where the row could not be scored
    graded = (grade.notna() & grade.ne("")).to_numpy(dtype=bool)
    out["grade_fail"] = _flag(grade.eq("fail").to_numpy(dtype=bool), graded)
    out["failing_items"] = _failing(scored)
    reasons = np.zeros(len(out), dtype=np.int64)
    status = weight.to_numpy(dtype=object)
    for j, hit in enumerate((_truth(out["grade_fail"]), status == "overweight",
                             status == "obese", _truth(out["screening_myopia"]),
                             _truth(out["scoliosis_screen_positive"]))):
        reasons |= hit.astype(np.int64) << j
    out["flagged"] = reasons > 0
    out["flag_reasons"] = _bits_to_names(reasons, FLAG_REASONS)
    out["input_errors"] = errors
    return out
