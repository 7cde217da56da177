"""Applying a clinician's review to a drafted prescription (pure functions, no database).

The clinician may change the dose within safe bounds. Anything that relaxes what a safety
rule set, compared with the assistant's proposal, is an *override* and needs a written
reason: raising the intensity cap, raising a component's intensity above the proposal,
removing an exclusion, or removing (or weakening) the medical-clearance requirement. A
deferral cannot be overridden here: the cause must be resolved and the person re-assessed.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from prescribe import prescription as core_rx

from .labels import INTENSITY_ORDER
from .operations import OperationError

# Form bounds, not clinical targets: they stop typing slips (70 days, 600 minutes).
DAYS_RANGE = (1, 7)
MINUTES_RANGE = (5, 120)


@dataclass(frozen=True)
class ComponentEdit:
    type: str
    days_per_week: tuple[int, int]
    minutes_per_session: tuple[int, int] | None
    intensity: tuple[str, str]


@dataclass
class ReviewEdit:
    """What the review form submitted."""

    components: list[ComponentEdit]
    intensity_cap: str | None
    clearance_required: bool
    kept_exclusions: set[str]
    reasons: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Relaxation:
    """One override: ``field`` keys the reason in the form and the stored record."""

    field: str
    old_value: str
    new_value: str
    rule_ids: tuple[str, ...]


def rank(level: str | None) -> int:
    """Order of intensity levels; no cap ranks above every level."""
    return len(INTENSITY_ORDER) if level is None else INTENSITY_ORDER.index(level)


def as_range(value: Any) -> tuple[Any, Any] | None:
    """``[lo, hi]`` or a single value as a (lo, hi) pair; None stays None."""
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return (value[0], value[-1])
    return (value, value)


def _rules_with_effect(content: dict[str, Any], effect: str) -> tuple[str, ...]:
    ids = []
    for step in content.get("trace", []):
        effects = step.get("effects") or []
        names = [e if isinstance(e, str) else next(iter(e), "") for e in effects]
        if effect in names and step.get("rule_id"):
            ids.append(step["rule_id"])
    return tuple(ids)


def relaxations(proposed: dict[str, Any], edit: ReviewEdit) -> list[Relaxation]:
    """Every way ``edit`` is less conservative than the assistant's proposal."""
    found: list[Relaxation] = []
    old_cap = proposed.get("intensity_cap")
    if rank(edit.intensity_cap) > rank(old_cap):
        found.append(Relaxation("intensity_cap", old_cap or "none", edit.intensity_cap or "none",
                                _rules_with_effect(proposed, "cap_intensity")))
    clearance = proposed.get("clearance") or {}
    if clearance.get("required") and not edit.clearance_required:
        rules = tuple(r.get("rule_id", "") for r in clearance.get("reasons", []) if r)
        found.append(Relaxation("clearance", f"required before {clearance.get('before')}",
                                "not required", rules))
    for item in proposed.get("excluded", []):
        if item["code"] not in edit.kept_exclusions:
            found.append(Relaxation(f"excluded:{item['code']}", "excluded", "allowed",
                                    tuple(filter(None, [item.get("rule_id")]))))
    by_type = {c["type"]: c for c in proposed.get("components", [])}
    for comp in edit.components:
        before = by_type.get(comp.type)
        old = as_range(before.get("intensity")) if before else None
        if old and rank(comp.intensity[1]) > rank(old[1]):
            found.append(Relaxation(f"component:{comp.type}:intensity", "–".join(old),
                                    "–".join(comp.intensity),
                                    tuple(before.get("rule_ids") or ())))
    return found


def check_edit(proposed: dict[str, Any], edit: ReviewEdit) -> list[OperationError]:
    """Every bound broken by the edit, each naming the form field."""
    problems: list[OperationError] = []
    if proposed.get("outcome") == "defer":
        problems.append(OperationError("a deferral cannot be edited; resolve the cause and "
                                       "re-assess", None))
    cap = edit.intensity_cap
    if cap is not None and cap not in INTENSITY_ORDER:
        problems.append(OperationError("unknown intensity level", "intensity_cap"))
        cap = proposed.get("intensity_cap")
    if cap is None and proposed.get("intensity_cap") is not None:
        problems.append(OperationError("the intensity cap cannot be removed", "intensity_cap"))
    known = {c["type"] for c in proposed.get("components", [])}
    for comp in edit.components:
        prefix = f"{comp.type}-"
        if comp.type not in known:
            problems.append(OperationError("unknown component", prefix + "type"))
            continue
        lo, hi = comp.days_per_week
        if not DAYS_RANGE[0] <= lo <= hi <= DAYS_RANGE[1]:
            problems.append(OperationError("days per week must be 1–7, from ≤ to",
                                           prefix + "days_per_week"))
        if comp.minutes_per_session is not None:
            lo, hi = comp.minutes_per_session
            if not MINUTES_RANGE[0] <= lo <= hi <= MINUTES_RANGE[1]:
                problems.append(OperationError("minutes per session must be 5–120, from ≤ to",
                                               prefix + "minutes_per_session"))
        low, high = comp.intensity
        if low not in INTENSITY_ORDER or high not in INTENSITY_ORDER or rank(low) > rank(high):
            problems.append(OperationError("intensity from must not be above intensity to",
                                           prefix + "intensity"))
        elif rank(high) > rank(cap):
            problems.append(OperationError("intensity is above the intensity cap",
                                           prefix + "intensity"))
    known_exclusions = {e["code"] for e in proposed.get("excluded", [])}
    for code in edit.kept_exclusions - known_exclusions:
        problems.append(OperationError(f"unknown exclusion {code}", "excluded"))
    return problems


