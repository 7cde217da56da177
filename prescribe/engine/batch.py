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
import threading
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

CHUNK_ROWS = 131_072  # big enough to amortise per-call overhead; bounds memory at 1M rows


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
    words = np.zeros((n, width), dtype="<u8")
    key_rows = words.view(np.uint8).reshape(n, width * 8)
    step = min(chunk_rows, max(n, 1))
    arena = _arena(engine, step, width)
    set_parts: dict[str, list[Column]] = {}
    for start in range(0, n, step):
        stop = min(n, start + step)
        part = FactFrame(stop - start, {k: c.take(slice(start, stop)) for k, c in facts.columns.items()},
                         facts.kinds)
        key_rows[start:stop] = _chunk_keys(engine, part, arena).T
        for name in engine.setter_facts:
            set_parts.setdefault(name, []).append(part.get(name))
    for name, parts in set_parts.items():
        facts.set(name, _concat(parts))
    inverse, uniques = _factorize_rows(words)
    hits = list(map(engine.known_key, uniques))  # remembered patterns: one C-level lookup each
    for i in [i for i, hit in enumerate(hits) if hit is None]:
        hits[i] = engine.decision_for_key(uniques[i])
    return BatchDecision(engine, inverse, [h[1] for h in hits], [h[0] for h in hits], facts, before)


class _Arena:
    """Buffers for chunks of up to ``rows`` rows, reused for every chunk and call (one per
    thread).

    Writing every mask into a buffer that already exists, instead of a fresh array, is
    what keeps a 100k-row table from spending most of its time faulting in new memory.
    """

    def __init__(self, rows: int, width: int):
        self.rows = rows
        self.cap = -(-rows // 8) * 8  # whole 8-byte words, for the packing below
        self.key_bytes = np.zeros((width * 8, self.cap), dtype=np.uint8)
        self.scratch = np.empty(self.cap, dtype=np.uint8)
        self.tmp = np.empty(self.cap, dtype=bool)
        self.slots: dict[Any, np.ndarray] = {}

    def slot(self, key: Any, m: int) -> np.ndarray:
        buf = self.slots.get(key)
        if buf is None:
            buf = self.slots[key] = np.empty(self.cap, dtype=bool)
        return buf[:m]


def _arena(engine: Engine, rows: int, width: int) -> _Arena:
    """This thread's arena for chunks of up to ``rows`` rows: one per thread, grown when a
    larger chunk comes, so that a city run of many pieces (each with its own number of
    drafted rows) holds one set of buffers, not one per piece size."""
    local = engine.__dict__.setdefault("_batch_arenas", threading.local())
    arena = getattr(local, "arena", None)
    if arena is None or arena.rows < rows:
        arena = local.arena = _Arena(rows, width)
    return arena


def _chunk_keys(engine: Engine, facts: FactFrame, arena: _Arena) -> np.ndarray:
    """Bit keys of one chunk as (key bytes, rows): bit j = rule j fired; then the missing-fact
    bits. The result is a view of the arena: copy it out before the next chunk."""
    m = facts.n
    words = -(-m // 8)
    key_words = arena.key_bytes.view(np.uint64)[:, :words]
    key_words[:] = 0
    scratch = arena.scratch.view(np.uint64)[:words]
    done: set[Leaf] = set()
    bit = 0

    def put(mask: np.ndarray) -> None:
        # A mask's bytes are 0/1; shifting whole 64-bit words moves the bit inside each byte
        # without carrying into the next, so eight records are packed per operation. Mask
        # views are of arena buffers of whole words (bytes past `m` are ignored below).
        nonlocal bit
        base = mask.base
        if (base is None or base.dtype != np.bool_ or base.ndim != 1 or len(base) < words * 8
                or base.ctypes.data != mask.ctypes.data):
            base = np.zeros(words * 8, dtype=bool)  # not an arena view: pad a copy
            base[:m] = mask
        np.left_shift(base[:words * 8].view(np.uint64), bit & 7, out=scratch)
        key_words[bit >> 3] |= scratch
        bit += 1

    for leaf in _leaves_by_fact(engine):  # each column read once while it is in the cache
        _mask(leaf, facts, engine, arena, done, m)
    for j, rule in enumerate(engine.rules):
        mask = _mask(rule.when, facts, engine, arena, done, m)
        put(mask)
        for name, value in engine.setters.get(j, ()):
            facts.set(name, _assign(facts.get(name), mask, value))
            done -= {lf for lf in done if lf.fact == name}  # recompute leaves on the new value
    for _, name in engine.reviews:
        col = facts.get(name)
        put(np.isnan(col.values, out=arena.tmp[:m]) if isinstance(col, NumCol)
            else np.less(col.codes, 0, out=arena.tmp[:m]))
    return arena.key_bytes[:, :m]


def _leaves_by_fact(engine: Engine) -> list[Leaf]:
    """Every leaf not on a settable fact, grouped by fact (settable ones wait for their rule)."""
    cached = engine.__dict__.get("_batch_leaves")
    if cached is None:
        settable = set(engine.setter_facts)
        cached = sorted((lf for lf in engine.leaf_fns if lf.fact not in settable), key=lambda lf: lf.fact)
        engine.__dict__["_batch_leaves"] = cached
    return cached


def _mask(cond: Condition, facts: FactFrame, engine: Engine, arena: _Arena, done: set, m: int) -> np.ndarray:
    """The condition's mask, written into the arena (valid until the next chunk)."""
    if isinstance(cond, Leaf):
        out = arena.slot(cond, m)  # one slot per distinct leaf: shared by the rules using it
        if cond not in done:
            leaf_mask(cond, engine.registry.facts[cond.fact], facts.get(cond.fact),
                      engine.leaf_fns[cond], out=out, tmp=arena.tmp[:m])
            done.add(cond)
        return out
    out = arena.slot(id(cond), m)
    if isinstance(cond, Not):
        return np.logical_not(_mask(cond.item, facts, engine, arena, done, m), out=out)
    if not cond.items:
        out[:] = isinstance(cond, All)
        return out
    masks = [_mask(c, facts, engine, arena, done, m) for c in cond.items]
    if len(masks) == 1:
        return masks[0]
    op = np.logical_and if isinstance(cond, All) else np.logical_or
    op(masks[0], masks[1], out=out)
    for mk in masks[2:]:
        op(out, mk, out=out)
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
