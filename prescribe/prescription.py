"""From the engine's combined ``Decision`` to the prescription JSON (FITT-VP).

The engine decides *what is allowed* (outcome, clearance, cap, exclusions, components
already merged and clamped). This module turns that into numbers a person can follow:
target heart rate by Karvonen where heart rate is a valid marker, RPE and talk-test
wording otherwise, activities with their MET values (minus anything an exclusion or the
intensity cap forbids), progression phases, weekly moderate-equivalent minutes, a re-test
date and the stop-exercise warning signs. Schema: ``docs/prescription.schema.json``.

Numbers (domain.md): intensity bands §2.3 [ACSM-INT] with vigorous capped at 84 % HRR
outside supervised settings (engine choice, §2.3); Tanaka HRmax §2.1; Karvonen §2.2;
RPE on Borg 6–20 §2.4; vigorous minutes count double §3.1 [WHO-2020]; progression §3.1,
§9.3 [GEK]; re-test 4–12 weeks §9.3 (adults 8, children 12: within the school year, §5.4).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from . import activities as catalogue
from .plan_text import COMPONENT_LABELS, EXCLUSION_LABELS, REFERRAL_LABELS, label, render_text
from .progression import progression_for
from .warning_signs import warning_signs_for

LEVELS = catalogue.LEVELS
HRR_PERCENT = {"very_light": (20, 29), "light": (30, 39), "moderate": (40, 59),
               "vigorous": (60, 84), "near_maximal": (85, 89)}
"""%HRR per level (§2.3). Vigorous stops at 84 and near-maximal is never turned into a
heart-rate target outside supervised settings (see :data:`MAX_UNSUPERVISED_HRR`)."""
MAX_UNSUPERVISED_HRR = 84
RPE_BORG = {"very_light": (7, 8), "light": (9, 11), "moderate": (12, 13),
            "vigorous": (14, 17), "near_maximal": (18, 19)}
TALK_TEST = {
    "very_light": ("能轻松说话和唱歌", "you can talk and sing easily"),
    "light": ("能说话也能唱歌", "you can talk and still sing"),
    "moderate": ("能说完整的句子，但唱不了歌", "you can speak in full sentences but cannot sing"),
    "vigorous": ("说几个字就要换气", "only a few words between breaths"),
    "near_maximal": ("无法说话", "you cannot talk"),
}
RETEST_WEEKS_ADULT = 8
RETEST_WEEKS_YOUTH = 12
YOUTH_GROUPS = ("preschool_3_6", "youth_6_17")
ENDURANCE_TYPES = ("aerobic", "outdoor_activity")


def karvonen(hr_rest: ArrayLike, hr_max: ArrayLike, fraction: ArrayLike) -> int | None | np.ndarray:
    """Target heart rate = rest + fraction × (max − rest), rounded half up to whole bpm.

    Works on scalars (returns ``int``) and numpy arrays (returns a float array, NaN where
    an input is NaN), with the same rounding — ``floor(x + 0.5)`` — so the single-record
    and batch paths give identical bpm. Example (§2.2): rest 65, max 190, 0.70 → 153.
    """
    rest = np.asarray(hr_rest, dtype=float)
    top = np.asarray(hr_max, dtype=float)
    frac = np.asarray(fraction, dtype=float)
    target = np.floor(rest + frac * (top - rest) + 0.5)
    if target.ndim == 0:
        return int(target) if np.isfinite(target) else None
    return target


def tanaka_hr_max(age_years: float) -> float:
    """Age-predicted maximal heart rate, Tanaka 2001: 208 − 0.7 × age (§2.1)."""
    return 208.0 - 0.7 * age_years


def hrr_percent_for(intensity: list[str], given: list[float] | None) -> tuple[int, int]:
    """%HRR range for an intensity span, narrowed by a rule's own ``hrr_percent`` and never
    above the span's top level nor :data:`MAX_UNSUPERVISED_HRR`."""
    lo = HRR_PERCENT[intensity[0]][0]
    hi = min(HRR_PERCENT[intensity[-1]][1], MAX_UNSUPERVISED_HRR)
    if given and max(lo, int(given[0])) <= min(hi, int(given[1])):
        lo, hi = max(lo, int(given[0])), min(hi, int(given[1]))
    return lo, hi  # a rule range outside the allowed span is ignored: the cap wins


def rpe_for(intensity: list[str], given: list[float] | None) -> tuple[int, int]:
    """Borg 6–20 range for an intensity span, narrowed by a rule's own ``rpe``."""
    lo, hi = RPE_BORG[intensity[0]][0], RPE_BORG[intensity[-1]][1]
    if given and max(lo, int(given[0])) <= min(hi, int(given[1])):
        lo, hi = max(lo, int(given[0])), min(hi, int(given[1]))
    return lo, hi


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        return dt.date.fromisoformat(value[:10])
    return None


