"""House rules for the clinical content: every rule is sourced and bilingual, and the
numbers that domain.md fixes are the numbers in the rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from prescribe.engine import load_ruleset

RULES = Path(__file__).resolve().parents[2] / "rules" / "default"

RULESET = load_ruleset(RULES)


@pytest.mark.parametrize("rule", RULESET.rules, ids=[r.id for r in RULESET.rules])
def test_rule_cites_a_guideline_and_domain_section(rule):
    assert re.search(r"domain\.md §\d", rule.source), rule.source
    assert re.search(r"\[[A-Z][A-Z0-9+-]*[]\s]", rule.source), rule.source
    assert rule.title["zh"] != rule.title["en"]


def test_screening_profile_defaults_to_cn2025():
    assert RULESET.screening_profile == "CN2025"


def _threshold(rule_id: str):
    return RULESET.rule(rule_id).when


def test_hard_stop_thresholds_match_domain_md():
    from prescribe.engine.conditions import to_data

    assert to_data(_threshold("stop-bp-systolic-over-200")) == {"fact": "sbp_mmhg", "op": ">", "value": 200}
    assert to_data(_threshold("stop-bp-diastolic-over-110")) == {"fact": "dbp_mmhg", "op": ">", "value": 110}
    assert to_data(_threshold("stop-spo2-85-or-below")) == {"fact": "spo2_rest_percent", "op": "<=", "value": 85}
    assert to_data(_threshold("stop-glucose-below-4")) == {"fact": "glucose_mmol_l", "op": "<", "value": 4.0}
    assert to_data(_threshold("stop-fever-38")) == {"fact": "body_temperature_c", "op": ">=", "value": 38.0}


def test_band_tables_are_declared_for_bp_glucose_and_spine():
    bands = {r.band for r in RULESET.rules if r.band}
    assert {"bp_systolic", "bp_diastolic", "glucose", "atr", "cobb"} <= bands
    sys_rules = sorted(r.id for r in RULESET.rules if r.band == "bp_systolic")
    assert len(sys_rules) == 6


def test_every_hard_stop_defers_or_routes_to_review():
    for rule in RULESET.rules:
        if rule.kind == "hard_stop":
            names = {e.name for e in rule.then}
            assert names & {"defer", "needs_review", "refer"}, rule.id
