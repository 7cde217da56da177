"""Compiled conditions: the same meaning in two forms.

* :func:`compile_condition` gives closures over a record's ``facts.get`` (the single-record
  path, a clinician's click: no pandas, no per-call parsing);
* :func:`leaf_mask` gives a numpy boolean mask over a column (the batch path). Leaves on
  coded columns (enums, lists) evaluate the *same closure* once per distinct value and
  gather, so the two paths cannot drift apart on categorical facts.

Null semantics as in ``conditions.py``: a comparison on a missing fact is false.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from .columns import CatCol, NumCol
from .conditions import ORDER_OPS, All, Condition, Leaf, Not
from .registry import FactSpec, Registry

# --------------------------------------------------------------------------- closures
Getter = Callable[[str], Any]
Predicate = Callable[[Getter], bool]
"""A compiled condition takes the facts' ``get`` (``facts.get``): one bound-method lookup per
record instead of one per leaf."""


def _value_test(leaf: Leaf, spec: FactSpec) -> Callable[[Any], bool]:
    """``value -> bool`` for one leaf; the value may be ``None`` (missing)."""
    op, c = leaf.op, leaf.value
    if op == "missing":
        return (lambda v: v is None) if c else (lambda v: v is not None)
    if op == "has":
        return lambda v: v is not None and c in v
    if spec.kind == "enum" and op in ORDER_OPS:
        rank = {choice: i for i, choice in enumerate(spec.choices)}
        lo, hi = (rank[c[0]], rank[c[1]]) if op == "between" else (rank[c], rank[c])
        return {"<": lambda v: (r := rank.get(v)) is not None and r < lo,
                "<=": lambda v: (r := rank.get(v)) is not None and r <= lo,
                ">": lambda v: (r := rank.get(v)) is not None and r > lo,
                ">=": lambda v: (r := rank.get(v)) is not None and r >= lo,
                "between": lambda v: (r := rank.get(v)) is not None and lo <= r <= hi}[op]
    if op == "==":
        return lambda v: v == c  # a rule value is never None, so None == c is false
    if op == "!=":
        return lambda v: v is not None and v != c
    if op == "<":
        return lambda v: v is not None and v < c
    if op == "<=":
        return lambda v: v is not None and v <= c
    if op == ">":
        return lambda v: v is not None and v > c
    if op == ">=":
        return lambda v: v is not None and v >= c
    if op == "between":
        lo, hi = c
        return lambda v: v is not None and lo <= v <= hi
    members = frozenset(c)  # op == "in"; None is never a member
    return lambda v: v in members


def compile_leaf(leaf: Leaf, spec: FactSpec) -> Callable[[Mapping[str, Any]], bool]:
    """A closure ``facts dict -> bool`` for one leaf (used by the trace and the batch path)."""
    test, name = _value_test(leaf, spec), leaf.fact
    return lambda facts: test(facts.get(name))


def _leaf_predicate(leaf: Leaf, spec: FactSpec, rest: Predicate | None) -> Predicate:
    """A leaf, optionally followed (``and``) by the rest of an ``all``, in one closure.

    The common comparisons are written out in full so that a record that fails the first
    test of a rule (most records, for most rules) costs one call, not two.
    """
    name, op, c = leaf.fact, leaf.op, leaf.value
    plain = spec.kind != "enum" or op not in ORDER_OPS
    if plain and op == "==":
        if rest is None:
            return lambda g: g(name) == c
        return lambda g: g(name) == c and rest(g)
    if plain and op == "in":
        members = frozenset(c)
        if rest is None:
            return lambda g: g(name) in members
        return lambda g: g(name) in members and rest(g)
    if plain and op in (">=", "<", "<=", ">"):
        if rest is None:
            return {">=": lambda g: (v := g(name)) is not None and v >= c,
                    "<": lambda g: (v := g(name)) is not None and v < c,
                    "<=": lambda g: (v := g(name)) is not None and v <= c,
                    ">": lambda g: (v := g(name)) is not None and v > c}[op]
        return {">=": lambda g: (v := g(name)) is not None and v >= c and rest(g),
                "<": lambda g: (v := g(name)) is not None and v < c and rest(g),
                "<=": lambda g: (v := g(name)) is not None and v <= c and rest(g),
                ">": lambda g: (v := g(name)) is not None and v > c and rest(g)}[op]
    if plain and op == "between":
        lo, hi = c
        if rest is None:
            return lambda g: (v := g(name)) is not None and lo <= v <= hi
        return lambda g: (v := g(name)) is not None and lo <= v <= hi and rest(g)
    test = _value_test(leaf, spec)
    if rest is None:
        return lambda g: test(g(name))
    return lambda g: test(g(name)) and rest(g)


def compile_condition(cond: Condition, registry: Registry) -> Predicate:
    """Compile a condition tree into closures over ``facts.get``, once, at load time."""
    if isinstance(cond, Leaf):
        return _leaf_predicate(cond, registry.facts[cond.fact], None)
    if isinstance(cond, Not):
        inner = compile_condition(cond.item, registry)
        return lambda g: not inner(g)
    if isinstance(cond, All):
        if cond.items and isinstance(cond.items[0], Leaf):
            rest = compile_condition(All(cond.items[1:]), registry) if len(cond.items) > 1 else None
            return _leaf_predicate(cond.items[0], registry.facts[cond.items[0].fact], rest)
        return _all(tuple(compile_condition(c, registry) for c in cond.items))
    return _any(tuple(compile_condition(c, registry) for c in cond.items))


def _all(fns: tuple[Predicate, ...]) -> Predicate:
    if not fns:
        return lambda g: True
    if len(fns) == 1:
        return fns[0]
    if len(fns) == 2:
        a, b = fns
        return lambda g: a(g) and b(g)

    def all_(g):
        for fn in fns:
            if not fn(g):
                return False
        return True
    return all_


def _any(fns: tuple[Predicate, ...]) -> Predicate:
    if not fns:
        return lambda g: False
    if len(fns) == 1:
        return fns[0]
    if len(fns) == 2:
        a, b = fns
        return lambda g: a(g) or b(g)
    if len(fns) == 3:
        a, b, c = fns
        return lambda g: a(g) or b(g) or c(g)

    def any_(g):
        for fn in fns:
            if fn(g):
                return True
        return False
    return any_


# --------------------------------------------------------------------------- masks
_COMPARE = {"==": np.equal, "<": np.less, "<=": np.less_equal, ">": np.greater, ">=": np.greater_equal}


def leaf_mask(leaf: Leaf, spec: FactSpec, col: NumCol | CatCol,
              scalar: Callable[[Mapping[str, Any]], bool], out: np.ndarray | None = None,
              tmp: np.ndarray | None = None) -> np.ndarray:
    """Boolean mask of one leaf over a column; ``scalar`` is the leaf's compiled closure.

    ``out`` (and ``tmp``, same shape) are optional buffers to write into: the batch path
    reuses them so that a large table does not fault in fresh memory for every leaf.
    """
    n = len(col.codes) if isinstance(col, CatCol) else len(col.values)
    out = np.empty(n, dtype=bool) if out is None else out
    if isinstance(col, CatCol):
        # Evaluate the closure once per distinct value; the last slot is "missing" (code -1,
        # which `wrap` sends to the last slot).
        lut = np.array([scalar({leaf.fact: lvl}) for lvl in col.levels] + [scalar({})], dtype=bool)
        return np.take(lut, col.codes, out=out, mode="wrap")
    v = col.values
    op, c = leaf.op, leaf.value
    if op == "missing":
        np.isnan(v, out=out)
        return out if c else np.logical_not(out, out=out)
    if spec.kind == "bool":
        c = 1.0 if c else 0.0
    if op in _COMPARE:
        return _COMPARE[op](v, c, out=out)
    tmp = np.empty(n, dtype=bool) if tmp is None else tmp
    if op == "!=":
        np.not_equal(v, c, out=out)
        np.isnan(v, out=tmp)
        return np.greater(out, tmp, out=out)  # out and not missing
    if op == "between":
        np.greater_equal(v, c[0], out=out)
        np.less_equal(v, c[1], out=tmp)
        return np.logical_and(out, tmp, out=out)
    out[:] = np.isin(v, np.asarray(c, dtype=float))  # op == "in"
    return out
