"""Derived facts from the national standards: ``student_grade``, ``physique_grade`` and
``weakest_items`` (ARCHITECTURE.md "Derived facts"), for every row of a FactFrame at once.

Rows with a grade code are graded with the 2014 student standard, rows without one (and
with an age) with the 2003 physique standard; a row without any test item gets neither.
``weakest_items`` lists up to three scored items below a pass (student score < 60,
physique points ≤ 2), lowest first, ties in vocabulary order.

Everything is column work: the weakest items come from one stable ``argsort`` over the
rows × items score matrix, encoded as one integer per row, and the tuple of item names is
built once per distinct pattern (a city has a few hundred), not once per child.

A caller that has already scored the rows with the student standard (the school pipeline
screens every child first) passes that result as ``student_scores`` so that the standard
runs once; see :func:`derive_grades`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import standards
from ..errors import PrescribeError
from ..vocabulary import ITEM_CODES
from .columns import CatCol, FactFrame, fact_series

WEAK_BELOW = {"student": 60.0, "physique": 3.0}
WEAKEST_MAX = 3
_BASE = len(ITEM_CODES) + 1  # digit 0 = "no item"; digit j + 1 = ITEM_CODES[j]
_ITEM_INDEX = {f"score_{item}": j for j, item in enumerate(ITEM_CODES)}


def derive_grades(ff: FactFrame, student_scores: pd.DataFrame | None = None) -> None:
    """Set ``student_grade``, ``physique_grade`` and ``weakest_items`` on ``ff``.

    ``student_scores`` is optional: the student standard's result for these same rows, positionally (row
    ``i`` describes row ``i`` of ``ff``; any index), with the ``grade`` column and the
    ``score_<item>`` columns of ``standards.score_prepared`` / ``score_frame``. It must have
    been computed from the same cleaned inputs the frame holds — the school pipeline
    scores its screened columns and hands exactly those columns to the engine. It is used
    for the rows the engine grades with the student standard, instead of scoring them
    again; without it (the default, and always on the single-record path) they are scored
    here. The result is the same either way.
    """
    n = ff.n
    grade_code = ff.get("grade_code")
    has_item = np.zeros(n, dtype=bool)
    for item in ITEM_CODES:
        if item in ff:
            has_item |= ~np.isnan(ff.num(item))
    student_rows = (grade_code.codes >= 0) & has_item
    physique_rows = (grade_code.codes < 0) & has_item & ~np.isnan(ff.num("age_years"))
    if student_scores is not None and len(student_scores) != n:
        raise ValueError(f"student_scores has {len(student_scores)} rows for {n} facts rows")
    weak_codes = np.full(n, -1, dtype=np.int64)  # -1: not graded (weakest_items missing)
    for standard, rows, fact in (("student", student_rows, "student_grade"),
                                 ("physique", physique_rows, "physique_grade")):
        grades, levels = np.full(n, -1, dtype=np.intp), []
        if rows.any():
            picked = np.flatnonzero(rows)
            if standard == "student" and student_scores is not None:
                scored = student_scores.iloc[picked].set_axis(picked)
            else:
                scored = _score(ff, standard, picked)
            at = scored.index.to_numpy(dtype=np.intp)
            codes, uniques = pd.factorize(scored["grade"], use_na_sentinel=True)
            grades[at] = codes
            levels = [g if isinstance(g, str) and g else None for g in uniques]  # "": no grade
            weak_codes[at] = weakest_codes(scored, WEAK_BELOW[standard])
        ff.set(fact, CatCol.from_codes(grades, levels))
    ff.set("weakest_items", _weakest_column(weak_codes))


def _score(ff: FactFrame, standard: str, rows: np.ndarray) -> pd.DataFrame:
    """The standard's result for ``rows`` (index = row positions; rows with an input
    problem the standard refuses are left out: they get no grade)."""
    names = ["sex", "grade_code", "age_years", "height_cm", "weight_kg", *ITEM_CODES]
    frame = pd.DataFrame({name: fact_series(ff, name, rows).to_numpy() for name in names
                          if name in ff}, index=rows)
    try:
        clean, problems = standards.prepare_frame(frame, standard)
    except PrescribeError:  # pragma: no cover - a standards table problem: no grade at all
        return pd.DataFrame({"grade": pd.Series(dtype=object)})
    refused = [p.row for p in problems if p.severity == "error"]
    keep = ~np.isin(np.arange(len(clean)) + 2, refused)  # rows are data lines: position + 2
    if not keep.any():  # e.g. an age the standard has no group for: no grade
        return pd.DataFrame({"grade": pd.Series(dtype=object)})
    scored = standards.score_prepared(clean[keep], standard)
    scored.index = rows[keep]
    return scored


def weakest_codes(scored: pd.DataFrame, weak_below: float) -> np.ndarray:
    """Per row, the weakest items encoded as one integer (base-``_BASE`` digits of
    ``ITEM_CODES`` index + 1, weakest first; 0 = no item below a pass).

    Three selection rounds over the item columns (a handful of whole-column operations
    each, no per-row work): each round takes every row's lowest score still below a pass,
    the earlier item in vocabulary order on a tie — the order of ``sorted((score, j))``.
    """
    cols = sorted((c for c in scored.columns if c in _ITEM_INDEX), key=_ITEM_INDEX.get)
    n = len(scored)
    code = np.zeros(n, dtype=np.int64)
    if not cols or n == 0:
        return code
    keyed = []
    for c in cols:
        values = _numbers(scored[c])
        with np.errstate(invalid="ignore"):  # NaN is never below: a missing item is not weak
            keyed.append(np.where(values < weak_below, values, np.inf))
    digits = [_ITEM_INDEX[c] + 1 for c in cols]
    best, lower = np.empty(n), np.empty(n, dtype=bool)
    pick = np.empty(n, dtype=np.int64)
    scale = 1
    for _ in range(WEAKEST_MAX):
        best.fill(np.inf)
        pick.fill(0)
        for digit, values in zip(digits, keyed, strict=True):
            np.less(values, best, out=lower)  # strict: a tie keeps the earlier item
            np.copyto(best, values, where=lower)
            np.copyto(pick, digit, where=lower)
        if not pick.any():
            break
        code += pick * scale
        for digit, values in zip(digits, keyed, strict=True):
            values[pick == digit] = np.inf  # taken: not again in the next round
        scale *= _BASE
    return code


def _numbers(col: pd.Series) -> np.ndarray:
    if not pd.api.types.is_numeric_dtype(col):
        col = pd.to_numeric(col, errors="coerce")
    return col.to_numpy(dtype=float, na_value=np.nan)


def _weakest_column(codes: np.ndarray) -> CatCol:
    """Integer patterns → the ``weakest_items`` column (tuples of item names; -1 missing),
    levels in order of first appearance as ``CatCol.from_values`` would give them."""
    factor, uniques = pd.factorize(codes, use_na_sentinel=False)
    levels: list = []
    for code in uniques.tolist():
        items = []
        while code > 0:
            code, digit = divmod(code, _BASE)
            items.append(ITEM_CODES[digit - 1])
        levels.append(None if code < 0 else tuple(items))
    return CatCol(factor.astype(np.intp), levels).compact()

