"""Threshold lookup shared by every score table, in a vectorised and a scalar form.

A score table gives, per *key* (grade group × sex, or age band × sex) and item, a ladder of
levels: ``higher_better`` thresholds are the smallest result earning a score, and
``lower_better`` thresholds the largest time earning it (both inclusive). The number of
levels a result reaches, counted from the bottom, picks its score. The vectorised path
sorts the rows by key once (:class:`Blocks`) and runs one ``numpy.searchsorted`` per key
and item on the contiguous block; the scalar path bisects the same ladder. Both compare
the raw floats with the thresholds, so they are exact; property tests also compare them
with a naive oracle.

Rounding to the recording resolution (BMI, height, weight) is done on integer tenths,
``floor(x * 10 + 0.5 + 1e-9)``: half up, as results are reported in China (四舍五入). The
1e-9 makes a value that *is* a half as written (168.95, stored as 168.9499999…) round up
like its decimal; the same float operations run in both paths so that they agree.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import StandardsError

HALF = 0.5 + 1e-9


def tenths(values: np.ndarray) -> np.ndarray:
    """Round half up to integer tenths (float array; NaN stays NaN)."""
    return np.floor(values * 10.0 + HALF)


def tenths_one(value: float) -> int:
    """Scalar twin of :func:`tenths`."""
    return math.floor(value * 10.0 + HALF)


@dataclass(frozen=True)
class Blocks:
    """Row positions grouped by key: ``order[bounds[k]:bounds[k + 1]]`` are key ``k``'s rows."""

    order: np.ndarray
    bounds: np.ndarray

    @classmethod
    def of(cls, keys: np.ndarray, n_keys: int) -> Blocks:
        order = np.argsort(keys, kind="stable")
        return cls(order, np.searchsorted(keys[order], np.arange(n_keys + 1)))


@dataclass(frozen=True)
class LevelTable:
    """The score ladder of one item for every key.

    ``ladders[k]`` holds key ``k``'s thresholds sorted ascending (a tuple for bisect,
    ``arrays[k]`` the same as numpy); ``scores`` is (keys, levels + 1) with column ``c``
    the score of a result reaching ``c`` levels, column 0 the score below the lowest level
    (0 in the student standard, NaN = unscored in the 2003 physique standard).
    """

    item: str
    higher_better: bool
    scores: np.ndarray
    applies: np.ndarray
    ladders: tuple[tuple[float, ...], ...]
    arrays: tuple[np.ndarray, ...]

    def block_score(self, key: int, values: np.ndarray) -> np.ndarray:
        """Scores of one key's results (NaN where missing or the item does not apply)."""
        if not self.applies[key]:
            return np.full(len(values), np.nan)
        ladder = self.arrays[key]
        if self.higher_better:
            reached = np.searchsorted(ladder, values, side="right")
        else:
            reached = len(ladder) - np.searchsorted(ladder, values, side="left")
        got = self.scores[key, reached]
        got[np.isnan(values)] = np.nan
        return got

    def score(self, values: np.ndarray, blocks: Blocks) -> np.ndarray:
        """Score per row (rows in any order); NaN where missing or not applicable."""
        ordered = values[blocks.order]
        got = np.full(len(values), np.nan)
        for key in np.flatnonzero(self.applies):
            start, end = blocks.bounds[key], blocks.bounds[key + 1]
            if start < end:
                got[start:end] = self.block_score(key, ordered[start:end])
        out = np.empty_like(got)
        out[blocks.order] = got
        return out

    def count_one(self, value: float, key: int) -> int:
        ladder = self.ladders[key]
        if self.higher_better:
            return bisect_right(ladder, value)
        return len(ladder) - bisect_left(ladder, value)

    def score_one(self, value: float | None, key: int) -> float | None:
        """Scalar twin of :meth:`score`; ``None`` for missing/not applicable/unscored."""
        if value is None or not self.applies[key]:
            return None
        got = float(self.scores[key, self.count_one(value, key)])
        return None if math.isnan(got) else got


def build_level_tables(frame: pd.DataFrame, key_of: dict[tuple, int], key_cols: list[str],
                       n_keys: int, below: float, table: str) -> dict[str, LevelTable]:
    """Compile a long score table (key columns, item, direction, score, threshold).

    A missing threshold means an open-ended lowest band (any result earns it). Raises
    ``StandardsError`` when a ladder is not strictly monotonic, because a threshold lookup
    on such a ladder would silently give the wrong score.
    """
    out: dict[str, LevelTable] = {}
    for item, rows in frame.groupby("item", sort=False):
        directions = rows["direction"].unique()
        if len(directions) != 1 or directions[0] not in ("higher_better", "lower_better"):
            raise StandardsError(f"{table}: item {item!r} has direction(s) {list(directions)}")
        higher = directions[0] == "higher_better"
        open_end = -np.inf if higher else np.inf
        groups = list(rows.groupby(key_cols, sort=False))
        levels = max(len(g) for _, g in groups)
        scores = np.full((n_keys, levels + 1), np.nan)
        applies = np.zeros(n_keys, dtype=bool)
        ladders: list[tuple[float, ...]] = [()] * n_keys
        for label, g in groups:
            label = label if isinstance(label, tuple) else (label,)
            if label not in key_of:
                raise StandardsError(f"{table}: unknown group {label} for item {item!r}")
            key = key_of[label]
            g = g.sort_values("score")
            t = g["threshold"].fillna(open_end).to_numpy(dtype=float)
            steps = np.diff(t)
            if not ((steps > 0).all() if higher else (steps < 0).all()):
                raise StandardsError(f"{table}: thresholds of {item!r} for {label} are not "
                                     f"strictly {'increasing' if higher else 'decreasing'} "
                                     f"with the score: {t.tolist()}")
            if not np.diff(g["score"].to_numpy()).all():
                raise StandardsError(f"{table}: duplicate score level for {item!r} {label}")
            scores[key, 0] = below
            scores[key, 1: len(t) + 1] = g["score"].to_numpy(dtype=float)
            applies[key] = True
            ladders[key] = tuple(sorted(t.tolist()))
        out[str(item)] = LevelTable(str(item), higher, scores, applies, tuple(ladders),
                                    tuple(np.asarray(lad, dtype=float) for lad in ladders))
    return out

