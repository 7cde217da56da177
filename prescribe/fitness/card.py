"""The model card, written from the sidecar so every number in it comes from the actual run.

The prose (intended use, limits) is fixed here; the tables are filled from the evaluation
report and holdout metrics that training stored in ``model.json``. Editing numbers in
``MODEL_CARD.md`` by hand is pointless: the next training run rewrites it.
"""

from __future__ import annotations

from .evaluation import SCENARIO_LABELS

INTENDED_USE = """\
## Intended use

* **What:** an *advisory* starting-intensity fitness tier, 1 (fittest) to 4, for adults, with
  its calibrated probability and the items it used. It feeds the rule engine's
  `fitness_tier` fact and is shown to the clinician, who confirms or corrects it (tier
  reviews feed retraining).
* **Who:** adults whose age in whole years lies in the training range ({age_min:.0f}–{age_max:.0f}),
  at a community health station with at least {min_items} of the four items measured.
* **Must not be used** for diagnosis; for pre-participation screening or medical clearance;
  for children or adolescents; for adults older than the training range; or to lift any
  safety limit. Intensity caps, deferrals and clearance requirements come from the rules and
  always win over the tier. The model abstains (no tier, reason recorded) rather than guess
  outside its range.
"""

DATA = """\
## Data

* **Source:** KSPO (Korea Sports Promotion Foundation) national fitness measurements
  (국민체력100), as redistributed on Kaggle ("Body performance data", kukuroo3); provenance
  chain and cross-checks in `../shared/data/body_performance/PROVENANCE.md`. The project
  ships only this artifact and the training code, never the data. No licence is stated by
  any copy: internal validation use only until the KSPO / Kaggle terms are checked.
* **Population:** Korean adults aged 21–64 (the Kaggle text says 20–64) tested by a national
  sports-promotion agency; about 63 % men; young-skewed (43 % in their 20s, 10 % aged
  60–64). No person id, test date or test centre.
* **Rows used:** `{data_file}` (sha256 `{data_sha:.16}…`), {n_base} rows after dropping
  {dropped} exact duplicate(s); {n_train} rows fitted{reviews}, {n_hold} held out (seeded,
  stratified; never trained on).
* **Label:** KSPO class A (best) … D mapped to tier 1 … 4. The rule that assigns the class
  is not documented. The data suggest a composite of age- and sex-relative item grades in
  which one weak item caps the class; the classes were rebalanced to exact quarters, so a
  tier is a *relative* rank in this tested population, not prevalence and not an absolute
  fitness level.
* **Inputs and units** (dataset column → vocabulary name): age (years, whole) →
  `age_years`; gender M/F → `sex`; `height_cm`; `weight_kg`; body fat % (method not
  documented, probably bio-impedance) → `body_fat_pct`; systolic / diastolic (mmHg) →
  `sbp_mmhg` / `dbp_mmhg`; gripForce (kg; side and trial rule not documented) →
  `grip_strength_kg`; sit and bend forward (cm, may be negative) → `sit_and_reach_cm`;
  sit-up count (KSPO's adult protocol is timed, probably 60 s) → `sit_up_1min_count`; broad
  jump (cm) → `standing_long_jump_cm`.
"""

METHOD = """\
## Method

One scikit-learn `Pipeline`: derived measures (BMI, grip per kg, sex × 5-year age-band
stratum) → `CalibratedClassifierCV` ({method}, {cal_folds} folds over people, one final model
calibrated on out-of-fold scores) around an item-masking step and an inner pipeline of
(a) each item's percentile within its sex × age band, with missing-indicators and the
weakest / second-weakest / mean rank ("weakest link"), (b) each item's margin over per-band
tier cut-offs learned from the training tiers, and the weakest margin per cut-off, and
(c) `HistGradientBoostingClassifier`, which tolerates missing items. All reference tables
are fitted on training rows only. The masking step trains on each person as measured plus
{n_copies} masked cop{copy_suffix} with 1–3 of the four items blanked at random (and body fat /
blood pressure blanked with probability {p_fat:.2f} / {p_bp:.2f}), so the model degrades
gracefully when items are missing; because the masking happens inside each calibration
fold, the calibrator only ever scores people's rows as measured, by a model that never saw
them. Seed {seed}; training is deterministic. Saved with skops; the sidecar `model.json`
records library versions, feature order, data hashes, metrics and the code version, and
loading refuses any mismatch.
"""

LIMITS = """\
## Known limits

* **Population transfer is unvalidated.** Korean adults tested by KSPO are not Chinese
  community-station clients; item protocols differ in detail (grip hand and trials,
  sit-and-reach zero point, sit-up timing and technique). Confirm tiers locally — the tier
  reviews exist for that — before relying on the probabilities.
* **No cardiorespiratory item.** The data hold no step test, shuttle run or VO2max; the tier
  reflects muscular strength and endurance, flexibility, power and body composition, not
  aerobic capacity.
* **Unknown label rule, rebalanced classes.** The tier cannot be read as "the KSPO grade"; it
  is the model's estimate of the class KSPO's rule assigned in this sample.
* **Missing items cost accuracy** (table above): with two items left the tier is a rough
  guide; with one the model abstains. Body fat carries real signal; blood pressure little.
* **Retraining from reviews** is gated on the base holdout: it guards against getting worse on
  the reference population but cannot show that the local population got better.
* The sidecar is not signed: whoever can edit both `model.skops` and `model.json` can replace
  the model. Keep `models/` under version control.
"""


def _num(v: float | None) -> str:
    return "—" if v is None else f"{v:.3f}"


