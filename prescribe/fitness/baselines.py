"""What the model is compared with: a plain logistic regression and a standard-grade rule.

The honest question for a model is "better than what a station would do without it?".

* ``logistic_baseline``: multinomial logistic regression on the raw measurements (median
  imputation with missing-indicators, standardised) — the simple statistical model. It gets
  the same item-masking augmentation as the model, so the comparison with items withheld is
  fair (trained on complete rows only, it collapsed to macro-F1 0.35 with one item withheld,
  worse than the stand-in rule).
* ``StandardGradeStandIn``: what a grade from a national standard gives. The 2003 national
  physique standard (国民体质测定标准) cannot be computed on this data: its adult battery
  needs vital capacity, the step test and reaction time, which KSPO did not record. So the
  stand-in does what such a standard does with the items we have: each item is scored by
  its percentile within sex × 5-year age band (the reference table fitted on the training
  fold), the scores of the measured items are averaged, and the average is cut into four
  grades at the training fold's class proportions (best quarter = tier 1). It is a rule,
  not a probability model, so it has no log-loss or calibration.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.validation import check_is_fitted

from .augment import ItemMaskingClassifier
from .data import ITEMS
from .features import DerivedMeasures, GroupedPercentileScorer
from .training import TrainingConfig


def logistic_baseline(config: TrainingConfig) -> ItemMaskingClassifier:
    inner = make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler(),
                          LogisticRegression(max_iter=2000, random_state=config.seed))
    return ItemMaskingClassifier(
        inner, items=[(item,) for item in ITEMS],
        optional=((("body_fat_pct",), config.p_mask_body_fat),
                  (("sbp_mmhg", "dbp_mmhg"), config.p_mask_bp)),
        n_copies=config.n_copies, max_withheld=len(ITEMS) - 1, random_state=config.seed)


class StandardGradeStandIn(ClassifierMixin, BaseEstimator):
    """Mean sex/age-relative item percentile, cut into four grades (see module docstring)."""

    def fit(self, X: pd.DataFrame, y: np.ndarray) -> StandardGradeStandIn:
        y = np.asarray(y, dtype=int)
        self.derive_ = DerivedMeasures().fit(X)
        self.scorer_ = GroupedPercentileScorer(group_column="stratum", columns=list(ITEMS))
        score = self._score(X, fit=True)
        self.classes_ = np.unique(y)
        # Cut so that the grades have the training fold's class shares, best tier first.
        shares = np.cumsum([np.mean(y == c) for c in self.classes_])[:-1]
        self.cuts_ = np.nanquantile(score, 1 - shares)  # descending score thresholds
        return self

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        check_is_fitted(self, "cuts_")
        score = self._score(X)
        grade = np.sum(score[:, None] < self.cuts_[None, :], axis=1)
        grade = np.where(np.isnan(score), len(self.classes_) - 1, grade)  # no item: lowest
        return self.classes_[grade]

    def _score(self, X: pd.DataFrame, fit: bool = False) -> np.ndarray:
        frame = self.derive_.transform(X)
        ranks = (self.scorer_.fit_transform(frame) if fit else self.scorer_.transform(frame))
        names = list(self.scorer_.get_feature_names_out())
        return ranks[:, names.index("rank_mean")]
