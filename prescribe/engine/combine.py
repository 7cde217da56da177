"""Safety-first combination of the effects of the rules that fired (ARCHITECTURE.md
"Combining"), into the plain, JSON-able ``Decision`` handed to ``prescription.py``.

The result depends only on *which* rules fired and *which* required facts were missing, never
on the record's other values, so the batch path combines once per distinct pattern and
broadcasts. Everything per-record (trace fact values, target heart rate) is added later.

Merging rules, in words a clinician can check:

* the lowest ``cap_intensity`` wins; ``defer`` / clearance / referrals / exclusions /
  precautions / education / reviews are unions (clearance ``before: any`` beats
  ``vigorous``; one referral per service, the most urgent);
* a component type's intensity is the lowest ``from`` and lowest ``to`` among the rules that
  prescribe it, clamped to the cap; %HRR and RPE are clamped to the band of that level;
* its volume (days, minutes, weekly minutes, sets) comes whole from one rule: among the rules
  whose starting intensity fits under the cap, the one with the largest minimum weekly
  volume (weekly minutes, else days × minutes); ties go to the earlier rule;
* every effect that lost is listed in the trace with the rule that beat it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .registry import INTENSITY_LEVELS, LEVEL_RANK, URGENCIES, FactSpec
from .ruleset import Rule

HRR_BANDS = {"very_light": (0, 29), "light": (30, 39), "moderate": (40, 59),
             "vigorous": (60, 89), "near_maximal": (90, 100)}
RPE_BANDS = {"very_light": (6, 8), "light": (9, 11), "moderate": (12, 13),
             "vigorous": (14, 17), "near_maximal": (18, 20)}
"""ACSM intensity bands (domain.md §2.3): %HRR and Borg 6–20 RPE per level."""
URGENCY_RANK = {u: i for i, u in enumerate(URGENCIES)}

NO_BASELINE = {"zh": "没有适用于此人的基础运动方案规则，需临床医生制定方案",
               "en": "No baseline exercise rule applies to this person: a clinician must write the plan"}


def missing_reason(spec: FactSpec) -> dict[str, str]:
    return {"zh": f"缺少“{spec.label_zh}”，无法完成判断，需临床医生复核",
            "en": f"{spec.label_en} is missing, so a rule could not decide: a clinician must review"}


def combine(rules: Sequence[Rule], fired: Sequence[int], missing: Sequence[tuple[int | None, str]],
            facts: dict[str, FactSpec]) -> dict[str, Any]:
    """Combine the effects of ``rules[i] for i in fired`` (evaluation order) into a Decision.

    ``missing`` lists (rule index or None for the rule set, fact) pairs whose required
    fact was missing. ``facts`` gives labels for the review reasons.
    """
    ordered = [rules[i] for i in fired]
    trace = {r.id: _trace_entry(r) for r in ordered}
    overrule = _Overrule(trace)

    cap, cap_rule = _cap(ordered, overrule)
    clearance = _clearance(ordered, overrule)
    deferrals = [{"rule_id": r.id, "reason": e.params["reason"], "action": e.params.get("action")}
                 for r in ordered for e in r.effects("defer")]
    out: dict[str, Any] = {
        "outcome": ("defer" if deferrals else
                    "prescription_pending_clearance" if clearance["before"] == "any" else "prescription"),
        "deferrals": deferrals,
        "clearance": clearance,
        "referrals": _referrals(ordered, overrule),
        "intensity_cap": cap,
        "cap_rule_id": cap_rule,
        "components": _components(ordered, cap, cap_rule, overrule),
        "excluded": _union(ordered, "exclude", "code", "reason"),
        "precautions": _union(ordered, "precaution", "code", "text"),
        "education": _union(ordered, "education", "code", "text"),
        "needs_review": _reviews(ordered, rules, missing, facts),
        "fired": [r.id for r in ordered],
        "trace": list(trace.values()),
    }
    return out


def _trace_entry(rule: Rule) -> dict[str, Any]:
    return {**rule.trace_base, "facts": {}, "overruled": []}


class _Overrule:
    def __init__(self, trace: dict[str, dict]):
        self.trace = trace

    def __call__(self, rule_id: str, effect: str, value: Any, by: str, why: str) -> None:
        if rule_id != by:
            self.trace[rule_id]["overruled"].append(
                {"effect": effect, "value": value, "by": by, "why": why})


def _cap(ordered: list[Rule], overrule: _Overrule) -> tuple[str | None, str | None]:
    caps = [(LEVEL_RANK[e.params["level"]], r.id) for r in ordered for e in r.effects("cap_intensity")]
    if not caps:
        return None, None
    best = min(rank for rank, _ in caps)
    winner = next(rid for rank, rid in caps if rank == best)
    for rank, rid in caps:
        if rank > best:
            overrule(rid, "cap_intensity", INTENSITY_LEVELS[rank], winner,
                     f"stricter cap {INTENSITY_LEVELS[best]}")
    return INTENSITY_LEVELS[best], winner


def _clearance(ordered: list[Rule], overrule: _Overrule) -> dict[str, Any]:
    items = [(r.id, e.params) for r in ordered for e in r.effects("require_clearance")]
    if not items:
        return {"required": False, "before": None, "reasons": []}
    any_rule = next((rid for rid, p in items if p["before"] == "any"), None)
    before = "any" if any_rule else "vigorous"
    if any_rule:
        for rid, p in items:
            if p["before"] == "vigorous":
                overrule(rid, "require_clearance", "vigorous", any_rule, "clearance before any exercise")
    return {"required": True, "before": before,
            "reasons": [{"rule_id": rid, "before": p["before"], "reason": p["reason"]} for rid, p in items]}


def _referrals(ordered: list[Rule], overrule: _Overrule) -> list[dict[str, Any]]:
    best: dict[str, dict[str, Any]] = {}
    for r in ordered:
        for e in r.effects("refer"):
            cand = {"to": e.params["to"], "urgency": e.params["urgency"], "reason": e.params["reason"],
                    "rule_id": r.id}
            cur = best.get(cand["to"])
            if cur is None:
                best[cand["to"]] = cand
            elif URGENCY_RANK[cand["urgency"]] > URGENCY_RANK[cur["urgency"]]:
                overrule(cur["rule_id"], "refer", f"{cur['to']}:{cur['urgency']}", r.id,
                         f"more urgent: {cand['urgency']}")
                best[cand["to"]] = cand
            else:
                overrule(r.id, "refer", f"{cand['to']}:{cand['urgency']}", cur["rule_id"],
                         f"already referred ({cur['urgency']})")
    return list(best.values())


def _union(ordered: list[Rule], effect: str, key: str, text_key: str) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for r in ordered:
        for e in r.effects(effect):
            seen.setdefault(e.params[key], {key: e.params[key], text_key: e.params[text_key],
                                            "rule_id": r.id})
    return list(seen.values())


def _reviews(ordered: list[Rule], rules: Sequence[Rule], missing: Sequence[tuple[int | None, str]],
             facts: dict[str, FactSpec]) -> list[dict[str, Any]]:
    out: dict[tuple, dict[str, Any]] = {}
    for r in ordered:
        for e in r.effects("needs_review"):
            code = e.params.get("code", r.id)
            out.setdefault((code, None), {"code": code, "reason": e.params["reason"], "rule_id": r.id})
    for idx, fact in missing:
        rid = None if idx is None else rules[idx].id
        out.setdefault(("missing_input", fact), {"code": "missing_input", "fact": fact,
                                                 "reason": missing_reason(facts[fact]), "rule_id": rid})
    if not any(r.kind == "baseline" for r in ordered):
        out[("no_baseline", None)] = {"code": "no_baseline", "reason": dict(NO_BASELINE), "rule_id": None}
    return list(out.values())


# --------------------------------------------------------------------------- components
def _weekly_min(p: dict) -> float:
    if "weekly_minutes" in p:
        return p["weekly_minutes"][0]
    return p["days_per_week"][0] * p["minutes_per_session"][0]


def _clamp_band(rng: tuple | None, bands: dict, lo_level: str, hi_level: str) -> list | None:
    if rng is None:
        return None
    lo, hi = rng
    hi = min(hi, bands[hi_level][1])
    if lo > hi:
        lo = min(bands[lo_level][0], hi)
    return [lo, hi]


def _elementwise_min(values: list[tuple]) -> tuple | None:
    if not values:
        return None
    return (min(v[0] for v in values), min(v[1] for v in values))


def _components(ordered: list[Rule], cap: str | None, cap_rule: str | None,
                overrule: _Overrule) -> list[dict[str, Any]]:
    groups: dict[str, list[tuple[str, dict]]] = {}
    for r in ordered:
        for e in r.effects("component"):
            groups.setdefault(e.params["type"], []).append((r.id, e.params))
    cap_rank = LEVEL_RANK[cap] if cap is not None else len(INTENSITY_LEVELS)
    out = []
    for ctype, cands in groups.items():
        lo = min(LEVEL_RANK[p["intensity"][0]] for _, p in cands)
        hi = min(LEVEL_RANK[p["intensity"][1]] for _, p in cands)
        hi_rule = next(rid for rid, p in cands if LEVEL_RANK[p["intensity"][1]] == hi)
        if cap_rank < hi:
            hi, hi_rule = cap_rank, cap_rule
        lo = min(lo, hi)
        for rid, p in cands:
            if LEVEL_RANK[p["intensity"][1]] > hi:
                overrule(rid, f"component.{ctype}.intensity", list(p["intensity"]), hi_rule,
                         f"more conservative intensity up to {INTENSITY_LEVELS[hi]}")
        lo_level, hi_level = INTENSITY_LEVELS[lo], INTENSITY_LEVELS[hi]
        pool = [(rid, p) for rid, p in cands if LEVEL_RANK[p["intensity"][0]] <= cap_rank] or cands
        best = max(range(len(pool)), key=lambda i: (_weekly_min(pool[i][1]), -i))
        vol_rule, vol = pool[best]
        for rid, p in cands:
            if rid != vol_rule and _volume(p) != _volume(vol):
                overrule(rid, f"component.{ctype}.volume", _volume(p), vol_rule,
                         "largest minimum volume that fits the cap")
        sets_reps = vol.get("sets_reps") or next((p["sets_reps"] for _, p in cands if "sets_reps" in p), None)
        activities = list(dict.fromkeys(a for _, p in cands for a in p.get("activities", ())))
        out.append({
            "type": ctype,
            "days_per_week": list(vol["days_per_week"]),
            "minutes_per_session": list(vol["minutes_per_session"]),
            "intensity": [lo_level, hi_level],
            "hrr_percent": _clamp_band(_elementwise_min([p["hrr_percent"] for _, p in cands if "hrr_percent" in p]),
                                       HRR_BANDS, lo_level, hi_level),
            "rpe": _clamp_band(_elementwise_min([p["rpe"] for _, p in cands if "rpe" in p]),
                               RPE_BANDS, lo_level, hi_level),
            "weekly_minutes": list(vol["weekly_minutes"]) if "weekly_minutes" in vol else None,
            "sets_reps": sets_reps,
            "activities": activities,
            "note": _notes([p["note"] for _, p in cands if "note" in p]),
            "rule_ids": list(dict.fromkeys(rid for rid, _ in cands)),
            "volume_rule_id": vol_rule,
        })
    return out


def _volume(p: dict) -> dict:
    return {k: list(p[k]) for k in ("days_per_week", "minutes_per_session", "weekly_minutes") if k in p}


def _notes(notes: list[dict]) -> dict | None:
    if not notes:
        return None
    unique = list({(n["zh"], n["en"]): n for n in notes}.values())
    return {"zh": "；".join(n["zh"] for n in unique), "en": "; ".join(n["en"] for n in unique)}
