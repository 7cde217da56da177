"""Round-trip editing keeps what people wrote: comments, quoting, untouched files."""

import pytest
import yaml

from prescribe.authoring.documents import (
    RuleSetDocument,
    format_path,
    parse_path,
    set_at,
    styled,
)
from prescribe.errors import RulebookError

HAND_WRITTEN = """\
# Blood-pressure screening (domain.md §1.6)
rules:
  - id: bp-grade2-clearance   # cited by printed plans
    title: {zh: 血压2级：开始前需医学评估, en: "BP grade 2: medical clearance before starting"}
    priority: 80
    when:
      any:
        - {fact: sbp_mmhg, op: between, value: [160, 179]}
        - {fact: dbp_mmhg, op: between, value: [100, 109]}
    then:
      - require_clearance: {before: any, reason: {zh: 需医学评估, en: "clearance first"}}
"""

COMPACT = "rules:\n- id: a\n  when:\n    all:\n    - {fact: age_years, op: '>=', value: 18}\n  then: []\n"


def test_it_parses_paths_both_ways():
    parts = parse_path("when.any[0].value[1]")
    assert parts == ["when", "any", 0, "value", 1]
    assert format_path(parts) == "when.any[0].value[1]"


@pytest.mark.parametrize("bad", ["", ".when", "when.", "when..any", "when[x]", "when[0"])
def test_it_refuses_malformed_paths(bad):
    with pytest.raises(ValueError, match="not a field path"):
        parse_path(bad)


def test_untouched_files_come_back_byte_for_byte():
    doc = RuleSetDocument({"bp.yaml": HAND_WRITTEN, "a.yaml": COMPACT})
    assert doc.to_files() == {"bp.yaml": HAND_WRITTEN, "a.yaml": COMPACT}


def test_an_edit_changes_only_the_edited_value_and_keeps_comments():
    doc = RuleSetDocument({"bp.yaml": HAND_WRITTEN})
    rule = doc.doc("bp.yaml")["rules"][0]
    set_at(rule, parse_path("when.any[0].value"), [165, 179], file="bp.yaml", item_id="x")
    doc.touch("bp.yaml")
    text = doc.to_files()["bp.yaml"]
    assert text == HAND_WRITTEN.replace("[160, 179]", "[165, 179]")


def test_a_compact_file_keeps_its_indentation_style_when_edited():
    doc = RuleSetDocument({"a.yaml": COMPACT})
    set_at(doc.doc("a.yaml")["rules"][0], ["when", "all", 0, "value"], 19, file="a.yaml",
           item_id="a")
    doc.touch("a.yaml")
    assert doc.to_files()["a.yaml"] == COMPACT.replace("18}", "19}")


def test_new_content_is_written_in_the_files_flow_style():
    doc = RuleSetDocument({"a.yaml": COMPACT})
    doc.doc("a.yaml")["rules"].append(styled({
        "id": "b", "when": {"all": [{"fact": "sbp_mmhg", "op": ">=", "value": 160}]},
        "then": [{"refer": {"to": "physician", "urgency": "soon",
                            "reason": {"zh": "转诊", "en": "refer"}}}]}))
    doc.touch("a.yaml")
    text = doc.to_files()["a.yaml"]
    assert "- {fact: sbp_mmhg, op: '>=', value: 160}" in text
    assert "reason: {zh: 转诊, en: refer}" in text


def test_broken_yaml_is_reported_with_file_and_line():
    doc = RuleSetDocument({"ok.yaml": COMPACT, "bad.yaml": "rules:\n  - id: a\n   when: [\n",
                           "bad2.yaml": "rules: {a: 1\n"})
    with pytest.raises(RulebookError) as err:
        doc.check_syntax()
    problems = err.value.problems
    assert [p.file for p in problems] == ["bad.yaml", "bad2.yaml"]
    assert all(p.field and p.field.startswith("line ") for p in problems)


def test_text_that_yaml_1_1_reads_as_another_type_is_quoted():
    doc = RuleSetDocument({"a.yaml": COMPACT})
    doc.doc("a.yaml")["rules"].append(styled({"id": "no", "note": "on", "title": "1:30"}))
    doc.touch("a.yaml")
    added = yaml.safe_load(doc.to_files()["a.yaml"])["rules"][-1]
    assert added == {"id": "no", "note": "on", "title": "1:30"}


def test_setting_a_missing_list_position_names_the_path():
    doc = RuleSetDocument({"bp.yaml": HAND_WRITTEN})
    rule = doc.doc("bp.yaml")["rules"][0]
    with pytest.raises(RulebookError) as err:
        set_at(rule, parse_path("when.any[5].value"), 1, file="bp.yaml",
               item_id="bp-grade2-clearance")
    (problem,) = err.value.problems
    assert (problem.file, problem.rule_id, problem.field) == (
        "bp.yaml", "bp-grade2-clearance", "when.any[5]")


def test_a_misspelt_field_gets_a_suggestion():
    doc = RuleSetDocument({"bp.yaml": HAND_WRITTEN})
    rule = doc.doc("bp.yaml")["rules"][0]
    with pytest.raises(RulebookError) as err:
        set_at(rule, parse_path("whem.any[0].value"), 1, file="bp.yaml", item_id="r")
    assert err.value.problems[0].suggestion == "when"


def test_locating_an_unknown_rule_suggests_the_closest_id():
    doc = RuleSetDocument({"bp.yaml": HAND_WRITTEN})
    with pytest.raises(RulebookError) as err:
        doc.locate("rules", "bp-grade2-clearence")
    assert err.value.problems[0].suggestion == "bp-grade2-clearance"
