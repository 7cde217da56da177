"""The effect registry: the only things a rule's ``then`` may do, with their parameters.

Each effect declares its parameters (required or optional, and what a valid value is), so a
rule file is checked completely when it loads: an unknown effect or parameter gets a
suggestion, an unknown referral target or exclusion code is named, a dose range must be
``[min, max]`` inside sensible limits. Effects are data; combining them is ``combine.py``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from .conditions import suggest
from .registry import INTENSITY_LEVELS, LEVEL_RANK, URGENCIES, Registry

CODE_RE = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Effect:
    """One effect of a rule: its name and its checked, normalised parameters."""

    name: str
    params: Mapping[str, Any]

    def to_data(self) -> dict:
        return {self.name: {k: _plain(v) for k, v in self.params.items()}}


def _plain(v: Any) -> Any:
    if isinstance(v, tuple):
        return [_plain(x) for x in v]
    if isinstance(v, Mapping):
        return {k: _plain(x) for k, x in v.items()}
    return v


Bad = Callable[[str, "str | None"], None]
Check = Callable[[Any, Registry, Bad], Any]
_BAD = object()


# --------------------------------------------------------------------------- value checks
def text(v: Any, reg: Registry, bad: Bad) -> Any:
    """Bilingual text: ``{zh: ..., en: ...}``, both non-empty."""
    if not isinstance(v, Mapping):
        bad("needs bilingual text {zh: ..., en: ...}", None)
        return _BAD
    missing = [lang for lang in ("zh", "en") if not isinstance(v.get(lang), str) or not v[lang].strip()]
    extra = sorted(set(v) - {"zh", "en"})
    if missing or extra:
        parts = ([f"missing {'/'.join(missing)} text"] if missing else []) + \
                ([f"unknown language key(s) {extra}"] if extra else [])
        bad("; ".join(parts), None)
        return _BAD
    return {"zh": v["zh"].strip(), "en": v["en"].strip()}


def one_of(options_of: Callable[[Registry], tuple[str, ...]], what: str) -> Check:
    def check(v: Any, reg: Registry, bad: Bad) -> Any:
        options = options_of(reg)
        if v not in options:
            bad(f"unknown {what} `{v}` (allowed: {', '.join(options)})", suggest(v, options))
            return _BAD
        return v
    return check


def code(v: Any, reg: Registry, bad: Bad) -> Any:
    if not isinstance(v, str) or not CODE_RE.match(v):
        bad(f"a code is lower_snake_case, got {v!r}", None)
        return _BAD
    return v


def flag(v: Any, reg: Registry, bad: Bad) -> Any:
    if not isinstance(v, bool):
        bad(f"needs true or false, got {v!r}", None)
        return _BAD
    return v


def num_range(lo: float, hi: float, whole: bool = False) -> Check:
    """``[min, max]`` with ``lo <= min <= max <= hi``."""
    def check(v: Any, reg: Registry, bad: Bad) -> Any:
        ok = isinstance(v, list | tuple) and len(v) == 2 and all(
            isinstance(x, int | float) and not isinstance(x, bool) for x in v)
        if not ok:
            bad(f"needs [min, max] numbers, got {v!r}", None)
            return _BAD
        a, b = v
        if whole and (a != int(a) or b != int(b)):
            bad(f"needs whole numbers, got {list(v)}", None)
            return _BAD
        if not lo <= a <= b <= hi:
            bad(f"{list(v)} must satisfy {lo:g} ≤ min ≤ max ≤ {hi:g}", None)
            return _BAD
        return (a, b)
    return check


def level_range(v: Any, reg: Registry, bad: Bad) -> Any:
    if not (isinstance(v, list | tuple) and len(v) == 2):
        bad(f"needs [from, to] intensity levels, got {v!r}", None)
        return _BAD
    for x in v:
        if x not in LEVEL_RANK:
            bad(f"unknown intensity level `{x}` (allowed: {', '.join(INTENSITY_LEVELS)})",
                suggest(x, INTENSITY_LEVELS))
            return _BAD
    if LEVEL_RANK[v[0]] > LEVEL_RANK[v[1]]:
        bad(f"intensity [from, to] is reversed: {list(v)}", None)
        return _BAD
    return (v[0], v[1])


def activity_list(v: Any, reg: Registry, bad: Bad) -> Any:
    if not isinstance(v, list | tuple) or not all(isinstance(x, str) for x in v):
        bad(f"needs a list of activity codes, got {v!r}", None)
        return _BAD
    out = []
    for x in v:
        if reg.activity_codes is not None and x not in reg.activity_codes:
            bad(f"unknown activity `{x}`", suggest(x, reg.activity_codes))
            return _BAD
        if reg.activity_codes is None and not CODE_RE.match(x):
            bad(f"an activity code is lower_snake_case, got {x!r}", None)
            return _BAD
        out.append(x)
    return tuple(out)


def short_text(v: Any, reg: Registry, bad: Bad) -> Any:
    if isinstance(v, str) and v.strip():
        return v.strip()
    return text(v, reg, bad)


def any_value(v: Any, reg: Registry, bad: Bad) -> Any:
    return v  # checked against the fact by `_check_set`


# --------------------------------------------------------------------------- the registry
@dataclass(frozen=True)
class EffectSpec:
    name: str
    required: Mapping[str, Check]
    optional: Mapping[str, Check]
    summary: str


def _spec(name, summary, required, optional=None) -> EffectSpec:
    return EffectSpec(name, required, optional or {}, summary)


LEVEL = one_of(lambda r: INTENSITY_LEVELS, "intensity level")
EFFECTS: dict[str, EffectSpec] = {s.name: s for s in (
    _spec("defer", "no exercise may start now", {"reason": text}, {"action": text}),
    _spec("require_clearance", "medical clearance before starting",
          {"before": one_of(lambda r: ("any", "vigorous"), "clearance scope"), "reason": text}),
    _spec("refer", "refer to a service",
          {"to": one_of(lambda r: r.referral_targets, "referral target"),
           "urgency": one_of(lambda r: URGENCIES, "urgency"), "reason": text}),
    _spec("cap_intensity", "highest intensity allowed", {"level": LEVEL, "reason": text}),
    _spec("component", "a FITT-VP component",
          {"type": one_of(lambda r: r.component_types, "component type"),
           "days_per_week": num_range(0, 7, whole=True),
           "minutes_per_session": num_range(0, 300),
           "intensity": level_range},
          {"hrr_percent": num_range(0, 100), "rpe": num_range(6, 20),
           "weekly_minutes": num_range(0, 2100), "sets_reps": short_text,
           "activities": activity_list, "note": text}),
    _spec("exclude", "a modality that must not be used",
          {"code": one_of(lambda r: r.exclusion_codes, "exclusion code"), "reason": text}),
    _spec("precaution", "a precaution to print", {"code": code, "text": text}),
    _spec("education", "advice to print", {"code": code, "text": text}),
    _spec("needs_review", "route to a clinician", {"reason": text}, {"code": code}),
    _spec("set", "set a flag for later rules", {"fact": any_value, "value": any_value}),
)}


def parse_effect(raw: Any, registry: Registry, report: Callable[[str, str, str | None], None],
                 path: str) -> Effect | None:
    """Check one ``then`` item (a one-key mapping); report every problem."""
    if not (isinstance(raw, Mapping) and len(raw) == 1):
        report(path, "an effect is a one-key mapping, e.g. `- cap_intensity: {level: light, reason: ...}`", None)
        return None
    (name, params), = raw.items()
    spec = EFFECTS.get(name)
    if spec is None:
        report(path, f"unknown effect `{name}`", suggest(name, EFFECTS))
        return None
    here = f"{path}.{name}"
    if not isinstance(params, Mapping):
        report(here, f"`{name}` needs a mapping of parameters", None)
        return None
    out: dict[str, Any] = {}
    ok = True
    for key in params:
        if key not in spec.required and key not in spec.optional:
            report(f"{here}.{key}", f"unknown parameter `{key}` of `{name}`",
                   suggest(key, [*spec.required, *spec.optional]))
            ok = False
    for key, check in [*spec.required.items(), *spec.optional.items()]:
        if key not in params:
            if key in spec.required:
                report(f"{here}.{key}", f"`{name}` needs `{key}`", None)
                ok = False
            continue
        value = check(params[key], registry, lambda m, s, k=key: report(f"{here}.{k}", m, s))
        if value is _BAD:
            ok = False
        else:
            out[key] = value
    if ok and name == "set":
        ok = _check_set(out, registry, lambda k, m, s: report(f"{here}.{k}", m, s))
    return Effect(name, out) if ok else None


def _check_set(params: dict, registry: Registry, bad: Callable[[str, str, str | None], None]) -> bool:
    fact = params["fact"]
    spec = registry.facts.get(fact) if isinstance(fact, str) else None
    if spec is None:
        bad("fact", f"unknown fact `{fact}`", suggest(fact, registry.facts))
        return False
    if not spec.settable:
        settable = [s.name for s in registry.facts.values() if s.settable]
        bad("fact", f"`{fact}` is not settable by a rule (settable: {', '.join(settable)})", None)
        return False
    if params["value"] not in spec.settable or type(params["value"]) is not type(spec.settable[0]):
        bad("value", f"`{fact}` may only be set to {', '.join(map(repr, spec.settable))}: "
                     "any other value would relax a safety marker", None)
        return False
    return True
