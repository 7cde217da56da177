""""Make this a test case": a golden case from a real past assessment, de-identified.

Golden cases live in the rule files, which are exported, diffed and read by many people,
so nothing in them may identify a patient. The input is filtered by an allow-list (only
vocabulary inputs survive: names, record numbers, phone numbers, ID-card numbers, schools
and any field this module has never heard of are dropped), the birth date becomes the age
the engine derives from it (same rounding, so the case decides exactly as the visit did), the test date is
shifted by a random number of days, and free-text symptoms are replaced by the symptom
codes the engine read from them. The expectation is filled from what the current rules
produce for the de-identified input, so the case passes today and guards that behaviour;
the prescriber edits it where today's behaviour is not what it should be.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..assessment import age_on, parse_date
from ..vocabulary import ACSM_WARNING_SIGNS, BY_NAME

# Inputs that change the decision but identify nobody, beyond the vocabulary.
KEEP_EXTRA = ("screening_profile",)
DROPPED_TEXT = ("symptoms_text",)
_CASE_ID = re.compile(r"[^a-z0-9]+")


class Prescriber(Protocol):
    def prescribe(self, record: Mapping[str, Any]) -> dict[str, Any]: ...


@dataclass(frozen=True)
class DraftCase:
    """A proposed golden case plus what the prescriber should know before saving it."""

    case: dict[str, Any]
    removed: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        isinstance(value, str) and not value.strip()) or (
        isinstance(value, list | tuple) and not value)


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, list | dict | str):
        return value.item()  # numpy scalar from a DataFrame row
    return value


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, str):
        return [p.strip() for p in re.split(r"[,;，；、]", value) if p.strip()]
    return [_plain(v) for v in value]


def deidentify(record: Mapping[str, Any], *, shift_days: int | None = None,
               symptom_codes: list[str] | None = None) -> tuple[dict[str, Any], list[str]]:
    """Return ``(given, removed_field_names)`` for a golden case.

    ``shift_days`` moves the test date (random 30–365 days back when not given);
    ``symptom_codes`` are the codes the engine derived, used instead of free text.
    """
    given: dict[str, Any] = {}
    removed: list[str] = []
    for key, value in record.items():
        var = BY_NAME.get(key)
        if (var is None or var.derived or var.kind == "text") and key not in KEEP_EXTRA:
            if not _missing(value):
                removed.append(key)
            continue
        if not _missing(value):
            given[key] = _as_list(value) if var is not None and var.kind == "list" \
                else _plain(value)
    test_date = parse_date(given["test_date"]) if "test_date" in given else None
    if "birth_date" in given:
        birth = parse_date(given.pop("birth_date"))
        if "age_years" not in given:
            age = age_on(birth, test_date or dt.date.today())
            given["age_years"] = round(age, 2)  # exactly what parse_assessment derives
    if test_date is not None:
        shift = shift_days if shift_days is not None else 30 + secrets.randbelow(336)
        given["test_date"] = (test_date - dt.timedelta(days=shift)).isoformat()
    free_text = [s for s in given.get("symptoms", []) if s not in ACSM_WARNING_SIGNS]
    if free_text or any(key in removed for key in DROPPED_TEXT):
        coded = [s for s in given.get("symptoms", []) if s in ACSM_WARNING_SIGNS]
        coded += [c for c in symptom_codes or [] if c not in coded]
        if coded:
            given["symptoms"] = coded
        else:
            given.pop("symptoms", None)
    return given, removed


def _codes(items: Any, key: str) -> list[str]:
    out: list[str] = []
    for item in items or []:
        code = item.get(key) if isinstance(item, Mapping) else item
        if code is not None and str(code) not in out:
            out.append(str(code))
    return out


def expectation_from(prescription: Mapping[str, Any]) -> dict[str, Any]:
    """The golden-case ``expect`` block that the given prescription satisfies exactly."""
    clearance = prescription.get("clearance") or {}
    expect: dict[str, Any] = {
        "outcome": prescription.get("outcome"),
        "clearance": {"required": bool(clearance.get("required")),
                      "before": clearance.get("before")},
        "intensity_cap": prescription.get("intensity_cap"),
        "components_include": _codes(prescription.get("components"), "type"),
        "excluded_include": _codes(prescription.get("excluded"), "code"),
        "referrals_include": _codes(prescription.get("referrals"), "to"),
        "fired_include": _codes(prescription.get("fired") or prescription.get("trace"),
                                "rule_id"),
        "needs_review": bool(prescription.get("needs_review")),
    }
    if not expect["clearance"]["required"]:
        expect["clearance"] = {"required": False}
    targets = {c["type"]: list(c["target_hr_bpm"]) for c in prescription.get("components") or []
               if isinstance(c, Mapping) and c.get("target_hr_bpm")}
    if targets:
        expect["target_hr_bpm"] = targets
    return {k: v for k, v in expect.items() if v not in (None, [])}


def suggest_case_id(prescription: Mapping[str, Any], taken: set[str]) -> str:
    """``<first fired rule>-<outcome>-case`` (then ``-2`` …): readable and unique."""
    fired = _codes(prescription.get("fired") or prescription.get("trace"), "rule_id")
    stem = _CASE_ID.sub("-", f"{fired[0] if fired else 'no-rule'}-"
                             f"{prescription.get('outcome', 'case')}".lower()).strip("-")
    case_id, n = f"{stem}-case", 2
    while case_id in taken:
        case_id, n = f"{stem}-case-{n}", n + 1
    return case_id


def case_from_assessment(assistant: Prescriber, record: Mapping[str, Any], *,
                         taken_ids: set[str] = frozenset(), case_id: str | None = None,
                         title: Mapping[str, str] | None = None,
                         shift_days: int | None = None) -> DraftCase:
    """Build an editable golden case from a stored assessment with ``assistant``'s rules."""
    original = assistant.prescribe({k: v for k, v in record.items() if not _missing(v) and (
        (k in BY_NAME and not BY_NAME[k].derived) or k in KEEP_EXTRA)})
    facts = original.get("facts") or {}
    given, removed = deidentify(record, shift_days=shift_days,
                                symptom_codes=list(facts.get("symptom_codes") or []))
    result = assistant.prescribe(given)
    before, after = expectation_from(original), expectation_from(result)
    notes = tuple(f"{key} differs after de-identification ({before.get(key)} → {after.get(key)})"
                  f": check this case's inputs" for key in sorted(before.keys() | after.keys())
                  if before.get(key) != after.get(key))
    case_id = case_id or suggest_case_id(result, set(taken_ids))
    case = {
        "id": case_id,
        "title": dict(title) if title else {"zh": f"来自既往评估：{case_id}",
                                            "en": f"From a past assessment: {case_id}"},
        "given": given,
        "expect": after,
    }
    return DraftCase(case, tuple(sorted(removed)), notes)
