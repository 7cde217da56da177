"""The fitness-tier pipeline and how it is fitted.

One scikit-learn ``Pipeline``::

    DerivedMeasures                      BMI, grip per kg, sex × age-band stratum
    CalibratedClassifierCV(              5 folds over people, one final model (ensemble=False)
        ItemMaskingClassifier(           adds item-masked copies of its training rows
            Pipeline(GroupedPercentileScorer     item ranks within sex × age band
                     → ClassBoundaryScorer       margins over per-band tier cut-offs
                     → HistGradientBoostingClassifier)))

The reference tables (ranks and cut-offs) sit inside the masking step, so each calibration
fold fits its own tables on its own training people; the cut-offs (learned from the tiers)
raised cross-validated macro-F1 from 0.771 to about 0.78 over the ranks alone. ``ensemble=False``
fits one model on all rows and calibrates it on out-of-fold scores of the rows as measured;
averaging the fold models instead (``ensemble=True``) made the probabilities under-confident
(mean top probability 0.72 at 77 % accuracy).

Training is deterministic for a given seed, and runs on one OpenMP thread: on a small,
shared host (two cores) the boosting's thread pool oversubscribes, and one fit took eight
times longer with two threads than with one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from .augment import ItemMaskingClassifier
from .boundaries import ClassBoundaryScorer
from .data import ITEMS, TIERS
from .features import DerivedMeasures, GroupedPercentileScorer

DEFAULT_SEED = 20240604

SCORED_COLUMNS = ["grip_per_kg", "sit_and_reach_cm", "sit_up_1min_count",
                  "standing_long_jump_cm", "body_fat_pct"]
LOWER_IS_BETTER = ("body_fat_pct",)
# Withholding grip also hides grip per kg (it is computed from grip before masking).
ITEM_GROUPS = tuple(("grip_strength_kg", "grip_per_kg") if item == "grip_strength_kg" else (item,)
                    for item in ITEMS)


@dataclass(frozen=True)
class TrainingConfig:
    """Every knob of a training run; stored in the sidecar so a run can be repeated."""

    seed: int = DEFAULT_SEED
    n_copies: int = 1  # masked copies per person, besides the person as measured
    p_mask_body_fat: float = 0.25
    p_mask_bp: float = 0.25
    calibration_folds: int = 5
    calibration_method: str = "isotonic"
    learning_rate: float = 0.06
    max_iter: int = 250
    max_leaf_nodes: int = 31
    min_samples_leaf: int = 40
    l2_regularization: float = 1.0

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def build_pipeline(config: TrainingConfig) -> Pipeline:
    """The unfitted pipeline for ``config`` (its input is ``data.MODEL_COLUMNS``)."""
    learner = HistGradientBoostingClassifier(
        learning_rate=config.learning_rate,
        max_iter=config.max_iter,
        max_leaf_nodes=config.max_leaf_nodes,
        min_samples_leaf=config.min_samples_leaf,
        l2_regularization=config.l2_regularization,
        early_stopping=False,  # its internal split would put copies of a person on both sides
        random_state=config.seed,
    )
    ranks = GroupedPercentileScorer(group_column="stratum", columns=list(SCORED_COLUMNS),
                                    lower_is_better=LOWER_IS_BETTER, passthrough=True)
    margins = ClassBoundaryScorer(group_column="stratum", columns=list(SCORED_COLUMNS),
                                  lower_is_better=LOWER_IS_BETTER, passthrough=True)
    inner = Pipeline([("ranks", ranks), ("margins", margins), ("learner", learner)])
    masking = ItemMaskingClassifier(
        inner.set_output(transform="pandas"),  # the margins step finds columns by name
        items=ITEM_GROUPS,
        optional=((("body_fat_pct",), config.p_mask_body_fat),
                  (("sbp_mmhg", "dbp_mmhg"), config.p_mask_bp)),
        n_copies=config.n_copies,
        max_withheld=len(ITEMS) - 1,
        random_state=config.seed,
    )
    folds = StratifiedKFold(config.calibration_folds, shuffle=True, random_state=config.seed)
    pipeline = Pipeline([
        ("derive", DerivedMeasures()),
        ("classifier", CalibratedClassifierCV(masking, method=config.calibration_method,
                                              cv=folds, ensemble=False)),
    ])
    return pipeline.set_output(transform="pandas")


def train_pipeline(X: pd.DataFrame, y: np.ndarray, config: TrainingConfig | None = None,
                   weight: np.ndarray | None = None) -> Pipeline:
    """Fit the calibrated pipeline on model inputs ``X`` (``MODEL_COLUMNS``) and tiers ``y``.

    ``weight`` (optional, one per row) lets reviewed records count more than base rows.
    """
    config = config or TrainingConfig()
    y = np.asarray(y, dtype=int)
    missing = sorted(set(TIERS) - set(np.unique(y)))
    if missing:
        raise ValueError(f"training data lacks tier(s) {missing}; every tier 1–4 is needed")
    fit_params = {} if weight is None else {"classifier__sample_weight": np.asarray(weight, float)}
    with threadpool_limits(limits=1):
        return build_pipeline(config).fit(X.reset_index(drop=True), y, **fit_params)
