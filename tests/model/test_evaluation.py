"""The evaluation report: its shape, its baselines, and the model card built from it."""

from __future__ import annotations

import json

import numpy as np

from prescribe.cli import main
from prescribe.fitness import training
from prescribe.fitness.card import render_model_card
from prescribe.fitness.data import training_inputs
from prescribe.fitness.evaluation import SCENARIOS, build_report, cross_validate, format_report


def test_report_covers_scenarios_baselines_and_subgroups(sample_data, tiny_config):
    X = training_inputs(sample_data)
    oof = cross_validate(X, sample_data.tiers, tiny_config, folds=2)
    assert set(np.unique(oof.fold)) == {0, 1}
    report = build_report(oof, X, min_items=2, min_probability=0.45)
    assert tuple(report["scenarios"]) == SCENARIOS
    for block in report["scenarios"].values():
        for method in ("model", "logistic_regression"):
            m = block[method]
            assert m["n"] == len(X)
            assert 0 <= m["macro_f1"] <= 1
            assert m["log_loss"] > 0
            assert 0 <= m["ece"] <= 1
        assert block["standard_grade_stand_in"]["log_loss"] is None
        assert 0 <= block["abstention"]["coverage"] <= 1
    scen = report["scenarios"]
    # With one item left the model must abstain on everyone (fewer than 2 items).
    assert scen["withheld_3"]["abstention"]["coverage"] == 0
    # Real signal even from 1,200 rows, and more items help.
    assert scen["all_items"]["model"]["macro_f1"] > 0.55
    assert scen["all_items"]["model"]["macro_f1"] > scen["withheld_3"]["model"]["macro_f1"]
    assert sum(m["n"] for m in report["subgroups"]["sex"].values()) == len(X)
    assert sum(m["n"] for m in report["subgroups"]["age_band"].values()) == len(X)
    assert len(report["per_fold_macro_f1"]) == 2
    text = format_report(report)
    assert "3 items withheld" in text
    assert "logistic_regression" in text
    assert "sex F" in text


def test_tiny_model_card_and_sidecar_agree(tiny_model_dir):
    side = json.loads((tiny_model_dir / "model.json").read_text())
    card = (tiny_model_dir / "MODEL_CARD.md").read_text()
    assert card == render_model_card(side)
    assert f"{side['metrics']['holdout']['macro_f1']:.3f}" in card
    assert "1 item withheld" in card


def test_evaluate_command_prints_json(sample_file, tiny_config, monkeypatch, capsys):
    monkeypatch.setattr(training, "TrainingConfig", lambda **kw: tiny_config)
    code = main(["model", "evaluate", "--data", str(sample_file), "--folds", "2", "--json"])
    assert code == 0
    report = json.loads(capsys.readouterr().out)
    assert report["folds"] == 2
    assert report["data"]["file"] == sample_file.name
