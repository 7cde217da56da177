"""Threshold lookup shared by every score table, in a vectorised and a scalar form.

A score table gives, per *key* (grade group × sex, or age band × sex) and item, a ladder of
levels: ``higher_better`` thresholds are the smallest result earning a score, and
``lower_better`` thresholds the largest time earning it (both inclusive). The number of
levels a result reaches, counted from the bottom, picks its score. The vectorised count
compares the whole column with one level at a time (about 20 levels), which is exact for
any float; the scalar count bisects a sorted list. Two algorithms on purpose: the property
tests compare them on thousands of random records.

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
class LevelTable:
    """The score ladder of one item for every key.

    ``thresholds`` is (levels, keys), lowest score first, padded beyond a key's last level
    with a value no result reaches; ``scores`` is (keys, levels + 1) with column 0 holding
    the score below the lowest level (0 in the student standard, NaN = unscored in the 2003
    physique standard). ``ladders`` holds the same thresholds sorted ascending, per key, for
    the scalar path.
    """

    item: str
    higher_better: bool
    thresholds: np.ndarray
    scores: np.ndarray
    applies: np.ndarray
    ladders: tuple[tuple[float, ...], ...]

    def count(self, values: np.ndarray, keys: np.ndarray) -> np.ndarray:
        """Number of levels each result reaches (0 for NaN)."""
        reached = np.zeros(len(values), dtype=np.int64)
        for level in self.thresholds:
            limit = np.take(level, keys)
            reached += (values >= limit) if self.higher_better else (values <= limit)
        return reached

    def score(self, values: np.ndarray, keys: np.ndarray) -> np.ndarray:
        """Score per row; NaN where the value is missing or the item does not apply."""
        got = self.scores[keys, self.count(values, keys)]
        return np.where(np.take(self.applies, keys) & ~np.isnan(values), got, np.nan)

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
        pad = np.inf if higher else -np.inf
        groups = list(rows.groupby(key_cols, sort=False))
        levels = max(len(g) for _, g in groups)
        thr = np.full((levels, n_keys), pad)
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
            thr[: len(t), key] = t
            scores[key, 0] = below
            scores[key, 1: len(t) + 1] = g["score"].to_numpy(dtype=float)
            applies[key] = True
            ladders[key] = tuple(sorted(t.tolist()))
        out[str(item)] = LevelTable(str(item), higher, thr, scores, applies, tuple(ladders))
    return out


def band_index(lower_bounds: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Index of the band whose inclusive lower bound (sorted, first = -inf) a value reaches."""
    return np.searchsorted(lower_bounds, values, side="right") - 1
