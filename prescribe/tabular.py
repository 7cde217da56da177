"""Reading and writing tables of test results: CSV, XLSX and legacy XLS.

Schools upload the Ministry of Education's template (Chinese headers, 学籍号 with leading
zeros, endurance runs written as 3'40"); stations keep their own sheets. This module turns
either into a frame keyed by vocabulary codes, without losing what is needed to report a
problem where the user will look for it:

* every cell is read as text first, so ID columns (学籍号, student_id, person_id …) keep
  their leading zeros and nothing is guessed from Excel's number formats;
* the frame's index is the 1-based line (CSV) or row (Excel) number in the file, named
  ``line``; blank rows are dropped without renumbering the others;
* ``frame.attrs["source_columns"]`` maps each code back to the header as written, and
  ``attrs["first_line"]`` / ``attrs["header_line"]`` say where the data starts;
* a value that cannot be converted is kept as its original text (the column then has
  ``object`` dtype) so that validation can name the cell and quote it, never silently
  turning a typo into "not tested".

CSV is read as UTF-8 (with or without BOM) or, failing that, GB18030 (what Excel on a
Chinese Windows PC saves). ``write_table`` writes CSV as UTF-8 *with* BOM so that Excel
opens Chinese text correctly.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import unicodedata
from collections.abc import Iterable
from difflib import get_close_matches
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import InputProblem, PrescribeError
from .vocabulary import BY_NAME, NUMERIC_KINDS, VARIABLES

TEMPLATE_HEADERS: dict[str, str] = {
    "年级编号": "grade_code", "班级编号": "class_code", "班级名称": "class_name",
    "学籍号": "student_id", "民族代码": "ethnicity_code", "姓名": "name", "性别": "sex",
    "出生日期": "birth_date", "家庭住址": "address", "身高": "height_cm", "体重": "weight_kg",
    "肺活量": "vital_capacity_ml", "50米跑": "run_50m_s", "坐位体前屈": "sit_and_reach_cm",
    "一分钟跳绳": "rope_skip_1min_count", "一分钟仰卧起坐": "sit_up_1min_count",
    "50米×8往返跑": "shuttle_run_50mx8_s", "立定跳远": "standing_long_jump_cm",
    "引体向上": "pull_up_count", "800米跑": "run_800m_s", "1000米跑": "run_1000m_s",
}
"""The official student template's headers (国家学生体质健康标准数据上报模板), in template
order, mapped to vocabulary codes; also used to export back into the template."""

EXTRA_HEADERS: dict[str, str] = {
    "学号": "student_id", "编号": "person_id", "档案号": "person_id", "年龄": "age_years",
    "测试日期": "test_date", "检测日期": "test_date", "年级": "grade_code",
}
DEFAULT_ID_COLUMNS: tuple[str, ...] = (
    "学籍号", "学号", "编号", "档案号", "student_id", "person_id", "年级编号", "班级编号",
    "民族代码", "grade_code", "class_code", "ethnicity_code")
MISSING_MARKERS = frozenset({"", "-", "—", "/", "缺测", "缺考", "免测", "免考", "未测"})
"""Cell texts that mean "not tested": the item is missing, not invalid."""

_HOURS = r"(?:(?P<h>\d{1,2})\s*[:：]\s*(?=\d{1,2}\s*[:：]))?"
_MINUTES = r"(?:(?P<m>\d{1,3})\s*(?:'|’|‘|′|＇|[:：]|分钟?)\s*)?"
_SECONDS = r"(?P<s>\d+(?:\.\d+)?)\s*(?:\"|”|“|″|＂|''|’’|′′|秒|s)?"
TIME_PATTERN = re.compile(rf"^\s*{_HOURS}{_MINUTES}{_SECONDS}\s*$")
"""m'ss" in its spellings (3'40", 3′40″, 3’40”, 3:40, 3分40秒, 1'45), h:mm:ss, plain seconds."""


class TableError(PrescribeError):
    """A file cannot be read as a table of results (missing, wrong type, no header)."""

    exit_code = 2


def _norm_header(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text)).strip().replace(" ", "")
    text = re.sub(r"\((?:[^()]*)\)$", "", text)  # trailing unit: 身高(cm), 800米跑(分.秒)
    text = re.sub(r"米[xX*]8", "米×8", text)
    return re.sub(r"^1分钟", "一分钟", text)


def _header_codes() -> dict[str, str]:
    known = {v.name.lower(): v.name for v in VARIABLES}
    known.update({"student_id": "student_id", "person_id": "person_id", "name": "name"})
    for var in VARIABLES:
        known.setdefault(_norm_header(var.label_zh), var.name)
    for mapping in (EXTRA_HEADERS, TEMPLATE_HEADERS):
        known.update({_norm_header(h): code for h, code in mapping.items()})
    return known


