"""Stratified k-fold evaluation: overall, by subgroup, with items withheld, against baselines.

Each fold trains the full recipe (augmentation, calibration) on the other folds only, so the
reference tables and the calibrator never see the fold they are judged on. Withholding is
done at prediction time, as at a station where an item could not be tested: for "k items
withheld" each test person loses k of their measured items, chosen at random (seeded). The
same masked rows go to the model and to both baselines.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.model_selection import StratifiedKFold
from threadpoolctl import threadpool_limits

from .augment import mask_items
from .baselines import StandardGradeStandIn, logistic_baseline
from .data import ITEMS, TIERS
from .metrics import tier_metrics
from .training import TrainingConfig, train_pipeline

SCENARIOS = ("all_items", "withheld_1", "withheld_2", "withheld_3", "no_body_fat")
SCENARIO_LABELS = {
    "all_items": "all 4 items",
    "withheld_1": "1 item withheld",
    "withheld_2": "2 items withheld",
    "withheld_3": "3 items withheld",
    "no_body_fat": "all items, no body fat",
}
AGE_BANDS = ((20, 29), (30, 39), (40, 49), (50, 59), (60, 64))


@dataclass
class OutOfFold:
    """Out-of-fold predictions per scenario (each row predicted by a model that never saw it)."""

    y: np.ndarray
    fold: np.ndarray
    model: dict[str, np.ndarray] = field(default_factory=dict)  # probabilities (n, 4)
    logistic: dict[str, np.ndarray] = field(default_factory=dict)
    standard: dict[str, np.ndarray] = field(default_factory=dict)  # hard tiers
    n_items: dict[str, np.ndarray] = field(default_factory=dict)


def scenario_inputs(X: pd.DataFrame, scenario: str, seed: int) -> pd.DataFrame:
    """The test rows as they would arrive in ``scenario`` (seeded, reproducible)."""
    if scenario == "all_items":
        return X
    if scenario == "no_body_fat":
        return X.assign(body_fat_pct=np.nan)
    k = int(scenario.rsplit("_", 1)[1])
    return mask_items(X, np.full(len(X), k), np.random.default_rng([seed, k]),
                      [(item,) for item in ITEMS])


def cross_validate(X: pd.DataFrame, y: np.ndarray, config: TrainingConfig, folds: int = 5,
                   progress: object = None) -> OutOfFold:
    """Run the stratified ``folds``-fold evaluation; ``progress(msg)`` is told each fold."""
    y = np.asarray(y, dtype=int)
    oof = OutOfFold(y=y, fold=np.full(len(y), -1))
    for name in SCENARIOS:
        oof.model[name] = np.zeros((len(y), len(TIERS)))
        oof.logistic[name] = np.zeros((len(y), len(TIERS)))
        oof.standard[name] = np.zeros(len(y), dtype=int)
        oof.n_items[name] = np.zeros(len(y), dtype=int)
    splitter = StratifiedKFold(folds, shuffle=True, random_state=config.seed)
    for k, (train, test) in enumerate(splitter.split(np.zeros(len(y)), y)):
        if progress:
            progress(f"fold {k + 1}/{folds}: training on {len(train)} rows")
        X_train, y_train = X.iloc[train], y[train]
        model = train_pipeline(X_train, y_train, config)
        with threadpool_limits(limits=1):
            logistic = logistic_baseline(config).fit(X_train, y_train)
        standard = StandardGradeStandIn().fit(X_train, y_train)
        oof.fold[test] = k
        for name in SCENARIOS:
            X_test = scenario_inputs(X.iloc[test], name, config.seed + k)
            with threadpool_limits(limits=1):
                oof.model[name][test] = model.predict_proba(X_test)
                oof.logistic[name][test] = logistic.predict_proba(X_test)
            oof.standard[name][test] = standard.predict(X_test)
            oof.n_items[name][test] = X_test[list(ITEMS)].notna().sum(axis=1).to_numpy()
    return oof


def abstention_summary(y: np.ndarray, proba: np.ndarray, n_items: np.ndarray, *,
                       min_items: int, min_probability: float) -> dict:
    """Coverage and quality of the answers the model would actually give."""
    answered = (n_items >= min_items) & (proba.max(axis=1) >= min_probability)
    out = {"coverage": round(float(answered.mean()), 4), "answered": int(answered.sum())}
    if answered.any():
        m = tier_metrics(y[answered], proba[answered])
        out.update(accuracy=m["accuracy"], macro_f1=m["macro_f1"])
    else:
        out.update(accuracy=None, macro_f1=None)
    return out


def build_report(oof: OutOfFold, X: pd.DataFrame, *, min_items: int,
                 min_probability: float) -> dict:
    """Turn out-of-fold predictions into the report (plain, JSON-able)."""
    y = oof.y
    scenarios = {}
    for name in SCENARIOS:
        scenarios[name] = {
            "model": tier_metrics(y, oof.model[name]),
            "logistic_regression": tier_metrics(y, oof.logistic[name]),
            "standard_grade_stand_in": tier_metrics(y, predicted=oof.standard[name]),
            "abstention": abstention_summary(y, oof.model[name], oof.n_items[name],
                                             min_items=min_items, min_probability=min_probability),
        }
    full = oof.model["all_items"]
    per_fold = [tier_metrics(y[oof.fold == k], full[oof.fold == k])["macro_f1"]
                for k in range(int(oof.fold.max()) + 1)]
    by_sex = {s: tier_metrics(y[m], full[m]) for s, m in
              (("M", X["sex_male"].to_numpy() == 1), ("F", X["sex_male"].to_numpy() == 0)) if m.any()}
    age = X["age_years"].to_numpy()
    by_age = {}
    for lo, hi in AGE_BANDS:
        m = (age >= lo) & (age < hi + 1)
        if m.any():
            by_age[f"{lo}-{hi}"] = tier_metrics(y[m], full[m])
    return {
        "n_rows": int(len(y)),
        "folds": int(oof.fold.max()) + 1,
        "scenarios": scenarios,
        "per_fold_macro_f1": per_fold,
        "subgroups": {"sex": by_sex, "age_band": by_age},
        "abstention_rules": {"min_items": min_items, "min_probability": min_probability},
    }


def format_report(report: dict) -> str:
    """A readable plain-text table of the report."""
    def num(v: float | None, width: int = 7) -> str:
        return f"{v:>{width}.3f}" if v is not None else f"{'—':>{width}}"

    lines = [f"Stratified {report['folds']}-fold cross-validation on {report['n_rows']} rows",
             "", f"{'scenario':<24}{'method':<26}{'acc':>7}{'macroF1':>9}{'logloss':>9}{'ECE':>7}"]
    for name, block in report["scenarios"].items():
        for method in ("model", "logistic_regression", "standard_grade_stand_in"):
            m = block[method]
            label = SCENARIO_LABELS[name] if method == "model" else ""
            lines.append(f"{label:<24}{method:<26}{num(m['accuracy'])}{num(m['macro_f1'], 9)}"
                         f"{num(m['log_loss'], 9)}{num(m['ece'])}")
    rules = report["abstention_rules"]
    lines += ["", f"Answers given under the abstention rules (≥{rules['min_items']} items, "
                  f"top probability ≥{rules['min_probability']:.2f}):",
              f"{'scenario':<24}{'coverage':>9}{'acc':>7}{'macroF1':>9}"]
    for name, block in report["scenarios"].items():
        a = block["abstention"]
        lines.append(f"{SCENARIO_LABELS[name]:<24}{num(a['coverage'], 9)}{num(a['accuracy'])}"
                     f"{num(a['macro_f1'], 9)}")
    lines += ["", "All items, by subgroup:", f"{'group':<24}{'n':>6}{'acc':>7}{'macroF1':>9}{'ECE':>7}"]
    for kind, groups in report["subgroups"].items():
        for g, m in groups.items():
            lines.append(f"{kind + ' ' + g:<24}{m['n']:>6}{num(m['accuracy'])}{num(m['macro_f1'], 9)}"
                         f"{num(m['ece'])}")
    folds = ", ".join(f"{v:.3f}" for v in report["per_fold_macro_f1"])
    lines += ["", f"macro-F1 per fold (all items): {folds}"]
    if "holdout" in report:
        h = report["holdout"]
        lines.append(f"held-out check ({h['n']} unseen rows, model trained without them): "
                     f"macro-F1 {h['macro_f1']:.3f} (CV {report['scenarios']['all_items']['model']['macro_f1']:.3f})")
    return "\n".join(lines)