def is_youth(facts: Mapping[str, Any]) -> bool:
    age = facts.get("age_years")
    return facts.get("age_group") in YOUTH_GROUPS or (age is not None and age < 18)


def retest_date(facts: Mapping[str, Any], outcome: str, today: dt.date | None = None) -> str | None:
    """Test date (or today) + 8 weeks for adults, 12 for children; none while deferred:
    a deferred person is re-assessed when the reason is resolved, not on a calendar."""
    if outcome == "defer":
        return None
    start = _date(facts.get("test_date")) or today or dt.date.today()
    weeks = RETEST_WEEKS_YOUTH if is_youth(facts) else RETEST_WEEKS_ADULT
    return (start + dt.timedelta(weeks=weeks)).isoformat()


def _activities(codes: list[str], excluded: set[str], max_level: str | None,
                age: float | None) -> tuple[list[dict], list[dict]]:
    kept, dropped = [], []
    for code in dict.fromkeys(codes):
        act = catalogue.ACTIVITIES.get(code)
        if act is None:
            dropped.append({"code": code, "reason": "unknown_activity"})
            continue
        why = catalogue.forbidding_exclusion(act, excluded, max_level)
        if why:
            dropped.append({"code": code, "reason": why})
            continue
        met, kind = catalogue.met_for(act, age)
        kept.append({"code": code, "name_zh": act.name_zh, "name_en": act.name_en,
                     "met": met, "met_kind": kind, "band": act.band})
    return kept, dropped


def weekly_minutes(component: Mapping[str, Any], youth: bool) -> tuple[int, int | None]:
    """(min, max) moderate-equivalent minutes per week for an aerobic component.

    A ``weekly_minutes`` target wins; otherwise days × minutes. A wholly vigorous component
    counts double (§3.1: 1 vigorous min ≈ 2 moderate). For children the figure is MVPA
    minutes as they are (the youth baseline is written in MVPA).
    """
    target = component.get("weekly_minutes")
    if target:
        lo, hi = target[0], target[1]
    else:
        days, mins = component["days_per_week"], component["minutes_per_session"]
        lo, hi = days[0] * mins[0], days[1] * mins[1]
    if not youth and component["intensity"][0] in ("vigorous", "near_maximal"):
        lo, hi = lo * 2, (hi * 2 if hi is not None else None)
    return int(lo), (int(hi) if hi is not None else None)


def _component(comp: Mapping[str, Any], facts: Mapping[str, Any], cap: str | None,
               excluded: set[str], hr: tuple[float, float] | None) -> dict[str, Any]:
    intensity = list(comp["intensity"])
    if cap is not None:  # defensive: the engine clamps already
        intensity = [lv if LEVELS.index(lv) <= LEVELS.index(cap) else cap for lv in intensity]
    top = intensity[-1]
    youth = is_youth(facts)
    # An activity's MET band says how hard it is as aerobic work; for strength, balance or
    # flexibility work only the overall cap limits it (tai chi is a fine stretch session).
    max_level = top if comp["type"] in ENDURANCE_TYPES else cap
    kept, dropped = _activities(list(comp.get("activities") or []), excluded, max_level,
                                facts.get("age_years"))
    out: dict[str, Any] = {
        "type": comp["type"], "label": label(COMPONENT_LABELS, comp["type"]),
        "days_per_week": list(comp["days_per_week"]),
        "minutes_per_session": list(comp["minutes_per_session"]),
        "intensity": intensity, "hrr_percent": None, "target_hr_bpm": None, "rpe": None,
        "rpe_scale": None,
        "intensity_basis": "talk_test" if comp["type"] == "aerobic" else None,
        "talk_test": _talk_test(intensity) if comp["type"] == "aerobic" else None,
        "weekly_minutes": list(comp["weekly_minutes"]) if comp.get("weekly_minutes") else None,
        "sets_reps": comp.get("sets_reps"), "activities": kept, "activities_dropped": dropped,
        "note": comp.get("note"), "rule_ids": list(comp.get("rule_ids") or []),
    }
    if comp["type"] == "aerobic" and intensity[0] != "very_light":
        if not youth or comp.get("rpe"):
            out["rpe"] = list(rpe_for(intensity, comp.get("rpe")))
            out["rpe_scale"] = "borg_6_20"
            out["intensity_basis"] = "rpe"
        if hr is not None and not youth:
            lo, hi = hrr_percent_for(intensity, comp.get("hrr_percent"))
            rest, top_hr = hr
            out["hrr_percent"] = [lo, hi]
            out["target_hr_bpm"] = [karvonen(rest, top_hr, lo / 100),
                                    karvonen(rest, top_hr, hi / 100)]
            out["intensity_basis"] = "heart_rate"
    out["progression"] = progression_for(out, facts)
    return out


