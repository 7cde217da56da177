"""Classification metrics for tiers, including calibration (ECE).

Kept apart from the cross-validation loop so the retrain gate, the evaluation report and the
tests all compute a metric the same way.
"""

from __future__ import annotations

import numpy as np
from sklearn.metrics import accuracy_score, f1_score, log_loss

from .data import TIERS

ECE_BINS = 15


def expected_calibration_error(y: np.ndarray, proba: np.ndarray, bins: int = ECE_BINS) -> float:
    """Top-label ECE: mean |accuracy − confidence| over equal-width confidence bins,
    weighted by the share of rows in each bin (Guo et al. 2017)."""
    conf = proba.max(axis=1)
    correct = (np.asarray(TIERS)[proba.argmax(axis=1)] == y).astype(float)
    which = np.clip(np.ceil(conf * bins).astype(int) - 1, 0, bins - 1)
    weight = np.bincount(which, minlength=bins)
    hit = np.bincount(which, weights=correct, minlength=bins)
    sure = np.bincount(which, weights=conf, minlength=bins)
    used = weight > 0
    return float(np.sum(np.abs(hit[used] - sure[used])) / len(y))


def tier_metrics(y: np.ndarray, proba: np.ndarray | None = None,
                 predicted: np.ndarray | None = None) -> dict[str, float | int | None]:
    """Accuracy and macro-F1 (from ``predicted`` or the arg-max of ``proba``), and log-loss
    and ECE when probabilities are given (a hard rule has none)."""
    y = np.asarray(y, dtype=int)
    if predicted is None:
        if proba is None:
            raise ValueError("give proba or predicted")
        predicted = np.asarray(TIERS)[proba.argmax(axis=1)]
    out: dict[str, float | int | None] = {
        "n": int(len(y)),
        "accuracy": round(float(accuracy_score(y, predicted)), 4),
        "macro_f1": round(float(f1_score(y, predicted, average="macro", labels=list(TIERS),
                                         zero_division=0)), 4),
        "log_loss": None,
        "ece": None,
    }
    if proba is not None:
        clipped = np.clip(proba, 1e-15, 1)
        clipped = clipped / clipped.sum(axis=1, keepdims=True)
        out["log_loss"] = round(float(log_loss(y, clipped, labels=list(TIERS))), 4)
        out["ece"] = round(expected_calibration_error(y, proba), 4)
    return out