HEADER_CODES = _header_codes()


def header_code(header: str) -> str | None:
    """The vocabulary code a header stands for (template, Chinese label or code), or None."""
    return HEADER_CODES.get(_norm_header(header)) or HEADER_CODES.get(str(header).strip().lower())


def parse_min_sec(series: pd.Series) -> pd.Series:
    """Times in seconds: 3'40" → 220.0, 1'45 → 105.0, 3:40.5 → 220.5, "58" → 58.0.

    Vectorised; a value that is not a time gives NaN (``3'75"`` too: seconds must be < 60
    when minutes are given). A plain number is seconds: ``3.40`` is 3.4 s, never 3'40".
    """
    numbers = pd.to_numeric(series, errors="coerce").astype(float)
    rest = series.notna() & numbers.isna()
    if rest.any():
        parts = series[rest].astype(str).str.extract(TIME_PATTERN)
        h, m, s = (parts[g].astype(float) for g in ("h", "m", "s"))
        seconds = h.fillna(0) * 3600 + m.fillna(0) * 60 + s
        ok = (s.lt(60) | m.isna()) & (m.lt(60) | h.isna())
        numbers[rest] = seconds.where(ok)
    return numbers


def parse_time(value: object) -> float | None:
    """Scalar twin of :func:`parse_min_sec` (same arithmetic, same result)."""
    try:
        return float(str(value).strip())
    except ValueError:
        pass
    match = TIME_PATTERN.match(str(value))
    if not match:
        return None
    h, m, s = (float(match[g]) if match[g] is not None else None for g in ("h", "m", "s"))
    if (m is not None and s >= 60) or (h is not None and m is not None and m >= 60):
        return None
    return (h or 0.0) * 3600 + (m or 0.0) * 60 + s


def read_raw(path: str | Path) -> pd.DataFrame:
    """Every cell as stripped text (NaN = blank or a "not tested" marker), original headers.

    The index is the file line; ``attrs["header_line"]`` and ``attrs["first_line"]`` are set.
    """
    path = Path(path)
    grid = _read_grid(path)
    header_at = _find_header(grid, path)
    headers = [str(h).strip() if isinstance(h, str) and h.strip() else f"column{j + 1}"
               for j, h in enumerate(grid.iloc[header_at])]
    dupes = sorted({h for h in headers if headers.count(h) > 1})
    if dupes:
        raise TableError(f"{path.name}: duplicate column header(s) {', '.join(dupes)}")
    data = grid.iloc[header_at + 1:].copy()
    data.columns = headers
    data = data.apply(lambda col: col.astype(str).str.strip())
    data = data.where(~data.isin(MISSING_MARKERS))
    data.index = pd.Index(np.arange(len(data)) + header_at + 2, name="line")
    data = data.dropna(how="all")
    empty = [h for h in headers if h.startswith("column") and data[h].isna().all()]
    data = data.drop(columns=empty)
    data.attrs.update(source=path.name, header_line=header_at + 1, first_line=header_at + 2)
    return data


def _read_grid(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise TableError(f"no such file: {path}")
    ext = path.suffix.lower()
    opts = dict(header=None, dtype=str)
    if ext in (".csv", ".txt"):
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:  # pragma: no cover - gb18030 decodes every byte sequence
            raise TableError(f"{path.name}: not UTF-8 or GB18030 text")
        try:
            return pd.read_csv(io.StringIO(text), keep_default_na=False,
                               skip_blank_lines=False, **opts)
        except pd.errors.ParserError:  # ragged rows, e.g. a one-cell title line above the header
            rows = list(csv.reader(io.StringIO(text)))
            width = max(len(r) for r in rows)
            return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=str)
        except pd.errors.EmptyDataError:
            raise TableError(f"{path.name}: the file is empty") from None
    if ext not in (".xlsx", ".xlsm", ".xls"):
        raise TableError(f"{path.name}: unsupported file type {ext or '(none)'}; "
                         "use .csv, .xlsx or .xls")
    try:
        if ext == ".xls":
            return _read_xls(path)
        return pd.read_excel(path, engine="openpyxl", **opts)
    except Exception as exc:  # openpyxl/xlrd raise many types for a damaged file
        raise TableError(f"{path.name}: cannot be read as {ext} ({exc})") from exc


