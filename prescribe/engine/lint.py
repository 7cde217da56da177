"""The rule linter: problems a rule set can have although every rule in it is well formed.

* **unreachable** rules (contradictory bounds, values the fact can never take), dead
  branches, disabled rules (info);
* **shadowed** rules: a lower-priority rule with the same condition and effects as a
  higher-priority one adds nothing;
* **band tables**: rules sharing a ``band`` tile one numeric fact; gaps (a value no rule
  covers) and overlaps are reported at the fact's recording resolution, per partition
  (the other conditions of the rules, e.g. sex or age group);
* **monotonic safety**: modifier rules (``condition``, ``youth``) may only make a plan
  more conservative (see docs/ARCHITECTURE.md "Engine notes" for the exact check);
* the condition groups the engine itself relies on must exist in ``prescribe.codes``.

Findings are ``RuleProblem``s with severity ``error``, ``warning`` or ``info``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from .. import codes
from ..errors import RuleProblem
from .bands import band_problems
from .conditions import All, Leaf, leaves
from .conditions import to_data as condition_data
from .facts import HR_INVALID_CONDITIONS
from .registry import AGE_GROUP_BOUNDS, AGE_GROUPS, LEVEL_RANK, Registry
from .ruleset import Rule, Ruleset
from .satisfy import alternatives, leaf_set, possible, satisfiable

SEVERITIES = ("error", "warning", "info")
NOT_A_CAP = ("vigorous", "near_maximal")


def lint_ruleset(ruleset: Ruleset) -> list[RuleProblem]:
    """Every lint finding, errors first, then by file and rule."""
    reg = ruleset.registry
    found: list[RuleProblem] = []
    found += _engine_groups(reg)
    for rule in ruleset.rules:
        if not rule.enabled:
            found.append(RuleProblem(rule.file, rule.id, "enabled", "rule is disabled: it never fires",
                                     severity="info"))
            continue
        found += _reachability(rule, reg)
    found += _shadowed(ruleset.enabled_rules)
    found += band_problems(ruleset.enabled_rules, reg)
    found += monotonic_problems(ruleset.enabled_rules, reg)
    order = {s: i for i, s in enumerate(SEVERITIES)}
    return sorted(found, key=lambda p: (order[p.severity], p.file, p.rule_id or "", p.field or ""))


def _engine_groups(reg: Registry) -> list[RuleProblem]:
    out = []
    need = {"conditions": HR_INVALID_CONDITIONS | codes.ACSM_DISEASE_GROUPS | codes.CN2025_DISEASE_GROUPS,
            "medications": codes.HR_ALTERING_MEDICATION_GROUPS | codes.SECRETAGOGUE_GROUPS | {"beta_blocker"}}
    for fact, groups in need.items():
        known = set(reg.facts[fact].items or ())
        for g in sorted(groups - known):
            out.append(RuleProblem("prescribe/codes.py", None, fact,
                                   f"the engine derives facts from group `{g}`, which codes.py does not define"))
    return out


def _reachability(rule: Rule, reg: Registry) -> list[RuleProblem]:
    ok, blockers = satisfiable(rule.when, reg)
    if not ok:
        facts = ", ".join(sorted({b for b in blockers if b}))
        return [RuleProblem(rule.file, rule.id, "when",
                            f"the condition can never be true (contradictory or impossible tests on {facts})")]
    out = []
    for leaf in dict.fromkeys(leaves(rule.when)):
        if leaf.op != "missing" and not possible([(leaf, True)], reg)[0]:
            out.append(RuleProblem(rule.file, rule.id, "when",
                                   f"the test `{leaf.fact} {leaf.op} {_value(leaf.value)}` can never be "
                                   "true (outside the fact's possible values)", severity="warning"))
    return out


def _value(v) -> str:
    return json.dumps(list(v) if isinstance(v, tuple) else v, ensure_ascii=False)


def _shadowed(rules: Iterable[Rule]) -> list[RuleProblem]:
    seen: dict[str, Rule] = {}
    out = []
    for rule in rules:  # evaluation order: an earlier rule has priority
        key = json.dumps([condition_data(rule.when), [e.to_data() for e in rule.then]], sort_keys=True,
                         ensure_ascii=False, default=str)
        first = seen.setdefault(key, rule)
        if first is not rule:
            out.append(RuleProblem(rule.file, rule.id, "when",
                                   f"shadowed by `{first.id}` (same condition and effects, "
                                   f"priority {first.priority} ≥ {rule.priority}): it adds nothing",
                                   severity="warning"))
    return out


# --------------------------------------------------------------------------- monotonic safety
YOUTH_SCOPE = ("preschool_3_6", "youth_6_17")


def age_scope(rule: Rule, reg: Registry) -> list[str]:
    """The age groups a rule can apply to (by its age_group / age_years tests).

    A ``youth`` rule (school screening modules) is taken to apply to children only, even
    when it tests a school fact (a grade, a screening flag) rather than the age.
    """
    out = []
    spec = reg.facts["age_years"]
    for group in (YOUTH_SCOPE if rule.kind == "youth" else AGE_GROUPS):
        lo, hi = AGE_GROUP_BOUNDS[group]
        hi = min(hi, spec.hi) if spec.hi is not None else hi
        extra = (Leaf("age_group", "==", group), Leaf("age_years", ">=", lo), Leaf("age_years", "<", hi))
        if group == AGE_GROUPS[-1]:
            extra = (*extra[:2], Leaf("age_years", "<=", hi))
        if satisfiable(All((rule.when, *extra)), reg)[0]:
            out.append(group)
    return out


def _ceiling(rules: list[Rule], group: str, ctype: str, reg: Registry, scopes: dict) -> dict | None:
    """The most the baseline rules allow for ``ctype`` in ``group``: levels, days, %HRR, RPE."""
    best: dict | None = None
    for rule in rules:
        if rule.kind != "baseline" or group not in scopes[rule.id]:
            continue
        for e in rule.effects("component"):
            p = e.params
            if p["type"] != ctype:
                continue
            cand = {"intensity": LEVEL_RANK[p["intensity"][1]], "days": p["days_per_week"][1],
                    "hrr": p.get("hrr_percent", (None, None))[1], "rpe": p.get("rpe", (None, None))[1],
                    "rule": rule.id}
            if best is None:
                best = cand
                continue
            if cand["intensity"] > best["intensity"]:
                best["rule"] = cand["rule"]
            for k in ("intensity", "days", "hrr", "rpe"):
                if cand[k] is not None and (best[k] is None or cand[k] > best[k]):
                    best[k] = cand[k]
    return best


def monotonic_problems(rules: Iterable[Rule], reg: Registry) -> list[RuleProblem]:
    """Modifiers may only make the plan more conservative (Engine notes, "Monotonic safety")."""
    rules = list(rules)
    scopes = {r.id: age_scope(r, reg) for r in rules}
    out: list[RuleProblem] = []
    for rule in rules:
        for e in rule.effects("set"):
            if e.params["fact"] == "hr_valid_marker" and e.params["value"] is not False:
                out.append(RuleProblem(rule.file, rule.id, "then.set",
                                       "setting hr_valid_marker to true relaxes a safety marker"))
        if not rule.is_modifier:
            continue
        for e in rule.effects("cap_intensity"):
            if e.params["level"] in NOT_A_CAP:
                out.append(RuleProblem(rule.file, rule.id, "then.cap_intensity",
                                       f"a modifier's cap at `{e.params['level']}` caps nothing: "
                                       "modifiers may only lower the intensity", "moderate"))
        clearance = bool(rule.effects("require_clearance"))
        for e in rule.effects("component"):
            out += _component_check(rule, e.params, clearance, scopes, rules, reg)
    return out


def _component_check(rule: Rule, p: dict, clearance: bool, scopes: dict, rules: list[Rule],
                     reg: Registry) -> list[RuleProblem]:
    out = []
    ctype, top = p["type"], LEVEL_RANK[p["intensity"][1]]
    fld = f"then.component.{ctype}"
    unreferenced = []
    for group in scopes[rule.id]:
        ceiling = _ceiling(rules, group, ctype, reg, scopes)
        if ceiling is None:
            unreferenced.append(group)
            continue
        checks = (("intensity", top, ceiling["intensity"], p["intensity"][1]),
                  ("days_per_week", p["days_per_week"][1], ceiling["days"], p["days_per_week"][1]),
                  ("hrr_percent", p.get("hrr_percent", (None, None))[1], ceiling["hrr"], None),
                  ("rpe", p.get("rpe", (None, None))[1], ceiling["rpe"], None))
        for name, mine, limit, shown in checks:
            if mine is not None and limit is not None and mine > limit:
                shown_limit = (list(LEVEL_RANK)[limit] if name == "intensity" else limit)
                out.append(RuleProblem(rule.file, rule.id, f"{fld}.{name}",
                                       f"less conservative than the baseline for {group}: allows "
                                       f"{shown if shown is not None else mine}, the baselines allow at most "
                                       f"{shown_limit} (rule `{ceiling['rule']}`)"))
    if unreferenced and top > LEVEL_RANK["moderate"] and not clearance:
        out.append(RuleProblem(rule.file, rule.id, fld,
                               f"no baseline prescribes {ctype} for {', '.join(unreferenced)}, so a "
                               f"modifier may not go above moderate there without requiring clearance "
                               f"(it allows {p['intensity'][1]})"))
    return out


__all__ = ["SEVERITIES", "age_scope", "alternatives", "leaf_set", "lint_ruleset", "monotonic_problems"]
