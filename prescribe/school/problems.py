"""One list of import problems, each located the way a teacher looks for it in Excel.

A problem is a plain dict (JSON-ready for the upload preview page)::

    {"file": "初二3班.xlsx", "row": 59, "column": "身高", "field": "height_cm",
     "value": "17.0", "reason": "impossible value", "allowed": "50–230 cm",
     "severity": "error"}

``row`` is the line in the file (header = line 1 unless a title sits above it; ``None``
for a whole-file problem), ``column`` the header exactly as written in that file, and
``value`` the cell's text as typed (not the parsed number), so the message can be checked
against the sheet without guessing. ``severity`` is ``error`` (the row cannot be scored or
uploaded as is) or ``warning`` (understood, but worth correcting at the source).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..errors import InputProblem


@dataclass
class Problems:
    """Collects the problems of one file; ``raw`` supplies the cell text as typed."""

    file: str
    raw: pd.DataFrame
    source_columns: dict[str, str] = field(default_factory=dict)
    items: list[dict[str, Any]] = field(default_factory=list)

    def header(self, name: str) -> str:
        return self.source_columns.get(name, name)

    def _text(self, row: int | None, name: str, value: Any) -> str | None:
        header = self.header(name)
        if row is not None and header in self.raw.columns and row in self.raw.index:
            cell = self.raw.at[row, header]
            return None if pd.isna(cell) else str(cell)
        if value is None or (isinstance(value, float) and pd.isna(value)):
            return None
        return str(value)

    def add(self, row: int | None, name: str, value: Any, reason: str, *,
            severity: str = "error", allowed: str | None = None) -> None:
        self.items.append({"file": self.file, "row": row, "column": self.header(name),
                           "field": name, "value": self._text(row, name, value),
                           "reason": reason, "allowed": allowed, "severity": severity})

    def extend_input_problems(self, problems: Iterable[InputProblem]) -> None:
        for p in problems:
            self.add(p.row, p.field, p.value, p.message, severity=p.severity,
                     allowed=p.allowed)

    def error_lines(self) -> set[int]:
        return {p["row"] for p in self.items if p["severity"] == "error" and p["row"]}


def sort_problems(items: list[dict[str, Any]], file_order: list[str]) -> list[dict[str, Any]]:
    """File by file in the order given, then by line; whole-file problems first."""
    rank = {name: i for i, name in enumerate(file_order)}
    return sorted(items, key=lambda p: (rank.get(p["file"], len(rank)),
                                        -1 if p["row"] is None else p["row"]))
