"""Checks on the prescription and progress data before anything is drawn.

A printed plan is followed at home without a clinician to notice a garbled number, so the
printer refuses malformed input instead of printing a half-empty page. Every problem is
reported at once with its path (``prescription.components[1].rpe``). The checks cover
only what the printer reads; the prescription's own schema belongs to the core.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

OUTCOMES = ("prescription", "prescription_pending_clearance", "defer")
LEVELS = ("very_light", "light", "moderate", "vigorous", "near_maximal")


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def parse_day(value: Any) -> date:
    """A date from a ``date``/``datetime`` or an ISO ``YYYY-MM-DD`` text; ``ValueError`` else."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    raise ValueError(f"not a date: {type(value).__name__}")


def is_bilingual(value: Any) -> bool:
    """A plain text, or a ``{zh, en}`` mapping with at least one non-empty text."""
    if isinstance(value, str):
        return bool(value.strip())
    return isinstance(value, Mapping) and any(
        isinstance(value.get(k), str) and value.get(k).strip() for k in ("zh", "en")
    )


def _list(value: Any) -> bool:
    return isinstance(value, Sequence) and not isinstance(value, str | bytes)


def _pair(value: Any, path: str, lo: float, hi: float, out: list[str], *, optional: bool) -> None:
    if value is None:
        if not optional:
            out.append(f"{path}: is required")
        return
    if not (_list(value) and len(value) == 2 and all(is_number(v) for v in value)):
        out.append(f"{path}: must be a pair [low, high] of numbers")
    elif not (lo <= value[0] <= value[1] <= hi):
        out.append(f"{path}: {list(value)} must satisfy {lo:g} ≤ low ≤ high ≤ {hi:g}")


def _items(value: Any, path: str, text_key: str | None, out: list[str]) -> None:
    """A list of mappings, each with a bilingual ``text_key`` when one is named."""
    if value is None:
        return
    if not _list(value):
        out.append(f"{path}: must be a list")
        return
    for i, item in enumerate(value):
        if not isinstance(item, Mapping):
            out.append(f"{path}[{i}]: must be a mapping")
        elif text_key and not is_bilingual(item.get(text_key)):
            out.append(f"{path}[{i}].{text_key}: must be a text or {{zh, en}} texts")


def _component_problems(comp: Any, path: str, out: list[str]) -> None:
    if not isinstance(comp, Mapping):
        out.append(f"{path}: must be a mapping")
        return
    if not isinstance(comp.get("type"), str) or not comp.get("type"):
        out.append(f"{path}.type: is required")
    _pair(comp.get("days_per_week"), f"{path}.days_per_week", 1, 7, out, optional=False)
    _pair(comp.get("minutes_per_session"), f"{path}.minutes_per_session", 1, 480, out,
          optional=False)
    _pair(comp.get("hrr_percent"), f"{path}.hrr_percent", 0, 100, out, optional=True)
    _pair(comp.get("target_hr_bpm"), f"{path}.target_hr_bpm", 40, 230, out, optional=True)
    _pair(comp.get("rpe"), f"{path}.rpe", 6, 20, out, optional=True)
    _pair(comp.get("weekly_minutes"), f"{path}.weekly_minutes", 0, 3360, out, optional=True)
    intensity = comp.get("intensity")
    if intensity is not None:
        levels = [intensity] if isinstance(intensity, str) else intensity
        if not (_list(levels) and 1 <= len(levels) <= 2 and all(v in LEVELS for v in levels)):
            out.append(f"{path}.intensity: must be one or two of {', '.join(LEVELS)}")
    for key in ("note", "sets_reps"):
        if comp.get(key) is not None and not is_bilingual(comp[key]):
            out.append(f"{path}.{key}: must be a text or {{zh, en}} texts")
    acts = comp.get("activities") or []
    if not _list(acts):
        out.append(f"{path}.activities: must be a list")
        acts = []
    for i, act in enumerate(acts):
        where = f"{path}.activities[{i}]"
        if not isinstance(act, Mapping):
            out.append(f"{where}: must be a mapping")
            continue
        if not (act.get("name_zh") or act.get("name_en")):
            out.append(f"{where}: needs name_zh or name_en")
        if act.get("met") is not None and not (is_number(act["met"]) and 0 < act["met"] < 25):
            out.append(f"{where}.met: must be a number between 0 and 25")
    _items(comp.get("progression"), f"{path}.progression", "note", out)


