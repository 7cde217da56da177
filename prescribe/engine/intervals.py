"""Interval algebra on the real line, exact (Fractions), with open and closed ends, and the
points of a recording grid inside an interval.

The linter needs to know whether a band table leaves a value uncovered *at the precision the
value is recorded with*: ``≤ 17.8`` and ``≥ 17.9`` tile BMI recorded to 0.1, but leave
17.81–17.89 uncovered at 0.01 and the open interval (17.8, 17.9) for an unrounded value.
Decimal constants are read exactly (``Fraction("17.8")``), so no float noise creates a gap.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

INF = math.inf


def exact(x: float | int | Fraction) -> Fraction | float:
    if isinstance(x, Fraction) or x in (INF, -INF):
        return x
    return Fraction(repr(x)) if isinstance(x, float) else Fraction(x)


@dataclass(frozen=True)
class Interval:
    lo: Fraction | float
    hi: Fraction | float
    lo_closed: bool = True
    hi_closed: bool = True

    def empty(self) -> bool:
        return self.lo > self.hi or (self.lo == self.hi and not (self.lo_closed and self.hi_closed))


class IntervalSet:
    """A finite union of disjoint, sorted intervals."""

    def __init__(self, parts: list[Interval] | None = None):
        self.parts = _normalise(parts or [])

    @classmethod
    def full(cls) -> IntervalSet:
        return cls([Interval(-INF, INF, False, False)])

    @classmethod
    def of(cls, lo, hi, lo_closed=True, hi_closed=True) -> IntervalSet:
        return cls([Interval(exact(lo), exact(hi), lo_closed, hi_closed)])

    @classmethod
    def point(cls, x) -> IntervalSet:
        return cls.of(x, x)

    def __bool__(self) -> bool:
        return bool(self.parts)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IntervalSet) and self.parts == other.parts

    def __repr__(self) -> str:
        return " ∪ ".join(_show(p) for p in self.parts) or "∅"

    def union(self, other: IntervalSet) -> IntervalSet:
        return IntervalSet(self.parts + other.parts)

    def intersect(self, other: IntervalSet) -> IntervalSet:
        out = []
        for a in self.parts:
            for b in other.parts:
                lo, lo_c = max((a.lo, not a.lo_closed), (b.lo, not b.lo_closed))
                hi, hi_c = min((a.hi, a.hi_closed), (b.hi, b.hi_closed))
                part = Interval(lo, hi, not lo_c, hi_c)
                if not part.empty():
                    out.append(part)
        return IntervalSet(out)

    def complement(self) -> IntervalSet:
        out, lo, lo_closed = [], -INF, False
        for p in self.parts:
            gap = Interval(lo, p.lo, lo_closed, not p.lo_closed)
            if not gap.empty():
                out.append(gap)
            lo, lo_closed = p.hi, not p.hi_closed
        tail = Interval(lo, INF, lo_closed, False)
        if not tail.empty():
            out.append(tail)
        return IntervalSet(out)

    def minus(self, other: IntervalSet) -> IntervalSet:
        return self.intersect(other.complement())


def _normalise(parts: list[Interval]) -> list[Interval]:
    parts = sorted((p for p in parts if not p.empty()), key=lambda p: (p.lo, not p.lo_closed))
    out: list[Interval] = []
    for p in parts:
        if out:
            last = out[-1]
            touches = p.lo < last.hi or (p.lo == last.hi and (p.lo_closed or last.hi_closed))
            if touches:
                hi, hi_c = max((last.hi, last.hi_closed), (p.hi, p.hi_closed))
                out[-1] = Interval(last.lo, hi, last.lo_closed, hi_c)
                continue
        out.append(p)
    return out


def _show(p: Interval) -> str:
    lo = "−∞" if p.lo == -INF else fmt(p.lo)
    hi = "∞" if p.hi == INF else fmt(p.hi)
    if p.lo == p.hi:
        return lo
    return f"{'[' if p.lo_closed else '('}{lo}, {hi}{']' if p.hi_closed else ')'}"


def fmt(x: Fraction | float, resolution: float | None = None) -> str:
    if resolution is not None:
        places = max(0, -Decimal(repr(float(resolution))).normalize().as_tuple().exponent)
        return f"{float(x):.{places}f}"
    if isinstance(x, Fraction) and x.denominator == 1:
        return str(x.numerator)
    return f"{float(x):g}"


def grid_points(p: Interval, resolution: float) -> tuple[int, int] | None:
    """(first, last) grid index k (value k × resolution) inside ``p``, or None if none."""
    r = exact(resolution)
    if p.lo == -INF or p.hi == INF:  # pragma: no cover - callers clip to the fact's range
        raise ValueError("clip to a finite range first")
    k_lo = math.ceil(p.lo / r)
    if not p.lo_closed and k_lo * r == p.lo:
        k_lo += 1
    k_hi = math.floor(p.hi / r)
    if not p.hi_closed and k_hi * r == p.hi:
        k_hi -= 1
    return (k_lo, k_hi) if k_lo <= k_hi else None


def has_points(s: IntervalSet, resolution: float | None) -> bool:
    """Does ``s`` contain a value that can be recorded (any real value if no resolution)?"""
    if resolution is None:
        return bool(s)
    return any(grid_points(p, resolution) for p in s.parts)


def describe(s: IntervalSet, resolution: float | None) -> list[str]:
    """Human-readable pieces of ``s`` as recorded values: '160–161', '17.8', '(17.8, 17.9) e.g. 17.85'."""
    out = []
    for p in s.parts:
        if resolution is None:
            mid = (p.lo + p.hi) / 2
            out.append(_show(p) + ("" if p.lo == p.hi else f", e.g. {fmt(mid)}"))
            continue
        pts = grid_points(p, resolution)
        if pts is None:
            continue
        a, b = (fmt(k * exact(resolution), resolution) for k in pts)
        out.append(a if a == b else f"[{a}, {b}]")
    return out
