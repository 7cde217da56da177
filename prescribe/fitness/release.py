"""From training data to a shipped artifact: holdout split, fit, measure, save, card.

The shipped model is fitted on 80 % of the base data; the other 20 % (a seeded, stratified
split recorded in the sidecar) is never trained on. It serves twice: it checks that the
model does as well on unseen people as cross-validation promised, and every later retrain
is judged on it, so "current" and "candidate" are compared on people neither has seen.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from .artifact import code_version, save_artifact
from .card import render_model_card
from .data import TIERS, TrainingData, frame_sha256, training_inputs
from .evaluation import build_report, cross_validate
from .metrics import tier_metrics
from .training import TrainingConfig, train_pipeline

HOLDOUT_FRACTION = 0.2
MIN_ITEMS = 2
MIN_PROBABILITY = 0.5  # below it the model itself rates its answer more likely wrong than right
CARD_FILE = "MODEL_CARD.md"


def split_holdout(y: np.ndarray, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Row positions (train, holdout) of the fixed, stratified holdout split."""
    positions = np.arange(len(y))
    train, hold = train_test_split(positions, test_size=fraction, stratify=y, random_state=seed)
    return np.sort(train), np.sort(hold)


def predict_proba(pipeline: Pipeline, X: pd.DataFrame) -> np.ndarray:
    with threadpool_limits(limits=1):
        return pipeline.predict_proba(X)


def fit_release(data: TrainingData, config: TrainingConfig, *, name: str,
                extra: pd.DataFrame | None = None, extra_tiers: np.ndarray | None = None,
                extra_weight: float = 1.0) -> tuple[Pipeline, dict]:
    """Fit on the base data minus the holdout (plus ``extra`` reviewed rows, if any).

    Returns the pipeline and the sidecar metadata, including its holdout metrics.
    """
    X = training_inputs(data)
    train, hold = split_holdout(data.tiers, HOLDOUT_FRACTION, config.seed)
    X_fit, y_fit = X.iloc[train].reset_index(drop=True), data.tiers[train]
    weight = None
    n_extra = 0 if extra is None else len(extra)
    if n_extra:
        X_fit = pd.concat([X_fit, extra.reset_index(drop=True)], ignore_index=True)
        y_fit = np.concatenate([y_fit, np.asarray(extra_tiers, dtype=int)])
        weight = np.r_[np.ones(len(train)), np.full(n_extra, float(extra_weight))]
    pipeline = train_pipeline(X_fit, y_fit, config, weight)
    holdout = tier_metrics(data.tiers[hold], predict_proba(pipeline, X.iloc[hold]))
    ages = X_fit["age_years"].dropna()
    metadata = {
        "name": name,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "seed": config.seed,
        "config": config.to_dict(),
        "classes": list(TIERS),
        "training": {
            "data_file": data.source,
            "data_sha256": data.sha256,
            "training_sha256": frame_sha256(X_fit, y_fit, json.dumps(
                {"config": config.to_dict(), "code": code_version()}, sort_keys=True)),
            "n_base_rows": len(data),
            "n_training_rows": int(len(X_fit)),
            "n_reviews": n_extra,
            "review_weight": float(extra_weight) if n_extra else None,
            "blanked_impossible_values": data.blanked,
            "dropped_duplicates": data.dropped_duplicates,
            "holdout": {"fraction": HOLDOUT_FRACTION, "seed": config.seed, "n": int(len(hold))},
        },
        "abstention": {"min_items": MIN_ITEMS, "min_probability": MIN_PROBABILITY,
                       "age_min": float(np.floor(ages.min())), "age_max": float(np.floor(ages.max()))},
        "metrics": {"holdout": holdout},
    }
    return pipeline, metadata


def evaluate_data(data: TrainingData, config: TrainingConfig, folds: int = 5,
                  progress: Callable[[str], None] | None = None) -> dict:
    """The cross-validated report on all of ``data`` (what `prescribe model evaluate` prints)."""
    X = training_inputs(data)
    oof = cross_validate(X, data.tiers, config, folds, progress)
    report = build_report(oof, X, min_items=MIN_ITEMS, min_probability=MIN_PROBABILITY)
    report["data"] = {"file": data.source, "sha256": data.sha256}
    return report


def train_release(data: TrainingData, out_dir: str | Path, config: TrainingConfig, *,
                  folds: int = 5, progress: Callable[[str], None] | None = None) -> dict:
    """Cross-validate, fit the release model, save it with its sidecar and model card."""
    out = Path(out_dir)
    report = evaluate_data(data, config, folds, progress)
    if progress:
        progress("fitting the release model")
    pipeline, metadata = fit_release(data, config, name=out.name)
    metadata["metrics"]["cv"] = report
    sidecar = save_artifact(pipeline, out, metadata)
    write_card(out, sidecar)
    return sidecar


def write_card(out_dir: Path, sidecar: dict) -> None:
    (Path(out_dir) / CARD_FILE).write_text(render_model_card(sidecar), encoding="utf-8")
