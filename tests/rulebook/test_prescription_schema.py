"""Every prescription the assistant writes validates against docs/prescription.schema.json."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "prescription.schema.json"


@pytest.fixture(scope="module")
def validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def _errors(validator, doc) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]


def test_every_golden_case_output_matches_the_schema(assistant, validator):
    problems = {}
    outcomes = set()
    for case in assistant.ruleset.cases:
        result = assistant.prescribe(case.given)
        outcomes.add(result["outcome"])
        errors = _errors(validator, result)
        if errors:
            problems[case.id] = errors[:3]
    assert problems == {}
    assert outcomes == {"defer", "prescription_pending_clearance", "prescription"}


def test_schema_rejects_a_broken_prescription(assistant, validator):
    good = assistant.prescribe({"sex": "F", "age_years": 50, "resting_hr_bpm": 70,
                                "regularly_active": False})
    assert _errors(validator, good) == []
    bad = copy.deepcopy(good)
    del bad["warning_signs"]
    bad["outcome"] = "maybe"
    bad["components"][0]["intensity"] = ["moderate", "extreme"]
    bad["components"][0]["target_hr_bpm"] = [250, 300]
    errors = " | ".join(_errors(validator, bad))
    assert "'warning_signs' is a required property" in errors
    assert "'maybe' is not one of" in errors
    assert "components/0/intensity/1" in errors
    assert "components/0/target_hr_bpm" in errors
