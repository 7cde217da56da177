"""Training: deterministic, masks the way it says, refuses data it cannot learn from."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin

from prescribe.fitness.augment import ItemMaskingClassifier, mask_items
from prescribe.fitness.data import ITEMS, training_inputs
from prescribe.fitness.features import DerivedMeasures
from prescribe.fitness.metrics import expected_calibration_error, tier_metrics
from prescribe.fitness.training import ITEM_GROUPS, train_pipeline


def test_same_seed_gives_identical_probabilities(sample_data, tiny_config):
    X, y = training_inputs(sample_data), sample_data.tiers
    probe = X.iloc[::40]
    first = train_pipeline(X, y, tiny_config).predict_proba(probe)
    second = train_pipeline(X, y, tiny_config).predict_proba(probe)
    np.testing.assert_array_equal(first, second)
    other = train_pipeline(X, y, tiny_config.__class__(**{**tiny_config.to_dict(), "seed": 1}))
    assert not np.array_equal(first, other.predict_proba(probe))


def test_mask_items_withholds_exactly_k_measured_groups():
    X = pd.DataFrame({c: [1.0, 2.0, np.nan] for c in ITEMS}).assign(age_years=[30, 40, 50])
    out = mask_items(X, np.array([1, 3, 2]), np.random.default_rng(0), [(i,) for i in ITEMS])
    before = X[list(ITEMS)].notna().sum(axis=1).to_numpy()
    after = out[list(ITEMS)].notna().sum(axis=1).to_numpy()
    assert (before - after).tolist() == [1, 3, 0]  # the third row had nothing to withhold
    assert out["age_years"].tolist() == [30, 40, 50]
    assert X.iloc[:2][list(ITEMS)].notna().all(axis=None)  # the input frame is untouched


class _Recorder(ClassifierMixin, BaseEstimator):
    """Keeps what it was fitted on, so a test can look at the augmented rows."""

    def fit(self, X, y, sample_weight=None):
        self.X_, self.y_, self.w_ = X, y, sample_weight
        self.classes_ = np.unique(y)
        return self

    def predict_proba(self, X):
        return np.full((len(X), len(self.classes_)), 1 / len(self.classes_))


def test_masking_copies_people_and_blanks_grip_with_grip_per_kg(sample_data):
    frame = DerivedMeasures().fit(training_inputs(sample_data)).transform(
        training_inputs(sample_data))
    n = len(frame)
    masker = ItemMaskingClassifier(_Recorder(), items=ITEM_GROUPS,
                                   optional=((("body_fat_pct",), 0.5),), n_copies=2,
                                   max_withheld=3, random_state=3)
    masker.fit(frame, sample_data.tiers, sample_weight=np.full(n, 2.0))
    seen = masker.estimator_
    assert len(seen.X_) == 3 * n
    assert (seen.y_ == np.tile(sample_data.tiers, 3)).all()
    assert (seen.w_ == 2.0).all()
    copies = seen.X_.iloc[n:]
    items = copies[list(ITEMS)].notna().sum(axis=1).to_numpy()
    original = np.tile(frame[list(ITEMS)].notna().sum(axis=1).to_numpy(), 2)
    assert set(np.unique(original - items)) <= {1, 2, 3}
    assert (copies["grip_strength_kg"].isna() == copies["grip_per_kg"].isna()).all()
    assert copies["body_fat_pct"].isna().mean() == pytest.approx(0.5, abs=0.05)
    assert seen.X_.iloc[:n].equals(frame.reset_index(drop=True))  # people as measured come first


def test_training_refuses_data_missing_a_tier(sample_data, tiny_config):
    X, y = training_inputs(sample_data), sample_data.tiers
    keep = y != 2
    with pytest.raises(ValueError, match=r"tier\(s\) \[2\]"):
        train_pipeline(X[keep], y[keep], tiny_config)


def test_calibration_error_of_honest_and_overconfident_forecasts():
    rng = np.random.default_rng(0)
    n = 20000
    p_top = rng.uniform(0.3, 1.0, n)
    proba = np.column_stack([p_top, *(((1 - p_top) / 3)[None, :].repeat(3, 0))])
    honest_y = np.where(rng.random(n) < p_top, 1, 2)
    assert expected_calibration_error(honest_y, proba) < 0.02
    overconfident_y = np.where(rng.random(n) < p_top - 0.2, 1, 2)
    assert expected_calibration_error(overconfident_y, proba) == pytest.approx(0.2, abs=0.03)
    m = tier_metrics(honest_y, proba)
    assert set(m) == {"n", "accuracy", "macro_f1", "log_loss", "ece"}
    assert m["n"] == n
