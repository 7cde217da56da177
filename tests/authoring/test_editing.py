"""Prescriber edits on a rule set: each returns new files checked by the engine's loader."""

import pytest
import yaml

from prescribe.authoring import editing
from prescribe.engine import load_ruleset
from prescribe.errors import RulebookError


def rule(files, rule_id):
    return load_ruleset(files).rule(rule_id)


def test_editing_a_threshold_changes_that_value_and_nothing_else(mini_files):
    out = editing.set_rule_value(mini_files, "bp-sys-grade2", "when.value", [165, 179])
    assert rule(out, "bp-sys-grade2").when.value == (165, 179)
    assert out["screening.yaml"] == mini_files["screening.yaml"].replace(
        "value: [160, 179]", "value: [165, 179]")
    assert {k: v for k, v in out.items() if k != "screening.yaml"} == {
        k: v for k, v in mini_files.items() if k != "screening.yaml"}
    assert out["screening.yaml"].startswith("# Systolic BP bands")  # comments survive


def test_an_edit_the_engine_refuses_reports_every_problem_with_its_field(mini_files):
    with pytest.raises(RulebookError) as err:
        editing.set_rule_value(mini_files, "bp-severe-defer", "when.any[0].value", 300)
    (problem,) = err.value.problems
    assert (problem.file, problem.rule_id, problem.field) == (
        "hard_stops.yaml", "bp-severe-defer", "when.any[0].value")
    assert "outside the possible range" in problem.message


def test_replacing_a_rule_reports_all_its_problems_at_once(mini_files):
    _, data = editing.get_rule(mini_files, "htn-modifier")
    data["priority"] = "high"
    data["when"] = {"fact": "conditons", "op": "has", "value": "hypertension"}
    data["then"][0]["exclude"]["code"] = "heavy_lifting"
    with pytest.raises(RulebookError) as err:
        editing.replace_rule(mini_files, "htn-modifier", data)
    fields = {p.field: p for p in err.value.problems}
    assert set(fields) == {"priority", "when.fact", "then[0].exclude.code"}
    assert fields["when.fact"].suggestion == "conditions"


def test_rule_ids_never_change(mini_files):
    with pytest.raises(RulebookError, match="rule ids never change"):
        editing.set_rule_value(mini_files, "htn-modifier", "id", "htn-2")
    _, data = editing.get_rule(mini_files, "htn-modifier")
    with pytest.raises(RulebookError, match="rule ids never change"):
        editing.replace_rule(mini_files, "htn-modifier", {**data, "id": "htn-2"})


def test_adding_a_condition_modifier_writes_it_into_a_new_file(mini_files):
    new = {
        "id": "t2dm-glucose-check",
        "title": {"zh": "2型糖尿病：运动前测血糖", "en": "Type 2 diabetes: check glucose first"},
        "source": "ADA 2016 joint position statement [ADA-2016]; domain.md §4.2",
        "priority": 300, "kind": "condition",
        "when": {"fact": "conditions", "op": "has", "value": "type2_diabetes"},
        "then": [{"precaution": {"code": "glucose_before_exercise",
                                 "text": {"zh": "运动前测血糖", "en": "Check glucose before"}}}],
    }
    out = editing.add_rule(mini_files, new, file="diabetes.yaml")
    loaded = rule(out, "t2dm-glucose-check")
    assert loaded.file == "diabetes.yaml"
    assert "- {fact: conditions" not in out["diabetes.yaml"]  # a leaf `when` is one line
    assert "when: {fact: conditions, op: has, value: type2_diabetes}" in out["diabetes.yaml"]


def test_adding_a_rule_after_another_places_it_in_that_file(mini_files):
    _, data = editing.get_rule(mini_files, "htn-modifier")
    out = editing.add_rule(mini_files, {**data, "id": "htn-modifier-b"}, file="ignored.yaml",
                           after="bp-sys-grade1")
    ids = [r["id"] for r in yaml.safe_load(out["screening.yaml"])["rules"]]
    assert ids.index("htn-modifier-b") == ids.index("bp-sys-grade1") + 1
    assert "ignored.yaml" not in out


@pytest.mark.parametrize(("new_id", "message"), [
    ("htn-modifier", "already has this id"), ("Bad Id", "lower-case"), (None, "lower-case")])
def test_a_new_rule_needs_a_free_well_formed_id(mini_files, new_id, message):
    _, data = editing.get_rule(mini_files, "htn-modifier")
    with pytest.raises(RulebookError, match=message):
        editing.add_rule(mini_files, {**data, "id": new_id}, file="conditions.yaml")


