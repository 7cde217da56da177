"""Fitting the fitness-tier pipeline: item-masking augmentation and calibrated boosting.

Training is deterministic for a given seed: the augmentation draws from
``numpy.random.default_rng(seed)``, every estimator gets ``random_state=seed``, and the
calibration folds are fixed before fitting. Fitting runs on one OpenMP thread: on a small,
shared host (two cores) the boosting's thread pool oversubscribes and one fit took eight
times longer with two threads than with one.

Why augment: at a community station some items are always missing (no mat for sit-ups, no
room for the jump). A model that only ever saw complete rows is over-confident when items
are absent. So the training set holds every person once as measured plus ``n_copies``
copies in which 1–3 of the four items (and, less often, body fat and blood pressure) are
blanked at random. All copies of one person stay in the same calibration fold
(``PredefinedSplit``), so the calibrator never scores a person the learner has seen.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import PredefinedSplit, StratifiedKFold
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from .data import ITEMS
from .features import DerivedMeasures, GroupedPercentileScorer

DEFAULT_SEED = 20240604

SCORED_COLUMNS = ["grip_per_kg", "sit_and_reach_cm", "sit_up_1min_count",
                  "standing_long_jump_cm", "body_fat_pct"]
LOWER_IS_BETTER = ("body_fat_pct",)


@dataclass(frozen=True)
class TrainingConfig:
    """Every knob of a training run; stored in the sidecar so a run can be repeated."""

    seed: int = DEFAULT_SEED
    n_copies: int = 2  # masked copies per person, besides the person as measured
    p_mask_body_fat: float = 0.25
    p_mask_bp: float = 0.25
    calibration_folds: int = 5
    calibration_method: str = "isotonic"
    learning_rate: float = 0.05
    max_iter: int = 300
    max_leaf_nodes: int = 31
    min_samples_leaf: int = 40
    l2_regularization: float = 1.0

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def build_pipeline(config: TrainingConfig, test_fold: np.ndarray) -> Pipeline:
    """The one artifact: derived measures → measured + relative features → calibrated HGB."""
    learner = HistGradientBoostingClassifier(
        learning_rate=config.learning_rate,
        max_iter=config.max_iter,
        max_leaf_nodes=config.max_leaf_nodes,
        min_samples_leaf=config.min_samples_leaf,
        l2_regularization=config.l2_regularization,
        early_stopping=False,  # its internal split would put copies of a person on both sides
        random_state=config.seed,
    )
    scorer = GroupedPercentileScorer(group_column="stratum", columns=list(SCORED_COLUMNS),
                                     lower_is_better=LOWER_IS_BETTER, passthrough=True)
    pipeline = Pipeline([
        ("derive", DerivedMeasures()),
        ("features", scorer),
        # ensemble=False: one learner fitted on all rows, calibrated on out-of-fold scores.
        # Averaging the five fold models (ensemble=True) made the averaged probabilities
        # under-confident (mean top probability 0.70 at 77 % accuracy in our runs).
        ("classifier", CalibratedClassifierCV(learner, method=config.calibration_method,
                                              cv=PredefinedSplit(test_fold), ensemble=False)),
    ])
    return pipeline.set_output(transform="pandas")


def mask_items(X: pd.DataFrame, n_withheld: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """Blank ``n_withheld[i]`` of the measured items of row ``i``, chosen at random.

    Vectorised: random keys are drawn for every item, unmeasured items get +inf so they are
    never chosen, and the ``n_withheld`` smallest keys of each row are blanked. A row with
    fewer measured items than asked loses all it has.
    """
    values = X[list(ITEMS)].to_numpy(dtype=float, copy=True)
    keys = rng.random(values.shape)
    keys[np.isnan(values)] = np.inf
    order = np.argsort(keys, axis=1)
    position = np.empty_like(order)
    np.put_along_axis(position, order, np.arange(values.shape[1])[None, :].repeat(len(values), 0), axis=1)
    values[position < np.asarray(n_withheld)[:, None]] = np.nan
    out = X.copy()
    out[list(ITEMS)] = values
    return out


def augment(X: pd.DataFrame, y: np.ndarray, config: TrainingConfig,
            weight: np.ndarray | None = None) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    """Return (X, y, person, weight) with the masked copies appended after the originals."""
    rng = np.random.default_rng(config.seed)
    n = len(X)
    weight = np.ones(n) if weight is None else np.asarray(weight, dtype=float)
    parts, person = [X.reset_index(drop=True)], [np.arange(n)]
    for _ in range(config.n_copies):
        copy = mask_items(X.reset_index(drop=True), rng.integers(1, len(ITEMS), size=n), rng)
        copy.loc[rng.random(n) < config.p_mask_body_fat, "body_fat_pct"] = np.nan
        copy.loc[rng.random(n) < config.p_mask_bp, ["sbp_mmhg", "dbp_mmhg"]] = np.nan
        parts.append(copy)
        person.append(np.arange(n))
    reps = config.n_copies + 1
    return (pd.concat(parts, ignore_index=True), np.tile(np.asarray(y), reps),
            np.concatenate(person), np.tile(weight, reps))


def person_folds(y: np.ndarray, n_folds: int, seed: int) -> np.ndarray:
    """Stratified fold number of each person (the calibration split)."""
    fold = np.empty(len(y), dtype=np.int8)
    splitter = StratifiedKFold(n_folds, shuffle=True, random_state=seed)
    for k, (_, test) in enumerate(splitter.split(np.zeros(len(y)), y)):
        fold[test] = k
    return fold


def train_pipeline(X: pd.DataFrame, y: np.ndarray, config: TrainingConfig | None = None,
                   weight: np.ndarray | None = None) -> Pipeline:
    """Fit the calibrated pipeline on model inputs ``X`` (``MODEL_COLUMNS``) and tiers ``y``.

    ``weight`` (optional, one per row) lets reviewed records count more than base rows.
    """
    config = config or TrainingConfig()
    y = np.asarray(y, dtype=int)
    missing = sorted(set(range(1, 5)) - set(np.unique(y)))
    if missing:
        raise ValueError(f"training data lacks tier(s) {missing}; every tier 1–4 is needed")
    X_aug, y_aug, person, w_aug = augment(X, y, config, weight)
    test_fold = person_folds(y, config.calibration_folds, config.seed)[person]
    pipeline = build_pipeline(config, test_fold)
    fit_params = {} if weight is None else {"classifier__sample_weight": w_aug}
    with threadpool_limits(limits=1):
        return pipeline.fit(X_aug, y_aug, **fit_params)
