"""Write results back into the official upload template (国家学生体质健康标准数据上报模板).

Teachers abandon any tool that makes them re-key data into the Ministry's template, so
the export reproduces it: the template's Chinese headers in the template's column order
(``prescribe.tabular.TEMPLATE_HEADERS``), and every cell as text, formatted as the
template expects:

* 学籍号, 年级编号, 班级编号, 民族代码 as text: leading zeros survive Excel.
* 性别 as 1 (male) / 2 (female).
* 出生日期 as YYYY-MM-DD.
* 身高, 体重, 坐位体前屈 with one decimal; 肺活量, 立定跳远 and the counts as whole numbers.
* 50米跑 in seconds with one decimal.
* 800米跑, 1000米跑 and 50米×8往返跑 as m'ss" (4'05"), the way the template and the test
  sheets write them. Timed results are rounded **up** to the template's resolution
  (0.1 s for 50 m, whole seconds for the others): the testing rules round a stopwatch
  reading up ("非零进一"), so an export never makes a child faster than measured.
* a missing result is an empty cell, never 0.

``include_scores=True`` appends BMI, 总分 and 等级 after the template columns for the
school's own records (delete them before uploading: the upload checks the layout).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..tabular import TEMPLATE_HEADERS, write_table

MSS_ITEMS = ("run_800m_s", "run_1000m_s", "shuttle_run_50mx8_s")
ONE_DECIMAL = ("height_cm", "weight_kg", "sit_and_reach_cm")
TENTH_SECONDS = ("run_50m_s",)
WHOLE = ("vital_capacity_ml", "standing_long_jump_cm", "rope_skip_1min_count",
         "sit_up_1min_count", "pull_up_count")
TEXT = ("student_id", "grade_code", "class_code", "class_name", "ethnicity_code", "name",
        "address")
SEX_CODE = {"M": "1", "F": "2", "男": "1", "女": "2", "1": "1", "2": "2"}
GRADE_ZH = {"excellent": "优秀", "good": "良好", "pass": "及格", "fail": "不及格"}
EPS = 1e-9  # 9.3 * 10 is 93.00000000000001 in binary: never round that up to 9.4


def _blank(values: np.ndarray, text: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(values), "", text)


def _num(frame: pd.DataFrame, name: str) -> np.ndarray:
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def format_mss(seconds: np.ndarray) -> np.ndarray:
    """Seconds → m'ss\" (rounded up to a whole second); empty where missing."""
    whole = np.ceil(np.nan_to_num(seconds) - EPS).astype(np.int64)
    minutes = (whole // 60).astype(str)
    secs = np.char.zfill((whole % 60).astype(str), 2)
    return _blank(seconds, np.char.add(np.char.add(np.char.add(minutes, "'"), secs), '"'))


def _one_decimal(values: np.ndarray, *, up: bool = False) -> np.ndarray:
    tenths = np.ceil(np.nan_to_num(values) * 10 - EPS) if up else np.round(
        np.nan_to_num(values) * 10)
    text = np.char.mod("%.1f", tenths / 10)
    return _blank(values, text)


def _text(frame: pd.DataFrame, name: str) -> np.ndarray:
    col = frame[name].astype("string").str.strip().str.replace(r"\.0$", "", regex=True)
    return col.fillna("").to_numpy(dtype=object)


def _dates(values: pd.Series) -> np.ndarray:
    parsed = pd.to_datetime(values.astype("string").str.replace(r"^(\d{4})(\d{2})(\d{2})$",
                                                                r"\1-\2-\3", regex=True),
                            errors="coerce", format="ISO8601")
    return parsed.dt.strftime("%Y-%m-%d").fillna("").to_numpy(dtype=object)


def to_official_template(frame: pd.DataFrame, *, include_scores: bool = False) -> pd.DataFrame:
    """The official template as a text-only frame (see module docstring for formats).

    ``frame`` uses vocabulary columns (an import preview or a screened frame); columns it
    lacks are exported empty so the layout is always the template's.
    """
    out: dict[str, np.ndarray] = {}
    n = len(frame)
    for header, code in TEMPLATE_HEADERS.items():
        if code not in frame.columns:
            out[header] = np.full(n, "", dtype=object)
        elif code == "sex":
            out[header] = _text(frame, code)
            out[header] = pd.Series(out[header]).map(SEX_CODE).fillna("").to_numpy(object)
        elif code == "birth_date":
            out[header] = _dates(frame[code])
        elif code in MSS_ITEMS:
            out[header] = format_mss(_num(frame, code))
        elif code in ONE_DECIMAL or code in TENTH_SECONDS:
            out[header] = _one_decimal(_num(frame, code), up=code in TENTH_SECONDS)
        elif code in WHOLE:
            values = _num(frame, code)
            out[header] = _blank(values, np.round(np.nan_to_num(values)).astype(np.int64)
                                 .astype(str))
        else:
            out[header] = _text(frame, code)
    if include_scores:
        if "bmi" in frame.columns:
            out["BMI"] = _one_decimal(_num(frame, "bmi"))
        if "total_score" in frame.columns:
            out["总分"] = _one_decimal(_num(frame, "total_score"))
        if "grade" in frame.columns:
            out["等级"] = frame["grade"].astype("string").map(GRADE_ZH).fillna("").to_numpy(
                object)
    return pd.DataFrame(out, index=frame.index).astype("string")


def export_official(frame: pd.DataFrame, path: str | Path, *,
                    include_scores: bool = False) -> Path:
    """Write :func:`to_official_template` to ``.xlsx`` (cells as text) or ``.csv`` (UTF-8
    with BOM, so Excel shows the Chinese headers)."""
    path = Path(path)
    table = to_official_template(frame, include_scores=include_scores)
    if path.suffix.lower() == ".xlsx":
        _write_xlsx_text(table, path)
    else:
        write_table(table, path)
    return path


def _write_xlsx_text(table: pd.DataFrame, path: Path) -> None:
    """Every cell stored as a string and formatted as Text (@), as the template is."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(list(table.columns))
    for row in table.fillna("").itertuples(index=False):
        sheet.append([v if v != "" else None for v in row])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.number_format = "@"
    book.save(path)
