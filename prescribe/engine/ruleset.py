"""The loaded rule set as frozen data, and its one canonical serialisation.

``ruleset_data`` is the single source of both the files ``dump_ruleset`` writes (for the
web editor, which stores versions in its database) and the ``hash`` that every
prescription cites, so a rule set dumped and loaded again has the same hash, and a change
of comments, key order or layout does not change it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from . import cases as case_format
from .conditions import Condition
from .conditions import to_data as condition_data
from .effects import Effect
from .registry import Registry, default_registry
from .yamlio import Flow, FlowList, dump_yaml

MODIFIER_KINDS = ("condition", "youth")
RULESET_FILE = "ruleset.yaml"


@dataclass(frozen=True)
class Rule:
    id: str
    title: Mapping[str, str]
    source: str
    priority: int
    kind: str
    when: Condition
    then: tuple[Effect, ...]
    file: str
    band: str | None = None
    band_fact: str | None = None
    band_range: tuple[float, float] | None = None
    enabled: bool = True
    review_if_missing: tuple[str, ...] = ()
    note: str | None = None

    @property
    def is_modifier(self) -> bool:
        return self.kind in MODIFIER_KINDS

    @cached_property
    def by_effect(self) -> dict[str, tuple[Effect, ...]]:
        out: dict[str, list[Effect]] = {}
        for e in self.then:
            out.setdefault(e.name, []).append(e)
        return {k: tuple(v) for k, v in out.items()}

    def effects(self, name: str) -> tuple[Effect, ...]:
        return self.by_effect.get(name, ())

    @cached_property
    def trace_base(self) -> dict[str, Any]:
        """The rule's part of a trace entry (shared, read-only)."""
        return {"rule_id": self.id, "title": dict(self.title), "source": self.source,
                "kind": self.kind, "priority": self.priority,
                "effects": [e.to_data() for e in self.then]}

    def to_data(self) -> dict:
        out: dict[str, Any] = {"id": self.id, "title": Flow(self.title), "source": self.source,
                               "priority": self.priority, "kind": self.kind}
        if self.band is not None:
            out["band"] = self.band
        if self.band_fact is not None:
            out["band_fact"] = self.band_fact
        if self.band_range is not None:
            out["band_range"] = FlowList(self.band_range)
        if not self.enabled:
            out["enabled"] = False
        if self.review_if_missing:
            out["review_if_missing"] = FlowList(self.review_if_missing)
        if self.note:
            out["note"] = self.note
        out["when"] = _flow_condition(condition_data(self.when))
        out["then"] = [_flow_effect(e.to_data()) for e in self.then]
        return out


@dataclass(frozen=True)
class Ruleset:
    name: str
    version: str
    description: str
    screening_profile: str
    changelog: tuple[Mapping[str, str], ...]
    rules: tuple[Rule, ...]  # evaluation order: (-priority, id)
    cases: tuple[case_format.Case, ...]
    required_facts: tuple[str, ...] = ()
    files: tuple[str, ...] = ()  # rule files, in file order (for dumping)
    hash: str = ""
    registry: Registry = field(default_factory=default_registry, compare=False, repr=False)

    @property
    def enabled_rules(self) -> tuple[Rule, ...]:
        return tuple(r for r in self.rules if r.enabled)

    def rule(self, rule_id: str) -> Rule:
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def header_data(self) -> dict:
        out: dict[str, Any] = {"name": self.name, "version": self.version,
                               "description": self.description,
                               "screening_profile": self.screening_profile}
        if self.required_facts:
            out["required_facts"] = FlowList(self.required_facts)
        out["changelog"] = [dict(c) for c in self.changelog]
        return out


# --------------------------------------------------------------------------- writing files
def _flow_condition(data: dict) -> Any:
    if "fact" in data:
        value = data["value"]
        return Flow({**data, "value": FlowList(value) if isinstance(value, list) else value})
    (key, inner), = data.items()
    if key == "not":
        return {"not": _flow_condition(inner)}
    return {key: [_flow_condition(c) for c in inner]}


def _flow_effect(data: dict) -> dict:
    (name, params), = data.items()
    out = {}
    for k, v in params.items():
        if isinstance(v, dict):
            out[k] = Flow(v)
        elif isinstance(v, list):
            out[k] = FlowList(v)
        else:
            out[k] = v
    return {name: out}


def ruleset_data(ruleset: Ruleset) -> dict[str, Any]:
    """The rule set as plain data per file: the single source of both dumping and hashing."""
    files: dict[str, Any] = {RULESET_FILE: ruleset.header_data()}
    for name in ruleset.files:
        files[name] = {"rules": []}
    for rule in sorted(ruleset.rules, key=lambda r: (r.file, -r.priority, r.id)):
        files.setdefault(rule.file, {"rules": []})["rules"].append(rule.to_data())
    for case in ruleset.cases:
        files.setdefault(case.file, {"cases": []})["cases"].append(case.to_data())
    return files


def dump_ruleset(ruleset: Ruleset) -> dict[str, str]:
    """``{filename: YAML text}`` that loads back to an equal rule set with the same hash."""
    return {name: dump_yaml(data) for name, data in ruleset_data(ruleset).items()}


def ruleset_hash(ruleset: Ruleset) -> str:
    canonical = json.dumps(ruleset_data(ruleset), sort_keys=True, ensure_ascii=False,
                           separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def with_hash(ruleset: Ruleset) -> Ruleset:
    return replace(ruleset, hash=ruleset_hash(ruleset))
