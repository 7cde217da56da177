"""De-identification of a past assessment before it becomes a golden case."""

import pytest

from prescribe.assessment import parse_assessment
from prescribe.authoring.casegen import deidentify, expectation_from, suggest_case_id

RECORD = {
    "name": "张三", "person_id": "P-000123", "phone": "13800138000",
    "id_card": "110101195001011234", "address": "北京市东城区某街道1号",
    "school": "实验小学", "class_name": "三年级二班",
    "sex": "M", "birth_date": "1968-03-15", "test_date": "2025-05-20",
    "sbp_mmhg": 168, "dbp_mmhg": 96, "resting_hr_bpm": 72,
    "conditions": ["I10"], "medications": "美托洛尔",
    "symptoms_text": "张三说爬楼时胸口发紧", "regularly_active": False,
}


def test_only_vocabulary_inputs_survive():
    given, removed = deidentify(RECORD, shift_days=100, symptom_codes=["chest_pain_ischaemic"])
    assert set(removed) == {"name", "person_id", "phone", "id_card", "address", "school",
                            "class_name", "symptoms_text"}
    text = repr(given)
    for secret in ("张三", "P-000123", "13800138000", "110101", "东城区", "实验小学", "胸口"):
        assert secret not in text


def test_birth_date_becomes_an_age_and_the_test_date_moves():
    given, _ = deidentify(RECORD, shift_days=100)
    assert "birth_date" not in given
    assert given["age_years"] == 57.18  # 2025-05-20 minus 1968-03-15
    assert given["test_date"] == "2025-02-09"


def test_age_is_the_one_the_engine_derives_from_the_dates():
    record = {"birth_date": "2007-05-23", "test_date": "2025-05-20"}
    given, _ = deidentify(record, shift_days=0)
    assert given["age_years"] == parse_assessment(record).values["age_years"] == 17.99


def test_the_shift_is_random_when_not_given():
    shifts = {deidentify({"test_date": "2025-05-20"})[0]["test_date"] for _ in range(20)}
    assert len(shifts) > 1
    assert all("2024-05-19" <= d <= "2025-04-20" for d in shifts)


def test_free_text_symptoms_are_replaced_by_their_codes():
    record = {"symptoms": "dizziness_or_syncope, 上楼时胸口发紧"}
    given, _ = deidentify(record, symptom_codes=["chest_pain_ischaemic", "dizziness_or_syncope"])
    assert given["symptoms"] == ["dizziness_or_syncope", "chest_pain_ischaemic"]


def test_list_inputs_typed_as_text_are_split():
    given, _ = deidentify({"conditions": "I10；E11", "medications": "美托洛尔"})
    assert given["conditions"] == ["I10", "E11"]
    assert given["medications"] == ["美托洛尔"]


def test_missing_values_are_left_out_not_written_as_empty():
    given, removed = deidentify({"sbp_mmhg": float("nan"), "waist_cm": None, "name": ""})
    assert given == {}
    assert removed == []


PRESCRIPTION = {
    "outcome": "prescription_pending_clearance",
    "clearance": {"required": True, "before": "any", "reasons": []},
    "intensity_cap": "moderate",
    "components": [{"type": "aerobic", "target_hr_bpm": [110, 130]}, {"type": "resistance"}],
    "excluded": [{"code": "heavy_valsalva_lifting", "reason": {}}],
    "referrals": [{"to": "physician", "urgency": "soon"}],
    "needs_review": [],
    "trace": [{"rule_id": "bp-grade2-clearance"}, {"rule_id": "adult-baseline"}],
}


def test_expectation_matches_the_prescription_field_by_field():
    assert expectation_from(PRESCRIPTION) == {
        "outcome": "prescription_pending_clearance",
        "clearance": {"required": True, "before": "any"},
        "intensity_cap": "moderate",
        "components_include": ["aerobic", "resistance"],
        "excluded_include": ["heavy_valsalva_lifting"],
        "referrals_include": ["physician"],
        "fired_include": ["bp-grade2-clearance", "adult-baseline"],
        "needs_review": False,
        "target_hr_bpm": {"aerobic": [110, 130]},
    }


@pytest.mark.parametrize(("taken", "expected"), [
    (set(), "bp-grade2-clearance-prescription-pending-clearance-case"),
    ({"bp-grade2-clearance-prescription-pending-clearance-case"},
     "bp-grade2-clearance-prescription-pending-clearance-case-2")])
def test_suggested_case_ids_are_unique(taken, expected):
    assert suggest_case_id(PRESCRIPTION, taken) == expected
