"""The structured rule editor's data: a rule as form fields and back, and problems placed
next to the field they belong to.

The page posts every field on every button press (add a condition, remove an effect, save),
so editing the tree never loses what was typed; only "save" writes the draft. Field names
in the request: ``title_zh``, ``priority`` …; ``cond-<i>-depth|node|fact|op|value`` for
condition rows; ``eff-<i>-name`` and ``eff-<i>-<param>[.zh|.en|.from|.to]`` for effects.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from prescribe.errors import RuleProblem

from .condition_rows import (
    ConditionRow,
    condition_from_rows,
    rows_from_condition,
    value_text,
)
from .effect_rows import EffectRow, effects_from_rows, rows_from_effects

TOP_FIELDS = ("id", "title", "source", "priority", "kind", "band", "band_fact", "band_range",
              "enabled", "review_if_missing", "note")
_COND_KEY = re.compile(r"^cond-(\d+)-(depth|node|fact|op|value)$")
_EFF_KEY = re.compile(r"^eff-(\d+)-(.+)$")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_SPLIT = re.compile(r"\s*[,，;；、]\s*")


@dataclass
class RuleForm:
    """Everything the rule page shows and posts."""

    id: str = ""
    title_zh: str = ""
    title_en: str = ""
    source: str = ""
    priority: str = "100"
    kind: str = "condition"
    enabled: bool = True
    band: str = ""
    band_fact: str = ""
    band_range: str = ""
    review_if_missing: str = ""
    note: str = ""
    conditions: list[ConditionRow] = field(default_factory=lambda: [ConditionRow(0, "all")])
    effects: list[EffectRow] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def add_error(self, part: str, message: str) -> None:
        self.errors.setdefault(part, []).append(message)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(r.errors for r in self.conditions) or any(
            r.errors for r in self.effects)


def from_rule(rule: Mapping[str, Any]) -> RuleForm:
    title = rule.get("title") or {}
    return RuleForm(
        id=str(rule.get("id", "")), title_zh=str(title.get("zh", "")),
        title_en=str(title.get("en", "")), source=str(rule.get("source", "")),
        priority=value_text(rule.get("priority", "")), kind=str(rule.get("kind", "")),
        enabled=rule.get("enabled", True) is not False, band=str(rule.get("band") or ""),
        band_fact=str(rule.get("band_fact") or ""),
        band_range=value_text(rule.get("band_range")),
        review_if_missing=value_text(rule.get("review_if_missing")),
        note=str(rule.get("note") or ""),
        conditions=rows_from_condition(rule.get("when")),
        effects=rows_from_effects(rule.get("then")))


def from_request(data: Mapping[str, str]) -> RuleForm:
    """Read the posted form (a werkzeug ``MultiDict`` or any mapping of strings)."""
    form = RuleForm(
        id=data.get("id", "").strip(), title_zh=data.get("title_zh", ""),
        title_en=data.get("title_en", ""), source=data.get("source", ""),
        priority=data.get("priority", "").strip(), kind=data.get("kind", ""),
        enabled=data.get("enabled") in ("y", "on", "true", "1"),
        band=data.get("band", "").strip(), band_fact=data.get("band_fact", "").strip(),
        band_range=data.get("band_range", "").strip(),
        review_if_missing=data.get("review_if_missing", "").strip(),
        note=data.get("note", ""), conditions=[], effects=[])
    conds: dict[int, dict[str, str]] = {}
    effs: dict[int, dict[str, str]] = {}
    for key in data:
        if m := _COND_KEY.match(key):
            conds.setdefault(int(m.group(1)), {})[m.group(2)] = data[key]
        elif m := _EFF_KEY.match(key):
            effs.setdefault(int(m.group(1)), {})[m.group(2)] = data[key]
    for index in sorted(conds):
        raw = conds[index]
        depth = int(raw["depth"]) if raw.get("depth", "").isdigit() else 0
        form.conditions.append(ConditionRow(depth, raw.get("node", "leaf"), raw.get("fact", ""),
                                            raw.get("op", ""), raw.get("value", "")))
    if not form.conditions:
        form.conditions = [ConditionRow(0, "all")]
    for index in sorted(effs):
        raw = dict(effs[index])
        name = raw.pop("name", "")
        form.effects.append(EffectRow(name, raw))
    return form


def _number_or_text(text: str) -> Any:
    if _NUMBER.fullmatch(text):
        return float(text) if "." in text else int(text)
    return text


def to_rule(form: RuleForm) -> dict[str, Any]:
    """The rule as file data, in the key order the rule files use.

    Values that cannot be read (a priority that is not a number) are passed on as typed,
    so the engine's loader reports them on their field with its own wording.
    """
    rule: dict[str, Any] = {"id": form.id,
                            "title": {"zh": form.title_zh.strip(), "en": form.title_en.strip()},
                            "source": form.source.strip(),
                            "priority": _number_or_text(form.priority), "kind": form.kind}
    if form.band:
        rule["band"] = form.band
    if form.band_fact:
        rule["band_fact"] = form.band_fact
    if form.band_range:
        numbers = [_number_or_text(n) for n in _NUMBER.findall(form.band_range)]
        rule["band_range"] = numbers if len(numbers) == 2 else form.band_range
    if not form.enabled:
        rule["enabled"] = False
    if form.review_if_missing:
        rule["review_if_missing"] = [p for p in _SPLIT.split(form.review_if_missing) if p]
    if form.note.strip():
        rule["note"] = form.note.strip()
    when, _ = condition_from_rows(form.conditions)
    rule["when"] = when
    rule["then"] = effects_from_rows(form.effects)
    return rule


def attach_problems(form: RuleForm, problems: list[RuleProblem]) -> None:
    """Put each loader problem on its field: a condition row, an effect parameter or a
    top-level field; anything else goes to the form's general list (``_``)."""
    for problem in problems:
        text = problem.message + (f" (did you mean “{problem.suggestion}”?)"
                                  if problem.suggestion else "")
        where = problem.field or ""
        if where.startswith("when"):
            _on_condition(form, where, text)
        elif where.startswith("then["):
            _on_effect(form, where, text)
        else:
            top = where.split(".", 1)[0].split("[", 1)[0]
            form.add_error(top if top in TOP_FIELDS else "_", text)


def _on_condition(form: RuleForm, where: str, text: str) -> None:
    best = None
    for row in form.conditions:
        if row.path and (where == row.path or where.startswith(row.path + ".")
                         or where.startswith(row.path + "[")):
            if best is None or len(row.path) > len(best.path):
                best = row
    if best is None:
        form.add_error("when", text)
        return
    rest = where[len(best.path):].lstrip(".")
    part = rest.split(".", 1)[0] if rest in ("fact", "op", "value") or rest.startswith(
        "value") else ("node" if best.node != "leaf" else "value")
    part = part if part in ("fact", "op", "value", "node") else "node"
    if not best.errors.get(part):  # the row's own parse error already says it
        best.add_error(part, text)


def _on_effect(form: RuleForm, where: str, text: str) -> None:
    match = re.match(r"^then\[(\d+)\](?:\.[^.]+)?(?:\.(.+))?$", where)
    index = int(match.group(1)) if match else -1
    if not 0 <= index < len(form.effects):
        form.add_error("then", text)
        return
    param = (match.group(2) or "").split(".", 1)[0]
    form.effects[index].add_error(param or "name", text)
