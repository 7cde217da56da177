"""``prescribe score``: files in, results out, every problem reported, nothing half-written."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from prescribe.cli import main
from prescribe.tabular import read_raw

DATA = Path(__file__).with_name("data")
TEMPLATE = DATA / "template_40.csv"

BAD = ("学籍号,年级编号,性别,身高,体重,肺活量,50米跑,坐位体前屈,立定跳远,引体向上,一分钟仰卧起坐,"
       "800米跑,1000米跑\n"
       "0012,21,男,160,50,3000,8.0,10,210,5,,,3'50\"\n"
       "0013,27,女,158,48,2500,9.0,12,170,,40,3.40,\n"
       "0014,22,3,17,48,abc,9.0,12,170,,40,3'40\",\n"
       "0015,22,,158,48,2500,9.0,12,170,,40,3'75\",\n"
       "0016,22,女,158,48,2500,9.1,12,170,,40,3'55\",\n")


@pytest.fixture
def bad_file(tmp_path):
    path = tmp_path / "class.csv"
    path.write_text(BAD, encoding="utf-8")
    return path


def test_template_to_stdout_keeps_every_input_column_and_adds_results(capsys):
    assert main(["score", str(TEMPLATE), "--standard", "student"]) == 0
    out = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype={"学籍号": str})
    raw = read_raw(TEMPLATE)
    assert list(out.columns[: len(raw.columns)]) == list(raw.columns)
    assert out["学籍号"].tolist() == raw["学籍号"].tolist()          # leading zeros kept
    assert out["800米跑"].dropna().iloc[0].endswith('"')              # input written as given
    for col in ("bmi", "score_bmi", "score_run_800m_s", "bonus_points", "total_score", "grade",
                "standard_edition"):
        assert col in out.columns
    assert set(out["standard_edition"]) == {"student-2014"}
    assert set(out["grade"].dropna()) <= {"excellent", "good", "pass", "fail"}
    exempt = out[out["学籍号"] == "00150205005"].iloc[0]             # 一分钟跳绳 = 免测
    assert pd.isna(exempt["grade"])
    assert exempt["missing_items"] == "rope_skip_1min_count"


def test_results_match_the_library(tmp_path):
    out = tmp_path / "result.csv"
    assert main(["score", str(TEMPLATE), "--standard", "student", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    written = pd.read_csv(out, dtype={"学籍号": str}, encoding="utf-8-sig")
    from prescribe.standards import score_frame
    from prescribe.tabular import read_table

    expected = score_frame(read_table(TEMPLATE), "student")
    assert written["total_score"].tolist() == pytest.approx(
        expected["total_score"].tolist(), nan_ok=True)
    assert written["grade"].fillna("").tolist() == expected["grade"].tolist()


def test_xlsx_output_and_physique_station_file(tmp_path):
    out = tmp_path / "station.xlsx"
    assert main(["score", str(DATA / "station_physique.csv"), "--standard", "physique",
                 "-o", str(out)]) == 0
    got = pd.read_excel(out, dtype={"编号": str})
    assert got["编号"].tolist()[0] == "P0001"
    assert got.set_index("编号").loc["P0001", ["age_band", "total_points", "grade"]].tolist() == \
        ["30-34", 34, "excellent"]
    no_step = got.set_index("编号").loc["P0007"]
    assert pd.isna(no_step["grade"])
    assert no_step["missing_items"] == "step_test_index"
    assert got.set_index("编号").loc["K0003", "age_band"] == "5.5-6.0"


def test_invalid_rows_are_all_listed_with_line_and_header_and_nothing_is_written(
        bad_file, tmp_path, capsys):
    out = tmp_path / "result.csv"
    assert main(["score", str(bad_file), "--standard", "student", "-o", str(out)]) == 2
    assert not out.exists()
    err = capsys.readouterr().err.splitlines()
    assert err[:7] == [
        "line 3, column 年级编号 (grade_code): '27': unknown grade code (allowed: 11 | 12 | 13 | "
        "14 | 15 | 16 | 21 | 22 | 23 | 31 | 32 | 33 | 41 | 42 | 43 | 44)",
        "line 3, column 800米跑 (run_800m_s): '3.40': looks like minutes.seconds: write 3'40\" "
        "or seconds (220) (allowed: 100–900 s)",
        "line 4, column 性别 (sex): '3': not an allowed value (allowed: M | F | 男 | 女 | 1 | 2)",
        "line 4, column 身高 (height_cm): '17': impossible value (allowed: 50–230 cm)",
        "line 4, column 肺活量 (vital_capacity_ml): 'abc': not a number (allowed: 0–9000 mL)",
        "line 5, column 性别 (sex): missing: sex is required (allowed: M | F | 男 | 女 | 1 | 2)",
        "line 5, column 800米跑 (run_800m_s): '3\\'75\"': not a time: write 3'40\" or seconds "
        "(220) (allowed: 100–900 s)",
    ]
    assert err[-1].startswith("error: 7 problem(s) in 3 row(s); nothing written")


def test_skip_invalid_scores_the_valid_rows_and_reports_the_rest(bad_file, tmp_path, capsys):
    out = tmp_path / "result.csv"
    assert main(["score", str(bad_file), "--standard", "student", "-o", str(out),
                 "--skip-invalid"]) == 0
    written = pd.read_csv(out, dtype={"学籍号": str}, encoding="utf-8-sig")
    assert written["学籍号"].tolist() == ["0012", "0016"]
    report = pd.read_csv(tmp_path / "result.errors.csv", encoding="utf-8-sig")
    assert report["line"].tolist() == [3, 3, 4, 4, 4, 5, 5]
    assert report["column"].tolist()[:2] == ["年级编号", "800米跑"]
    assert report["value"].tolist()[1] == "3.40"
    assert "result.errors.csv" in capsys.readouterr().err


def test_skip_invalid_to_stdout_lists_problems_on_stderr(bad_file, capsys):
    assert main(["score", str(bad_file), "--standard", "student", "--skip-invalid"]) == 0
    captured = capsys.readouterr()
    assert len(pd.read_csv(io.StringIO(captured.out))) == 2
    assert captured.err.count("line ") == 7


def test_unknown_columns_are_warned_about_and_passed_through(tmp_path, capsys):
    path = tmp_path / "t.csv"
    path.write_text("学籍号,年级编号,性别,800米,备注\n01,21,女,3'40\",外借\n", encoding="utf-8")
    assert main(["score", str(path), "--standard", "student"]) == 0
    captured = capsys.readouterr()
    assert "'800米' is not a known item and is passed through; did you mean '800米跑'?" in \
        captured.err
    assert "备注" in captured.out.splitlines()[0]


@pytest.mark.parametrize(("argv", "message"), [
    (["--standard", "student", "-o", "out.txt"], "output must be .csv or .xlsx"),
    (["--standard", "student", "-o", "SAME"], "would overwrite the input"),
    (["--standard", "student", "--edition", "student-1990"], "no edition 'student-1990'"),
])
def test_bad_arguments_are_user_errors(tmp_path, capsys, argv, message):
    src = tmp_path / "in.csv"
    src.write_bytes(TEMPLATE.read_bytes())
    argv = [str(src) if a == "SAME" else str(tmp_path / a) if a.startswith("out") else a
            for a in argv]
    assert main(["score", str(src), *argv]) == 2
    assert message in capsys.readouterr().err


def test_a_file_without_data_rows_is_an_error(tmp_path, capsys):
    path = tmp_path / "empty.csv"
    path.write_text("学籍号,年级编号,性别\n", encoding="utf-8")
    assert main(["score", str(path), "--standard", "student"]) == 2
    assert "no data rows" in capsys.readouterr().err


def test_skip_invalid_with_no_valid_row_writes_headers_and_the_report(tmp_path):
    path = tmp_path / "all_bad.csv"
    path.write_text("学籍号,年级编号,性别,身高,体重\n01,99,男,160,50\n02,21,X,160,50\n",
                    encoding="utf-8")
    out = tmp_path / "r.csv"
    assert main(["score", str(path), "--standard", "student", "-o", str(out),
                 "--skip-invalid"]) == 0
    written = pd.read_csv(out, encoding="utf-8-sig")
    assert written.empty
    assert "grade" in written.columns
    assert len(pd.read_csv(tmp_path / "r.errors.csv", encoding="utf-8-sig")) == 2
