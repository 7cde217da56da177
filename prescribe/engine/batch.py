"""The vectorised batch path: a whole school or a year of assessments at once.

Each leaf condition becomes a numpy mask (shared between the rules that use the same leaf),
rules combine their leaves with ``& | ~``, and the fired rules (plus the missing required
facts) of each row are packed into a bit key. Rows with the same key share one decision:
the keys are factorised, the decision of each distinct pattern is combined *once* with the
same ``combine`` code as the single-record path, and broadcast back to the rows. There is
no Python loop over rows; the loops are over rules and over distinct patterns.

``set`` effects are applied column-wise in rule order, and the masks of leaves on the set
fact are recomputed, exactly as the single path applies them record by record.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .columns import CatCol, Column, FactFrame, NumCol
from .compiled import leaf_mask
from .conditions import All, Condition, Leaf, Not
from .evaluate import Engine
from .trace import explain

CHUNK_ROWS = 65_536  # masks of a chunk stay in the CPU cache; memory stays bounded at 1M rows


@dataclass
class BatchDecision:
    """Decisions for ``n`` rows: ``patterns[inverse[i]]`` is row ``i``'s shared Decision."""

    engine: Engine
    inverse: np.ndarray
    patterns: list[dict[str, Any]]
    pattern_fired: list[tuple[int, ...]]
    facts: FactFrame  # after `set` effects
    facts_before: FactFrame
    _cols: dict[str, np.ndarray] = field(default_factory=dict, repr=False)

    @property
    def n(self) -> int:
        return len(self.inverse)

    def decision(self, i: int) -> dict[str, Any]:
        """Row ``i``'s shared, read-only Decision (no per-row trace facts)."""
        return self.patterns[self.inverse[i]]

    def traced(self, i: int) -> dict[str, Any]:
        """Row ``i``'s Decision with trace facts: equal to ``Engine.decide_traced``'s."""
        p = self.inverse[i]
        return explain(self.engine, self.patterns[p], self.pattern_fired[p], self.facts_before.row(i))

    def column(self, key: str) -> np.ndarray:
        """One Decision field for every row (an object array; shared values, do not mutate)."""
        if key not in self._cols:
            per_pattern = np.empty(len(self.patterns), dtype=object)
            per_pattern[:] = [p[key] for p in self.patterns]
            self._cols[key] = per_pattern[self.inverse]
        return self._cols[key]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (self.patterns[p] for p in self.inverse)


