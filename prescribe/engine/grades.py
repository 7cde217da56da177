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
        grades = np.full(n, None, dtype=object)
        if rows.any():
            picked = np.flatnonzero(rows)
            if standard == "student" and student_scores is not None:
                scored = student_scores.iloc[picked].set_axis(picked)
            else:
                scored = _score(ff, standard, picked)
            at = scored.index.to_numpy(dtype=np.intp)
            grade = scored["grade"].astype(object).to_numpy()
            grades[at] = np.where(pd.isna(grade) | (grade == ""), None, grade)
            weak_codes[at] = weakest_codes(scored, WEAK_BELOW[standard])
        ff.set(fact, CatCol.from_values(grades))
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

    A stable argsort of each row's scores (items not below a pass, or missing, pushed to
    +inf) orders by score, then by vocabulary order — the order of ``sorted((score, j))``.
    """
    cols = sorted((c for c in scored.columns if c in _ITEM_INDEX), key=_ITEM_INDEX.get)
    if not cols or len(scored) == 0:
        return np.zeros(len(scored), dtype=np.int64)
    scores = np.column_stack([pd.to_numeric(scored[c], errors="coerce").to_numpy(
        dtype=float, na_value=np.nan) for c in cols])
    with np.errstate(invalid="ignore"):
        weak = scores < weak_below  # NaN compares false: a missing item is never weakest
    keyed = np.where(weak, scores, np.inf)
    take = min(WEAKEST_MAX, len(cols))
    order = np.argsort(keyed, axis=1, kind="stable")[:, :take]
    count = np.minimum(weak.sum(axis=1), WEAKEST_MAX)
    digit = np.asarray([_ITEM_INDEX[c] + 1 for c in cols], dtype=np.int64)[order]
    code = np.zeros(len(scored), dtype=np.int64)
    for t in range(take - 1, -1, -1):  # weakest item is the lowest digit
        code = code * _BASE + np.where(t < count, digit[:, t], 0)
    return code


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

