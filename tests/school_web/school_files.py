"""The files a school doctor uploads, built from the school package's own fixture generator
(tests/school/fixtures/make_fixtures.py: a synthetic 1,200-student nine-year school in the
official template's layout, with vision and scoliometer sheets).

* ``bad_csv``: the roster as delivered, with 15 bad rows: the generator's 12 planted
  errors, its duplicated 学籍号 and its pasted duplicate row, plus one row without a name
  (a problem only the station's records have: a patient needs a name);
* ``fixed_csv``: the same sheet after the teacher's corrections;
* ``next_year_csv``: the same children one year later (grade code + 1, new test date,
  some results changed), and no graduates (grade 23 leaves);
* ``small_*``: two classes only, for tests that do not need the whole school.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

GENERATOR = Path(__file__).resolve().parents[1] / "school" / "fixtures" / "make_fixtures.py"
NAMELESS_ROW = 1100  # 0-based data row whose 姓名 is blanked (line 1102)
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def csrf(html: str) -> str:
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def generator():  # noqa: ANN201 - a module object
    spec = importlib.util.spec_from_file_location("make_school_fixtures", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class SchoolFiles:
    bad_csv: Path
    fixed_csv: Path
    fixed_xlsx: Path
    vision_csv: Path
    scoliosis_xlsx: Path
    vision_bad_csv: Path          # with the generator's impossible VA (6.1) on line 17
    scoliosis_bad_xlsx: Path      # with the generator's impossible ATR (35°) on line 33
    next_year_csv: Path
    small_csv: Path
    small_next_csv: Path
    bad_lines: dict[int, str]     # file line → header of the planted error
    fixed: pd.DataFrame           # the corrected roster (text cells, template headers)


def fix(frame: pd.DataFrame, planted: list[dict]) -> pd.DataFrame:
    """What the teacher does with the problem list: correct each named cell, give the two
    children who shared a 学籍号 their own numbers, delete the row pasted twice."""
    out = frame.copy()
    replacement = {"身高": "128.5", "体重": "26.0", "性别": None, "年级编号": None,
                   "出生日期": None, "50米跑": "10.4", "坐位体前屈": "6.5", "一分钟跳绳": "118",
                   "肺活量": "1650", "1000米跑": "4'21\""}
    pasted = None
    for p in planted:
        if p["severity"] != "error":
            continue
        row = p["row"] - 2
        column = p["column"]
        if p["problem"] == "duplicate row":
            pasted = row
        elif column == "学籍号":
            out.loc[row, column] = f"G9{row:017d}"
        elif column in ("年级编号", "出生日期"):
            out.loc[row, column] = out.loc[row - 1, column]  # the neighbour's, same grade
        elif column == "性别":
            out.loc[row, column] = out.loc[row + 1, column]
        else:
            out.loc[row, column] = replacement[column]
    out.loc[NAMELESS_ROW, "姓名"] = "林晓雨"
    return out.drop(index=pasted).reset_index(drop=True)


def next_year(frame: pd.DataFrame, gen: object) -> pd.DataFrame:
    """One year on: everyone moves up a grade (初三 has left) and is tested again with the
    generator's own model of results for the new grade, age and sex."""
    out = frame[frame["年级编号"] != "23"].copy().reset_index(drop=True)
    grade = out["年级编号"].astype(int).map(lambda g: 21 if g == 16 else g + 1)
    out["年级编号"] = grade.astype(str)
    out["班级名称"] = [f"{gen.GRADE_ZH[g]}{int(c)}班" for g, c in zip(grade, out["班级编号"],
                                                                    strict=True)]
    items = ["身高", "体重", "肺活量", "50米跑", "立定跳远", "坐位体前屈", "800米跑", "1000米跑",
             "一分钟仰卧起坐", "引体向上", "一分钟跳绳", "50米×8往返跑"]
    rng = np.random.default_rng(20261015)
    tested = dt.date(2026, 10, 15)
    born = pd.to_datetime(out["出生日期"]).dt.date
    sex = out["性别"].replace({"男": "1", "女": "2"}).astype(int)
    for i in out.index:
        person = pd.Series({"age": (tested - born[i]).days / 365.2425, "sex": sex[i],
                            "grade": int(grade[i])})
        values = gen._measure(person, rng)
        for column in items:
            out.loc[i, column] = values.get(column, "")
    return out


def small(frame: pd.DataFrame) -> pd.DataFrame:
    """Two classes: 四年级2班 (primary) and 初一1班 (junior middle school)."""
    keep = ((frame["年级编号"] == "14") & (frame["班级编号"] == "02")) | (
        (frame["年级编号"] == "21") & (frame["班级编号"] == "01"))
    return frame[keep].reset_index(drop=True)


def build(folder: Path) -> SchoolFiles:
    gen = generator()
    roster, planted = gen.build_roster()
    bad = roster.copy()
    bad.loc[NAMELESS_ROW, "姓名"] = ""
    bad_lines = {p["row"]: p["column"] for p in planted if p["severity"] == "error"}
    bad_lines[NAMELESS_ROW + 2] = "姓名"
    fixed = fix(roster, planted)
    paths = {name: folder / name for name in (
        "school_bad.csv", "school_fixed.csv", "school_fixed.xlsx", "vision.csv",
        "scoliosis.xlsx", "vision_bad.csv", "scoliosis_bad.xlsx", "school_next_year.csv", "two_classes.csv",
        "two_classes_next_year.csv")}
    bad.to_csv(paths["school_bad.csv"], index=False, encoding="utf-8-sig")
    fixed.to_csv(paths["school_fixed.csv"], index=False, encoding="utf-8-sig")
    gen.write_xlsx_text(fixed, paths["school_fixed.xlsx"], "学生体质健康")
    vision, spine = gen.build_vision(roster), gen.build_scoliosis(roster)
    vision.to_csv(paths["vision_bad.csv"], index=False, encoding="utf-8-sig")
    gen.write_xlsx_text(spine, paths["scoliosis_bad.xlsx"], "脊柱侧弯筛查")
    vision.loc[15, "裸眼视力(右)"] = "5.1"
    spine.loc[31, "躯干旋转角"] = "3"
    vision.to_csv(paths["vision.csv"], index=False, encoding="utf-8-sig")
    gen.write_xlsx_text(spine, paths["scoliosis.xlsx"], "脊柱侧弯筛查")
    next_year(fixed, gen).to_csv(paths["school_next_year.csv"], index=False, encoding="utf-8-sig")
    small(fixed).to_csv(paths["two_classes.csv"], index=False, encoding="utf-8-sig")
    next_year(small(fixed), gen).to_csv(paths["two_classes_next_year.csv"], index=False,
                                   encoding="utf-8-sig")
    return SchoolFiles(paths["school_bad.csv"], paths["school_fixed.csv"],
                       paths["school_fixed.xlsx"], paths["vision.csv"],
                       paths["scoliosis.xlsx"], paths["vision_bad.csv"],
                       paths["scoliosis_bad.xlsx"], paths["school_next_year.csv"],
                       paths["two_classes.csv"], paths["two_classes_next_year.csv"],
                       dict(sorted(bad_lines.items())), fixed)


def upload_data(paths: list[Path], *, school: str = "new", school_name: str = "实验学校",
                test_date: str = "2025-10-15") -> dict:
    """The upload form's fields (files opened for the test client)."""
    return {"school": school, "school_name": school_name, "test_date": test_date,
            "files": [(p.open("rb"), p.name) for p in paths]}
