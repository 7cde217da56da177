"""Column helpers shared by the vectorised scorers: numeric input, typed output columns."""

from __future__ import annotations

import numpy as np
import pandas as pd


def female(clean: pd.DataFrame) -> np.ndarray:
    """1 for ``F``, 0 for ``M`` (validated sex codes), factorised: a few distinct values."""
    codes, sexes = pd.factorize(clean["sex"])
    return np.array([s == "F" for s in sexes], dtype=np.int64)[codes]


def column(clean: pd.DataFrame, name: str) -> np.ndarray:
    """A numeric input as float64 (all NaN when the column is absent: nobody did it)."""
    if name not in clean:
        return np.full(len(clean), np.nan)
    return clean[name].to_numpy(dtype=float, na_value=np.nan)


def band_index_rows(lower: np.ndarray, keys: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Per-row band index for per-key lower bounds (first column -inf); 0 for NaN."""
    reached = np.zeros(len(values), dtype=np.int64)
    for col in range(1, lower.shape[1]):
        reached += values >= np.take(lower[:, col], keys)
    return reached


def int_array(values: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """Scores as nullable integers, so a CSV shows 100 and an empty cell, not 100.0/nan."""
    mask = np.isnan(values)
    return pd.arrays.IntegerArray(np.where(mask, 0, values).astype(np.int64), mask)


def labels(codes: np.ndarray, names: tuple[str, ...]) -> pd.Categorical:
    """Text column from integer codes (categorical: a million rows share a few strings)."""
    return pd.Categorical.from_codes(codes, categories=list(names))


def bit_names(bits: np.ndarray, names: tuple[str, ...]) -> pd.Categorical:
    """Per-row bit masks as ';'-joined item names ('' for none), via the few patterns seen."""
    if len(bits) == 0:
        return labels(bits.astype(np.int64), ("",))
    patterns = np.flatnonzero(np.bincount(bits))
    lookup = np.zeros(int(patterns.max()) + 1, dtype=np.int64)
    lookup[patterns] = np.arange(len(patterns))
    return labels(lookup[bits], tuple(";".join(n for j, n in enumerate(names) if p >> j & 1)
                                      for p in patterns.tolist()))