def _read_xls(path: Path) -> pd.DataFrame:
    """Legacy .xls through xlrd directly (pandas deprecates its xlrd engine), as text."""
    import xlrd

    book = xlrd.open_workbook(str(path))
    sheet = book.sheet_by_index(0)

    def text(cell: xlrd.sheet.Cell) -> str | None:
        if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
            return None
        if cell.ctype == xlrd.XL_CELL_NUMBER:
            return str(int(cell.value)) if float(cell.value).is_integer() else repr(cell.value)
        if cell.ctype == xlrd.XL_CELL_DATE:
            return xlrd.xldate_as_datetime(cell.value, book.datemode).isoformat(sep=" ")
        return str(cell.value)

    rows = [[text(c) for c in sheet.row(i)] for i in range(sheet.nrows)]
    return pd.DataFrame(rows, dtype=object)


def _find_header(grid: pd.DataFrame, path: Path) -> int:
    for i in range(min(20, len(grid))):
        if sum(header_code(c) is not None for c in grid.iloc[i] if isinstance(c, str)) >= 2:
            return i
    raise TableError(f"{path.name}: no header row found in the first 20 lines; expected "
                     "headers such as 学籍号, 性别, 身高 or student_id, sex, height_cm")


def normalise(raw: pd.DataFrame, *, id_columns: Iterable[str] = DEFAULT_ID_COLUMNS
              ) -> pd.DataFrame:
    """Rename headers to codes and convert numbers and m'ss" times (keeping bad text).

    Columns named in ``id_columns`` (by header as written or by code) are never converted:
    they stay text with their leading zeros.
    """
    keep_text = set(id_columns)
    mapping = {h: header_code(h) or h for h in raw.columns}
    codes = list(mapping.values())
    clash = sorted({c for c in codes if codes.count(c) > 1})
    if clash:
        pairs = "; ".join(f"{c}: " + ", ".join(h for h, k in mapping.items() if k == c)
                          for c in clash)
        raise TableError(f"{raw.attrs.get('source', 'table')}: several columns mean the "
                         f"same thing ({pairs})")
    frame = raw.rename(columns=mapping)
    written = {code: header for header, code in mapping.items()}
    for code in frame.columns:
        var = BY_NAME.get(code)
        if var is None or var.kind not in NUMERIC_KINDS or keep_text & {code, written[code]}:
            continue
        col = frame[code]
        parsed = parse_min_sec(col) if code.endswith("_s") else pd.to_numeric(
            col, errors="coerce").astype(float)
        bad = col.notna() & parsed.isna()
        frame[code] = parsed.astype(object).where(~bad, col) if bad.any() else parsed
    frame.attrs = dict(raw.attrs)
    frame.attrs["source_columns"] = {mapping[h]: h for h in raw.columns}
    frame.attrs["unrecognised"] = {h: (get_close_matches(_norm_header(h), list(HEADER_CODES),
                                                         n=1) or [None])[0]
                                   for h in raw.columns if mapping[h] == h
                                   and header_code(h) is None}
    return frame


def read_table(path: str | Path, *, id_columns: Iterable[str] = DEFAULT_ID_COLUMNS
               ) -> pd.DataFrame:
    """Read CSV/XLSX/XLS into a frame keyed by vocabulary codes (see the module docstring)."""
    return normalise(read_raw(path), id_columns=id_columns)


def write_table(frame: pd.DataFrame, path: str | Path) -> None:
    """Write CSV (UTF-8 with BOM, for Excel) or XLSX by extension; the index is not written."""
    path = Path(path)
    ext = path.suffix.lower()
    if ext == ".csv":
        frame.to_csv(path, index=False, encoding="utf-8-sig")
    elif ext == ".xlsx":
        frame.to_excel(path, index=False, engine="openpyxl")
    else:
        raise TableError(f"{path.name}: cannot write {ext or '(none)'}; use .csv or .xlsx")


def with_raw_values(problems: Iterable[InputProblem], raw: pd.DataFrame,
                    source_columns: dict[str, str]) -> list[InputProblem]:
    """Quote each problem's cell exactly as written in the file (from :func:`read_raw`)."""
    out = []
    for p in problems:
        header = source_columns.get(p.field)
        if p.row is not None and header in raw.columns and p.row in raw.index:
            text = raw.at[p.row, header]
            p = dataclasses.replace(p, value=None if pd.isna(text) else text)
        out.append(p)
    return out


def problem_table(problems: Iterable[InputProblem], source_columns: dict[str, str] | None = None
                  ) -> pd.DataFrame:
    """Problems as a table (line, column as written in the file, field code, value, problem)."""
    names = source_columns or {}
    rows = [(p.row, names.get(p.field, p.field), p.field, "" if p.value is None else str(p.value),
             p.message, p.allowed or "", p.severity) for p in problems]
    return pd.DataFrame(rows, columns=["line", "column", "field", "value", "problem", "allowed",
                                       "severity"])