@contextmanager
def gc_paused():
    """Pause the cyclic garbage collector: a full collection walks every remembered
    decision (tens of thousands of small dicts) and costs more than the whole evaluation."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def decide_frame(engine: Engine, facts: FactFrame, chunk_rows: int = CHUNK_ROWS) -> BatchDecision:
    """Evaluate every rule over every row of ``facts`` (vectorised) and combine per pattern."""
    with gc_paused():
        return _decide_frame(engine, facts, chunk_rows)


def _decide_frame(engine: Engine, facts: FactFrame, chunk_rows: int) -> BatchDecision:
    n = facts.n
    before = FactFrame(n, dict(facts.columns), facts.kinds)
    nbits = len(engine.rules) + len(engine.reviews)
    width = max(1, (nbits + 63) // 64)  # uint64 words per key
    words = np.empty((n, width), dtype="<u8")
    set_parts: dict[str, list[Column]] = {}
    for start in range(0, max(n, 1), chunk_rows):
        stop = min(n, start + chunk_rows)
        part = FactFrame(stop - start, {k: c.take(slice(start, stop)) for k, c in facts.columns.items()},
                         facts.kinds)
        words[start:stop] = _chunk_keys(engine, part, width)
        for name in engine.setter_facts:
            set_parts.setdefault(name, []).append(part.get(name))
    for name, parts in set_parts.items():
        facts.set(name, _concat(parts))
    inverse, uniques = _factorize_rows(words)
    hits = list(map(engine.known_key, uniques))  # remembered patterns: one C-level lookup each
    for i in [i for i, hit in enumerate(hits) if hit is None]:
        hits[i] = engine.decision_for_key(uniques[i])
    return BatchDecision(engine, inverse, [h[1] for h in hits], [h[0] for h in hits], facts, before)


def _chunk_keys(engine: Engine, facts: FactFrame, width: int) -> np.ndarray:
    """Bit keys (n, width) of one chunk: bit j = rule j fired; then the missing-fact bits."""
    n = facts.n
    key_bytes = np.zeros((width * 8, n), dtype=np.uint8)
    scratch = np.empty(n, dtype=np.uint8)
    cache: dict[Leaf, np.ndarray] = {}
    bit = 0

    def put(mask: np.ndarray) -> None:
        nonlocal bit
        np.left_shift(mask.view(np.uint8), bit & 7, out=scratch)
        key_bytes[bit >> 3] |= scratch
        bit += 1

    for j, rule in enumerate(engine.rules):
        mask = _mask(rule.when, facts, engine, cache, n)
        put(mask)
        for name, value in engine.setters.get(j, ()):
            facts.set(name, _assign(facts.get(name), mask, value))
            for leaf in [lf for lf in cache if lf.fact == name]:
                del cache[leaf]
    for _, name in engine.reviews:
        col = facts.get(name)
        put(np.isnan(col.values) if isinstance(col, NumCol) else col.codes < 0)
    return np.ascontiguousarray(key_bytes.T).view("<u8")


def _mask(cond: Condition, facts: FactFrame, engine: Engine, cache: dict, n: int) -> np.ndarray:
    """The condition's mask; never returns an array that a caller may mutate."""
    if isinstance(cond, Leaf):
        m = cache.get(cond)
        if m is None:
            m = leaf_mask(cond, engine.registry.facts[cond.fact], facts.get(cond.fact),
                          engine.leaf_fns[cond])
            cache[cond] = m
        return m
    if isinstance(cond, Not):
        return ~_mask(cond.item, facts, engine, cache, n)
    if not cond.items:
        return np.full(n, isinstance(cond, All))
    masks = [_mask(c, facts, engine, cache, n) for c in cond.items]
    if len(masks) == 1:
        return masks[0]
    op = np.logical_and if isinstance(cond, All) else np.logical_or
    out = op(masks[0], masks[1])
    for m in masks[2:]:
        op(out, m, out=out)
    return out


def _assign(col: Column, mask: np.ndarray, value: Any) -> Column:
    if isinstance(col, NumCol):
        return NumCol(np.where(mask, float(value), col.values))
    levels = list(col.levels)
    if value not in levels:
        levels.append(value)
    return CatCol(np.where(mask, levels.index(value), col.codes), levels)


def _concat(parts: list[Column]) -> Column:
    if isinstance(parts[0], NumCol):
        return NumCol(np.concatenate([p.values for p in parts]))
    decoded = [v for p in parts for v in p.decoded()]  # only settable coded facts: rare
    return CatCol.from_values(decoded)


def _factorize_rows(words: np.ndarray) -> tuple[np.ndarray, list]:
    """Row codes and the distinct keys (python ints, or tuples of ints for wide keys)."""
    if len(words) == 0:
        return np.zeros(0, dtype=np.intp), []
    codes, uniques = pd.factorize(words[:, 0])
    if words.shape[1] == 1:
        return codes.astype(np.intp, copy=False), uniques.tolist()
    for w in range(1, words.shape[1]):
        c2, u2 = pd.factorize(words[:, w])
        codes, _ = pd.factorize(codes.astype(np.int64) * len(u2) + c2)
    first = np.full(codes.max() + 1, -1, dtype=np.intp)
    first[codes[::-1]] = np.arange(len(codes) - 1, -1, -1)
    return codes.astype(np.intp, copy=False), [tuple(int(x) for x in words[r]) for r in first]
