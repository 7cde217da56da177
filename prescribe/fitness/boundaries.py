"""How far each item sits above the lowest value seen in each better tier of its group.

In the KSPO data one weak item caps the class: within men aged 20–24, nobody with a
sit-and-reach below about 6 cm is above class D, below about 11 cm above C, and so on —
each item seems to have its own cut-offs per sex and age band. ``ClassBoundaryScorer``
estimates those cut-offs from the training rows (a low quantile of the item among people
of tier ≤ k, per group) and gives the learner each item's margin over each cut-off, in
units of the group's spread, plus the smallest margin per cut-off over the items present
(the weakest link). It is a supervised transformer: it is fitted inside the pipeline on the
training folds only, so its cut-offs never see the rows they are judged on.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from .features import resolve_columns


class ClassBoundaryScorer(TransformerMixin, BaseEstimator):
    """Margins of chosen columns over per-group, per-class cut-offs learned from ``y``.

    Parameters
    ----------
    group_column, columns, lower_is_better
        As in ``GroupedPercentileScorer``: the group (stratum) column, the columns scored
        (``None``: all but the group column) and those where low is good.
    quantile : float
        The cut-off for "tier ≤ k" is this quantile of the column among rows of tier ≤ k
        (a low quantile, so a few odd rows do not move it).
    min_group_size : int
        A group with fewer such rows uses the pooled cut-off (also used for unseen groups).
    passthrough : bool
        Put the input columns first in the output.

    ``y`` must be ordered labels with the best class first (tier 1 … 4). Output per scored
    column and per boundary ``k`` (all classes but the last): (value − cut-off) / group SD;
    then, per boundary, the minimum of those margins over the columns present.
    """

    def __init__(self, group_column: int | str | None = None, columns: list | None = None,
                 lower_is_better: tuple = (), quantile: float = 0.02, min_group_size: int = 30,
                 passthrough: bool = False):
        self.group_column = group_column
        self.columns = columns
        self.lower_is_better = lower_is_better
        self.quantile = quantile
        self.min_group_size = min_group_size
        self.passthrough = passthrough

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.target_tags.required = True
        return tags

    def fit(self, X: object, y: object) -> ClassBoundaryScorer:
        if not 0 <= self.quantile <= 1:
            raise ValueError(f"quantile must lie in [0, 1], got {self.quantile!r}")
        X, y = validate_data(self, X, y, ensure_all_finite="allow-nan", dtype=np.float64)
        check_classification_targets(y)
        group_idx, score_idx, flip = resolve_columns(self)
        self.classes_ = np.unique(y)
        boundaries = self.classes_[:-1]
        values = X[:, score_idx] * np.where(flip, -1.0, 1.0)
        groups = X[:, group_idx] if group_idx is not None else np.full(len(X), np.nan)
        self.groups_ = np.unique(groups[~np.isnan(groups)])
        # Row 0 pooled, row k+1 for groups_[k]: cut-offs (boundary × column) and spread.
        cuts = np.full((len(self.groups_) + 1, len(boundaries), len(score_idx)), np.nan)
        spread = np.full((len(self.groups_) + 1, len(score_idx)), np.nan)
        cuts[0], spread[0] = self._table(values, y, boundaries, np.ones(len(X), dtype=bool), None)
        for k, g in enumerate(self.groups_):
            cuts[k + 1], spread[k + 1] = self._table(values, y, boundaries, groups == g,
                                                     (cuts[0], spread[0]))
        self.cutoffs_, self.spread_ = cuts, spread
        self.group_index_, self.score_index_ = group_idx, np.asarray(score_idx, dtype=int)
        self.flip_ = np.asarray(flip, dtype=bool)
        return self

    def transform(self, X: object) -> np.ndarray:
        check_is_fitted(self, "cutoffs_")
        X = validate_data(self, X, ensure_all_finite="allow-nan", dtype=np.float64, reset=False)
        values = X[:, self.score_index_] * np.where(self.flip_, -1.0, 1.0)
        row = np.zeros(len(X), dtype=int)  # 0 = pooled
        if self.group_index_ is not None and len(self.groups_):
            group = X[:, self.group_index_]
            pos = np.clip(np.searchsorted(self.groups_, group), 0, len(self.groups_) - 1)
            row = np.where(self.groups_[pos] == group, pos + 1, 0)
        cut, spread = self.cutoffs_[row], self.spread_[row][:, None, :]  # n × boundary × column
        margins = (values[:, None, :] - cut) / spread
        present = ~np.isnan(margins)
        weakest = np.where(present.any(axis=2),
                           np.min(np.where(present, margins, np.inf), axis=2), np.nan)
        kept = (X,) if self.passthrough else ()
        return np.column_stack([*kept, margins.reshape(len(X), -1), weakest])

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        check_is_fitted(self, "cutoffs_")
        names = getattr(self, "feature_names_in_", None)
        if names is None:
            names = np.asarray([f"x{i}" for i in range(self.n_features_in_)], dtype=object)
        scored = [str(names[i]) for i in self.score_index_]
        bounds = [str(b) for b in self.classes_[:-1]]
        kept = [str(n) for n in names] if self.passthrough else []
        return np.asarray([*kept, *(f"margin_{c}_le{b}" for b in bounds for c in scored),
                           *(f"margin_weakest_le{b}" for b in bounds)], dtype=object)

    def _table(self, values: np.ndarray, y: np.ndarray, boundaries: np.ndarray,
               rows: np.ndarray, fallback: tuple | None) -> tuple[np.ndarray, np.ndarray]:
        cuts = np.full((len(boundaries), values.shape[1]), np.nan)
        spread = np.full(values.shape[1], np.nan)
        for j in range(values.shape[1]):
            col = values[rows, j]
            ok = ~np.isnan(col)
            sd = np.std(col[ok]) if ok.sum() >= max(self.min_group_size, 2) else np.nan
            spread[j] = sd if sd > 0 else (fallback[1][j] if fallback else np.nan)
            for b, label in enumerate(boundaries):
                better = col[ok & (y[rows] <= label)]
                if better.size >= self.min_group_size or (fallback is None and better.size):
                    cuts[b, j] = np.quantile(better, self.quantile)
                elif fallback is not None:
                    cuts[b, j] = fallback[0][b, j]
        if fallback is None:
            spread = np.where(spread > 0, spread, 1.0)
        return cuts, spread
