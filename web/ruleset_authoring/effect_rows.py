"""The effects of a rule (``then``) as form rows: an effect name and its parameters.

The parameter list of each effect comes from the engine's effect registry, so a parameter
the engine adds shows up here; this module only decides how each parameter is typed in
(a choice list, a ``min, max`` range, a zh/en text pair, a list of codes). Values are
parsed leniently and checked by the engine's loader, whose problems name the parameter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from prescribe.engine.effects import EFFECTS
from prescribe.engine.registry import (
    COMPONENT_TYPES,
    EXCLUSION_CODES,
    INTENSITY_LEVELS,
    REFERRAL_TARGETS,
    URGENCIES,
)

from .condition_rows import value_text

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_SPLIT = re.compile(r"\s*[,，;；、]\s*")
BILINGUAL = ("reason", "action", "text", "note")
CHOICES: dict[str, tuple[str, ...]] = {
    "before": ("any", "vigorous"), "to": REFERRAL_TARGETS, "urgency": URGENCIES,
    "level": INTENSITY_LEVELS, "type": COMPONENT_TYPES,
}
RANGES = ("days_per_week", "minutes_per_session", "hrr_percent", "rpe", "weekly_minutes")


@dataclass(frozen=True)
class Param:
    name: str
    widget: str  # text2 | choice | range | levels | list | text | scalar
    required: bool
    options: tuple[str, ...] = ()


def params_of(effect: str, values: Mapping[str, str] | None = None) -> list[Param]:
    """The parameters of an effect, required ones first, with how each is typed in.

    A free-text parameter that already holds a zh/en pair (``sets_reps`` may be either)
    keeps the pair.
    """
    spec = EFFECTS.get(effect)
    if spec is None:
        return []
    out = []
    for required, names in ((True, spec.required), (False, spec.optional)):
        for name in names:
            widget, options = _widget(effect, name)
            if widget == "text" and values and f"{name}.zh" in values:
                widget = "text2"
            out.append(Param(name, widget, required, options))
    return out


def _widget(effect: str, name: str) -> tuple[str, tuple[str, ...]]:
    if name in BILINGUAL:
        return "text2", ()
    if effect == "exclude" and name == "code":
        return "choice", EXCLUSION_CODES
    if name in CHOICES:
        return "choice", CHOICES[name]
    if name in RANGES:
        return "range", ()
    if name == "intensity":
        return "levels", INTENSITY_LEVELS
    if name == "activities":
        return "list", ()
    if name == "value":
        return "scalar", ()
    return "text", ()


@dataclass
class EffectRow:
    name: str
    values: dict[str, str] = field(default_factory=dict)  # "reason.zh", "days_per_week" …
    path: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)

    def add_error(self, part: str, message: str) -> None:
        self.errors.setdefault(part, []).append(message)

    @property
    def params(self) -> list[Param]:
        return params_of(self.name, self.values)


def rows_from_effects(then: list[Any] | None) -> list[EffectRow]:
    rows = []
    for item in then or []:
        if not isinstance(item, Mapping) or len(item) != 1:
            continue
        (name, params), = item.items()
        values: dict[str, str] = {}
        for key, value in (params or {}).items():
            if isinstance(value, Mapping):
                for lang in ("zh", "en"):
                    values[f"{key}.{lang}"] = str(value.get(lang, ""))
            elif key == "intensity" and isinstance(value, list | tuple) and len(value) == 2:
                values["intensity.from"], values["intensity.to"] = map(str, value)
            else:
                values[key] = value_text(value)
        rows.append(EffectRow(str(name), values))
    return rows


def _number(text: str) -> int | float:
    return float(text) if "." in text else int(text)


def _param_value(param: Param, values: Mapping[str, str]) -> tuple[bool, Any]:
    """``(given, value)`` of one parameter from the row's texts."""
    if param.widget == "text2":
        zh = values.get(f"{param.name}.zh", "").strip()
        en = values.get(f"{param.name}.en", "").strip()
        return bool(zh or en), {"zh": zh, "en": en}
    if param.widget == "levels":
        lo, hi = values.get("intensity.from", ""), values.get("intensity.to", "")
        return bool(lo or hi), [lo, hi]
    text = values.get(param.name, "").strip()
    if text == "":
        return False, None
    if param.widget == "range":
        numbers = [_number(n) for n in _NUMBER.findall(text)]
        return True, numbers * 2 if len(numbers) == 1 else (numbers or text)
    if param.widget == "list":
        return True, [p for p in _SPLIT.split(text) if p]
    if param.widget == "scalar":
        try:
            return True, yaml.safe_load(text)
        except yaml.YAMLError:
            return True, text
    return True, text


def effects_from_rows(rows: list[EffectRow], base: str = "then") -> list[dict[str, Any]]:
    """The ``then`` list; a required parameter left empty is passed on as missing, so the
    loader names it (``then[2].refer.urgency: `refer` needs `urgency```)."""
    out = []
    for index, row in enumerate(rows):
        row.path = f"{base}[{index}]"
        params: dict[str, Any] = {}
        for param in row.params:
            given, value = _param_value(param, row.values)
            if given:
                params[param.name] = value
        out.append({row.name: params})
    return out
