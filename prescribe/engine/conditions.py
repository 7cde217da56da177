"""Conditions: the ``when`` tree of a rule, parsed and checked once, then compiled.

A condition is ``all`` / ``any`` (lists), ``not`` (one condition) or a leaf
``{fact, op, value}``. Parsing checks every name against the registry and every value
against the fact's kind and possible range, so a rule that loads can always be evaluated.

Compiling (closures for one record, masks for a batch) is ``compiled.py``.

Null semantics (ARCHITECTURE.md): any comparison on a missing fact is false, ``!=``
included; only ``missing`` sees absence. ``not`` negates the result, so ``not`` of a
comparison on a missing fact is true.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from difflib import get_close_matches
from typing import Any, Union

from .registry import FactSpec, Registry

OPS = ("==", "!=", "<", "<=", ">", ">=", "between", "in", "has", "missing")
ORDER_OPS = ("<", "<=", ">", ">=", "between")
OP_ALIASES = {"=>": ">=", "=<": "<=", "≥": ">=", "≤": "<=", "=": "==", "<>": "!=", "≠": "!=",
              "eq": "==", "ne": "!=", "lt": "<", "le": "<=", "lte": "<=", "gt": ">", "ge": ">=",
              "gte": ">=", "contains": "has", "is_missing": "missing", "range": "between"}
"""What people write for an operator (other engines' spellings), for the suggestion."""
OPS_BY_KIND = {
    "number": ("==", "!=", "<", "<=", ">", ">=", "between", "in", "missing"),
    "count": ("==", "!=", "<", "<=", ">", ">=", "between", "in", "missing"),
    "bool": ("==", "!=", "missing"),
    "enum": ("==", "!=", "in", "missing"),
    "list": ("has", "missing"),
    "text": ("missing",),
    "date": ("missing",),
}


@dataclass(frozen=True)
class Leaf:
    fact: str
    op: str
    value: Any  # normalised: tuple for `between` / `in`


@dataclass(frozen=True)
class All:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Any_:
    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    item: Condition


Condition = Union[Leaf, All, Any_, Not]  # noqa: UP007 - a runtime alias for a recursive type
Report = Callable[[str, str, "str | None"], None]


def suggest(word: Any, options) -> str | None:
    """The closest valid name: a near spelling, else a name that starts with the word or
    has it as a part (``sbp`` → ``sbp_mmhg``), else a looser near spelling."""
    word, options = str(word), [str(o) for o in options]
    hits = get_close_matches(word, options, n=1, cutoff=0.6)
    if hits:
        return hits[0]
    if len(word) >= 2:
        parts = [o for o in options if o.startswith(word) or word in o.split("_")]
        if parts:
            return min(parts, key=len)
    hits = get_close_matches(word, options, n=1, cutoff=0.45)
    return hits[0] if hits else None


# --------------------------------------------------------------------------- parsing
def parse_condition(raw: Any, registry: Registry, report: Report, path: str = "when") -> Condition | None:
    """Parse one condition; every problem goes to ``report(field, message, suggestion)``."""
    if not isinstance(raw, Mapping):
        report(path, f"a condition must be a mapping, got {type(raw).__name__}", None)
        return None
    keys = set(raw)
    if keys & {"all", "any"} and len(keys) == 1:
        (key, items), = raw.items()
        if not isinstance(items, list):
            report(f"{path}.{key}", f"`{key}` needs a list of conditions", None)
            return None
        parsed = [parse_condition(c, registry, report, f"{path}.{key}[{i}]") for i, c in enumerate(items)]
        if any(p is None for p in parsed):
            return None
        return All(tuple(parsed)) if key == "all" else Any_(tuple(parsed))
    if keys == {"not"}:
        inner = parse_condition(raw["not"], registry, report, f"{path}.not")
        return None if inner is None else Not(inner)
    if "fact" in keys:
        return _parse_leaf(raw, registry, report, path)
    key = suggest(next(iter(keys), ""), ("all", "any", "not", "fact"))
    report(path, f"a condition needs exactly one of all / any / not / fact, got {sorted(keys)}", key)
    return None


def _parse_leaf(raw: Mapping, registry: Registry, report: Report, path: str) -> Leaf | None:
    extra = set(raw) - {"fact", "op", "value"}
    ok = True
    for key in sorted(extra):
        report(f"{path}.{key}", f"unknown key `{key}` in a condition", suggest(key, ("fact", "op", "value")))
        ok = False
    name, op = raw.get("fact"), raw.get("op")
    spec = registry.facts.get(name) if isinstance(name, str) else None
    if spec is None:
        report(f"{path}.fact", f"unknown fact `{name}`", suggest(name, registry.facts))
        ok = False
    if op not in OPS:
        report(f"{path}.op", f"unknown operator `{op}`", OP_ALIASES.get(str(op)) or suggest(op, OPS))
        return None
    if spec is None or not ok:
        return None
    allowed = OPS_BY_KIND[spec.kind] + (ORDER_OPS if spec.ordered else ())
    if op not in allowed:
        report(f"{path}.op", f"operator `{op}` does not apply to {spec.kind} fact `{name}` "
                             f"(allowed: {', '.join(allowed)})", None)
        return None
    if "value" not in raw:
        report(f"{path}.value", f"`{op}` needs a value", None)
        return None
    value = _check_value(spec, op, raw["value"], lambda m, s=None: report(f"{path}.value", m, s))
    return None if value is _BAD else Leaf(name, op, value)


_BAD = object()


def _check_value(spec: FactSpec, op: str, value: Any, bad: Callable) -> Any:
    if op == "missing":
        if not isinstance(value, bool):
            bad("`missing` takes true or false")
            return _BAD
        return value
    if op == "between":
        if not (isinstance(value, list | tuple) and len(value) == 2):
            bad("`between` takes [lo, hi]")
            return _BAD
        lo, hi = (_scalar(spec, v, bad) for v in value)
        if _BAD in (lo, hi):
            return _BAD
        if _rank(spec, lo) > _rank(spec, hi):
            bad(f"`between` bounds are reversed: [{lo}, {hi}]")
            return _BAD
        return (lo, hi)
    if op == "in":
        if not isinstance(value, list | tuple) or not value:
            bad("`in` takes a non-empty list")
            return _BAD
        items = tuple(_scalar(spec, v, bad) for v in value)
        return _BAD if _BAD in items else items
    if op == "has":
        return _list_item(spec, value, bad)
    return _scalar(spec, value, bad)


def _rank(spec: FactSpec, v: Any) -> Any:
    return spec.choices.index(v) if spec.kind == "enum" else v


def _scalar(spec: FactSpec, v: Any, bad: Callable) -> Any:
    if spec.numeric:
        if isinstance(v, bool) or not isinstance(v, int | float):
            bad(f"`{spec.name}` is a number; {v!r} is not")
            return _BAD
        if (spec.lo is not None and v < spec.lo) or (spec.hi is not None and v > spec.hi):
            bad(f"{v:g} is outside the possible range of `{spec.name}` "
                f"({_fmt(spec.lo)}–{_fmt(spec.hi)})")
            return _BAD
        return v
    if spec.kind == "bool":
        if not isinstance(v, bool):
            bad(f"`{spec.name}` is true/false; {v!r} is not")
            return _BAD
        return v
    if spec.kind == "enum":
        if not isinstance(v, str) or v not in spec.choices:
            bad(f"{v!r} is not a value of `{spec.name}` (allowed: {' | '.join(spec.choices)})",
                suggest(v, spec.choices))
            return _BAD
        return v
    bad(f"`{spec.name}` cannot be compared")  # pragma: no cover - op table forbids it
    return _BAD


def _list_item(spec: FactSpec, v: Any, bad: Callable) -> Any:
    if not isinstance(v, str) or not v:
        bad(f"`has` takes one code, got {v!r}")
        return _BAD
    if spec.items is None or v in spec.items:
        return v
    # An ICD-10 code or ATC prefix maps to its group: the longest known code that prefixes it.
    for code in sorted(spec.aliases, key=len, reverse=True):
        if v.upper().startswith(code.upper()):
            return spec.aliases[code]
    bad(f"unknown code `{v}` for `{spec.name}`", suggest(v, [*spec.items, *spec.aliases]))
    return _BAD


def _fmt(x: float | None) -> str:
    return "" if x is None else f"{x:g}"


# --------------------------------------------------------------------------- serialising
def to_data(cond: Condition) -> dict:
    """The file form of a condition (inverse of :func:`parse_condition`)."""
    if isinstance(cond, Leaf):
        value = list(cond.value) if isinstance(cond.value, tuple) else cond.value
        return {"fact": cond.fact, "op": cond.op, "value": value}
    if isinstance(cond, All):
        return {"all": [to_data(c) for c in cond.items]}
    if isinstance(cond, Any_):
        return {"any": [to_data(c) for c in cond.items]}
    return {"not": to_data(cond.item)}


def leaves(cond: Condition):
    """Every leaf of a condition, depth first."""
    if isinstance(cond, Leaf):
        yield cond
    elif isinstance(cond, Not):
        yield from leaves(cond.item)
    else:
        for c in cond.items:
            yield from leaves(c)
