"""Band tables: rules sharing a ``band`` name tile one numeric fact; find gaps and overlaps.

Each rule's interval on the band's fact is taken from its tests on that fact (an ``any``
branch on another fact, e.g. diastolic beside systolic, covers nothing here). The rule's
other top-level conditions (``sex == M``, ``age_group == youth_6_17``) name its *partition*;
each partition is tiled separately, and rules without other conditions count in every
partition. Uncovered values are reported over the fact's possible range, or the band's
``band_range``, at the fact's recording resolution: the BP table that leaves 160–161 mmHg
uncovered reports ``[160, 161]``; ``< 17.8`` beside ``≥ 17.9`` reports ``17.8`` at 0.1.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from ..errors import RuleProblem
from .conditions import Leaf, leaves, to_data
from .intervals import IntervalSet, describe, has_points
from .registry import Registry
from .ruleset import Rule
from .satisfy import conjuncts, domain, mentions, project


def band_problems(rules: Iterable[Rule], reg: Registry) -> list[RuleProblem]:
    bands: dict[str, list[Rule]] = {}
    for rule in rules:
        if rule.band:
            bands.setdefault(rule.band, []).append(rule)
    out: list[RuleProblem] = []
    for name, members in sorted(bands.items()):
        out += _band(name, members, reg)
    return list(dict.fromkeys(out))  # a shared rule's overlap shows once, not per partition


def _band_fact(name: str, members: list[Rule], reg: Registry) -> tuple[str | None, list[RuleProblem]]:
    first = members[0]
    declared = {r.band_fact for r in members if r.band_fact}
    if len(declared) > 1:
        return None, [RuleProblem(first.file, first.id, "band_fact",
                                  f"band `{name}`: members name different facts {sorted(declared)}")]
    if declared:
        return declared.pop(), []
    candidates = None
    for r in members:
        numeric = {leaf.fact for leaf in leaves(r.when) if reg.facts[leaf.fact].numeric}
        candidates = numeric if candidates is None else candidates & numeric
    candidates = candidates or set()
    if name in candidates:
        return name, []
    if len(candidates) == 1:
        return candidates.pop(), []
    why = f"candidates: {', '.join(sorted(candidates))}" if candidates else "no numeric fact is shared"
    return None, [RuleProblem(first.file, first.id, "band",
                              f"band `{name}`: cannot tell which fact the table tiles ({why}); "
                              "add `band_fact:` to its rules", None)]


def _band(name: str, members: list[Rule], reg: Registry) -> list[RuleProblem]:
    fact, problems = _band_fact(name, members, reg)
    if fact is None:
        return problems
    spec = reg.facts[fact]
    ranges = {r.band_range for r in members if r.band_range}
    first = members[0]
    if len(ranges) > 1:
        return [RuleProblem(first.file, first.id, "band_range",
                            f"band `{name}`: members declare different ranges {sorted(ranges)}")]
    if ranges:
        lo, hi = ranges.pop()
        dom = IntervalSet.of(lo, hi)
    elif spec.lo is None or spec.hi is None:
        return [RuleProblem(first.file, first.id, "band_range",
                            f"band `{name}`: `{fact}` has no possible range; declare `band_range`")]
    else:
        dom = domain(spec)
    parts: dict[str, list[tuple[Rule, IntervalSet]]] = {}
    labels: dict[str, str] = {}
    for r in members:
        tiles = [c for c in conjuncts(r.when) if fact in mentions(c)]
        others = [c for c in conjuncts(r.when) if fact not in mentions(c)]
        covered = IntervalSet.full()
        for c in tiles:
            covered = covered.intersect(project(c, fact, spec))
        key = json.dumps(sorted(json.dumps(to_data(c), sort_keys=True, ensure_ascii=False)
                                for c in others), ensure_ascii=False)
        parts.setdefault(key, []).append((r, covered.intersect(dom)))
        labels[key] = " and ".join(_words(c) for c in others)
    shared = parts.get("[]", [])
    keys = [k for k in parts if k != "[]"] or ["[]"]
    out: list[RuleProblem] = []
    res = spec.resolution
    for key in keys:
        table = parts.get(key, []) + (shared if key != "[]" else [])
        where = f" where {labels[key]}" if labels.get(key) else ""
        covered = IntervalSet()
        for _, s in table:
            covered = covered.union(s)
        gap = dom.minus(covered)
        if has_points(gap, res):
            values = "; ".join(describe(gap, res))
            out.append(RuleProblem(table[0][0].file, table[0][0].id, "band",
                                   f"band `{name}` ({fact}){where}: no rule covers {values}"))
        for i, (a, sa) in enumerate(table):
            for b, sb in table[i + 1:]:
                both = sa.intersect(sb)
                if has_points(both, res):
                    out.append(RuleProblem(b.file, b.id, "band",
                                           f"band `{name}` ({fact}){where}: overlaps `{a.id}` on "
                                           f"{'; '.join(describe(both, res))}"))
    return out


def _words(cond) -> str:
    if isinstance(cond, Leaf):
        value = list(cond.value) if isinstance(cond.value, tuple) else cond.value
        return f"{cond.fact} {cond.op} {json.dumps(value, ensure_ascii=False)}"
    return json.dumps(to_data(cond), ensure_ascii=False)
