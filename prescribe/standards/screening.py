"""School screening flags: screening myopia and the scoliometer ATR band.

Screening myopia (儿童青少年近视防控适宜技术指南): age ≥ 6, uncorrected VA < 5.0 in
either eye **and** spherical equivalent ≤ −0.50 D. Issue #2 fixes "at or below" for the
SE; the 2019 reprint and one screening platform write "< −0.50" (exactly −0.50 is the only
value where they differ; see ``tables/PROVENANCE.md``). The vocabulary records one SE, so
callers should pass the SE of the worse eye. Three-valued: ``True``/``False`` when the
inputs decide it, ``None`` when a missing input could change the answer or the child is
under 6 (the definition does not apply).

ATR bands (GB/T 16133-2014 as used on national screening forms): < 5° ``negative``,
5–<7° ``observe``, 7–<10° ``positive``, ≥ 10° ``refer``; any ATR ≥ 5° is screen-positive
(``atr_screen_positive``) and warrants specialist examination.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from .tables import default_edition, load_table


@lru_cache(maxsize=1)
def _myopia() -> dict[str, float]:
    table = load_table(default_edition("myopia"), "criteria")
    return dict(zip(table["criterion"], table["value"].astype(float), strict=True))


@lru_cache(maxsize=1)
def _atr() -> tuple[np.ndarray, tuple[str, ...], np.ndarray]:
    bands = load_table(default_edition("scoliosis"), "atr_bands").sort_values(
        "atr_min_deg", na_position="first")
    return (bands["atr_min_deg"].to_numpy(float)[1:], tuple(bands["band"]),
            bands["screen_positive"].eq("yes").to_numpy())


def _kleene_and(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """AND over {1.0 true, 0.0 false, NaN unknown}."""
    out = np.where((a == 0) | (b == 0), 0.0, np.nan)
    return np.where((a == 1) & (b == 1), 1.0, out)


def _myopia_array(va_left: np.ndarray, va_right: np.ndarray, se: np.ndarray,
                  age: np.ndarray) -> np.ndarray:
    c = _myopia()
    low_l = np.where(np.isnan(va_left), np.nan, (va_left < c["va_below"]).astype(float))
    low_r = np.where(np.isnan(va_right), np.nan, (va_right < c["va_below"]).astype(float))
    low_va = np.where((low_l == 1) | (low_r == 1), 1.0,
                      np.where((low_l == 0) & (low_r == 0), 0.0, np.nan))
    myopic_se = np.where(np.isnan(se), np.nan, (se <= c["se_at_or_below"]).astype(float))
    result = _kleene_and(low_va, myopic_se)
    return np.where(np.isnan(age) | (age < c["min_age_years"]), np.nan, result)


def _num(value: float | None) -> float:
    return np.nan if value is None else float(value)


def screening_myopia(va_left: float | None, va_right: float | None, se: float | None,
                     age: float | None) -> bool | None:
    """Screening myopia flag (see module docstring); ``None`` when undecidable."""
    got = _myopia_array(*(np.array([_num(v)]) for v in (va_left, va_right, se, age)))[0]
    return None if np.isnan(got) else bool(got)


def screening_myopia_frame(va_left: pd.Series, va_right: pd.Series, se: pd.Series,
                           age: pd.Series) -> pd.Series:
    """Frame twin of :func:`screening_myopia` (nullable boolean)."""
    arrays = [s.to_numpy(dtype=float, na_value=np.nan) for s in (va_left, va_right, se, age)]
    got = _myopia_array(*arrays)
    unknown = np.isnan(got)
    return pd.Series(pd.arrays.BooleanArray(got == 1, unknown), index=va_left.index,
                     name="screening_myopia")


def atr_band(atr_deg: float | None) -> str | None:
    """``negative|observe|positive|refer`` for an angle of trunk rotation; None if missing."""
    if atr_deg is None or np.isnan(atr_deg):
        return None
    lower, names, _ = _atr()
    return names[int(np.searchsorted(lower, atr_deg, side="right"))]


def atr_band_frame(atr_deg: pd.Series) -> pd.Series:
    """Frame twin of :func:`atr_band`."""
    lower, names, _ = _atr()
    values = atr_deg.to_numpy(dtype=float, na_value=np.nan)
    idx = np.minimum(np.searchsorted(lower, values, side="right"), len(names) - 1)
    labels = np.asarray([*names, None], dtype=object)  # the last slot: a missing angle
    return pd.Series(labels[np.where(np.isnan(values), len(names), idx)], index=atr_deg.index,
                     name="atr_band", dtype=object)


def atr_screen_positive(atr_deg: float | None) -> bool | None:
    """ATR ≥ 5°: the forward-bend screen is positive (refer for examination)."""
    band = atr_band(atr_deg)
    if band is None:
        return None
    _, names, positive = _atr()
    return bool(positive[names.index(band)])
