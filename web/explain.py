"""Which rules stand behind each part of a prescription, for the "why" panels.

The prescription's ``trace`` lists every rule that fired with its title, source, the facts
it read and its effects (ARCHITECTURE "The prescription"); this class only indexes it.
"""

from __future__ import annotations

from typing import Any


def effect_names(step: dict[str, Any]) -> list[str]:
    """Effect names of a trace step, whatever shape each effect was recorded in."""
    names = []
    for effect in step.get("effects") or []:
        if isinstance(effect, str):
            names.append(effect)
        elif isinstance(effect, dict):
            names.append(str(effect.get("effect") or effect.get("name") or next(iter(effect), "")))
    return names


def effect_params(effect: Any) -> dict[str, Any]:
    if isinstance(effect, dict):
        if "effect" in effect or "name" in effect:
            return {k: v for k, v in effect.items() if k not in ("effect", "name")}
        if len(effect) == 1:
            value = next(iter(effect.values()))
            return value if isinstance(value, dict) else {"value": value}
    return {}


class Explainer:
    def __init__(self, content: dict[str, Any]):
        self.trace: list[dict[str, Any]] = list(content.get("trace") or [])
        self.by_id = {step.get("rule_id"): step for step in self.trace}

    def rules(self, ids: Any) -> list[dict[str, Any]]:
        """Trace steps for ``ids`` (unknown ids are skipped), in evaluation order."""
        wanted = [i for i in (ids or []) if i]
        return [self.by_id[i] for i in wanted if i in self.by_id]

    def with_effect(self, name: str, match: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """Steps that had effect ``name`` (optionally with matching parameters)."""
        out = []
        for step in self.trace:
            for effect in step.get("effects") or []:
                names = effect_names({"effects": [effect]})
                if names and names[0] == name:
                    params = effect_params(effect)
                    if not match or all(params.get(k) == v for k, v in match.items()):
                        out.append(step)
                        break
        return out

    def for_component(self, comp: dict[str, Any]) -> list[dict[str, Any]]:
        return self.rules(comp.get("rule_ids")) or self.with_effect(
            "component", {"type": comp.get("type")})

    def for_cap(self) -> list[dict[str, Any]]:
        return self.with_effect("cap_intensity")

    def for_item(self, item: dict[str, Any], effect: str) -> list[dict[str, Any]]:
        """Rules behind an exclusion, precaution, referral or clearance reason."""
        if item.get("rule_id"):
            return self.rules([item["rule_id"]])
        if item.get("rule_ids"):
            return self.rules(item["rule_ids"])
        code = item.get("code") or item.get("to")
        return self.with_effect(effect, {"code": code} if item.get("code") else {"to": code})
