"""Reading and writing result tables: template headers, IDs, times, encodings, line numbers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from prescribe.errors import InputProblem
from prescribe.tabular import (
    TEMPLATE_HEADERS,
    TableError,
    parse_min_sec,
    parse_time,
    problem_table,
    read_raw,
    read_table,
    with_raw_values,
    write_table,
)

DATA = Path(__file__).with_name("data")


@pytest.mark.parametrize(("text", "seconds"), [
    ("3'40\"", 220.0), ("3′40″", 220.0), ("3’40”", 220.0), ("3:40", 220.0), ("3：40", 220.0),
    ("3分40秒", 220.0), ("1'45", 105.0), ("1'45''", 105.0), (" 4 ' 05 ", 245.0),
    ("3:40.5", 220.5), ("00:03:40", 220.0), ("220", 220.0), ("58秒", 58.0), ("9.8", 9.8),
    ("3.40", 3.4),   # a plain number is seconds, never minutes.seconds
    ("3'75\"", None), ("abc", None), ("3''40", None),
])
def test_minute_second_times_in_every_spelling(text, seconds):
    got = parse_min_sec(pd.Series([text], dtype=object)).iloc[0]
    assert (pd.isna(got) and seconds is None) or got == seconds
    assert parse_time(text) == seconds


def test_parse_min_sec_keeps_numbers_and_missing():
    got = parse_min_sec(pd.Series([215.0, None, "3'35\""], dtype=object))
    assert got.iloc[0] == 215.0
    assert pd.isna(got.iloc[1])
    assert got.iloc[2] == 215.0


def test_official_template_csv_maps_headers_keeps_ids_and_converts_times():
    frame = read_table(DATA / "template_40.csv")
    assert list(frame.columns) == list(TEMPLATE_HEADERS.values())
    assert frame.attrs["source_columns"]["run_800m_s"] == "800米跑"
    assert frame.attrs["first_line"] == 2
    assert frame.index[0] == 2
    assert frame.index.name == "line"
    assert frame.loc[3, "student_id"] == "00150202002"        # leading zeros kept
    assert frame.loc[3, "grade_code"] == "15"
    assert frame.loc[3, "ethnicity_code"] == "01"
    assert frame.loc[2, "shuttle_run_50mx8_s"] == 128.0       # 2'08"
    assert frame["height_cm"].dtype == float
    assert pd.isna(frame.loc[6, "rope_skip_1min_count"])      # 免测 = not tested


def test_legacy_xls_template_reads_like_the_csv():
    xls = read_table(DATA / "template_8.xls")
    csv = read_table(DATA / "template_40.csv").loc[9:16]
    assert xls["student_id"].tolist() == csv["student_id"].tolist()
    for col in ("height_cm", "weight_kg", "vital_capacity_ml", "run_800m_s", "run_1000m_s"):
        pd.testing.assert_series_equal(xls[col].reset_index(drop=True),
                                       csv[col].reset_index(drop=True), check_names=False)


def test_xlsx_round_trip_keeps_text_ids(tmp_path):
    frame = read_raw(DATA / "template_40.csv")
    path = tmp_path / "out.xlsx"
    write_table(frame, path)
    again = read_table(path)
    assert again["student_id"].tolist() == frame["学籍号"].tolist()
    assert again.loc[2, "shuttle_run_50mx8_s"] == 128.0


def test_gb18030_csv_with_title_rows_and_blank_lines(tmp_path):
    text = ("2024年体质健康测试成绩,,,\n导出时间：2024-10-08,,,\n"
            "学籍号,性别,身高(cm),1000米跑\n0001,男,170.2,3'50\"\n,,,\n0002,女,160,4'02\"\n")
    path = tmp_path / "gbk.csv"
    path.write_bytes(text.encode("gb18030"))
    frame = read_table(path)
    assert frame.attrs["header_line"] == 3
    assert frame.attrs["first_line"] == 4
    assert frame.index.tolist() == [4, 6]                     # the blank line 5 is skipped
    assert frame["student_id"].tolist() == ["0001", "0002"]
    assert frame["run_1000m_s"].tolist() == [230.0, 242.0]
    assert frame.attrs["source_columns"]["height_cm"] == "身高(cm)"


def test_unconvertible_cells_keep_their_text_for_the_error_report(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("student_id,sex,height_cm,run_800m_s\n1,F,abc,3'4O\"\n2,F,150,3'40\"\n",
                    encoding="utf-8")
    frame = read_table(path)
    assert frame["height_cm"].tolist()[0] == "abc"
    assert frame["height_cm"].tolist()[1] == 150.0
    assert frame.loc[2, "run_800m_s"] == "3'4O\""
    assert frame.loc[3, "run_800m_s"] == 220.0


def test_unrecognised_headers_pass_through_with_a_suggestion(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("学籍号,性别,身高,800米,备注\n1,女,150,3'40\",x\n", encoding="utf-8")
    frame = read_table(path)
    assert frame.attrs["unrecognised"] == {"800米": "800米跑", "备注": None}
    assert "800米" in frame.columns


@pytest.mark.parametrize(("content", "message"), [
    ("学籍号,性别,身高,身高\n1,男,150,151\n", "duplicate column header"),
    ("学籍号,性别,身高,身高(cm)\n1,男,150,151\n", "several columns mean the same thing"),
    ("a,b,c\n1,2,3\n", "no header row found"),
])
def test_unreadable_layouts_are_clear_errors(tmp_path, content, message):
    path = tmp_path / "t.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TableError, match=message):
        read_table(path)


def test_missing_file_and_unsupported_type_are_clear_errors(tmp_path):
    with pytest.raises(TableError, match="no such file"):
        read_table(tmp_path / "nope.csv")
    (tmp_path / "t.json").write_text("{}", encoding="utf-8")
    with pytest.raises(TableError, match="unsupported file type .json"):
        read_table(tmp_path / "t.json")
    with pytest.raises(TableError, match="cannot write .txt"):
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "t.txt")


def test_csv_is_written_with_a_bom_for_excel(tmp_path):
    path = tmp_path / "out.csv"
    write_table(pd.DataFrame({"姓名": ["张三"], "学籍号": ["007"]}), path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert read_raw(path)["学籍号"].tolist() == ["007"]


def test_problem_table_quotes_the_cell_as_written():
    raw = read_raw(DATA / "template_40.csv")
    problems = [InputProblem("run_800m_s", 3.4, "impossible value", 13, "100–900 s")]
    quoted = with_raw_values(problems, raw, {"run_800m_s": "800米跑"})
    table = problem_table(quoted, {"run_800m_s": "800米跑"})
    assert table.loc[0, ["line", "column", "field", "value"]].tolist() == [
        13, "800米跑", "run_800m_s", raw.at[13, "800米跑"]]


def test_cells_left_empty_in_a_legacy_xls_read_as_missing(tmp_path):
    frame = read_table(DATA / "template_8.xls")
    assert frame["rope_skip_1min_count"].isna().sum() == 5  # junior rows have no rope skip
    assert frame["run_1000m_s"].notna().sum() == 3


def test_id_columns_are_never_converted_to_numbers(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("档案号,年龄,性别\n007,35,男\n", encoding="utf-8")
    assert read_table(path)["age_years"].tolist() == [35.0]
    kept = read_table(path, id_columns=("档案号", "年龄"))
    assert kept["person_id"].tolist() == ["007"]
    assert kept["age_years"].tolist() == ["35"]


def test_a_one_cell_title_line_above_the_header_is_skipped(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("某某中学2024年体测成绩\n学籍号,性别,身高\n0042,女,151.5\n", encoding="utf-8")
    frame = read_table(path)
    assert frame.loc[3, "student_id"] == "0042"
    assert frame.loc[3, "height_cm"] == 151.5


def test_an_empty_file_is_a_clear_error(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("", encoding="utf-8")
    with pytest.raises(TableError, match="empty"):
        read_table(path)
