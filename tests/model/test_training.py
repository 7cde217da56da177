"""Training: deterministic, masks the way it says, refuses data it cannot learn from."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from prescribe.fitness.data import ITEMS, training_inputs
from prescribe.fitness.metrics import expected_calibration_error, tier_metrics
from prescribe.fitness.training import augment, mask_items, train_pipeline


def test_same_seed_gives_identical_probabilities(sample_data, tiny_config):
    X, y = training_inputs(sample_data), sample_data.tiers
    probe = X.iloc[::40]
    first = train_pipeline(X, y, tiny_config).predict_proba(probe)
    second = train_pipeline(X, y, tiny_config).predict_proba(probe)
    np.testing.assert_array_equal(first, second)
    other = train_pipeline(X, y, tiny_config.__class__(**{**tiny_config.to_dict(), "seed": 1}))
    assert not np.array_equal(first, other.predict_proba(probe))


def test_mask_items_withholds_exactly_k_measured_items():
    X = pd.DataFrame({c: [1.0, 2.0, np.nan] for c in ITEMS}).assign(age_years=[30, 40, 50])
    out = mask_items(X, np.array([1, 3, 2]), np.random.default_rng(0))
    before = X[list(ITEMS)].notna().sum(axis=1).to_numpy()
    after = out[list(ITEMS)].notna().sum(axis=1).to_numpy()
    assert (before - after).tolist() == [1, 3, 0]  # the third row had nothing to withhold
    assert out["age_years"].tolist() == [30, 40, 50]
    assert X.iloc[:2][list(ITEMS)].notna().all(axis=None)  # the input frame is untouched


def test_augmented_copies_keep_people_together(sample_data, tiny_config):
    X, y = training_inputs(sample_data), sample_data.tiers
    X_aug, y_aug, person, weight = augment(X, y, tiny_config)
    assert len(X_aug) == len(X) * (tiny_config.n_copies + 1)
    assert (y_aug == y[person]).all()
    assert (weight == 1).all()
    copies = X_aug.iloc[len(X):]
    withheld = X[list(ITEMS)].notna().sum(axis=1).to_numpy()[person[len(X):]] \
        - copies[list(ITEMS)].notna().sum(axis=1).to_numpy()
    assert set(np.unique(withheld)) <= {0, 1, 2, 3}
    assert withheld.mean() > 1.5


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
