"""Can a condition ever be true? Static reasoning over conditions for the linter.

A condition is expanded into alternatives (disjunctive normal form, ``not`` pushed down to
the leaves). An alternative is possible if every fact it mentions can take one state that
satisfies all its tests: *missing*, or a value in the fact's possible range at its recording
resolution (numbers), one of its choices (codes, yes/no), a set of codes (lists). A test on a
missing fact is false, so ``not`` of a test is satisfied by a missing fact.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from .compiled import compile_leaf
from .conditions import All, Any_, Condition, Leaf, Not
from .intervals import IntervalSet, exact, has_points
from .registry import FactSpec, Registry

MAX_ALTERNATIVES = 512
Literal = tuple[Leaf, bool]  # (leaf, positive?)


def alternatives(cond: Condition, positive: bool = True) -> list[list[Literal]] | None:
    """The condition as a list of conjunctions of literals; None if it would be too large."""
    if isinstance(cond, Leaf):
        return [[(cond, positive)]]
    if isinstance(cond, Not):
        return alternatives(cond.item, not positive)
    conj = isinstance(cond, All) == positive  # `not all` is `any not`
    parts = [alternatives(c, positive) for c in cond.items]
    if any(p is None for p in parts):
        return None
    if not conj:
        out = [alt for p in parts for alt in p]
        return out if len(out) <= MAX_ALTERNATIVES else None
    out: list[list[Literal]] = [[]]
    for p in parts:
        out = [a + b for a in out for b in p]
        if len(out) > MAX_ALTERNATIVES:
            return None
    return out


def leaf_set(leaf: Leaf, spec: FactSpec) -> IntervalSet:
    """The numeric values for which a (numeric) leaf is true, ignoring the fact's range."""
    op, c = leaf.op, leaf.value
    if op == "<":
        return IntervalSet.of(-float("inf"), c, False, False)
    if op == "<=":
        return IntervalSet.of(-float("inf"), c, False, True)
    if op == ">":
        return IntervalSet.of(c, float("inf"), False, False)
    if op == ">=":
        return IntervalSet.of(c, float("inf"), True, False)
    if op == "==":
        return IntervalSet.point(c)
    if op == "!=":
        return IntervalSet.point(c).complement()
    if op == "between":
        return IntervalSet.of(c[0], c[1])
    if op == "in":
        out = IntervalSet()
        for v in c:
            out = out.union(IntervalSet.point(v))
        return out
    raise ValueError(op)  # pragma: no cover - `missing` is handled by callers


def domain(spec: FactSpec) -> IntervalSet:
    lo = -float("inf") if spec.lo is None else exact(spec.lo)
    hi = float("inf") if spec.hi is None else exact(spec.hi)
    return IntervalSet.of(lo, hi, spec.lo is not None, spec.hi is not None)


@dataclass
class _State:
    """The tests one alternative makes on one fact."""

    spec: FactSpec
    positive: list = field(default_factory=list)  # value sets the fact must be in
    negative: list = field(default_factory=list)  # value sets it must be missing or outside
    must_be_missing: bool = False
    must_be_present: bool = False
    required: set = field(default_factory=set)  # list facts: codes that must be present
    forbidden: set = field(default_factory=set)

    def add(self, leaf: Leaf, positive: bool) -> None:
        if leaf.op == "missing":
            if leaf.value == positive:
                self.must_be_missing = True
            else:
                self.must_be_present = True
        elif leaf.op == "has":
            (self.required if positive else self.forbidden).add(leaf.value)
        elif positive:
            self.positive.append(self._true_set(leaf))
        else:
            self.negative.append(self._true_set(leaf))

    def _true_set(self, leaf: Leaf):
        if self.spec.numeric:
            return leaf_set(leaf, self.spec)
        choices = list(self.spec.choices) if self.spec.kind == "enum" else [True, False]
        test = compile_leaf(leaf, self.spec)
        return {c for c in choices if test({leaf.fact: c})}

    def possible(self) -> bool:
        # Missing satisfies every negative test and no positive one.
        if not (self.positive or self.required or self.must_be_present):
            return True
        if self.must_be_missing:
            return False
        if self.required & self.forbidden:
            return False
        if self.spec.numeric:
            values = domain(self.spec)
            for s in self.positive:
                values = values.intersect(s)
            for s in self.negative:
                values = values.minus(s)
            return has_points(values, self.spec.resolution)
        if self.spec.kind in ("enum", "bool"):
            values = set(self.spec.choices) if self.spec.kind == "enum" else {True, False}
            for s in self.positive:
                values &= s
            for s in self.negative:
                values -= s
            return bool(values)
        return True


def possible(literals: Iterable[Literal], registry: Registry) -> tuple[bool, str | None]:
    """Whether one alternative can hold; if not, the fact that makes it impossible."""
    states: dict[str, _State] = {}
    for leaf, positive in literals:
        states.setdefault(leaf.fact, _State(registry.facts[leaf.fact])).add(leaf, positive)
    for name, state in states.items():
        if not state.possible():
            return False, name
    return True, None


def satisfiable(cond: Condition, registry: Registry) -> tuple[bool, list[str]]:
    """(can it be true, the facts that make each alternative impossible)."""
    alts = alternatives(cond)
    if alts is None:
        return True, []  # too large to expand: assume it can
    blockers = []
    for alt in alts:
        ok, fact = possible(alt, registry)
        if ok:
            return True, []
        blockers.append(fact)
    return False, blockers


def mentions(cond: Condition) -> set[str]:
    if isinstance(cond, Leaf):
        return {cond.fact}
    if isinstance(cond, Not):
        return mentions(cond.item)
    return set().union(*(mentions(c) for c in cond.items)) if cond.items else set()


def conjuncts(cond: Condition) -> tuple[Condition, ...]:
    return cond.items if isinstance(cond, All) else (cond,)


def project(cond: Condition, fact: str, spec: FactSpec, neutral: IntervalSet | None = None) -> IntervalSet:
    """The values of ``fact`` for which ``cond`` holds *through its tests on that fact*.

    Tests on other facts count as true inside an ``all`` (they are the table's partition)
    and as false inside an ``any`` (another column of the table, e.g. diastolic beside
    systolic, does not cover a systolic value).
    """
    full = IntervalSet.full()
    neutral = full if neutral is None else neutral
    if isinstance(cond, Leaf):
        if cond.fact != fact or cond.op == "missing":
            return neutral
        return leaf_set(cond, spec)
    if isinstance(cond, Not):
        if mentions(cond.item) == {fact}:
            return project(cond.item, fact, spec).complement()
        return neutral
    if isinstance(cond, All):
        out = full
        for c in cond.items:
            out = out.intersect(project(c, fact, spec, full))
        return out
    out = IntervalSet()
    for c in cond.items:
        out = out.union(project(c, fact, spec, IntervalSet()))
    return out


__all__ = ["Any_", "alternatives", "conjuncts", "domain", "leaf_set", "mentions", "possible",
           "project", "satisfiable"]
