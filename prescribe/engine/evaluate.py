"""The single-record path: a clinician's click.

Conditions are compiled into closures once, when the :class:`Engine` is built. Each rule is
also given a *guard*: one of its top-level conjuncts, preferably an equality on a yes/no or
coded fact. Equality guards are looked up in one dict per fact, other guards are shared
between the rules that have the same one; only rules whose guard holds are evaluated (their
remaining conjuncts), in evaluation order. So a record without diabetes costs one lookup
for all the diabetes rules. Then the combined decision for the pattern of fired rules is
looked up (combining runs once per pattern and is remembered). No pandas on this path.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Mapping
from typing import Any

from .combine import combine
from .compiled import Predicate, compile_condition, compile_leaf
from .conditions import All, Any_, Leaf, leaves
from .ruleset import Rule, Ruleset
from .trace import explain

MAX_CACHED_PATTERNS = 100_000


class Engine:
    """A compiled rule set. Thread-safe: the only shared state is the pattern cache."""

    def __init__(self, ruleset: Ruleset):
        self.ruleset = ruleset
        self.registry = ruleset.registry
        self.rules: tuple[Rule, ...] = ruleset.enabled_rules
        self.predicates = tuple(compile_condition(r.when, self.registry) for r in self.rules)
        self._indexed = tuple(enumerate(self.predicates))
        (self._always, self._eq_tables, self._leaf_guards, self._range_tables, self._rests,
         self._entry_rule) = _dispatch_plan(self.rules, self.registry)
        self.leaf_fns = {leaf: compile_leaf(leaf, self.registry.facts[leaf.fact])
                         for r in self.rules for leaf in leaves(r.when)}
        self.setters: dict[int, tuple[tuple[str, Any], ...]] = {
            i: tuple((e.params["fact"], e.params["value"]) for e in r.effects("set"))
            for i, r in enumerate(self.rules) if r.effects("set")}
        reviews = [(i, f) for i, r in enumerate(self.rules) for f in r.review_if_missing]
        reviews += [(None, f) for f in ruleset.required_facts]
        self.reviews: tuple[tuple[int | None, str], ...] = tuple(reviews)
        self.setter_facts = tuple(dict.fromkeys(f for pairs in self.setters.values() for f, _ in pairs))
        self._cache: dict[tuple, dict[str, Any]] = {}
        self._key_cache: dict[Any, tuple[tuple[int, ...], dict[str, Any]]] = {}
        self.known_key = self._key_cache.get  # (fired, Decision) of a remembered batch key, or None
        self._lock = threading.Lock()

    # ----------------------------------------------------------------- firing
    def fire(self, facts: Mapping[str, Any]) -> tuple[tuple[int, ...], tuple, Mapping[str, Any]]:
        """Return (fired rule indices, missing (rule, fact) pairs, facts after ``set`` effects)."""
        get = facts.get
        cands = list(self._always)
        for fact, table in self._eq_tables:
            hit = table.get(get(fact))
            if hit:
                cands += hit
        for test, entries in self._leaf_guards:
            if test(get):
                cands += entries
        for fact, bounds, segments in self._range_tables:
            v = get(fact)
            if v is not None and v == v:  # missing or NaN: every comparison is false
                k = bisect_left(bounds, v)
                hit = segments[2 * k + 1 if k < len(bounds) and bounds[k] == v else 2 * k]
                if hit:
                    cands += hit
        cands.sort()  # entry ids increase with rule order: evaluation order is kept
        rule_of, rests = self._entry_rule, self._rests
        fired_list: list[int] = []
        last = -1
        setters = self.setters
        if setters:
            facts = dict(facts)
            get = facts.get
        for e in cands:
            i = rule_of[e]
            if i != last and ((rest := rests[e]) is None or rest(get)):
                fired_list.append(i)
                last = i
                if setters and i in setters:
                    for name, value in setters[i]:
                        facts[name] = value
        missing = tuple([pair for pair in self.reviews if facts.get(pair[1]) is None]) if self.reviews else ()
        return tuple(fired_list), missing, facts

    def combined(self, fired: tuple[int, ...], missing: tuple = ()) -> dict[str, Any]:
        """The shared, read-only Decision of one pattern (computed once, then remembered)."""
        key = (fired, missing)
        decision = self._cache.get(key)
        if decision is None:
            decision = combine(self.rules, fired, missing, self.registry.facts)
            with self._lock:
                if len(self._cache) >= MAX_CACHED_PATTERNS:
                    self._cache.clear()
                self._cache[key] = decision
        return decision

    def decision_for_key(self, key: int | tuple[int, ...]) -> tuple[tuple[int, ...], dict[str, Any]]:
        """(fired rule indices, shared Decision) of a batch bit key (see ``batch.py``).

        Bit ``j`` of the key is rule ``j`` (evaluation order); the bits after the rules are
        the (rule, fact) pairs of ``reviews`` whose fact was missing.
        """
        hit = self._key_cache.get(key)
        if hit is None:
            words = key if isinstance(key, tuple) else (key,)
            bits = [64 * w + b for w, word in enumerate(words) for b in range(64) if word >> b & 1]
            nrules = len(self.rules)
            fired = tuple(b for b in bits if b < nrules)
            missing = tuple(self.reviews[b - nrules] for b in bits if b >= nrules)
            hit = (fired, self.combined(fired, missing))
            with self._lock:
                if len(self._key_cache) >= MAX_CACHED_PATTERNS:
                    self._key_cache.clear()  # clear, never replace: `known_key` is bound to it
                self._key_cache[key] = hit
        return hit

    def decide(self, facts: Mapping[str, Any]) -> dict[str, Any]:
        """The combined Decision for one record, *without* per-record trace facts.

        The returned dict is shared between records with the same pattern: treat it as
        read-only (use :meth:`decide_traced` for a private copy with the trace filled in).
        """
        fired, missing, _ = self.fire(facts)
        return self.combined(fired, missing)

    def decide_traced(self, facts: Mapping[str, Any]) -> tuple[dict[str, Any], Mapping[str, Any]]:
        """(Decision with each fired rule's fact values in the trace, facts after ``set``)."""
        fired, missing, after = self.fire(facts)
        return explain(self, self.combined(fired, missing), fired, facts), after


def _guard(conjuncts: list, registry) -> tuple[Leaf | None, str]:
    """Pick the conjunct that dispatches a rule: ("eq" | "leaf" | "none").

    The guard is the conjunct expected to be true for the fewest records, from the
    fact's kind alone (no data): a yes-flag is rarely true (0.1), a code is true for about
    one in as many records as it has values, a numeric threshold for about 0.3, and
    "== false" for most (0.9). Ties go to the dict lookup, which is cheaper.
    """
    best, best_score, best_how = None, 2.0, "none"
    for c in conjuncts:
        if not isinstance(c, Leaf):
            continue
        spec = registry.facts[c.fact]
        if spec.settable:  # a later rule may change it: never dispatch on it
            continue
        if c.op in ("==", "in") and spec.kind in ("bool", "enum"):
            if spec.kind == "bool":
                score = 0.1 if True in ((c.value,) if c.op == "==" else c.value) else 0.9
            else:
                score = (1 if c.op == "==" else len(c.value)) / max(len(spec.choices), 1)
            how = "eq"
        elif c.op in ("==", "in", "<", "<=", ">", ">=", "between") and spec.numeric:
            score, how = 0.3, "leaf"
        else:
            continue
        if score < best_score or (score == best_score and how == "eq"):
            best, best_score, best_how = c, score, how
    return best, best_how


def _dispatch_plan(rules, registry) -> tuple:
    """Split every rule into entries (one per top-level ``any`` branch) with a guard each.

    A rule fires when one of its entries passes: its guard holds and its remaining
    conjuncts (``rest``) hold. Entry ids increase with rule order.
    """
    always: list[int] = []
    eq: dict[str, dict[Any, list[int]]] = {}
    by_leaf: dict[Leaf, list[int]] = {}
    rests: list[Predicate | None] = []
    entry_rule: list[int] = []
    for i, rule in enumerate(rules):
        branches = rule.when.items if isinstance(rule.when, Any_) and rule.when.items else (rule.when,)
        for branch in branches:
            e = len(entry_rule)
            entry_rule.append(i)
            conj = list(branch.items) if isinstance(branch, All) else [branch]
            guard, how = _guard(conj, registry)
            if guard is None:
                always.append(e)
                rests.append(compile_condition(branch, registry))
                continue
            others = [c for c in conj if c is not guard]
            rests.append(compile_condition(All(tuple(others)), registry) if others else None)
            if how == "eq":
                values = guard.value if guard.op == "in" else (guard.value,)
                table = eq.setdefault(guard.fact, {})
                for v in dict.fromkeys(values):
                    table.setdefault(v, []).append(e)
            else:
                by_leaf.setdefault(guard, []).append(e)
    eq_tables = tuple((fact, {v: tuple(ix) for v, ix in table.items()}) for fact, table in eq.items())
    per_fact: dict[str, list[Leaf]] = {}
    for leaf in by_leaf:
        per_fact.setdefault(leaf.fact, []).append(leaf)
    leaf_guards = []
    range_tables = []
    for fact, fact_leaves in per_fact.items():
        if len(fact_leaves) >= 3:  # one bisect beats three or more comparisons
            range_tables.append(_range_table(fact, fact_leaves, by_leaf, registry))
        else:
            leaf_guards += [(compile_condition(leaf, registry), tuple(by_leaf[leaf])) for leaf in fact_leaves]
    return (tuple(always), eq_tables, tuple(leaf_guards), tuple(range_tables), tuple(rests),
            tuple(entry_rule))


def _range_table(fact: str, fact_leaves: list[Leaf], by_leaf: dict, registry) -> tuple:
    """Numeric guards on one fact as segments between the thresholds.

    Every guard is a comparison with constants, so its truth is constant on each segment:
    below the first threshold, at each threshold, and between two thresholds. A value is
    placed with one bisect; the segment lists the entries whose guard holds there.
    """
    points: set[float] = set()
    for leaf in fact_leaves:
        points.update(leaf.value if isinstance(leaf.value, tuple) else (leaf.value,))
    bounds = sorted(points)
    reps = [bounds[0] - 1]
    for k, b in enumerate(bounds):
        reps.append(b)
        reps.append((b + bounds[k + 1]) / 2 if k + 1 < len(bounds) else b + 1)
    tests = [(compile_leaf(leaf, registry.facts[fact]), by_leaf[leaf]) for leaf in fact_leaves]
    segments = []
    for rep in reps:
        hits = sorted(e for test, entries in tests if test({fact: rep}) for e in entries)
        segments.append(tuple(hits))
    return fact, tuple(bounds), tuple(segments)
