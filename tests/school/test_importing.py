"""Importing a school's files: every bad cell explained, screening sheets joined by 学籍号."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from prescribe.school import ImportFileError, preview_import


def _located(problems, severity):
    return {(p["row"], p["column"]) for p in problems if p["severity"] == severity}


def test_every_planted_problem_is_reported_where_the_teacher_will_look(school_preview, planted):
    roster = [p for p in school_preview.problems if p["file"] == "school_2025.csv"]
    for severity in ("error", "warning"):
        expected = {(p["row"], p["column"]) for p in planted if p["severity"] == severity}
        assert _located(roster, severity) == expected, severity


def test_problems_quote_the_cell_as_typed_and_say_why(school_preview):
    by_place = {(p["row"], p["column"]): p for p in school_preview.problems}
    height = by_place[(59, "身高")]
    assert (height["value"], height["reason"], height["allowed"]) == (
        "17.0", "impossible value", "50–230 cm")
    assert by_place[(90, "体重")]["value"] == "五十"
    assert "not a time" in by_place[(1043, "1000米跑")]["reason"]
    assert by_place[(335, "出生日期")]["reason"].startswith("age 21.7 on the test day")
    assert by_place[(992, "学籍号")]["reason"] == "duplicate student ID: also on line 102"
    assert by_place[(703, "学籍号")]["reason"] == "duplicate row: same as line 702"


def test_rows_with_errors_are_kept_and_marked(school_preview, planted):
    frame = school_preview.frame
    assert school_preview.n_rows == len(frame) == 1200
    bad_lines = set(frame.loc[frame["has_error"], "source_line"])
    assert bad_lines == {p["row"] for p in planted if p["severity"] == "error"}
    assert not school_preview.ok


def test_student_ids_keep_leading_zeros(school_preview):
    ids = school_preview.frame["student_id"].dropna()
    assert ids.str.startswith("00").sum() == 12
    assert ids.str.len().isin([10, 19]).all()


def test_known_ids_split_matched_and_new(school_preview):
    assert school_preview.matched_ids == ["G669426209607290826", "G851505464215025234"]
    distinct = school_preview.frame["student_id"].dropna().nunique()
    assert len(school_preview.new_ids) == distinct - 2


def test_join_report_lists_ids_missing_from_the_roster(school_preview):
    assert school_preview.unmatched_join_ids == {
        "vision_2025.csv": ["G990000000000000001", "G990000000000000002",
                            "G990000000000000003"],
        "scoliosis_2025.xlsx": ["G990000000000000004", "G990000000000000005"]}


def test_vision_values_join_by_student_id(school_preview, fixtures):
    vision = pd.read_csv(fixtures / "vision_2025.csv", dtype=str)
    row = vision.iloc[40]
    got = school_preview.frame.set_index("student_id").loc[row["学籍号"]]
    assert got["uncorrected_va_left"] == float(row["裸眼视力(左)"])
    assert got["se_right_d"] == float(row["等效球镜(右)"])
    assert got["spherical_equivalent_d"] == min(float(row["等效球镜(左)"]),
                                                float(row["等效球镜(右)"]))


def test_scoliosis_takes_the_largest_angle_and_names_its_region(school_preview, fixtures):
    spine = pd.read_excel(fixtures / "scoliosis_2025.xlsx", dtype=str)
    spine["atr"] = spine["躯干旋转角"].astype(float)
    spine = spine[spine["atr"] <= 30]
    top = spine.groupby("学籍号")["atr"].max()
    frame = school_preview.frame.set_index("student_id")
    joined = frame.loc[frame.index.intersection(top.index), "atr_deg"]
    assert (joined == top.reindex(joined.index)).all()
    positive = spine[spine["atr"] >= 5].sort_values("atr").groupby("学籍号").last()
    sid = positive.index[0]
    region = {"胸段": "thoracic", "胸腰段": "thoracolumbar", "腰段": "lumbar"}
    assert positive.loc[sid, "部位"] in [k for k, v in region.items()
                                       if v in frame.loc[sid, "atr_region"].split(";")]


def test_csv_and_xlsx_of_the_same_sheet_import_identically(fixtures, test_date):
    a = preview_import(fixtures / "school_2025.csv", test_date=test_date)
    b = preview_import(fixtures / "school_2025.xlsx", test_date=test_date)
    strip = [{k: v for k, v in p.items() if k != "file"} for p in a.problems]
    assert strip == [{k: v for k, v in p.items() if k != "file"} for p in b.problems]
    pd.testing.assert_frame_equal(a.frame.drop(columns="source_file"),
                                  b.frame.drop(columns="source_file"))


def test_legacy_xls_reads_like_the_modern_template(fixtures, test_date):
    legacy = preview_import(fixtures / "legacy_class.xls", test_date=test_date)
    modern = preview_import(fixtures / "school_2025.csv", test_date=test_date).frame
    assert legacy.ok
    assert legacy.n_rows == 44
    both = legacy.frame.merge(modern, on="student_id", suffixes=("", "_csv"))
    assert len(both) == 44
    for col in ("birth_date", "height_cm", "weight_kg", "run_50m_s", "sex", "grade_code"):
        assert (both[col] == both[f"{col}_csv"]).all(), col


def test_class_files_are_stacked_and_cross_file_duplicates_named(fixtures, tmp_path, test_date):
    raw = pd.read_csv(fixtures / "school_2025.csv", dtype=str, keep_default_na=False)
    one = raw[(raw["年级编号"] == "21") & (raw["班级编号"] == "01")]
    two = raw[(raw["年级编号"] == "21") & (raw["班级编号"] == "02")]
    two = pd.concat([two, one.iloc[[3]]])            # a child listed in both classes
    one.to_csv(tmp_path / "初一1班.csv", index=False, encoding="gb18030")
    two.to_csv(tmp_path / "初一2班.csv", index=False, encoding="utf-8-sig")
    got = preview_import([tmp_path / "初一1班.csv", tmp_path / "初一2班.csv"],
                         test_date=test_date)
    assert got.n_rows == len(one) + len(two)
    assert got.frame["name"].iloc[0] == one["姓名"].iloc[0]        # GB18030 decoded
    dup = [p for p in got.problems if p["reason"].startswith("duplicate")]
    assert [(p["file"], p["row"], p["reason"]) for p in dup] == [
        ("初一2班.csv", len(two) + 1, "duplicate student ID: also on line 5 of 初一1班.csv")]


def _vision_sheet(tmp_path, rows):
    header = "学籍号,左眼裸眼视力,右眼裸眼视力,左眼屈光球镜S,左眼屈光柱镜C,左屈光轴位A," \
             "右眼屈光球镜S,右眼屈光柱镜C,右屈光轴位A\n"
    path = tmp_path / "视力.csv"
    path.write_text(header + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_moe_vision_upload_columns_and_code_zero(tmp_path, test_date):
    path = _vision_sheet(tmp_path, ["S1,0,4.9,-2.00,-1.00,90,-1.50,0,0",
                                    "S2,5.0,5.1,0.50,-0.50,180,0.25,0,0"])
    got = preview_import(path, test_date=test_date)
    assert got.ok
    assert got.n_rows == 2
    frame = got.frame.set_index("student_id")
    assert pd.isna(frame.loc["S1", "uncorrected_va_left"])
    assert bool(frame.loc["S1", "va_below_3_left"])
    assert frame.loc["S1", "se_left_d"] == -2.5          # sphere + cylinder / 2
    assert frame.loc["S1", "spherical_equivalent_d"] == -2.5
    assert frame.loc["S2", "spherical_equivalent_d"] == 0.25
    assert [(p["row"], p["column"], p["severity"]) for p in got.problems] == [
        (2, "左眼裸眼视力", "warning")]


def test_wide_scoliosis_sheet(tmp_path, test_date):
    path = tmp_path / "脊柱.csv"
    path.write_text("学籍号,躯干旋转角(胸段),躯干旋转角(胸腰段),躯干旋转角(腰段)\n"
                    "S1,2,6,6\nS2,3,1,\nS3,31,0,0\n", encoding="utf-8")
    got = preview_import(path, test_date=test_date)
    frame = got.frame.set_index("student_id")
    assert frame.loc["S1", "atr_deg"] == 6
    assert frame.loc["S1", "atr_region"] == "thoracolumbar;lumbar"
    assert frame.loc["S2", "atr_deg"] == 3
    assert pd.isna(frame.loc["S2", "atr_region"])
    assert [(p["row"], p["column"], p["reason"]) for p in got.problems] == [
        (4, "躯干旋转角(胸段)", "impossible value")]


def test_a_sheet_without_student_ids_is_refused(tmp_path):
    path = tmp_path / "成绩.csv"
    path.write_text("姓名,性别,身高\n张三,1,120\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="no 学籍号 column"):
        preview_import(path)


def test_a_sheet_that_is_neither_template_nor_screening_is_refused(tmp_path):
    path = tmp_path / "名单.csv"
    path.write_text("学籍号,姓名,家长电话\nS1,张三,123\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="neither the student template"):
        preview_import(path)


def test_preview_writes_nothing(fixtures, tmp_path, test_date):
    copy = shutil.copy(fixtures / "school_2025.xlsx", tmp_path / "s.xlsx")
    before = sorted(p.name for p in tmp_path.iterdir())
    preview_import(copy, test_date=test_date)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_roster_may_carry_its_own_vision_columns(fixtures, tmp_path, test_date):
    raw = pd.read_csv(fixtures / "school_2025.csv", dtype=str, keep_default_na=False).head(30)
    raw["左眼裸眼视力"] = "4.8"
    raw["右眼裸眼视力"] = "5.0"
    raw["左眼屈光球镜S"] = "-1.25"
    raw["左眼屈光柱镜C"] = "-0.50"
    raw["右眼屈光球镜S"] = "0.25"
    raw.to_csv(tmp_path / "一班.csv", index=False)
    got = preview_import(tmp_path / "一班.csv", test_date=test_date)
    assert got.files == [{"file": "一班.csv", "kinds": ["roster", "vision"], "n_rows": 30}]
    first = got.frame.iloc[0]
    assert first["uncorrected_va_left"] == 4.8
    assert first["spherical_equivalent_d"] == -1.5
    assert got.unmatched_join_ids == {"一班.csv": []}


def test_a_missing_template_column_is_reported_once(fixtures, tmp_path, test_date):
    raw = pd.read_csv(fixtures / "school_2025.csv", dtype=str, keep_default_na=False).head(5)
    raw.drop(columns="出生日期").to_csv(tmp_path / "无生日.csv", index=False)
    got = preview_import(tmp_path / "无生日.csv", test_date=test_date)
    about_birth = [p for p in got.problems if p["field"] == "birth_date"]
    assert [(p["row"], p["reason"]) for p in about_birth] == [
        (None, "column missing from the template")]
