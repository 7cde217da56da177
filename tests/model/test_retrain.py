"""Learning from tier reviews: reading them from the database, the promote/reject gate."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from sqlalchemy import create_engine, insert

from prescribe.cli import main
from prescribe.errors import ModelArtifactError
from prescribe.fitness import load_model
from prescribe.fitness.data import CLEAN_RENAMES, INPUTS
from prescribe.fitness.retrain import retrain
from web.fitness_reviews import ReviewSourceError, load_confirmed_reviews, metadata, tier_review


def _reviews(spare: pd.DataFrame, *, reverse: bool = False) -> pd.DataFrame:
    """Confirmed reviews built from real rows the tiny model never saw."""
    rows = spare.rename(columns=CLEAN_RENAMES)
    tiers = rows["label"].map({"A": 1, "B": 2, "C": 3, "D": 4})
    if reverse:  # a reviewer who reads the scale upside down
        tiers = 5 - tiers
    features = rows[list(INPUTS)].apply(
        lambda r: json.dumps({k: v for k, v in r.items() if pd.notna(v)}), axis=1)
    return pd.DataFrame({"id": range(1, len(rows) + 1), "features_json": features.to_numpy(),
                         "confirmed_tier": tiers.to_numpy(), "model_tier": None})


def _seed_db(path, reviews: pd.DataFrame) -> str:
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    metadata.create_all(engine)
    now = dt.datetime(2025, 3, 1, 9, 30)
    with engine.begin() as conn:
        conn.execute(insert(tier_review), [
            {"id": int(r.id), "station_id": 1, "assessment_id": int(r.id), "prescription_id": None,
             "reviewer_id": 3, "model_version": "fitness_tier-test", "model_tier": None,
             "confirmed_tier": int(r.confirmed_tier), "features_json": r.features_json,
             "created_at": now} for r in reviews.itertuples()])
    engine.dispose()
    return url


def test_reviews_are_read_from_the_database(sample_split, tmp_path):
    reviews = _reviews(sample_split[1].head(5))
    url = _seed_db(tmp_path / "reviews.sqlite3", reviews)
    got = load_confirmed_reviews(url)
    assert list(got.columns) == ["id", "model_version", "model_tier", "confirmed_tier",
                                 "features_json", "created_at"]
    assert got["confirmed_tier"].tolist() == reviews["confirmed_tier"].tolist()
    assert json.loads(got["features_json"].iat[0]) == json.loads(reviews["features_json"].iat[0])


def test_a_database_without_reviews_is_a_clear_error(tmp_path):
    with pytest.raises(ReviewSourceError, match="tier_review"):
        load_confirmed_reviews(f"sqlite:///{tmp_path / 'empty.sqlite3'}")


def test_consistent_reviews_are_promoted_from_the_database(model_copy, sample_split, sample_file,
                                                           tmp_path, capsys):
    before = load_model(model_copy)
    url = _seed_db(tmp_path / "reviews.sqlite3", _reviews(sample_split[1]))
    code = main(["model", "retrain", "--from-db", "--database-url", url,
                 "--data", str(sample_file), "--out", str(model_copy)])
    assert code == 0
    assert "promoted" in capsys.readouterr().out
    after = load_model(model_copy)  # the new artifact passes every load check
    assert after.version != before.version
    assert after.sidecar["training"]["n_reviews"] == len(sample_split[1])
    assert (model_copy / "archive" / before.version / "model.skops").is_file()
    record = json.loads((model_copy / "decisions.jsonl").read_text().splitlines()[-1])
    assert record["decision"] == "promoted"
    assert record["reviews"]["used"] == len(sample_split[1])
    assert record["candidate"]["macro_f1"] >= record["current"]["macro_f1"]


def test_contradicting_reviews_are_rejected_and_the_model_kept(model_copy, sample_split,
                                                               sample_data):
    before = (model_copy / "model.skops").read_bytes()
    record = retrain(model_copy, sample_data, _reviews(sample_split[1], reverse=True))
    assert record["decision"] == "rejected"
    assert "macro-F1" in record["reason"]
    assert (model_copy / "model.skops").read_bytes() == before
    assert not (model_copy / "archive").exists()
    logged = [json.loads(line) for line in (model_copy / "decisions.jsonl").read_text().splitlines()]
    assert [r["decision"] for r in logged] == ["rejected"]


def test_invalid_and_out_of_scope_reviews_are_counted_not_used(model_copy, sample_split,
                                                               sample_data):
    reviews = _reviews(sample_split[1].head(3))
    reviews.loc[0, "confirmed_tier"] = 7
    reviews.loc[1, "features_json"] = json.dumps({"age_years": 12, "sex": "F",
                                                  "grip_strength_kg": 20, "sit_and_reach_cm": 9})
    reviews.loc[2, "features_json"] = json.dumps({"age_years": 30, "sex": "F",
                                                  "grip_strength_kg": 900})
    record = retrain(model_copy, sample_data, reviews)
    assert record["reviews"] == {"reviews": 3, "used": 0, "invalid": 2, "out_of_scope": 1,
                                 "invalid_ids": [1, 3]}
    assert record["decision"] == "rejected"
    assert record["reason"] == "no usable reviews"


def test_retrain_refuses_other_base_data(model_copy, sample_split, tmp_path, capsys):
    other, reviews = tmp_path / "other.csv", tmp_path / "reviews.csv"
    sample_split[0].head(1000).to_csv(other, index=False)
    _reviews(sample_split[1].head(20)).to_csv(reviews, index=False)
    args = ["model", "retrain", "--data", str(other), "--out", str(model_copy)]
    assert main([*args, "--reviews", str(reviews)]) == ModelArtifactError.exit_code
    assert "not the data the current model was trained on" in capsys.readouterr().err
    assert main([*args, "--reviews", str(tmp_path / "none.csv")]) == 2
    assert "none.csv" in capsys.readouterr().err
    assert not (model_copy / "decisions.jsonl").exists()
