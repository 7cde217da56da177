"""Helpers that build small rule sets the way a prescriber writes them, for the engine tests
(never the real rules/default, which the clinical-content work changes)."""

from __future__ import annotations

from pathlib import Path

import yaml

T = {"zh": "测试原因", "en": "test reason"}


def rule(rid, when, then, priority=50, kind="screening", **extra) -> dict:
    out = {"id": rid, "title": {"zh": f"规则 {rid}", "en": f"Rule {rid}"},
           "source": "test source; domain.md §0", "priority": priority, "kind": kind,
           "when": when, "then": then}
    out.update(extra)
    return out


def leaf(fact, op, value) -> dict:
    return {"fact": fact, "op": op, "value": value}


def cap(level):
    return {"cap_intensity": {"level": level, "reason": T}}


def clearance(before="any"):
    return {"require_clearance": {"before": before, "reason": T}}


def refer(to="physician", urgency="soon"):
    return {"refer": {"to": to, "urgency": urgency, "reason": T}}


def defer():
    return {"defer": {"reason": T, "action": T}}


def comp(ctype="aerobic", days=(3, 5), minutes=(20, 40), intensity=("light", "moderate"), **kw):
    params = {"type": ctype, "days_per_week": list(days), "minutes_per_session": list(minutes),
              "intensity": list(intensity)}
    params.update({k: (list(v) if isinstance(v, tuple) else v) for k, v in kw.items()})
    return {"component": params}


def exclude(code):
    return {"exclude": {"code": code, "reason": T}}


def precaution(code):
    return {"precaution": {"code": code, "text": T}}


def review(code=None):
    params = {"reason": T}
    if code:
        params["code"] = code
    return {"needs_review": params}


def set_fact(fact, value):
    return {"set": {"fact": fact, "value": value}}


HEADER = {"name": "test-rules", "version": "0.1.0", "description": "rules for the engine tests",
          "screening_profile": "CN2025",
          "changelog": [{"version": "0.1.0", "date": "2025-01-01", "author": "tests", "note": "first"}]}


def files(rules: list[dict] | dict[str, list[dict]], cases: list[dict] | None = None,
          header: dict | None = None) -> dict[str, str]:
    """{filename: YAML text} for a rule set."""
    out = {"ruleset.yaml": yaml.safe_dump(header or HEADER, allow_unicode=True, sort_keys=False)}
    by_file = rules if isinstance(rules, dict) else {"rules.yaml": rules}
    for name, items in by_file.items():
        out[name] = yaml.safe_dump({"rules": items}, allow_unicode=True, sort_keys=False)
    if cases is not None:
        out["cases/cases.yaml"] = yaml.safe_dump({"cases": cases}, allow_unicode=True, sort_keys=False)
    return out


def write(tmp: Path, texts: dict[str, str]) -> Path:
    for name, text in texts.items():
        path = tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp


def baseline_rules() -> list[dict]:
    """Age-group baselines (every record gets one), as a rule set needs."""
    return [
        rule("base-youth", leaf("age_group", "==", "youth_6_17"),
             [comp("aerobic", (5, 7), (30, 60), ("moderate", "vigorous"))], 10, "baseline"),
        rule("base-adult", leaf("age_group", "in", ["adult_18_64", "older_65_plus"]),
             [comp("aerobic", (3, 7), (30, 60), ("moderate", "vigorous"), hrr_percent=(40, 75)),
              comp("resistance", (2, 3), (20, 40), ("light", "moderate"))], 10, "baseline"),
        rule("base-preschool", leaf("age_group", "==", "preschool_3_6"),
             [comp("aerobic", (5, 7), (30, 60), ("light", "moderate"))], 10, "baseline"),
    ]


def clinical_rules() -> list[dict]:
    """A small but realistic rule set over real derived facts: a hard stop, BP tables with
    review_if_missing, ACSM-style screening, a `set`, modifiers, an always-on rule."""
    return baseline_rules() + [
        rule("fever", leaf("acute_illness", "==", True), [defer()], 100, "hard_stop"),
        rule("bp-grade2", {"any": [leaf("sbp_mmhg", "between", [160, 179]), leaf("dbp_mmhg", "between", [100, 109])]},
             [clearance(), cap("moderate"), refer()], 80, review_if_missing=["sbp_mmhg", "dbp_mmhg"]),
        rule("bp-grade3", {"any": [leaf("sbp_mmhg", ">=", 180), leaf("dbp_mmhg", ">=", 110)]},
             [clearance(), cap("light"), refer("physician", "urgent")], 85),
        rule("inactive-disease", {"all": [leaf("regularly_active", "==", False), leaf("screening_disease", "==", True)]},
             [clearance()], 70),
        rule("active-disease", {"all": [leaf("regularly_active", "==", True), leaf("known_cmr_disease", "==", True)]},
             [clearance("vigorous")], 70),
        rule("af-marker", leaf("conditions", "has", "atrial_fibrillation"), [set_fact("hr_valid_marker", False)], 90),
        rule("rpe-when-no-hr", leaf("hr_valid_marker", "==", False), [precaution("use_rpe")], 20),
        rule("obese", {"all": [leaf("bmi_class", ">=", "obese"), leaf("age_group", "!=", "youth_6_17")]},
             [comp("aerobic", (5, 7), (40, 60), ("light", "moderate"), weekly_minutes=(250, 300)),
              exclude("high_impact_jumping")], 40, "condition"),
        rule("older", {"all": [leaf("age_years", ">=", 65), {"not": leaf("sex", "==", "M")}]},
             [cap("moderate"), comp("neuromotor_balance", (2, 3), (10, 20), ("light", "moderate"))], 35, "condition"),
        rule("copd", leaf("conditions", "has", "copd"),
             [comp("breathing", (3, 5), (10, 20), ("light", "light")), cap("moderate")], 45, "condition"),
        rule("waist-unknown", {"all": [leaf("waist_cm", "missing", True), leaf("age_group", "in",
                                                                                 ["adult_18_64", "older_65_plus"])]},
             [precaution("measure_waist")], 5),
        rule("always", {"all": []}, [precaution("warning_signs")], 1),
    ]
