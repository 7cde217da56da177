"""Why a rule fired: the fact values that made each of its leaves true.

The combined Decision is shared by every record with the same pattern of fired rules; the
trace's ``facts`` are per record, so they are filled in here, for one record, on a private
copy. Each rule is explained with the facts it saw when it ran (after the ``set`` effects of
rules that fired before it), using the same compiled leaf closures as evaluation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from .conditions import All, Condition, Leaf, Not, leaves

if TYPE_CHECKING:  # pragma: no cover
    from .evaluate import Engine


def explain(engine: Engine, decision: Mapping[str, Any], fired: Sequence[int],
            facts: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``decision`` whose trace entries carry the facts that made each rule fire."""
    current = dict(facts)
    filled = {}
    for i in fired:
        rule = engine.rules[i]
        shown: dict[str, Any] = {}
        _gather(rule.when, current, engine, shown)
        filled[rule.id] = shown
        for name, value in engine.setters.get(i, ()):
            current[name] = value
    trace = [{**entry, "facts": filled.get(entry["rule_id"], {})} for entry in decision["trace"]]
    return {**decision, "trace": trace}


def json_value(v: Any) -> Any:
    return list(v) if isinstance(v, tuple) else v


def holds(cond: Condition, facts: Mapping[str, Any], engine: Engine) -> bool:
    """Evaluate a (sub-)condition with the engine's compiled leaf closures."""
    if isinstance(cond, Leaf):
        return engine.leaf_fns[cond](facts)
    if isinstance(cond, Not):
        return not holds(cond.item, facts, engine)
    if isinstance(cond, All):
        return all(holds(c, facts, engine) for c in cond.items)
    return any(holds(c, facts, engine) for c in cond.items)


def _gather(cond: Condition, facts: Mapping[str, Any], engine: Engine, out: dict[str, Any]) -> None:
    """Record fact values under a condition that holds."""
    if isinstance(cond, Leaf):
        out[cond.fact] = json_value(facts.get(cond.fact))
    elif isinstance(cond, Not):
        for leaf in leaves(cond.item):  # true because these were not
            out[leaf.fact] = json_value(facts.get(leaf.fact))
    else:  # an `all` holds through every child; an `any` through the children that hold
        for child in cond.items:
            if isinstance(cond, All) or holds(child, facts, engine):
                _gather(child, facts, engine, out)


def explain_rule(rule_when: Condition, facts: Mapping[str, Any], engine: Engine) -> dict[str, Any]:
    """The facts shown for one rule (used by the web app's "why" view for a single rule)."""
    out: dict[str, Any] = {}
    if holds(rule_when, facts, engine):
        _gather(rule_when, facts, engine, out)
    return out
