"""Loading rule files: every problem at once, located, with a suggestion; hash and dump."""

from __future__ import annotations

import pytest
import yaml

from prescribe.engine import dump_ruleset, load_ruleset
from prescribe.errors import RulebookError

from .engine_kit import (
    HEADER,
    T,
    baseline_rules,
    cap,
    clearance,
    comp,
    exclude,
    files,
    leaf,
    refer,
    rule,
    set_fact,
)


def problems_of(texts) -> list:
    with pytest.raises(RulebookError) as err:
        load_ruleset(texts)
    return err.value.problems


def test_a_valid_rule_set_loads_in_evaluation_order(make_rules):
    rules = [rule("b-low", leaf("sbp_mmhg", ">=", 140), [cap("moderate")], priority=10),
             rule("a-high", leaf("sbp_mmhg", ">=", 160), [clearance()], priority=90),
             rule("a-low", leaf("dbp_mmhg", ">=", 90), [cap("light")], priority=10)]
    rs = load_ruleset(make_rules(rules))
    assert [r.id for r in rs.rules] == ["a-high", "a-low", "b-low"]
    assert rs.name == "test-rules"
    assert rs.version == "0.1.0"
    assert rs.screening_profile == "CN2025"
    assert rs.rules[0].then[0].params == {"before": "any", "reason": T}
    assert len(rs.hash) == 64


def test_every_problem_is_reported_at_once_with_file_rule_field_and_suggestion():
    bad = [
        rule("r1", leaf("sbp", ">=", 160), [cap("moderate")]),                    # unknown fact
        rule("r2", leaf("sbp_mmhg", "=>", 160), [cap("moderate")]),               # unknown op
        rule("r3", leaf("sbp_mmhg", ">=", 400), [cap("moderate")]),               # out of range
        rule("r4", leaf("sex", "==", "male"), [cap("moderate")]),                 # bad enum value
        rule("r5", leaf("age_years", ">=", 65), [{"cap_intensity": {"level": "moderat", "reason": T}}]),
        rule("r6", leaf("age_years", ">=", 65), [{"refer_to": {"to": "physician"}}]),  # unknown effect
        rule("r7", leaf("age_years", ">=", 65), [refer("cardiologist")]),         # unknown target
        rule("r8", leaf("age_years", ">=", 65), [exclude("heavy_lifting")]),      # unknown exclusion
        rule("r9", leaf("age_years", ">=", 65), [comp("aerobics")]),              # unknown component
        rule("r10", leaf("age_years", ">=", 65),
             [{"cap_intensity": {"level": "light", "reason": T, "severity": 2}}]),  # unknown param
    ]
    del bad[0]["source"]
    bad[1]["title"] = {"zh": "只有中文"}
    probs = problems_of(files(bad))
    found = {(p.rule_id, p.field): p for p in probs}
    assert found[("r1", "when.fact")].suggestion == "sbp_mmhg"
    assert "unknown fact `sbp`" in found[("r1", "when.fact")].message
    assert ("r1", "source") in found
    assert found[("r2", "when.op")].suggestion == ">="
    assert "en" in found[("r2", "title")].message
    assert "outside the possible range" in found[("r3", "when.value")].message
    assert "not a value of `sex`" in found[("r4", "when.value")].message
    assert found[("r5", "then[0].cap_intensity.level")].suggestion == "moderate"
    assert found[("r6", "then[0]")].suggestion == "refer"
    assert found[("r7", "then[0].refer.to")].suggestion == "cardiology"
    assert "unknown exclusion code" in found[("r8", "then[0].exclude.code")].message
    assert found[("r9", "then[0].component.type")].suggestion == "aerobic"
    assert "unknown parameter `severity`" in found[("r10", "then[0].cap_intensity.severity")].message
    assert all(p.file == "rules.yaml" for p in probs)
    assert "did you mean `sbp_mmhg`?" in str(found[("r1", "when.fact")])


def test_duplicate_ids_across_files_and_duplicate_yaml_keys():
    texts = files({"a.yaml": [rule("same", leaf("age_years", ">=", 65), [cap("light")])],
                   "b.yaml": [rule("same", leaf("age_years", ">=", 70), [cap("light")])]})
    texts["c.yaml"] = ("rules:\n  - id: twice\n    title: {zh: 甲, en: A}\n    source: s\n"
                       "    priority: 1\n    kind: screening\n    when: {fact: age_years, op: '>=', value: 1}\n"
                       "    then: [{cap_intensity: {level: light, reason: {zh: 甲, en: A}}}]\n"
                       "    then: []\n")
    probs = problems_of(texts)
    dup = [p for p in probs if p.rule_id == "same"]
    assert dup
    assert "also in a.yaml" in dup[0].message
    assert dup[0].file == "b.yaml"
    yaml_problem = [p for p in probs if p.file == "c.yaml"]
    assert "duplicate key 'then'" in yaml_problem[0].message
    assert "line 9" in yaml_problem[0].message


def test_values_are_checked_against_the_kind_of_the_fact():
    bad = [rule("a", leaf("regularly_active", "==", "yes"), [cap("light")]),
           rule("b", leaf("conditions", "has", "hypertensoin"), [cap("light")]),
           rule("c", leaf("sex", "<", "M"), [cap("light")]),
           rule("d", leaf("age_years", "between", [70, 65]), [cap("light")]),
           rule("e", leaf("symptoms_text", "==", "chest pain"), [cap("light")])]
    found = {p.rule_id: p for p in problems_of(files(bad))}
    assert "true/false" in found["a"].message
    assert found["b"].suggestion == "hypertension"
    assert "does not apply to enum" in found["c"].message
    assert "reversed" in found["d"].message
    assert "does not apply to text" in found["e"].message