def prescription_problems(rx: Any, path: str = "prescription") -> list[str]:
    """Every problem in the parts of the prescription JSON that the printer reads."""
    out: list[str] = []
    if not isinstance(rx, Mapping):
        return [f"{path}: must be the prescription JSON object"]
    if rx.get("outcome") not in OUTCOMES:
        out.append(f"{path}.outcome: {rx.get('outcome')!r} is not one of {', '.join(OUTCOMES)}")
    comps = rx.get("components") or []
    if not _list(comps):
        out.append(f"{path}.components: must be a list")
        comps = []
    for i, comp in enumerate(comps):
        _component_problems(comp, f"{path}.components[{i}]", out)
    clearance = rx.get("clearance")
    if clearance is not None:
        if not isinstance(clearance, Mapping):
            out.append(f"{path}.clearance: must be a mapping")
        else:
            if clearance.get("before") not in (None, "any", "vigorous"):
                out.append(f"{path}.clearance.before: must be any, vigorous or null")
            _items(clearance.get("reasons"), f"{path}.clearance.reasons", "reason", out)
    _items(rx.get("deferrals"), f"{path}.deferrals", "reason", out)
    _items(rx.get("referrals"), f"{path}.referrals", None, out)
    for i, ref in enumerate(rx.get("referrals") or []):
        if isinstance(ref, Mapping) and not isinstance(ref.get("to"), str):
            out.append(f"{path}.referrals[{i}].to: is required")
    _items(rx.get("excluded"), f"{path}.excluded", None, out)
    for key in ("precautions", "education"):
        _items(rx.get(key), f"{path}.{key}", "text", out)
    signs = rx.get("warning_signs")
    if signs is not None:
        if not _list(signs):
            out.append(f"{path}.warning_signs: must be a list")
        else:
            for i, sign in enumerate(signs):
                text = sign.get("text") if isinstance(sign, Mapping) else sign
                if not is_bilingual(text):
                    out.append(f"{path}.warning_signs[{i}]: must be a text or {{zh, en}} texts")
    if rx.get("retest_date") is not None:
        try:
            parse_day(rx["retest_date"])
        except ValueError:
            out.append(f"{path}.retest_date: must be an ISO date (YYYY-MM-DD)")
    weekly = rx.get("weekly_minutes")
    if weekly is not None and not is_number(weekly):
        _pair(weekly, f"{path}.weekly_minutes", 0, 3360, out, optional=True)
    weekly_range = rx.get("weekly_minutes_range")
    if weekly_range is not None:
        if _list(weekly_range) and len(weekly_range) == 2 and weekly_range[1] is None:
            weekly_range = [weekly_range[0], weekly_range[0]]  # open-ended: "at least"
        _pair(weekly_range, f"{path}.weekly_minutes_range", 0, 3360, out, optional=True)
    if rx.get("weekly_minutes_basis") not in (None, "mvpa", "moderate_equivalent"):
        out.append(f"{path}.weekly_minutes_basis: must be mvpa, moderate_equivalent or null")
    return out


def progress_problems(progress: Any, path: str = "progress") -> list[str]:
    """Problems in the progress points: each needs a date; dates run oldest first."""
    if progress is None:
        return []
    if not _list(progress):
        return [f"{path}: must be a list"]
    out: list[str] = []
    days: list[date] = []
    for i, point in enumerate(progress):
        where = f"{path}[{i}]"
        if not isinstance(point, Mapping):
            out.append(f"{where}: must be a mapping")
            continue
        try:
            days.append(parse_day(point.get("date")))
        except ValueError:
            out.append(f"{where}.date: must be a date or an ISO date text")
        if point.get("total") is not None and not is_number(point["total"]):
            out.append(f"{where}.total: must be a number or None")
        scores = point.get("scores") or {}
        if not isinstance(scores, Mapping) or not all(
            v is None or is_number(v) for v in scores.values()
        ):
            out.append(f"{where}.scores: must map item names to numbers")
    if days != sorted(days):
        out.append(f"{path}: points must be ordered oldest first")
    return out
