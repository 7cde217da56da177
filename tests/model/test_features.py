"""The custom transformers: scikit-learn's contract and what the ranks mean."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.utils.estimator_checks import parametrize_with_checks

from prescribe.fitness.augment import ItemMaskingClassifier
from prescribe.fitness.boundaries import ClassBoundaryScorer
from prescribe.fitness.data import MODEL_COLUMNS
from prescribe.fitness.features import DerivedMeasures, GroupedPercentileScorer


def _known_failures(estimator):
    if isinstance(estimator, ItemMaskingClassifier):
        # The masks are drawn per row: two copies of a row get two different masks, one row
        # of weight 2 gets one, so weighting and repeating cannot give identical models.
        return {"check_sample_weight_equivalence_on_dense_data":
                "random masks are drawn per row, so a repeated row is masked differently"}
    return {}


@parametrize_with_checks([GroupedPercentileScorer(),
                          GroupedPercentileScorer(group_column=0, min_group_size=2, passthrough=True),
                          ClassBoundaryScorer(),
                          ClassBoundaryScorer(group_column=0, min_group_size=3, passthrough=True),
                          ItemMaskingClassifier(HistGradientBoostingClassifier(max_iter=5),
                                                items=((0,),), n_copies=1)],
                         expected_failed_checks=_known_failures)
def test_custom_estimators_follow_the_scikit_learn_contract(estimator, check):
    check(estimator)


def _reference_rows() -> pd.DataFrame:
    # Two groups with different spreads: the same value ranks differently in each.
    return pd.DataFrame({"stratum": [1.0] * 5 + [2.0] * 5,
                         "jump": [100, 110, 120, 130, 140, 200, 210, 220, 230, 240],
                         "fat": [10, 20, 30, 40, 50, 10, 20, 30, 40, 50]})


def test_a_value_is_ranked_against_its_own_group():
    scorer = GroupedPercentileScorer(group_column="stratum", columns=["jump"], min_group_size=3)
    scorer.fit(_reference_rows())
    out = scorer.transform(pd.DataFrame({"stratum": [1.0, 2.0], "jump": [140.0, 140.0], "fat": [0, 0]}))
    assert out[0, 0] > 0.95  # best jump among group 1
    assert out[1, 0] < 0.05  # worst among group 2


def test_lower_is_better_columns_rank_reversed():
    scorer = GroupedPercentileScorer(group_column="stratum", columns=["fat"],
                                     lower_is_better=("fat",), min_group_size=3)
    scorer.fit(_reference_rows())
    out = scorer.transform(pd.DataFrame({"stratum": [1.0, 1.0], "jump": [0, 0], "fat": [10.0, 50.0]}))
    assert out[0, 0] > out[1, 0]


def test_unseen_or_missing_group_uses_the_pooled_reference():
    scorer = GroupedPercentileScorer(group_column="stratum", columns=["jump"], min_group_size=3)
    scorer.fit(_reference_rows())
    out = scorer.transform(pd.DataFrame({"stratum": [7.0, np.nan], "jump": [170.0, 170.0], "fat": [0, 0]}))
    assert out[0, 0] == pytest.approx(0.5, abs=0.05)
    assert out[0, 0] == out[1, 0]


def test_small_groups_fall_back_to_the_pooled_reference():
    scorer = GroupedPercentileScorer(group_column="stratum", columns=["jump"], min_group_size=6)
    scorer.fit(_reference_rows())
    out = scorer.transform(pd.DataFrame({"stratum": [1.0], "jump": [140.0], "fat": [0]}))
    assert out[0, 0] == pytest.approx(0.45, abs=0.06)  # middle of the pooled ten, not top of group 1


def test_weakest_link_summaries_ignore_missing_items():
    scorer = GroupedPercentileScorer(columns=["a", "b", "c"]).fit(
        pd.DataFrame({"a": np.arange(100.0), "b": np.arange(100.0), "c": np.arange(100.0)}))
    out = scorer.transform(pd.DataFrame({"a": [90.0], "b": [10.0], "c": [np.nan]}))
    names = list(scorer.get_feature_names_out())
    row = dict(zip(names, out[0], strict=True))
    assert row["missing_c"] == 1.0
    assert row["missing_a"] == 0.0
    assert row["rank_weakest"] == pytest.approx(row["rank_b"])
    assert row["rank_second_weakest"] == pytest.approx(row["rank_a"])
    assert row["rank_mean"] == pytest.approx((row["rank_a"] + row["rank_b"]) / 2)
    assert row["n_ranked"] == 2.0


def test_bad_parameters_are_refused_with_their_name():
    with pytest.raises(ValueError, match="n_quantiles"):
        GroupedPercentileScorer(n_quantiles=1).fit(np.ones((5, 2)))
    with pytest.raises(ValueError, match="'nope'"):
        GroupedPercentileScorer(columns=["nope"]).fit(pd.DataFrame({"a": [1.0, 2.0]}))


def test_derived_measures_add_bmi_relative_grip_and_stratum():
    row = {c: np.nan for c in MODEL_COLUMNS} | {"age_years": 47.0, "sex_male": 1.0,
                                               "height_cm": 170.0, "weight_kg": 72.25,
                                               "grip_strength_kg": 43.35}
    step = clone(DerivedMeasures()).fit(pd.DataFrame([row]))
    out = step.transform(pd.DataFrame([row]))
    assert out["bmi"].iat[0] == pytest.approx(25.0)
    assert out["grip_per_kg"].iat[0] == pytest.approx(0.6)
    assert out["stratum"].iat[0] == 105.0  # male, band 45–49
    assert list(step.get_feature_names_out())[-3:] == ["bmi", "grip_per_kg", "stratum"]


def test_derived_measures_name_a_missing_column():
    frame = pd.DataFrame([{c: 1.0 for c in MODEL_COLUMNS if c != "weight_kg"}])
    with pytest.raises(ValueError, match="weight_kg"):
        DerivedMeasures().fit(frame)


def test_boundary_margins_locate_each_tier_cut_off():
    # One group; tier k people have values 10k…10k+9 reversed (tier 1 best): the cut-off for
    # "tier <= 1" is near 30, for "tier <= 2" near 20, for "tier <= 3" near 10.
    values = np.concatenate([np.arange(30, 40), np.arange(20, 30), np.arange(10, 20), np.arange(0, 10)])
    tiers = np.repeat([1, 2, 3, 4], 10)
    scorer = ClassBoundaryScorer(columns=["v"], quantile=0.0, min_group_size=5)
    scorer.fit(pd.DataFrame({"v": values.astype(float)}), tiers)
    out = scorer.transform(pd.DataFrame({"v": [35.0, 25.0, np.nan]}))
    names = list(scorer.get_feature_names_out())
    assert names == ["margin_v_le1", "margin_v_le2", "margin_v_le3",
                     "margin_weakest_le1", "margin_weakest_le2", "margin_weakest_le3"]
    assert out[0, 0] > 0  # 35 clears the tier-1 cut-off
    assert out[1, 0] < 0 < out[1, 1]  # 25 misses tier 1 but clears tier 2
    assert np.isnan(out[2]).all()  # nothing measured: no margin, no weakest link


def test_weakest_margin_is_the_worst_item_per_boundary():
    rng = np.random.default_rng(1)
    frame = pd.DataFrame({"a": rng.normal(size=400), "b": rng.normal(size=400)})
    tiers = rng.integers(1, 5, size=400)
    scorer = ClassBoundaryScorer(columns=["a", "b"], lower_is_better=("b",)).fit(frame, tiers)
    out = scorer.transform(pd.DataFrame({"a": [3.0], "b": [3.0]}))  # a great, b (low is good) poor
    per_item = out[0, :6].reshape(3, 2)
    assert (out[0, 6:] == per_item.min(axis=1)).all()
    assert (per_item[:, 1] < per_item[:, 0]).all()
