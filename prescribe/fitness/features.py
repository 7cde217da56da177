"""The model's features: derived measures and sex- and age-relative item scores.

A fitness grade of this kind is built the way national test batteries build theirs: each
item is judged against people of the same sex and age band, and one weak item can pull the
whole grade down (in the KSPO data a low sit-and-reach alone caps the class at D). So the
pipeline gives the learner, besides the measurements themselves,

* each item's percentile rank within its sex × 5-year age band, from a reference table
  fitted on the training rows only (``GroupedPercentileScorer``), with a missing-indicator
  per item, and
* the weakest, second-weakest and mean of those percentiles over the items present, and
  how many are present: the "weakest link" the grade depends on.

Both transformers follow the scikit-learn estimator contract (parameters only stored in
``__init__``, learned state with a trailing underscore, ``fit`` returns ``self``); the
generic scorer is checked with ``parametrize_with_checks``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from .data import MODEL_COLUMNS

BAND_START_YEARS = 20
BAND_WIDTH_YEARS = 5
N_BANDS = 9  # 20–24 … 60–64; older ages fall in the last band (the model abstains anyway)


class DerivedMeasures(TransformerMixin, BaseEstimator):
    """Add BMI, grip per kg body weight and the sex × age-band stratum code.

    Stateless: ``fit`` only records the input columns. Grip per kg is how the KSPO battery
    itself reports grip (relative grip strength), and it separates the classes better than
    absolute grip. The stratum is ``sex_male * 100 + band`` (band 0 = 20–24 y) and is
    missing when sex or age is.
    """

    def fit(self, X: pd.DataFrame, y: object = None) -> DerivedMeasures:
        self._check_columns(X)
        self.feature_names_in_ = np.asarray(X.columns, dtype=object)
        self.n_features_in_ = len(X.columns)
        return self

    def transform(self, X: pd.DataFrame) -> pd.DataFrame:
        check_is_fitted(self)
        self._check_columns(X)
        out = X[list(self.feature_names_in_)].astype(float).copy()
        height_m = out["height_cm"] / 100
        out["bmi"] = out["weight_kg"] / height_m**2
        out["grip_per_kg"] = out["grip_strength_kg"] / out["weight_kg"]
        band = np.floor((out["age_years"] - BAND_START_YEARS) / BAND_WIDTH_YEARS).clip(0, N_BANDS - 1)
        out["stratum"] = out["sex_male"] * 100 + band
        return out

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        check_is_fitted(self)
        return np.asarray([*self.feature_names_in_, "bmi", "grip_per_kg", "stratum"], dtype=object)

    @staticmethod
    def _check_columns(X: object) -> None:
        if not isinstance(X, pd.DataFrame):
            raise TypeError("DerivedMeasures needs a DataFrame with columns "
                            + ", ".join(MODEL_COLUMNS))
        missing = [c for c in MODEL_COLUMNS if c not in X.columns]
        if missing:
            raise ValueError("input lacks column(s): " + ", ".join(missing))


class GroupedPercentileScorer(TransformerMixin, BaseEstimator):
    """Percentile rank of chosen columns within groups, from a fitted reference table.

    Parameters
    ----------
    group_column : int, str or None
        Column whose values define the reference groups (e.g. the sex × age-band stratum);
        ``None`` scores everyone against one pooled reference.
    columns : list of int or str, or None
        Columns to score; ``None`` means every column except the group column.
    lower_is_better : list of int or str
        Scored columns where a low value is good (body fat); their rank is reversed so that
        1.0 is always "best in the group".
    n_quantiles : int
        Points of the reference grid per group and column (resolution of the rank).
    min_group_size : int
        A group with fewer measured values in a column uses the pooled reference instead;
        so do groups not seen in training.
    passthrough : bool
        Put the input columns first in the output, so one step yields the measurements and
        their ranks (``FeatureUnion`` would do the same but stores pandas objects that a
        safe, skops-persisted artifact cannot hold).

    Output (after the input columns when ``passthrough``), per scored column: the rank in
    [0, 1] (missing stays missing) and a 0/1 missing-indicator; then the minimum, second
    minimum and mean rank over the columns present and their count. A missing or unseen
    group value uses the pooled reference.
    """

    def __init__(self, group_column: int | str | None = None, columns: list | None = None,
                 lower_is_better: tuple = (), n_quantiles: int = 101, min_group_size: int = 30,
                 passthrough: bool = False):
        self.group_column = group_column
        self.columns = columns
        self.lower_is_better = lower_is_better
        self.n_quantiles = n_quantiles
        self.min_group_size = min_group_size
        self.passthrough = passthrough

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        return tags

    def fit(self, X: object, y: object = None) -> GroupedPercentileScorer:
        if not isinstance(self.n_quantiles, int | np.integer) or self.n_quantiles < 2:
            raise ValueError(f"n_quantiles must be an integer >= 2, got {self.n_quantiles!r}")
        if not isinstance(self.min_group_size, int | np.integer) or self.min_group_size < 1:
            raise ValueError(f"min_group_size must be an integer >= 1, got {self.min_group_size!r}")
        X = validate_data(self, X, ensure_all_finite="allow-nan", dtype=np.float64)
        group_idx, score_idx, flip = resolve_columns(self)
        groups = X[:, group_idx] if group_idx is not None else np.full(len(X), np.nan)
        self.groups_ = np.unique(groups[~np.isnan(groups)])
        grid = np.linspace(0.0, 1.0, self.n_quantiles)
        values = X[:, score_idx] * np.where(flip, -1.0, 1.0)
        # Row 0 is the pooled reference; row k+1 the reference of groups_[k].
        table = np.full((len(self.groups_) + 1, len(score_idx), self.n_quantiles), np.nan)
        table[0] = _quantiles(values, grid)
        for k, g in enumerate(self.groups_):
            sub = values[groups == g]
            counts = np.sum(~np.isnan(sub), axis=0)
            own = _quantiles(sub, grid)
            table[k + 1] = np.where((counts >= self.min_group_size)[:, None], own, table[0])
        self.reference_ = table
        self.group_index_ = group_idx
        self.score_index_ = np.asarray(score_idx, dtype=int)
        self.flip_ = np.asarray(flip, dtype=bool)
        return self

    def transform(self, X: object) -> np.ndarray:
        check_is_fitted(self, "reference_")
        X = validate_data(self, X, ensure_all_finite="allow-nan", dtype=np.float64, reset=False)
        values = X[:, self.score_index_] * np.where(self.flip_, -1.0, 1.0)
        table_row = np.zeros(len(X), dtype=int)  # 0 = the pooled reference
        if self.group_index_ is not None and len(self.groups_):
            group = X[:, self.group_index_]
            row = np.clip(np.searchsorted(self.groups_, group), 0, len(self.groups_) - 1)
            table_row = np.where(self.groups_[row] == group, row + 1, 0)  # NaN/unseen: pooled
        ranks = np.full(values.shape, np.nan)
        for t in np.unique(table_row):  # one vectorised pass per reference group
            rows = table_row == t
            for j in range(values.shape[1]):
                ranks[rows, j] = _rank(values[rows, j], self.reference_[t, j])
        missing = np.isnan(ranks).astype(float)
        ordered = np.sort(ranks, axis=1)  # NaN sorts last
        present = (~np.isnan(ranks)).sum(axis=1)
        with np.errstate(invalid="ignore"):
            weakest = ordered[:, 0]
            second = ordered[:, 1] if ranks.shape[1] > 1 else np.full(len(X), np.nan)
            mean = np.where(present > 0, np.nansum(ranks, axis=1) / np.maximum(present, 1), np.nan)
        kept = (X,) if self.passthrough else ()
        return np.column_stack([*kept, ranks, missing, weakest, second, mean, present.astype(float)])

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        check_is_fitted(self, "reference_")
        names = getattr(self, "feature_names_in_", None)
        if names is None:
            names = np.asarray([f"x{i}" for i in range(self.n_features_in_)], dtype=object)
        scored = [str(names[i]) for i in self.score_index_]
        kept = [str(n) for n in names] if self.passthrough else []
        return np.asarray([*kept, *(f"rank_{c}" for c in scored), *(f"missing_{c}" for c in scored),
                           "rank_weakest", "rank_second_weakest", "rank_mean", "n_ranked"],
                          dtype=object)


def resolve_columns(est: BaseEstimator) -> tuple[int | None, list[int], list[bool]]:
    """(group index, scored indices, reversed flags) from an estimator's column parameters.

    Shared by the scorers: names need a DataFrame at ``fit``; positions work on arrays.
    """
    names = list(getattr(est, "feature_names_in_", []))

    def index(col: int | str) -> int:
        if isinstance(col, str):
            if col not in names:
                raise ValueError(f"column {col!r} is not in the input (columns: {names})")
            return names.index(col)
        if not 0 <= int(col) < est.n_features_in_:
            raise ValueError(f"column index {col} out of range for {est.n_features_in_} columns")
        return int(col)

    group_idx = None if est.group_column is None else index(est.group_column)
    if est.columns is None:
        score_idx = [i for i in range(est.n_features_in_) if i != group_idx]
    else:
        score_idx = [index(c) for c in est.columns]
    if not score_idx:
        raise ValueError(f"no columns to score among {est.n_features_in_} feature(s) "
                         "(the group column is not scored)")
    low = {index(c) for c in est.lower_is_better}
    return group_idx, score_idx, [i in low for i in score_idx]


def _quantiles(values: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Per-column quantile grid (columns × grid); all-missing columns give NaN."""
    out = np.full((values.shape[1], len(grid)), np.nan)
    for j in range(values.shape[1]):
        col = values[:, j]
        col = col[~np.isnan(col)]
        if col.size:
            out[j] = np.quantile(col, grid)
    return out


def _rank(values: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Mid-rank of each value in a sorted reference grid, in [0, 1]; ties share a rank."""
    if np.isnan(reference).all():
        return np.full(values.shape, np.nan)
    lo = np.searchsorted(reference, values, side="left")
    hi = np.searchsorted(reference, values, side="right")
    rank = (lo + hi) / (2.0 * len(reference))
    return np.where(np.isnan(values), np.nan, rank)
