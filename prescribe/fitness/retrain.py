"""Learning from clinicians' tier reviews, with a gate that refuses to get worse.

A candidate is fitted on the base training rows plus the confirmed reviews and compared with
the current model on the base holdout (the seeded split recorded in the current sidecar,
never trained on by either). It replaces the current model only if its macro-F1 is not worse
(beyond ``f1_tolerance``) and its log-loss is within ``log_loss_tolerance``. Every decision,
promoted or not, is appended to ``decisions.jsonl`` beside the model. The previous artifact
is kept under ``archive/<version>/`` so a promotion can be undone.

This module takes reviews as a DataFrame (columns ``features_json``, ``confirmed_tier``,
optionally ``id``); reading them from the web app's database is ``web.fitness_reviews``.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import AssessmentError, InputProblem, ModelArtifactError
from .artifact import ARTIFACT_FILE, SIDECAR_FILE, save_artifact
from .data import ITEMS, TrainingData, encode_inputs, parse_features_json, training_inputs
from .metrics import tier_metrics
from .model import FitnessModel, load_model, version_of
from .release import CARD_FILE, fit_release, predict_proba, split_holdout, write_card
from .training import TrainingConfig

DECISIONS_FILE = "decisions.jsonl"


def reviews_to_rows(reviews: pd.DataFrame, model: FitnessModel) -> tuple[pd.DataFrame, np.ndarray, dict]:
    """Model inputs and tiers from reviews, keeping only those the model could have judged.

    Dropped (and counted, by reason): a tier outside 1–4, impossible values, an age outside
    the model's range (a review must not silently widen it) or fewer than the minimum items.
    Returns (inputs, tiers, counts); ``counts["invalid_ids"]`` names the rejected reviews.
    """
    missing = [c for c in ("features_json", "confirmed_tier") if c not in reviews.columns]
    if missing:
        raise AssessmentError([InputProblem(c, None, "column missing from the reviews") for c in missing])
    ids = reviews["id"] if "id" in reviews.columns else pd.Series(np.arange(1, len(reviews) + 1))
    ids = ids.reset_index(drop=True)
    features = parse_features_json(reviews["features_json"].reset_index(drop=True), ids=ids)
    X, problems = encode_inputs(features, first_row=0)
    bad_row = np.zeros(len(X), dtype=bool)
    for p in problems:
        bad_row[p.row] = True
    tier = pd.to_numeric(reviews["confirmed_tier"].reset_index(drop=True), errors="coerce")
    bad_tier = ~tier.isin([1, 2, 3, 4]).to_numpy()
    age = np.floor(X["age_years"].to_numpy())
    out_of_scope = ~((age >= model.age_min) & (age <= model.age_max)) | X["sex_male"].isna().to_numpy() \
        | (X[list(ITEMS)].notna().sum(axis=1).to_numpy() < model.min_items)
    invalid = bad_row | bad_tier
    keep = ~invalid & ~out_of_scope
    counts = {
        "reviews": int(len(X)),
        "used": int(keep.sum()),
        "invalid": int(invalid.sum()),
        "out_of_scope": int((~invalid & out_of_scope).sum()),
        "invalid_ids": [int(i) for i in ids[invalid]][:100],
    }
    return X.loc[keep].reset_index(drop=True), tier[keep].to_numpy(dtype=int), counts


def retrain(model_dir: str | Path, data: TrainingData, reviews: pd.DataFrame, *,
            review_weight: float = 1.0, f1_tolerance: float = 0.0,
            log_loss_tolerance: float = 0.02) -> dict:
    """Fit a candidate with the reviews, gate it, promote or not; return the decision record."""
    folder = Path(model_dir)
    current = load_model(folder)
    trained = current.sidecar["training"]
    if data.sha256 != trained["data_sha256"]:
        raise ModelArtifactError(
            f"the base data given ({data.source}, sha256 {data.sha256[:12]}…) is not the data the "
            f"current model was trained on ({trained['data_file']}, {trained['data_sha256'][:12]}…); "
            "the holdout would not be unseen — retrain from scratch with `prescribe model train`")
    X_rev, y_rev, counts = reviews_to_rows(reviews, current)
    config = replace(TrainingConfig(), **current.sidecar["config"])
    hold_seed = trained["holdout"]["seed"]
    _, hold = split_holdout(data.tiers, trained["holdout"]["fraction"], hold_seed)
    X_hold, y_hold = training_inputs(data).iloc[hold], data.tiers[hold]
    before = tier_metrics(y_hold, predict_proba(current.pipeline, X_hold))
    record = {
        "at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "current_version": current.version,
        "reviews": counts,
        "holdout_n": int(len(hold)),
        "current": before,
        "tolerances": {"macro_f1": f1_tolerance, "log_loss": log_loss_tolerance},
    }
    if counts["used"] == 0:
        record.update(decision="rejected", reason="no usable reviews", candidate=None,
                      candidate_version=None)
        _append(folder, record)
        return record
    pipeline, metadata = fit_release(data, config, name=current.name, extra=X_rev,
                                     extra_tiers=y_rev, extra_weight=review_weight)
    after = metadata["metrics"]["holdout"]
    f1_ok = after["macro_f1"] >= before["macro_f1"] - f1_tolerance
    ll_ok = after["log_loss"] <= before["log_loss"] + log_loss_tolerance
    record.update(candidate=after, candidate_version=version_of(metadata))
    if f1_ok and ll_ok:
        metadata["promoted_from"] = current.version
        metadata["reviews"] = {k: v for k, v in counts.items() if k != "invalid_ids"}
        _archive(folder, current.version)
        sidecar = save_artifact(pipeline, folder, metadata)
        write_card(folder, sidecar)
        record.update(decision="promoted", reason="candidate not worse on the base holdout")
    else:
        why = []
        if not f1_ok:
            why.append(f"macro-F1 {after['macro_f1']:.4f} < current {before['macro_f1']:.4f}"
                       + (f" − {f1_tolerance}" if f1_tolerance else ""))
        if not ll_ok:
            why.append(f"log-loss {after['log_loss']:.4f} > current {before['log_loss']:.4f} + "
                       f"{log_loss_tolerance}")
        record.update(decision="rejected", reason="; ".join(why))
    _append(folder, record)
    return record


def _archive(folder: Path, version: str) -> None:
    target = folder / "archive" / version
    target.mkdir(parents=True, exist_ok=True)
    for name in (ARTIFACT_FILE, SIDECAR_FILE, CARD_FILE):
        if (folder / name).is_file():
            shutil.copy2(folder / name, target / name)


def _append(folder: Path, record: dict) -> None:
    with open(folder / DECISIONS_FILE, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(record, ensure_ascii=False) + "\n")
