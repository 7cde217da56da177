"""Columnar facts for the batch path, and the one conversion back to a facts ``dict``.

Numbers, counts and booleans are float64 arrays with NaN for "missing" (booleans as
1.0/0.0); enums, lists, texts and dates are dictionary-coded (``codes`` with -1 for
missing, plus the distinct ``levels``), so a leaf on them is decided once per distinct value.
:meth:`FactFrame.row` turns one row back into exactly the ``dict`` the single-record path
builds, which is how both paths are proven to see the same facts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

NUMERIC_STORAGE = ("number", "count", "bool")


@dataclass
class NumCol:
    values: np.ndarray  # float64; NaN = missing

    def take(self, idx: np.ndarray) -> NumCol:
        return NumCol(self.values[idx])


@dataclass
class CatCol:
    codes: np.ndarray  # intp; -1 = missing
    levels: list

    def take(self, idx: np.ndarray) -> CatCol:
        return CatCol(self.codes[idx], self.levels)

    @classmethod
    def from_values(cls, values: Sequence[Any] | np.ndarray) -> CatCol:
        """Dictionary-code a sequence of hashable values (``None`` = missing)."""
        arr = np.empty(len(values), dtype=object)
        arr[:] = list(values) if not isinstance(values, np.ndarray) else values
        codes, uniques = pd.factorize(arr, use_na_sentinel=True)
        return cls(codes.astype(np.intp, copy=False), list(uniques))

    @classmethod
    def from_codes(cls, codes: np.ndarray, levels: Sequence[Any]) -> CatCol:
        """``codes`` into ``levels`` (-1 or a ``None`` level = missing), laid out exactly as
        :meth:`from_values` lays out the decoded values: each distinct level once, in order
        of first appearance. Vectorised (one factorise of the integer codes)."""
        col = cls(np.asarray(codes, dtype=np.intp), list(levels)).compact()
        seen, uniques = pd.factorize(col.codes)
        used = uniques >= 0
        renumber = np.full(len(uniques), -1, dtype=np.intp)
        renumber[used] = np.arange(int(used.sum()))
        return cls(renumber[seen], [col.levels[u] for u in uniques[used].tolist()])

    def compact(self) -> CatCol:
        """The same column with each distinct level once (parsing can map "男" and "M" alike)."""
        index: dict = {}
        remap = np.array([-1 if lv is None else index.setdefault(lv, len(index)) for lv in self.levels]
                         + [-1], dtype=np.intp)
        if len(index) == len(self.levels):
            return self
        return CatCol(remap[self.codes], list(index))

    def decoded(self) -> list:
        """One value per row (``None`` where missing)."""
        table = np.empty(len(self.levels) + 1, dtype=object)
        table[:-1] = self.levels if self.levels else []
        table[-1] = None
        return table[self.codes].tolist()


Column = NumCol | CatCol


def empty_column(kind: str, n: int) -> Column:
    if kind in NUMERIC_STORAGE:
        return NumCol(np.full(n, np.nan))
    return CatCol(np.full(n, -1, dtype=np.intp), [])


def column_from_values(kind: str, values: Sequence[Any]) -> Column:
    """Build a column from python values (``None`` = missing)."""
    if kind in NUMERIC_STORAGE:
        return NumCol(np.array([np.nan if v is None else float(v) for v in values], dtype=float))
    return CatCol.from_values(values)


class FactFrame:
    """Facts for ``n`` rows as columns; a fact without a column is missing everywhere."""

    def __init__(self, n: int, columns: Mapping[str, Column], kinds: Mapping[str, str]):
        self.n = n
        self.columns: dict[str, Column] = dict(columns)
        self.kinds = kinds

    def __contains__(self, name: str) -> bool:
        return name in self.columns

    def get(self, name: str) -> Column:
        col = self.columns.get(name)
        if col is None:
            col = empty_column(self.kinds[name], self.n)
            self.columns[name] = col
        return col

    def num(self, name: str) -> np.ndarray:
        col = self.get(name)
        if not isinstance(col, NumCol):  # pragma: no cover - a registry/kind mismatch is a bug
            raise TypeError(f"fact {name} is not numeric")
        return col.values

    def set(self, name: str, col: Column) -> None:
        self.columns[name] = col

    @classmethod
    def from_records(cls, records: Sequence[Mapping[str, Any]], kinds: Mapping[str, str]) -> FactFrame:
        names: dict[str, None] = {}
        for rec in records:
            names.update(dict.fromkeys(k for k in rec if k in kinds))
        cols = {name: column_from_values(kinds[name], [rec.get(name) for rec in records])
                for name in names}
        return cls(len(records), cols, kinds)

    def row(self, i: int, names: Iterable[str] | None = None) -> dict[str, Any]:
        """Row ``i`` as the facts dict of the single-record path (missing facts left out)."""
        out: dict[str, Any] = {}
        for name in self.columns if names is None else names:
            col = self.columns.get(name)
            if col is None:
                continue
            value = python_value(self.kinds[name], col, i)
            if value is not None:
                out[name] = value
        return out

    def rows(self) -> list[dict[str, Any]]:
        """All rows as dicts; converts column by column, then zips (no per-cell numpy calls)."""
        per_col = []
        for name, col in self.columns.items():
            kind = self.kinds[name]
            if isinstance(col, NumCol):
                vals = col.values.tolist()
                if kind == "bool":
                    vals = [None if v != v else v == 1.0 for v in vals]
                elif kind == "count":
                    vals = [None if v != v else int(v) for v in vals]
                else:
                    vals = [None if v != v else v for v in vals]
            else:
                vals = col.decoded()
            per_col.append((name, vals))
        out = [{} for _ in range(self.n)]
        for name, vals in per_col:
            for d, v in zip(out, vals, strict=True):
                if v is not None:
                    d[name] = v
        return out


def fact_series(ff: FactFrame, name: str, rows: np.ndarray | None = None) -> pd.Series:
    """A fact (optionally only ``rows``) as a Series for the pandas-based standards code.

    Coded facts whose levels are all text stay categorical, so a ``Series.map`` there runs
    once per distinct value; other coded facts are decoded to objects.
    """
    col = ff.get(name)
    if rows is not None:
        col = col.take(rows)
    if isinstance(col, NumCol):
        return pd.Series(col.values)
    col = col.compact()
    if all(isinstance(v, str) for v in col.levels):
        return pd.Series(pd.Categorical.from_codes(col.codes, categories=col.levels))
    return pd.Series(col.decoded(), dtype=object)


def python_value(kind: str, col: Column, i: int) -> Any:
    """One cell as the python value the single path uses (``None`` when missing)."""
    if isinstance(col, NumCol):
        v = float(col.values[i])
        if v != v:
            return None
        if kind == "bool":
            return v == 1.0
        if kind == "count":
            return int(v)
        return v
    code = int(col.codes[i])
    return None if code < 0 else col.levels[code]
