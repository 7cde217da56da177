"""``prescribe model train|evaluate|predict|retrain``: the fitness-tier model's life cycle.

scikit-learn and the model code are imported only when a model command runs, so that every
other ``prescribe`` command starts fast; the web app's review table is read (through
``web.fitness_reviews``) only for ``retrain --from-db``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_MODEL_DIR = PROJECT_ROOT / "models" / "fitness_tier"
DEFAULT_SQLITE = PROJECT_ROOT / "instance" / "prescribe.sqlite3"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "model", help="fitness-tier model: train, evaluate, predict, retrain from reviews",
        description="The light fitness-tier model (advisory tier 1–4 for adults).")
    sub = parser.add_subparsers(dest="model_command", metavar="ACTION", required=True)

    train = sub.add_parser("train", help="cross-validate, fit and save an artifact with its card")
    _data_options(train)
    train.add_argument("--out", type=Path, default=DEFAULT_MODEL_DIR,
                       help="model folder to write (default: models/fitness_tier)")
    train.set_defaults(func=_train)

    evaluate = sub.add_parser("evaluate", help="stratified k-fold evaluation with baselines")
    _data_options(evaluate)
    evaluate.add_argument("--json", action="store_true", help="print the report as JSON")
    evaluate.set_defaults(func=_evaluate)

    predict = sub.add_parser("predict", help="add fitness_tier columns to a CSV of assessments")
    predict.add_argument("input", type=Path, help="CSV with vocabulary column names")
    predict.add_argument("-o", "--output", type=Path, required=True, help="CSV to write")
    predict.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR, help="model folder")
    predict.set_defaults(func=_predict)

    retrain = sub.add_parser("retrain", help="learn from confirmed tier reviews, if not worse")
    source = retrain.add_mutually_exclusive_group(required=True)
    source.add_argument("--from-db", action="store_true",
                        help="read table tier_review from the web app's database")
    source.add_argument("--reviews", type=Path,
                        help="CSV with features_json and confirmed_tier columns instead")
    retrain.add_argument("--database-url", help="default: $DATABASE_URL, else instance/prescribe.sqlite3")
    retrain.add_argument("--data", required=True, help="the base data the current model was trained on")
    retrain.add_argument("--out", type=Path, default=DEFAULT_MODEL_DIR,
                         help="model folder holding the current model; a promoted candidate replaces it")
    retrain.add_argument("--review-weight", type=float, default=1.0,
                         help="weight of a reviewed record relative to a base row (default 1)")
    retrain.add_argument("--f1-tolerance", type=float, default=0.0,
                         help="allowed drop in holdout macro-F1 (default 0: not worse)")
    retrain.add_argument("--log-loss-tolerance", type=float, default=0.02,
                         help="allowed rise in holdout log-loss (default 0.02)")
    retrain.set_defaults(func=_retrain)


def _data_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", required=True,
                        help="body-performance CSV (clean or raw), or the folder holding it")
    parser.add_argument("--seed", type=int, default=None, help="random seed (default: fixed)")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds (default 5)")


def _config(args: argparse.Namespace):
    from ..fitness.training import TrainingConfig

    return TrainingConfig() if args.seed is None else TrainingConfig(seed=args.seed)


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _train(args: argparse.Namespace) -> int:
    from ..fitness.data import read_body_performance
    from ..fitness.evaluation import format_report
    from ..fitness.release import train_release

    data = read_body_performance(args.data)
    sidecar = train_release(data, args.out, _config(args), folds=args.folds, progress=_progress)
    report = dict(sidecar["metrics"]["cv"], holdout=sidecar["metrics"]["holdout"])
    print(format_report(report))
    print(f"\nsaved {sidecar['name']}-{sidecar['training']['training_sha256'][:10]} to {args.out}")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from ..fitness.data import read_body_performance
    from ..fitness.evaluation import format_report
    from ..fitness.release import evaluate_data

    data = read_body_performance(args.data)
    report = evaluate_data(data, _config(args), args.folds, progress=_progress)
    print(json.dumps(report, indent=2) if args.json else format_report(report))
    return 0


def _predict(args: argparse.Namespace) -> int:
    import pandas as pd

    from ..errors import AssessmentError, InputProblem
    from ..fitness import OUTPUT_COLUMNS, load_model

    if not args.input.is_file():
        raise AssessmentError([InputProblem("INPUT", str(args.input), "no such file")])
    model = load_model(args.model)
    frame = pd.read_csv(args.input, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    result = model.predict_frame(frame)
    # Re-running on an earlier output replaces its tier columns instead of failing to join.
    frame = frame.drop(columns=[c for c in OUTPUT_COLUMNS if c in frame.columns])
    frame.join(result).to_csv(args.output, index=False)
    reasons = result["fitness_tier_abstain_reason"].value_counts()
    print(f"{len(frame)} row(s): {int(result['fitness_tier'].notna().sum())} tiered by "
          f"{model.version}" + "".join(f"; {n} abstained ({r})" for r, n in reasons.items()))
    return 0


def _retrain(args: argparse.Namespace) -> int:
    import pandas as pd

    from ..fitness.data import read_body_performance
    from ..fitness.retrain import retrain

    if args.from_db:
        from web.fitness_reviews import load_confirmed_reviews

        url = args.database_url or os.environ.get("DATABASE_URL") or f"sqlite:///{DEFAULT_SQLITE}"
        reviews = load_confirmed_reviews(url)
    else:
        if not args.reviews.is_file():
            from ..errors import AssessmentError, InputProblem

            raise AssessmentError([InputProblem("--reviews", str(args.reviews), "no such file")])
        reviews = pd.read_csv(args.reviews, dtype={"features_json": str}, encoding="utf-8-sig")
    data = read_body_performance(args.data)
    record = retrain(args.out, data, reviews, review_weight=args.review_weight,
                     f1_tolerance=args.f1_tolerance, log_loss_tolerance=args.log_loss_tolerance)
    cur, cand = record["current"], record["candidate"]
    print(f"{record['reviews']['used']} of {record['reviews']['reviews']} review(s) used "
          f"({record['reviews']['invalid']} invalid, {record['reviews']['out_of_scope']} out of scope)")
    print(f"holdout macro-F1 current {cur['macro_f1']:.4f}"
          + (f", candidate {cand['macro_f1']:.4f}; log-loss {cur['log_loss']:.4f} → {cand['log_loss']:.4f}"
             if cand else ""))
    print(f"{record['decision']}: {record['reason']}")
    return 0
