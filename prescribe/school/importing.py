"""Import a school's files: the official template plus screening sheets joined by 学籍号.

``preview_import(paths, known_ids)`` reads every file, explains every bad cell and line at
once (file, line, header as written, value as typed, reason), joins the vision and
scoliosis sheets to the roster by 学籍号 and lists the IDs that did not join, and says
which students are already known (an idempotent re-import updates them; it never creates
them twice). Nothing is written anywhere: the web app shows the preview, and only on the
user's confirmation stores ``preview.frame``.

What a file holds is told from its headers, not its name: a sheet with template columns
(年级编号, 性别, 出生日期, 身高 …) is a roster (one per class is fine; they are stacked);
a sheet with only 学籍号 plus vision or scoliosis columns is a screening sheet. A roster
may carry vision columns itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..errors import PrescribeError
from ..tabular import header_code, normalise, read_raw
from .problems import Problems, sort_problems
from .roster import validate_roster
from .screenfiles import clean_scoliosis, clean_vision, screening_columns

ROSTER_MARKERS = frozenset({"grade_code", "sex", "birth_date", "height_cm", "weight_kg",
                            "class_code"})
VISION_OUT = ("uncorrected_va_left", "uncorrected_va_right", "va_below_3_left",
              "va_below_3_right", "se_left_d", "se_right_d", "spherical_equivalent_d")


class ImportFileError(PrescribeError):
    """A file cannot be used at all (unreadable, no 学籍号 column, unknown content)."""

    exit_code = 2


@dataclass
class ImportPreview:
    """What an import would store, and everything wrong with it.

    ``frame``: one row per roster line (bad rows included, ``has_error`` set), vocabulary
    columns plus ``source_file``/``source_line``; ``problems``: dicts (see ``problems``);
    ``n_rows``: roster lines read; ``matched_ids`` / ``new_ids``: 学籍号 already known /
    not yet known; ``unmatched_join_ids``: per screening file, the IDs with no roster line.
    """

    frame: pd.DataFrame
    problems: list[dict[str, Any]]
    n_rows: int
    matched_ids: list[str]
    new_ids: list[str]
    unmatched_join_ids: dict[str, list[str]]
    files: list[dict[str, Any]] = field(default_factory=list)

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [p for p in self.problems if p["severity"] == "error"]

    @property
    def warnings(self) -> list[dict[str, Any]]:
        return [p for p in self.problems if p["severity"] == "warning"]

    @property
    def ok(self) -> bool:
        """True when nothing blocks the import (warnings allowed)."""
        return not self.errors

    def summary(self) -> dict[str, Any]:
        return {"n_rows": self.n_rows, "n_rows_with_errors": int(self.frame["has_error"].sum()),
                "n_errors": len(self.errors), "n_warnings": len(self.warnings),
                "n_matched": len(self.matched_ids), "n_new": len(self.new_ids),
                "unmatched_join_ids": {k: len(v) for k, v in self.unmatched_join_ids.items()},
                "files": self.files}


def _read(path: Path) -> pd.DataFrame:
    try:
        return read_raw(path)
    except PrescribeError as exc:
        raise ImportFileError(str(exc)) from exc


def _id_header(raw: pd.DataFrame, path: Path) -> str:
    for h in raw.columns:
        if header_code(h) == "student_id":
            return h
    raise ImportFileError(f"{path.name}: no 学籍号 column; every sheet of an import must be "
                          "keyed by 学籍号")


@dataclass
class _Part:
    name: str
    kind: str
    per_student: pd.DataFrame   # index 学籍号; vision/scoliosis values and source_line


def _screening_part(path: Path, raw: pd.DataFrame, names: dict[str, str], kind: str,
                    out: Problems, id_header: str, seen: dict[str, tuple[str, int]]) -> _Part:
    ids = raw[id_header].astype("string").str.strip().replace("", pd.NA)
    out.source_columns.update({v: k for k, v in names.items()} | {"student_id": id_header})
    for line in raw.index[ids.isna().to_numpy()]:
        out.add(int(line), "student_id", None, "missing student ID (学籍号): row not joined")
    if kind == "vision":
        clean = clean_vision(raw, names, out)
        clean["student_id"] = ids
        clean["source_line"] = clean.index
        clean = clean[ids.notna().to_numpy()]
        again = clean["student_id"].duplicated(keep="first")
        first = clean.groupby("student_id")["source_line"].transform("first")
        for line in clean.index[again.to_numpy()]:
            out.add(int(line), "student_id", clean.at[line, "student_id"],
                    f"second vision record for this student (first on line {first[line]}); "
                    "the first is kept")
        per_student = clean[~again].set_index("student_id")
    else:
        per_student = clean_scoliosis(raw, names, ids, out)
    clash = per_student.index.isin(list(seen))
    for sid in per_student.index[clash]:
        file, line = seen[sid]
        out.add(int(per_student.at[sid, "source_line"]), "student_id", sid,
                f"{kind} data for this student also in {file} line {line}; that one is kept")
    seen.update({sid: (path.name, int(line)) for sid, line in
                 per_student.loc[~clash, "source_line"].items()})
    return _Part(path.name, kind, per_student[~clash].drop(columns="source_line"))


def _join(roster: pd.DataFrame | None, parts: list[_Part]) -> tuple[pd.DataFrame, dict]:
    """Left-join each kind of screening data to the roster by 学籍号 (outer without one)."""
    by_kind: dict[str, pd.DataFrame] = {}
    for kind in ("vision", "scoliosis"):
        frames = [p.per_student for p in parts if p.kind == kind]
        if frames:
            by_kind[kind] = pd.concat(frames)
    if roster is None:
        joined = pd.concat(list(by_kind.values()), axis=1) if by_kind else pd.DataFrame()
        joined = joined.rename_axis("student_id").reset_index()
        joined["has_error"] = False
        return joined, {}
    known = set(roster["student_id"].dropna())
    unmatched = {p.name: sorted(set(p.per_student.index) - known) for p in parts}
    joined = roster
    for extra in by_kind.values():
        joined = joined.merge(extra, left_on="student_id", right_index=True, how="left")
    return joined, unmatched


def preview_import(paths: Sequence[str | Path] | str | Path,
                   known_ids: Iterable[str] = (), *,
                   test_date: dt.date | None = None) -> ImportPreview:
    """Read, check and join a school's files without storing anything (see module doc).

    ``test_date`` is the day of testing (ages for the birth-date check and WS/T 586); a
    ``测试日期`` column, where present, wins. Default: today.
    """
    paths = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
    if not paths:
        raise ImportFileError("no files to import")
    test_date = test_date or dt.date.today()
    problems: list[dict[str, Any]] = []
    rosters: list[pd.DataFrame] = []
    parts: list[_Part] = []
    files: list[dict[str, Any]] = []
    seen_roster: dict[str, tuple[str, int]] = {}
    seen_parts: dict[str, dict[str, tuple[str, int]]] = {"vision": {}, "scoliosis": {}}
    for path in paths:
        raw = _read(path)
        id_header = _id_header(raw, path)
        vision, spine = screening_columns(list(raw.columns))
        rest = [h for h in raw.columns if h not in vision and h not in spine]
        is_roster = any(header_code(h) in ROSTER_MARKERS for h in rest)
        out = Problems(path.name, raw)
        kinds = []
        if is_roster:
            kinds.append("roster")
            part = raw[rest]
            part.attrs = dict(raw.attrs)
            frame = normalise(part)
            out.source_columns.update(frame.attrs["source_columns"])
            for header, hint in frame.attrs.get("unrecognised", {}).items():
                out.add(None, header, None, "column not in the template: ignored" +
                        (f" (did you mean {hint}?)" if hint else ""), severity="warning")
            clean = validate_roster(frame, part, out, seen=seen_roster, test_date=test_date)
            clean["source_file"] = path.name
            clean["source_line"] = clean.index.to_numpy()
            rosters.append(clean.reset_index(drop=True))
        for kind, names in (("vision", vision), ("scoliosis", spine)):
            if names:
                kinds.append(kind)
                parts.append(_screening_part(path, raw, names, kind, out, id_header,
                                             seen_parts[kind]))
        if not kinds:
            raise ImportFileError(f"{path.name}: neither the student template nor a vision "
                                  "or scoliosis screening sheet (headers: "
                                  f"{', '.join(map(str, raw.columns))})")
        problems += out.items
        files.append({"file": path.name, "kinds": kinds, "n_rows": len(raw)})
    roster = pd.concat(rosters, ignore_index=True) if rosters else None
    frame, unmatched = _join(roster, parts)
    ids = frame["student_id"].dropna().drop_duplicates() if len(frame) else pd.Series([])
    known = set(map(str, known_ids))
    return ImportPreview(
        frame=frame, problems=sort_problems(problems, [p.name for p in paths]),
        n_rows=len(roster) if roster is not None else len(frame),
        matched_ids=sorted(i for i in ids if i in known),
        new_ids=sorted(i for i in ids if i not in known),
        unmatched_join_ids=unmatched, files=files)