def _talk_test(intensity: list[str]) -> dict[str, str]:
    """The talk test across the span (lower level → upper level), §2.3."""
    levels = list(dict.fromkeys(intensity))
    return {"zh": " → ".join(TALK_TEST[lv][0] for lv in levels),
            "en": " → ".join(TALK_TEST[lv][1] for lv in levels)}


def _hr_inputs(facts: Mapping[str, Any]) -> tuple[float, float] | None:
    """(resting, maximal) HR when heart rate is a valid intensity marker, else ``None``."""
    if facts.get("hr_valid_marker") is not True or facts.get("resting_hr_bpm") is None:
        return None
    top = facts.get("hr_max_bpm")
    if top is None and facts.get("age_years") is not None:
        top = tanaka_hr_max(float(facts["age_years"]))
    if top is None or top <= facts["resting_hr_bpm"]:
        return None
    return float(facts["resting_hr_bpm"]), float(top)


def jsonable(value: Any) -> Any:
    """Plain JSON types: dates as ISO text, tuples/sets as lists, numpy scalars as Python."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(jsonable(v) for v in value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def build_prescription(decision: Mapping[str, Any], facts: Mapping[str, Any],
                       provenance: Mapping[str, Any], *, today: dt.date | None = None) -> dict:
    """The prescription JSON for one person (see the module docstring and the schema).

    While deferred no exercise may start, so no components are written; the reasons and
    actions are. ``today`` fixes the re-test date when there is no ``test_date``.
    """
    outcome = decision["outcome"]
    cap = decision.get("intensity_cap")
    excluded = [dict(e, label=label(EXCLUSION_LABELS, e["code"])) for e in decision.get("excluded", [])]
    excluded_codes = {e["code"] for e in excluded}
    hr = _hr_inputs(facts)
    youth = is_youth(facts)
    components = [] if outcome == "defer" else [
        _component(c, facts, cap, excluded_codes, hr) for c in decision.get("components", [])]
    aerobic = next((c for c in components if c["type"] == "aerobic"), None)
    weekly = weekly_minutes(aerobic, youth) if aerobic else None
    needs_review = [dict(n) for n in decision.get("needs_review", [])]
    unread = list(facts.get("symptoms_unmapped") or ())
    if unread and not any(n.get("code") == "symptoms_unmapped" for n in needs_review):
        needs_review.append({"code": "symptoms_unmapped", "rule_id": None, "reason": {
            "zh": "以下症状描述未能识别，请医生阅读：" + "；".join(unread),
            "en": "Symptom text not understood, please read: " + "; ".join(unread)}})
    fitness = {
        "tier": facts.get("fitness_tier"), "probability": facts.get("fitness_tier_probability"),
        "source": facts.get("fitness_tier_source") or "none",
        "items_used": list(facts.get("fitness_tier_items") or ()),
        "model_version": facts.get("model_version") or provenance.get("model_version"),
        "abstain_reason": facts.get("fitness_tier_abstain_reason"),
    }
    prov = dict(provenance)
    prov.setdefault("generated_at", dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))
    result = {
        "outcome": outcome,
        "screening_profile": facts.get("screening_profile"),
        "deferrals": [dict(d) for d in decision.get("deferrals", [])],
        "clearance": dict(decision.get("clearance") or {"required": False, "before": None,
                                                         "reasons": []}),
        "referrals": [dict(r, label=label(REFERRAL_LABELS, r["to"]))
                      for r in decision.get("referrals", [])],
        "intensity_cap": cap,
        "components": components,
        "weekly_minutes": weekly[0] if weekly else None,
        "weekly_minutes_range": list(weekly) if weekly else None,
        "weekly_minutes_basis": ("mvpa" if youth else "moderate_equivalent") if weekly else None,
        "excluded": excluded,
        "precautions": [dict(p) for p in decision.get("precautions", [])],
        "education": [dict(e) for e in decision.get("education", [])],
        "warning_signs": warning_signs_for(facts),
        "retest_date": retest_date(facts, outcome, today),
        "needs_review": needs_review,
        "fitness": fitness,
        "facts": dict(facts),
        "fired": list(decision.get("fired", [])),
        "trace": list(decision.get("trace", [])),
        "provenance": prov,
    }
    return jsonable(result)


__all__ = ["HRR_PERCENT", "MAX_UNSUPERVISED_HRR", "RPE_BORG", "build_prescription",
           "hrr_percent_for", "jsonable", "karvonen", "render_text", "retest_date",
           "rpe_for", "tanaka_hr_max", "weekly_minutes"]
