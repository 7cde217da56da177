"""The official student template (体测上报模板) as a validated frame, with every problem.

Scoring checks (numbers in range, sex, grade code, a BMI possible for the height) come from
``prescribe.standards.prepare_frame`` so that the importer and the scorer can never disagree.
This module adds what only the upload template asks for:

* 学籍号 present and unique: a repeated ID is an error on every later line (two children
  cannot share one); a line identical to an earlier one is reported as a pasted duplicate.
* 性别 written 1/2 as the template codes it (男/女/M/F are understood and exported as 1/2,
  with a warning so the sheet can be corrected at the source).
* 出生日期 present, a real date, and plausible for the grade: the age on the test date must
  lie within [nominal − 1.5, nominal + 3.5] years, nominal = school year + 5.5 (a first
  grader is about 6.5 in the middle of the year). The window admits early starters and
  children who repeated years or started late, and catches the typical slips (the year of
  entry typed as the birth year, a sibling's date, a wrong century).
* a result typed in a column the child's grade and sex does not test (1000 m for a girl, a
  column shift) is a warning: the scorer would silently ignore it.
* a missing required item is a warning: the child gets no total and no grade.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..standards import EDITIONS, prepare_frame, score_prepared
from ..standards.inputs import age_in_months, parse_dates
from ..standards.student import compile_student, student_keys
from .problems import Problems

REQUIRED_HEADERS = ("student_id", "grade_code", "sex", "birth_date")
SCHOOL_YEAR = {"11": 1, "12": 2, "13": 3, "14": 4, "15": 5, "16": 6, "21": 7, "22": 8,
               "23": 9, "31": 10, "32": 11, "33": 12, "41": 13, "42": 14, "43": 15, "44": 16}
AGE_WINDOW = (-1.5, 3.5)
TEXT_COLUMNS = ("class_code", "class_name", "name", "ethnicity_code", "address")


def _ids(frame: pd.DataFrame) -> pd.Series:
    if "student_id" not in frame.columns:
        return pd.Series(pd.NA, index=frame.index, dtype="string")
    return frame["student_id"].astype("string").str.strip().replace("", pd.NA)


def check_ids(frame: pd.DataFrame, raw: pd.DataFrame, out: Problems, *,
              seen: dict[str, tuple[str, int]]) -> None:
    """Missing and repeated 学籍号; ``seen`` carries IDs across the files of one import.

    The first line with an ID owns it; every later line with the same ID is an error that
    names the owning line, worded as a pasted duplicate when the whole line is identical.
    """
    ids = _ids(frame)
    for line in frame.index[ids.isna().to_numpy()]:
        out.add(int(line), "student_id", None, "missing student ID (学籍号)")
    lines = pd.Series(frame.index, index=frame.index)
    present = ids.notna()
    first_line = lines[present].groupby(ids[present]).transform("first")
    again = present & ids.duplicated(keep="first") & ~ids.isin(list(seen))
    copied = raw.fillna("").duplicated(keep="first")
    for line in frame.index[again.to_numpy()]:
        what = "duplicate row: same as" if copied[line] else "duplicate student ID: also on"
        out.add(int(line), "student_id", ids[line], f"{what} line {first_line[line]}")
    earlier = present & ids.isin(list(seen))
    for line in frame.index[earlier.to_numpy()]:
        file, first = seen[ids[line]]
        out.add(int(line), "student_id", ids[line],
                f"duplicate student ID: also on line {first} of {file}")
    owners = present & ~ids.duplicated(keep="first") & ~earlier
    seen.update({sid: (out.file, int(line)) for line, sid in ids[owners].items()})


def check_sex_codes(frame: pd.DataFrame, out: Problems) -> None:
    """The template codes sex 1/2; other spellings are understood but flagged."""
    if "sex" not in frame.columns:
        return
    text = frame["sex"].astype("string").str.strip().str.replace(r"\.0$", "", regex=True)
    other = text.notna() & ~text.isin(["1", "2"]) & text.isin(["男", "女", "M", "F", "m", "f"])
    for line, value in text[other.fillna(False)].items():
        out.add(int(line), "sex", value, "the template codes sex as 1 (male) / 2 (female); "
                "understood, and exported as 1/2", severity="warning", allowed="1 | 2")


def birth_dates(frame: pd.DataFrame, test_date: pd.Series, out: Problems) -> pd.Series:
    """Parsed birth dates (NaT where bad) and the age on the test date, checked vs grade."""
    if "birth_date" not in frame.columns:  # reported once, as a missing column
        return pd.Series(pd.NaT, index=frame.index, dtype="datetime64[s]")
    raw = frame["birth_date"]
    born = parse_dates(raw)
    for line in frame.index[raw.isna().to_numpy()]:
        out.add(int(line), "birth_date", None, "missing: the template requires 出生日期")
    for line, value in raw[raw.notna() & born.isna()].items():
        out.add(int(line), "birth_date", value, "not a date", allowed="YYYY-MM-DD or YYYYMMDD")
    age = age_in_months(born, test_date) / 12.0
    year = frame.get("grade_code", pd.Series(pd.NA, index=frame.index)).astype(
        "string").str.strip().str.replace(r"\.0$", "", regex=True).map(SCHOOL_YEAR)
    nominal = year.astype(float) + 5.5
    lo, hi = nominal + AGE_WINDOW[0], nominal + AGE_WINDOW[1]
    bad = (age < lo) | (age > hi)
    for line in frame.index[bad.fillna(False).to_numpy()]:
        out.add(int(line), "birth_date", raw[line],
                f"age {age[line]:.1f} on the test day is implausible for grade "
                f"{frame.at[line, 'grade_code']}",
                allowed=f"age {lo[line]:.1f}–{hi[line]:.1f} y")
    return born


def check_battery(clean: pd.DataFrame, frame: pd.DataFrame, out: Problems) -> None:
    """Results in a column the grade/sex does not test are ignored by the scorer: warn."""
    tables = compile_student(EDITIONS["student"])
    ok = clean["grade_code"].notna() & clean["sex"].notna()
    if not ok.any():
        return
    keys = student_keys(clean[ok], tables)
    for item in tables.items:
        if item not in frame.columns:
            continue
        tested = tables.levels[item].applies[keys] | (
            item in tables.bonus and tables.bonus[item].applies[keys])
        stray = frame.loc[ok, item].notna().to_numpy() & ~tested
        for line in clean.index[ok][stray]:
            out.add(int(line), item, frame.at[line, item],
                    "not tested in this grade for this sex: the value is ignored",
                    severity="warning")


def check_missing_items(scored: pd.DataFrame, frame: pd.DataFrame, out: Problems) -> None:
    """A required item left empty means no total score and no grade for the child.

    Only empty cells are reported here: a cell with a bad value already has its error.
    """
    missing = scored["missing_items"].astype("string").fillna("")
    for line, names in missing[missing != ""].items():
        for item in names.split(";"):
            for field in (("height_cm", "weight_kg") if item == "bmi" else (item,)):
                if field not in frame.columns or pd.isna(frame.at[line, field]):
                    out.add(int(line), field, None, "empty, but required for this grade: "
                            "without it the child gets no total score", severity="warning")


def validate_roster(frame: pd.DataFrame, raw: pd.DataFrame, out: Problems, *,
                    seen: dict[str, tuple[str, int]], test_date: dt.date
                    ) -> pd.DataFrame:
    """Clean one roster sheet (index = file line) and add every problem to ``out``.

    Returns the clean frame: vocabulary columns, numbers as float (bad cells missing),
    ``sex`` M/F, ``grade_code`` canonical, ``birth_date`` as a date, the passthrough text
    columns (学籍号, 班级, 姓名 …) as strings, and the row's ``has_error`` flag.
    """
    for name in REQUIRED_HEADERS:
        if name not in frame.columns:
            out.add(None, name, None, "column missing from the template")
    if "test_date" in frame.columns:
        tested_on = parse_dates(frame["test_date"]).fillna(pd.Timestamp(test_date))
    else:
        tested_on = pd.Series(pd.Timestamp(test_date), index=frame.index)
    clean, problems = prepare_frame(frame, "student")
    out.extend_input_problems(problems)
    check_ids(frame, raw, out, seen=seen)
    check_sex_codes(frame, out)
    born = birth_dates(frame, tested_on, out)
    check_battery(clean, frame, out)
    scorable = clean["grade_code"].notna() & clean["sex"].notna()
    check_missing_items(score_prepared(clean[scorable], "student"), frame, out)
    for col in TEXT_COLUMNS:
        if col in frame.columns:
            clean[col] = frame[col].astype("string").str.strip()
    clean["student_id"] = _ids(frame)
    clean["birth_date"] = born.dt.date.astype(object).where(born.notna(), None)
    clean["test_date"] = tested_on.dt.date
    clean["age_years"] = (age_in_months(born, tested_on) / 12.0).where(born.notna())
    clean["has_error"] = np.isin(clean.index, list(out.error_lines()))
    return clean