def missing_reasons(found: list[Relaxation], edit: ReviewEdit,
                    recorded: dict[str, str]) -> list[OperationError]:
    """An override needs a reason unless the same override was already recorded."""
    problems = []
    for relax in found:
        if recorded.get(relax.field) == relax.new_value:
            continue
        if len((edit.reasons.get(relax.field) or "").strip()) < 5:
            problems.append(OperationError("write the reason for this override (at least "
                                           "5 characters)", f"reason:{relax.field}"))
    return problems


def apply_edit(proposed: dict[str, Any], current: dict[str, Any],
               edit: ReviewEdit) -> dict[str, Any]:
    """The reviewed prescription: the current content with the edit applied."""
    content = copy.deepcopy(current)
    content["intensity_cap"] = edit.intensity_cap
    by_type = {c["type"]: c for c in content.get("components", [])}
    changed: set[str] = set()
    for comp in edit.components:
        target = by_type[comp.type]
        before = copy.deepcopy(target)
        target["days_per_week"] = list(comp.days_per_week)
        if comp.minutes_per_session is not None:
            target["minutes_per_session"] = list(comp.minutes_per_session)
        if list(comp.intensity) != list(as_range(target.get("intensity")) or ()):
            target["intensity"] = list(comp.intensity)
        if target != before:
            changed.add(comp.type)
    refresh_numbers(content, changed)
    content["excluded"] = [e for e in proposed.get("excluded", [])
                           if e["code"] in edit.kept_exclusions]
    clearance = copy.deepcopy(proposed.get("clearance") or {"required": False})
    if not edit.clearance_required:
        clearance = {**clearance, "required": False, "before": None}
    elif not clearance.get("required"):  # the clinician asks for clearance: stricter, allowed
        clearance = {"required": True, "before": "any", "reasons": [
            {"rule_id": None, "reason": {"zh": "医生审核要求", "en": "Requested by the reviewer"}}]}
    content["clearance"] = clearance
    if content.get("outcome") != "defer":
        content["outcome"] = ("prescription_pending_clearance"
                              if clearance.get("required") and clearance.get("before") == "any"
                              else "prescription")
    return content


def _hr_inputs(facts: dict[str, Any]) -> tuple[float, float] | None:
    """(resting, maximal) heart rate when heart rate may set the intensity, as the core's
    prescription builder decides it (valid marker and a known resting rate)."""
    rest = facts.get("resting_hr_bpm")
    if facts.get("hr_valid_marker") is not True or rest is None:
        return None
    top = facts.get("hr_max_bpm")
    if top is None and facts.get("age_years") is not None:
        top = core_rx.tanaka_hr_max(float(facts["age_years"]))
    return (float(rest), float(top)) if top is not None and top > rest else None


def refresh_numbers(content: dict[str, Any], changed: set[str]) -> None:
    """Recompute the numbers that follow from the edited components (``changed`` types),
    with the core's own formulas: RPE and heart-rate targets, and weekly minutes."""
    facts = content.get("facts") or {}
    youth = core_rx.is_youth(facts)
    hr = _hr_inputs(facts)
    for comp in content.get("components", []):
        levels = list(as_range(comp.get("intensity")) or ())
        if comp.get("type") != "aerobic" or comp["type"] not in changed or not levels \
                or levels[0] == "very_light":
            continue
        if comp.get("rpe") is not None:
            comp["rpe"] = list(core_rx.rpe_for(levels, None))
        if comp.get("target_hr_bpm") is not None and hr is not None:
            lo, hi = core_rx.hrr_percent_for(levels, None)
            comp["hrr_percent"] = [lo, hi]
            comp["target_hr_bpm"] = [core_rx.karvonen(hr[0], hr[1], lo / 100),
                                     core_rx.karvonen(hr[0], hr[1], hi / 100)]
        elif comp.get("target_hr_bpm") is not None:  # cannot recompute: never keep a stale one
            comp["hrr_percent"] = comp["target_hr_bpm"] = None
            comp["intensity_basis"] = "rpe"
    aerobic = next((c for c in content.get("components", []) if c.get("type") == "aerobic"),
                   None)
    if aerobic is not None and "aerobic" in changed and aerobic.get("minutes_per_session"):
        edited = {k: aerobic[k] for k in ("days_per_week", "minutes_per_session", "intensity")}
        weekly = core_rx.weekly_minutes(edited, youth)
        content["weekly_minutes"] = weekly[0]
        if "weekly_minutes_range" in content:
            content["weekly_minutes_range"] = list(weekly)