@pytest.mark.parametrize("name", ["../evil.yaml", "cases/x.yaml", "ruleset.yaml", "a/b.yaml",
                                  "x.yml", "X.yaml"])
def test_rules_go_only_into_plain_rule_files(mini_files, name):
    _, data = editing.get_rule(mini_files, "htn-modifier")
    with pytest.raises(RulebookError):
        editing.add_rule(mini_files, {**data, "id": "n"}, file=name)


def test_duplicating_gives_a_new_id_right_after_the_original(mini_files):
    out, new_id = editing.duplicate_rule(mini_files, "bp-sys-grade1")
    assert new_id == "bp-sys-grade1-copy"
    out2, second = editing.duplicate_rule(out, "bp-sys-grade1")
    assert second == "bp-sys-grade1-copy-2"
    ids = [r["id"] for r in yaml.safe_load(out2["screening.yaml"])["rules"]]
    assert ids[:4] == ["bp-sys-below-140", "bp-sys-grade1", "bp-sys-grade1-copy-2",
                       "bp-sys-grade1-copy"]
    assert rule(out2, "bp-sys-grade1-copy").when == rule(out2, "bp-sys-grade1").when


def test_disabling_keeps_the_rule_but_switches_it_off(mini_files):
    out = editing.set_rule_enabled(mini_files, "htn-modifier", False)
    assert rule(out, "htn-modifier").enabled is False
    back = editing.set_rule_enabled(out, "htn-modifier", True)
    assert rule(back, "htn-modifier").enabled is True


def test_deleting_a_rule_a_golden_case_expects_is_refused_with_the_case_named(mini_files):
    with pytest.raises(RulebookError) as err:
        editing.delete_rule(mini_files, "htn-modifier")
    (problem,) = err.value.problems
    assert (problem.file, problem.rule_id, problem.field) == (
        "cases/core.yaml", "htn-grade2", "expect.fired_include")


def test_deleting_an_unreferenced_rule(mini_files):
    out = editing.delete_rule(mini_files, "youth-baseline")
    with pytest.raises(KeyError):
        rule(out, "youth-baseline")


def test_unknown_rule_ids_get_a_suggestion(mini_files):
    with pytest.raises(RulebookError) as err:
        editing.set_rule_enabled(mini_files, "htn-modifer", False)
    assert err.value.problems[0].suggestion == "htn-modifier"


def test_golden_cases_can_be_added_edited_and_deleted(mini_files):
    case = {"id": "grade1-adult", "title": {"zh": "1级高血压", "en": "Grade 1 hypertension"},
            "given": {"sex": "F", "age_years": 50, "sbp_mmhg": 150, "dbp_mmhg": 85},
            "expect": {"outcome": "prescription", "fired_include": ["bp-sys-grade1"]}}
    out = editing.add_case(mini_files, case)
    cases = {c.id: c for c in load_ruleset(out).cases}
    assert cases["grade1-adult"].file == "cases/authored.yaml"
    out = editing.set_case_value(out, "grade1-adult", "given.sbp_mmhg", 155)
    assert {c.id: c for c in load_ruleset(out).cases}["grade1-adult"].given["sbp_mmhg"] == 155
    out = editing.replace_case(out, "grade1-adult", {**case, "id": "grade1-adult-f"})
    assert "grade1-adult-f" in {c.id for c in load_ruleset(out).cases}
    out = editing.delete_case(out, "grade1-adult-f")
    assert {c.id for c in load_ruleset(out).cases} == {"htn-grade2", "healthy-adult",
                                                       "severe-bp-defer"}


def test_a_case_with_an_impossible_input_names_the_input(mini_files):
    with pytest.raises(RulebookError) as err:
        editing.set_case_value(mini_files, "healthy-adult", "given.sbp_mmhg", 400)
    assert err.value.problems[0].field == "given.sbp_mmhg"
    assert err.value.problems[0].rule_id == "healthy-adult"


def test_version_and_changelog_are_only_written_by_publishing(mini_files):
    with pytest.raises(RulebookError, match="set by publishing"):
        editing.set_ruleset_field(mini_files, "version", "9")
    out = editing.set_ruleset_field(mini_files, "screening_profile", "ACSM2015")
    assert load_ruleset(out).screening_profile == "ACSM2015"


def test_broken_yaml_is_reported_before_the_loader_runs(mini_files):
    broken = {**mini_files, "conditions.yaml": "rules:\n  - id: x\n   when: [\n"}
    with pytest.raises(RulebookError) as err:
        editing.validate(broken)
    assert err.value.problems[0].file == "conditions.yaml"
    assert err.value.problems[0].field.startswith("line ")
