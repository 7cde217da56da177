"""``FitnessModel``: the loaded pipeline plus the rules for when it must not answer.

The model only speaks inside its training range and when it has enough to go on. It
abstains (``fitness_tier`` is ``<NA>``, the reason is recorded) when, in this order:

* ``age_missing`` / ``sex_missing``: the item ranks are relative to sex and age;
* ``age_out_of_range``: the age in whole years is outside the ages it was trained on
  (21–64 for the KSPO data) — never extrapolate to children or older adults;
* ``too_few_items``: fewer than ``min_items`` (2) of the four performance items were
  measured — with one item left cross-validated macro-F1 falls to about 0.52, against
  about 0.62 with two and 0.78 with all four (the model card has the run's figures);
* ``low_confidence``: the calibrated top-class probability is below ``min_probability``
  (0.5: the model itself rates its answer more likely wrong than right).

Both thresholds and the age range are stored in the sidecar when the model is trained.

``fitness_tier_probability`` is the calibrated probability of the returned tier; for a
``low_confidence`` abstention it is the top probability that was too low (so the reviewer
sees how close it was); when the model did not run it is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from sklearn.pipeline import Pipeline
from threadpoolctl import threadpool_limits

from ..errors import AssessmentError
from .artifact import load_artifact
from .data import INPUTS, ITEMS, encode_inputs

OUTPUT_COLUMNS = ("fitness_tier", "fitness_tier_probability", "fitness_tier_items",
                  "fitness_tier_abstain_reason")
ABSTAIN_REASONS = ("age_missing", "sex_missing", "age_out_of_range", "too_few_items",
                   "low_confidence")

# "grip_strength_kg,sit_and_reach_cm" for each of the 16 present/absent patterns (bit i = ITEMS[i]).
_ITEM_LISTS = np.array([",".join(item for i, item in enumerate(ITEMS) if code >> i & 1)
                        for code in range(1 << len(ITEMS))], dtype=object)


class FitnessModel:
    """A validated fitness-tier pipeline with its sidecar; use ``load_model(dir)``."""

    def __init__(self, pipeline: Pipeline, sidecar: Mapping[str, Any]):
        self.pipeline = pipeline
        self.sidecar = dict(sidecar)
        rules = self.sidecar["abstention"]
        self.min_items = int(rules["min_items"])
        self.min_probability = float(rules["min_probability"])
        self.age_min, self.age_max = float(rules["age_min"]), float(rules["age_max"])
        self.classes = np.asarray(self.sidecar["classes"], dtype=int)

    @property
    def name(self) -> str:
        return str(self.sidecar.get("name", "fitness_tier"))

    @property
    def version(self) -> str:
        """``<name>-<first 10 hex of the training-run hash>`` (rows, labels, configuration and
        code): the same run always gives the same version, any change a new one."""
        return version_of(self.sidecar)

    def predict_frame(self, df: pd.DataFrame, *, first_row: int = 2) -> pd.DataFrame:
        """Predict a tier for every row of ``df`` (vocabulary column names; any may be empty).

        Raises ``AssessmentError`` listing every impossible value or unknown sex with its
        row (``first_row`` = line number of the first row) and column. Returns the four
        ``OUTPUT_COLUMNS`` on ``df``'s index.
        """
        X, problems = encode_inputs(df, first_row=first_row)
        errors = [p for p in problems if p.severity == "error"]
        if errors:
            raise AssessmentError(errors)
        present = X[list(ITEMS)].notna().to_numpy()
        reason = self._pre_model_reasons(X, present.sum(axis=1))
        tier = np.full(len(X), np.nan)
        prob = np.full(len(X), np.nan)
        run = pd.isna(reason)
        if run.any():
            with threadpool_limits(limits=1):  # OpenMP oversubscription is slow on small hosts
                proba = self.pipeline.predict_proba(X.loc[run])
            top = proba.argmax(axis=1)
            prob[run] = proba[np.arange(len(top)), top]
            tier[run] = self.classes[top]
            unsure = run & (prob < self.min_probability)
            reason[unsure] = "low_confidence"
            tier[unsure] = np.nan
        codes = (present * (1 << np.arange(len(ITEMS)))).sum(axis=1)
        return pd.DataFrame({
            "fitness_tier": pd.array(tier, dtype="Int64"),
            "fitness_tier_probability": prob.round(4),
            "fitness_tier_items": _ITEM_LISTS[codes],
            "fitness_tier_abstain_reason": pd.array(reason, dtype="string"),
        }, index=df.index)

    def predict_record(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """Predict one record; same rules and numbers as ``predict_frame``.

        Keys other than the model inputs are ignored, so a whole assessment may be passed.
        Problems are reported without a row number.
        """
        row = pd.DataFrame([{k: record.get(k) for k in INPUTS if k in record}], dtype=object)
        try:
            out = self.predict_frame(row).iloc[0]
        except AssessmentError as exc:
            from dataclasses import replace

            raise AssessmentError([replace(p, row=None) for p in exc.problems]) from None
        tier, prob, reason = out["fitness_tier"], out["fitness_tier_probability"], out["fitness_tier_abstain_reason"]
        return {
            "fitness_tier": None if pd.isna(tier) else int(tier),
            "fitness_tier_probability": None if pd.isna(prob) else float(prob),
            "fitness_tier_items": out["fitness_tier_items"],
            "fitness_tier_abstain_reason": None if pd.isna(reason) else str(reason),
            "model_version": self.version,
        }

    def _pre_model_reasons(self, X: pd.DataFrame, n_items: np.ndarray) -> np.ndarray:
        """Reasons that stop a row before the model runs (first match wins)."""
        age = X["age_years"].to_numpy()
        whole_years = np.floor(age)
        checks = [
            ("age_missing", np.isnan(age)),
            ("sex_missing", X["sex_male"].isna().to_numpy()),
            ("age_out_of_range", (whole_years < self.age_min) | (whole_years > self.age_max)),
            ("too_few_items", n_items < self.min_items),
        ]
        reason = np.full(len(X), None, dtype=object)
        for code, hit in reversed(checks):  # earlier checks overwrite later ones
            reason[hit] = code
        return reason


def version_of(sidecar: Mapping[str, Any]) -> str:
    """The version string of the model a sidecar describes."""
    return f"{sidecar.get('name', 'fitness_tier')}-{sidecar['training']['training_sha256'][:10]}"


def load_model(model_dir: str | Path) -> FitnessModel:
    """Load ``model_dir`` (``model.skops`` + ``model.json``); refuse a mismatched artifact."""
    pipeline, sidecar = load_artifact(model_dir)
    return FitnessModel(pipeline, sidecar)
