"""Version numbering, content hash, changelog, roll-back and the table-shaped diff."""

import datetime as dt

import pytest
import yaml

from prescribe.authoring.versions import (
    content_hash,
    diff_versions,
    next_version,
    read_meta,
    rollback_files,
    stamp_publication,
    summarize_diff,
)
from prescribe.errors import RulebookError

META = """\
name: mini
version: "1.0"
description: test rule set
changelog:
  - {version: "1.0", date: 2025-03-01, author: 王医生, note: first version}
"""
RULES = """\
rules:
  - id: bp-grade2-clearance
    title: {zh: 血压2级, en: BP grade 2}
    priority: 80
    when:
      any:
        - {fact: sbp_mmhg, op: between, value: [160, 179]}
    then:
      - cap_intensity: {level: moderate, reason: {zh: 限制, en: cap}}
  - id: adult-baseline
    priority: 10
    when: {all: [{fact: age_years, op: '>=', value: 18}]}
    then:
      - education: {code: be_active, text: {zh: 多动, en: move more}}
"""
ON = dt.date(2025, 6, 1)


def files(meta=META, rules=RULES):
    return {"ruleset.yaml": meta, "bp.yaml": rules}


@pytest.mark.parametrize(("current", "expected"), [
    (None, "1"), ("", "1"), ("1", "2"), ("1.4", "1.5"), ("2025.9", "2025.10"),
    ("1.0-cn", "1.1-cn"), ("draft", "draft.1")])
def test_next_version_increments_the_last_number(current, expected):
    assert next_version(current) == expected


def test_hash_ignores_order_and_line_endings_but_not_content():
    a = files()
    b = dict(reversed(list(a.items())))
    c = {k: v.replace("\n", "\r\n") for k, v in a.items()}
    assert content_hash(a) == content_hash(b) == content_hash(c)
    assert content_hash(a) != content_hash(files(rules=RULES.replace("160", "165")))
    # a file renamed with the same text is a different rule set
    assert content_hash(a) != content_hash({"ruleset.yaml": META, "bp2.yaml": RULES})


def test_publishing_numbers_the_version_and_appends_the_changelog():
    draft = files(rules=RULES.replace("160", "165"))
    out, version = stamp_publication(draft, published=files(), author="李医生",
                                     note="SBP threshold per 2024 guideline", on=ON)
    assert version == "1.1"
    meta = yaml.safe_load(out["ruleset.yaml"])
    assert meta["version"] == "1.1"
    assert [e["version"] for e in meta["changelog"]] == ["1.0", "1.1"]
    assert meta["changelog"][-1] == {"version": "1.1", "date": "2025-06-01", "author": "李医生",
                                     "note": "SBP threshold per 2024 guideline"}
    assert out["bp.yaml"] == draft["bp.yaml"]
    assert meta["changelog"][0]["date"] == dt.date(2025, 3, 1)
    assert read_meta(out)["changelog"][0].author == "王医生"


def test_a_draft_cannot_rewrite_published_history():
    forged = META.replace("first version", "something else")
    out, _ = stamp_publication(files(meta=forged), published=files(), author="x", note="n",
                               on=ON)
    assert yaml.safe_load(out["ruleset.yaml"])["changelog"][0]["note"] == "first version"


def test_publication_needs_a_note():
    with pytest.raises(RulebookError) as err:
        stamp_publication(files(), published=files(), author="x", note="  ", on=ON)
    assert err.value.problems[0].field == "changelog.note"


def test_first_publication_of_shipped_files_keeps_them_as_they_are():
    out, version = stamp_publication(files(), published=None, author="seed", note="seed",
                                     on=ON)
    assert (out, version) == (files(), "1.0")


def test_roll_back_republishes_old_rules_as_a_new_version_with_full_history():
    v1 = files()
    v2, _ = stamp_publication(files(rules=RULES.replace("160", "165")), published=v1,
                              author="a", note="raise threshold", on=ON)
    v3, version = rollback_files(v1, current=v2, author="b", note="complaints", on=ON)
    assert version == "1.2"
    assert v3["bp.yaml"] == v1["bp.yaml"]
    meta = yaml.safe_load(v3["ruleset.yaml"])
    assert [e["version"] for e in meta["changelog"]] == ["1.0", "1.1", "1.2"]
    assert meta["changelog"][-1]["note"] == "roll back to version 1.0: complaints"
    assert content_hash(v3) != content_hash(v1)  # a new version, not the old one reused
    assert diff_versions(v1, v3) == []


def test_diff_lists_changed_cells_added_and_removed_rules():
    new_rules = RULES.replace("[160, 179]", "[165, 179]").replace("priority: 10", "priority: 5")
    new_rules = new_rules.replace("  - id: adult-baseline", "  - id: adult-baseline-v2")
    rows = diff_versions(files(), files(meta=META.replace("test rule set", "changed"),
                                        rules=new_rules))
    table = [(r.kind, r.item_id, r.change, r.field, r.before, r.after) for r in rows]
    assert ("rule", "bp-grade2-clearance", "changed", "when.any[0].value", [160, 179],
            [165, 179]) in table
    assert [r[:3] for r in table if r[2] in ("added", "removed")] == [
        ("rule", "adult-baseline", "removed"), ("rule", "adult-baseline-v2", "added")]
    assert ("ruleset", "mini", "changed", "description", "test rule set", "changed") in table
    assert len(table) == 4
    summary = summarize_diff(rows)
    assert "added adult-baseline-v2" in summary
    assert "changed bp-grade2-clearance (when.any[0].value)" in summary


def test_diff_reports_a_rule_moved_to_another_file():
    moved = {"ruleset.yaml": META, "other.yaml": RULES}
    rows = diff_versions(files(), moved)
    assert {(r.item_id, r.change, r.before, r.after) for r in rows} == {
        ("bp-grade2-clearance", "moved", "bp.yaml", "other.yaml"),
        ("adult-baseline", "moved", "bp.yaml", "other.yaml")}
