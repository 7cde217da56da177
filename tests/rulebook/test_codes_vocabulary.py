"""Coded conditions and medications resolve to the group keys rules test."""

from __future__ import annotations

import pytest

from prescribe import codes
from prescribe.engine.registry import default_registry


@pytest.mark.parametrize(("text", "group"), [
    ("I10", "hypertension"),
    ("高血压", "hypertension"),
    ("HTN", "hypertension"),
    ("E11.9", "type2_diabetes"),          # full code → longest listed prefix
    ("e11.65", "type2_diabetes"),         # case does not matter
    ("I10.x00x002", "hypertension"),      # 国家临床版 extension codes
    ("I20.000", "unstable_angina"),
    ("I20.0", "unstable_angina"),         # the more specific row wins over I20
    ("I20.9", "coronary_heart_disease"),
    ("冠心病", "coronary_heart_disease"),
    ("I71.0", "aortic_dissection"),
    ("I71.2", "aortic_aneurysm"),
    ("糖尿病", "diabetes_unspecified"),   # type not stated: never silently type 2
    ("慢阻肺", "copd"),
    ("膝关节炎", "knee_osteoarthritis"),
    ("骨质疏松", "osteoporosis"),
    ("N18.3", "chronic_kidney_disease"),
    ("怀孕", "pregnancy"),
    ("哮喘急性发作", "asthma_uncontrolled"),
])
def test_conditions_resolve_to_groups(text, group):
    groups, problems = codes.resolve_conditions([text])
    assert problems == []
    assert groups == (group,)


@pytest.mark.parametrize(("text", "group"), [
    ("C07AB02", "beta_blocker"),          # ATC code of metoprolol → C07 class
    ("美托洛尔", "beta_blocker"),
    ("Bisoprolol", "beta_blocker"),
    ("C08DA01", "non_dhp_ccb"),
    ("氨氯地平", "dhp_ccb"),
    ("A10AE04", "insulin"),
    ("甘精胰岛素", "insulin"),
    ("格列美脲", "sulfonylurea"),
    ("A10BX02", "glinide"),
    ("A10BA02", "metformin"),
    ("沙丁胺醇", "saba"),
    ("唑吡坦", "sedative_hypnotic"),
])
def test_medications_resolve_to_groups(text, group):
    groups, problems = codes.resolve_medications([text])
    assert problems == []
    assert groups == (group,)


def test_unknown_items_are_all_reported_with_a_hint():
    groups, problems = codes.resolve_conditions(["高血压", "高血圧", "X99"], row=4)
    assert groups is None
    assert [(p.field, p.value, p.row) for p in problems] == [
        ("conditions", "高血圧", 4), ("conditions", "X99", 4)]
    assert "ICD-10" in problems[0].allowed


def test_duplicate_groups_are_listed_once():
    groups, _ = codes.resolve_conditions(["I10", "高血压", "I11"])
    assert groups == ("hypertension",)


def test_no_synonym_points_at_two_groups():
    for table in (codes.CONDITIONS, codes.MEDICATIONS):
        seen: dict[str, str] = {}
        for c in table:
            for key in (c.code, c.label_zh, c.label_en, *c.synonyms):
                k = key.casefold()
                assert seen.setdefault(k, c.group) == c.group, f"{key!r} is ambiguous"


def test_screening_groups_exist_and_cn2025_extends_acsm():
    assert codes.ACSM_DISEASE_GROUPS <= codes.CONDITION_GROUPS
    assert codes.CN2025_DISEASE_GROUPS <= codes.CONDITION_GROUPS
    assert codes.ACSM_DISEASE_GROUPS < codes.CN2025_DISEASE_GROUPS
    extra = codes.CN2025_DISEASE_GROUPS - codes.ACSM_DISEASE_GROUPS
    assert {"hypertension", "copd", "asthma", "obesity"} <= extra
    assert "dyslipidaemia" not in codes.CN2025_DISEASE_GROUPS
    assert codes.SECRETAGOGUE_GROUPS | codes.HR_ALTERING_MEDICATION_GROUPS <= codes.MEDICATION_GROUPS


def test_group_for_maps_codes_used_in_rules():
    assert codes.group_for("I10") == "hypertension"
    assert codes.group_for("C07AB07") == "beta_blocker"
    assert codes.group_for("hypertension") == "hypertension"
    assert codes.group_for("not-a-code") is None


def test_engine_registry_knows_every_group():
    reg = default_registry()
    assert set(reg.facts["conditions"].items) == codes.CONDITION_GROUPS
    assert set(reg.facts["medications"].items) == codes.MEDICATION_GROUPS


def test_symptoms_are_kept_for_the_mapper():
    kept, problems = codes.resolve_symptoms(["chest_pain_ischaemic", "走路腿疼"])
    assert kept == ("chest_pain_ischaemic", "走路腿疼")
    assert problems == []
