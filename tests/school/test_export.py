"""Export into the official upload template: same headers, same order, text cells."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from prescribe.school import export_official, preview_import, screen_students, to_official_template
from prescribe.school.export import format_mss
from prescribe.tabular import TEMPLATE_HEADERS


@pytest.fixture(scope="module")
def imported(fixtures, test_date):
    return preview_import(fixtures / "school_2025.csv", test_date=test_date)


def test_headers_are_the_templates_in_its_order(imported):
    table = to_official_template(imported.frame)
    assert list(table.columns) == list(TEMPLATE_HEADERS)
    assert (table.dtypes == "string").all()


def test_round_trip_reproduces_the_teachers_sheet(imported, fixtures, tmp_path):
    export_official(imported.frame, tmp_path / "上报.csv")
    original = pd.read_csv(fixtures / "school_2025.csv", dtype=str, keep_default_na=False)
    back = pd.read_csv(tmp_path / "上报.csv", dtype=str, keep_default_na=False)
    ok = ~imported.frame["has_error"].to_numpy()
    a = original[ok].reset_index(drop=True)
    b = back[original.columns][ok].reset_index(drop=True)
    differs = (a != b).any(axis=1)
    # the one difference: line 862 wrote 性别 as 男, which the template codes as 1
    assert a.loc[differs, "性别"].tolist() == ["男"]
    assert b.loc[differs, "性别"].tolist() == ["1"]
    assert (a.drop(columns="性别") == b.drop(columns="性别")).all().all()


def test_xlsx_export_stores_ids_as_text(imported, tmp_path):
    path = export_official(imported.frame, tmp_path / "上报.xlsx", include_scores=False)
    sheet = load_workbook(path).active
    headers = [c.value for c in sheet[1]]
    col = headers.index("学籍号") + 1
    cells = [sheet.cell(row=r, column=col) for r in range(2, sheet.max_row + 1)]
    assert all(c.data_type == "s" and c.number_format == "@" for c in cells if c.value)
    assert sum(str(c.value).startswith("00") for c in cells) == 12


def test_scores_can_be_appended_for_the_schools_records(imported):
    table = to_official_template(screen_students(imported.frame), include_scores=True)
    assert list(table.columns[-3:]) == ["BMI", "总分", "等级"]
    assert set(table["等级"]) <= {"优秀", "良好", "及格", "不及格", ""}


@pytest.mark.parametrize(("seconds", "text"), [
    (245.0, "4'05\""), (245.2, "4'06\""), (60.0, "1'00\""), (112.0, "1'52\""),
    (np.nan, "")])
def test_runs_over_400m_are_written_min_sec_rounded_up(seconds, text):
    assert format_mss(np.array([seconds]))[0] == text


def test_tenths_are_never_rounded_up_by_binary_noise():
    frame = pd.DataFrame({"run_50m_s": [9.3, 9.31, 10.0, None], "height_cm": [120.04, 120.05,
                                                                          99.96, None]})
    table = to_official_template(frame)
    assert table["50米跑"].tolist() == ["9.3", "9.4", "10.0", ""]
    assert table["身高"].tolist()[0] == "120.0"
    assert table["学籍号"].tolist() == ["", "", "", ""]