def test_has_accepts_an_icd10_code_or_atc_prefix_and_maps_it_to_its_group():
    rs = load_ruleset(files([rule("a", leaf("conditions", "has", "I10"), [cap("moderate")]),
                             rule("b", leaf("medications", "has", "C07AB02"), [cap("moderate")])]))
    assert rs.rule("a").when.value == "hypertension"
    assert rs.rule("b").when.value == "beta_blocker"


def test_a_rule_may_only_set_a_flag_towards_safety():
    probs = problems_of(files([rule("a", leaf("age_years", ">=", 65), [set_fact("hr_valid_marker", True)]),
                               rule("b", leaf("age_years", ">=", 65), [set_fact("bmi", 30)])]))
    messages = {p.rule_id: p.message for p in probs}
    assert "relax" in messages["a"]
    assert "not settable" in messages["b"]
    load_ruleset(files([rule("c", leaf("age_years", ">=", 65), [set_fact("hr_valid_marker", False)])]))


def test_header_problems_and_unknown_keys_are_reported():
    header = dict(HEADER, version=1.1, screening_profile="CN2052", colour="red")
    del header["changelog"]
    texts = files([rule("a", leaf("age_years", ">=", 65), [cap("light")], priorty=3)], header=header)
    probs = problems_of(texts)
    fields = {(p.file, p.field) for p in probs}
    assert {("ruleset.yaml", "version"), ("ruleset.yaml", "screening_profile"),
            ("ruleset.yaml", "colour"), ("ruleset.yaml", "changelog"), ("rules.yaml", "priorty")} <= fields
    assert next(p for p in probs if p.field == "priorty").suggestion == "priority"


def test_a_folder_and_a_mapping_give_the_same_rule_set_and_hash(make_rules):
    rules = baseline_rules() + [rule("bp", {"any": [leaf("sbp_mmhg", "between", [160, 179]),
                                                      leaf("dbp_mmhg", "between", [100, 109])]},
                                     [clearance(), cap("moderate")], priority=80)]
    texts = files(rules)
    from_dir = load_ruleset(make_rules(rules))
    from_map = load_ruleset(texts)
    assert from_dir == from_map
    assert from_dir.hash == from_map.hash


def test_the_hash_ignores_comments_layout_and_key_order_but_not_content():
    rules = [rule("a", leaf("age_years", ">=", 65), [cap("light")], priority=20),
             rule("b", leaf("age_years", "<", 18), [cap("moderate")], priority=30)]
    texts = files(rules)
    base = load_ruleset(texts).hash
    reordered = dict(texts, **{"rules.yaml": "# a comment\n" + yaml.safe_dump(
        {"rules": [dict(reversed(list(r.items()))) for r in reversed(rules)]}, allow_unicode=True)})
    assert load_ruleset(dict(reversed(list(reordered.items())))).hash == base
    changed = files([rule("a", leaf("age_years", ">=", 66), [cap("light")], priority=20), rules[1]])
    assert load_ruleset(changed).hash != base


def test_dump_round_trips_to_an_equal_rule_set_with_the_same_hash():
    rules = {"screening.yaml": [rule("bp", {"any": [leaf("sbp_mmhg", "between", [160, 179]),
                                                     {"not": leaf("dbp_mmhg", "<", 100)}]},
                                     [clearance(), cap("moderate"), refer()], priority=80,
                                     band="bp", band_fact="sbp_mmhg", band_range=[60, 260],
                                     review_if_missing=["sbp_mmhg"])],
             "base.yaml": baseline_rules()}
    case = {"id": "c1", "title": T, "given": {"sex": "M", "age_years": 50, "sbp_mmhg": 165,
                                               "dbp_mmhg": 90},
            "expect": {"outcome": "prescription_pending_clearance", "fired_include": ["bp"]}}
    rs = load_ruleset(files(rules, [case]))
    dumped = dump_ruleset(rs)
    assert set(dumped) == {"ruleset.yaml", "screening.yaml", "base.yaml", "cases/cases.yaml"}
    assert "{fact: sbp_mmhg, op: between, value: [160, 179]}" in dumped["screening.yaml"]
    again = load_ruleset(dumped)
    assert again == rs
    assert again.hash == rs.hash
    assert dump_ruleset(again) == dumped


def test_cases_are_checked_when_the_rule_set_loads():
    cases = [{"id": "c1", "title": T, "given": {"sex": "M", "age_years": 50, "sbpp": 150},
              "expect": {"outcome": "prescribed", "fired_include": ["nope"], "colour": 1}}]
    probs = problems_of(files(baseline_rules(), cases))
    by_field = {p.field: p for p in probs}
    assert by_field["given.sbpp"].suggestion == "sbp_mmhg"
    assert by_field["expect.outcome"].suggestion == "prescription"
    assert "unknown rule id" in by_field["expect.fired_include"].message
    assert "unknown expectation" in by_field["expect.colour"].message
    assert all(p.file == "cases/cases.yaml" and p.rule_id == "c1" for p in probs)