def _metrics_table(report: dict) -> list[str]:
    lines = ["| scenario | method | accuracy | macro-F1 | log-loss | ECE |",
             "|---|---|---:|---:|---:|---:|"]
    for name, block in report["scenarios"].items():
        for method, label in (("model", "**this model**"),
                              ("logistic_regression", "logistic regression (same masking)"),
                              ("standard_grade_stand_in", "standard-grade stand-in")):
            m = block[method]
            lines.append(f"| {SCENARIO_LABELS[name]} | {label} | {_num(m['accuracy'])} | "
                         f"{_num(m['macro_f1'])} | {_num(m['log_loss'])} | {_num(m['ece'])} |")
    return lines


def _cv_section(report: dict, holdout: dict) -> list[str]:
    rules = report["abstention_rules"]
    full = report["scenarios"]["all_items"]["model"]
    lines = ["## Metrics", "",
             f"Stratified {report['folds']}-fold cross-validation on {report['n_rows']} rows "
             "(each fold trains the full recipe on the other folds; items are withheld at "
             "prediction time, chosen at random per person). The logistic regression sees "
             "the raw measurements with the same masking augmentation. The standard-grade stand-in is "
             "the mean sex/age-band percentile of the measured items cut into quarters (the "
             "2003 physique standard's grade needs vital capacity and the step test, which "
             "the data lack).", "", *_metrics_table(report), "",
             "macro-F1 per fold (all items): "
             + ", ".join(f"{v:.3f}" for v in report["per_fold_macro_f1"]), "",
             f"**Held-out check:** trained without them, the shipped model scores macro-F1 "
             f"{_num(holdout['macro_f1'])} (accuracy {_num(holdout['accuracy'])}, log-loss "
             f"{_num(holdout['log_loss'])}, ECE {_num(holdout['ece'])}) on {holdout['n']} unseen "
             f"rows, against {_num(full['macro_f1'])} in cross-validation.", "",
             "### Subgroups (all items)", "", "| group | n | accuracy | macro-F1 | ECE |",
             "|---|---:|---:|---:|---:|"]
    for kind, groups in report["subgroups"].items():
        for g, m in groups.items():
            lines.append(f"| {kind.replace('_', ' ')} {g} | {m['n']} | {_num(m['accuracy'])} | "
                         f"{_num(m['macro_f1'])} | {_num(m['ece'])} |")
    lines += ["", "### Missing items and abstention", "",
              f"Answers actually given under the abstention rules (at least {rules['min_items']} "
              f"items; top probability at least {rules['min_probability']:.2f}):", "",
              "| scenario | model macro-F1 (no abstention) | coverage | accuracy of answers | macro-F1 of answers |",
              "|---|---:|---:|---:|---:|"]
    for name, block in report["scenarios"].items():
        a = block["abstention"]
        lines.append(f"| {SCENARIO_LABELS[name]} | {_num(block['model']['macro_f1'])} | "
                     f"{_num(a['coverage'])} | {_num(a['accuracy'])} | {_num(a['macro_f1'])} |")
    return lines


def render_model_card(sidecar: dict) -> str:
    """The full Markdown model card for the artifact described by ``sidecar``."""
    t, a, c = sidecar["training"], sidecar["abstention"], sidecar["config"]
    version = f"{sidecar['name']}-{t['training_sha256'][:10]}"
    reviews = f" (including {t['n_reviews']} confirmed tier reviews, weight {t['review_weight']})" \
        if t.get("n_reviews") else ""
    lines = [f"# Model card: fitness tier (`{version}`)", "",
             f"Written by `prescribe model train` on {sidecar['created_at']} from the run recorded "
             "in `model.json`; regenerate rather than edit.", "",
             INTENDED_USE.format(age_min=a["age_min"], age_max=a["age_max"], min_items=a["min_items"]),
             DATA.format(data_file=t["data_file"], data_sha=t["data_sha256"], n_base=t["n_base_rows"],
                         dropped=t["dropped_duplicates"], n_train=t["n_training_rows"], reviews=reviews,
                         n_hold=t["holdout"]["n"]),
             METHOD.format(method=c["calibration_method"], cal_folds=c["calibration_folds"],
                           n_copies=c["n_copies"], copy_suffix="y" if c["n_copies"] == 1 else "ies",
                           p_fat=c["p_mask_body_fat"], p_bp=c["p_mask_bp"],
                           seed=sidecar["seed"])]
    holdout = sidecar["metrics"]["holdout"]
    if "cv" in sidecar["metrics"]:
        lines += _cv_section(sidecar["metrics"]["cv"], holdout)
    else:
        lines += ["## Metrics", "", "Cross-validation was not re-run for this retrained model "
                  "(run `prescribe model evaluate`). On the base holdout "
                  f"({holdout['n']} rows) it scores macro-F1 {_num(holdout['macro_f1'])}, "
                  f"log-loss {_num(holdout['log_loss'])}, ECE {_num(holdout['ece'])}."]
    lines += ["", "## Abstention", "",
              f"No tier when age or sex is missing, age (whole years) is outside {a['age_min']:.0f}–"
              f"{a['age_max']:.0f}, fewer than {a['min_items']} of the four items were measured, "
              f"or the top calibrated probability is below {a['min_probability']:.2f}. The reason is "
              "recorded in `fitness_tier_abstain_reason`.", "", LIMITS,
              "## Reproduce", "", "```",
              "prescribe model evaluate --data ../shared/data/body_performance",
              f"prescribe model train --data ../shared/data/body_performance --out models/{sidecar['name']}",
              "```", ""]
    return "\n".join(lines)
