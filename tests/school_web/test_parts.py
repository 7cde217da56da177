"""The pure pieces of the school pages: fingerprints, staging, labels, charts, catalogue."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pandas as pd
import pytest

from prescribe.school import preview_import

ROOT = Path(__file__).resolve().parents[2]


def test_the_fingerprint_is_the_same_for_csv_and_xlsx_and_changes_with_a_value(files):
    from web.school.rows import values_hash

    day = dt.date(2025, 10, 15)
    csv = preview_import(files.fixed_csv, test_date=day).frame
    xlsx = preview_import(files.fixed_xlsx, test_date=day).frame
    assert (values_hash(csv) == values_hash(xlsx)).all()
    assert values_hash(csv).str.fullmatch(r"[0-9a-f]{16}").all()
    changed = csv.copy()
    changed.loc[7, "height_cm"] += 0.1
    differs = values_hash(changed) != values_hash(csv)
    assert differs.tolist() == [i == 7 for i in range(len(csv))]
    # an optional column that is absent or empty does not change the fingerprint
    assert (values_hash(csv.assign(atr_deg=float("nan"))) == values_hash(csv)).all()


def test_stored_values_parse_back_with_the_core(files):
    """What an Assessment keeps must pass ``parse_assessment`` (the clinician pages re-parse
    it to draft, review and record tier reviews)."""
    import json

    from prescribe.assessment import parse_assessment
    from prescribe.school import run_pipeline
    from web.school.rows import assessment_scores, assessment_values, school_year

    frame = preview_import([files.small_csv, files.vision_csv, files.scoliosis_xlsx],
                           test_date=dt.date(2025, 10, 15)).frame
    values = assessment_values(frame)
    for text, (_, row) in zip(values, frame.iterrows(), strict=True):
        stored = json.loads(text)
        assert "student_id" not in stored
        assert "sex" not in stored
        parse_assessment({"sex": row["sex"], "birth_date": row["birth_date"],
                          "test_date": row["test_date"], **stored})
    scores = [json.loads(t) for t in assessment_scores(run_pipeline(frame))]
    assert {s["group"] for s in scores} == {"student_primary_3_4", "student_secondary"}
    assert all(s["result"]["standard_edition"] == "student-2014" for s in scores)
    assert (school_year(dt.date(2026, 3, 10)), school_year(dt.date(2025, 9, 1))) == (2025,
                                                                                     2025)


@pytest.mark.parametrize(("name", "ok"), [
    ("初二3班.xlsx", True), ("../../etc/passwd.csv", True), ("C:\\学生\\成绩.CSV", True),
    ("manifest.json", False), (".hidden.csv", False), ("成绩.docx", False), ("", False),
])
def test_uploaded_names_are_kept_readable_but_never_leave_the_folder(name, ok):
    from web.school.staging import StagingError, clean_name

    if not ok:
        with pytest.raises(StagingError):
            clean_name(name)
        return
    cleaned = clean_name(name)
    assert "/" not in cleaned
    assert "\\" not in cleaned
    assert not cleaned.startswith(".")


def test_staging_refuses_empty_and_oversized_files_and_keeps_nothing(tmp_path, monkeypatch):
    from web.school import staging

    monkeypatch.setattr(staging, "MAX_FILE_BYTES", 10)
    meta = {"user_id": 1, "station_id": 1}
    with pytest.raises(staging.StagingError) as caught:
        staging.stage(str(tmp_path), [("a.csv", io.BytesIO(b"")),
                                      ("b.csv", io.BytesIO(b"x" * 11))], meta)
    assert "a.csv: the file is empty" in str(caught.value)
    assert "b.csv: larger than" in str(caught.value)
    assert list(staging.root(str(tmp_path)).iterdir()) == []
    good = staging.stage(str(tmp_path), [("a.csv", io.BytesIO(b"x,y\n"))], meta)
    assert staging.load(str(tmp_path), good.token, user_id=1, station_id=1) is not None
    assert staging.load(str(tmp_path), good.token, user_id=2, station_id=1) is None
    assert staging.load(str(tmp_path), "../" + good.token, user_id=1, station_id=1) is None


def test_problem_sentences_are_translated_with_their_numbers(app):
    from flask_babel import force_locale

    from web.school.labels import problem_reason

    with app.test_request_context(), force_locale("zh"):
        assert problem_reason("duplicate student ID: also on line 12 of 初二3班.xlsx") == \
            "重复的学籍号：也在 初二3班.xlsx 第 12 行"
        assert problem_reason("age 21.7 on the test day is implausible for grade 13") == \
            "测试日年龄 21.7 岁，与年级 13 不符"
        assert problem_reason("column not in the template: ignored (did you mean 身高?)") == \
            "不是模板中的列：已忽略（是否应为 身高？）"
        assert problem_reason("a brand-new check") == "a brand-new check"


def test_charts_are_plain_svg_with_the_numbers_in_titles():
    from web.school.charts import Bar, bar_chart, stacked_chart

    svg = str(bar_chart([Bar("四年级2班", (0.5, None)), Bar("初一1班", (0.75, 0.6))],
                        ["2025", "2024"], title="优良率", chart_id="c", target=0.6,
                        target_label="目标 60%"))
    assert svg.startswith("<svg")
    assert "style=" not in svg
    assert "<script" not in svg
    assert "<title>四年级2班 2025: 50.0%</title>" in svg
    assert "四年级2班 2024: —" in svg
    assert "目标 60%" in svg
    assert 'stroke-dasharray' in svg
    stacked = str(stacked_chart([("全校", {"good": 0.25, "pass": 0.75})],
                                [("good", "良好"), ("pass", "及格")], title="t", chart_id="s"))
    assert stacked.count("<rect") == 2 + 2  # two legend swatches, two segments


def _catalogue(lang: str):
    from babel.messages.pofile import read_po

    path = ROOT / "web" / "school" / "translations" / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


def test_the_chinese_catalogue_is_complete_and_matches_the_sources():
    from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    cfg = ROOT / "web" / "school" / "translations" / "babel.cfg"
    method_map, options_map = parse_mapping_cfg(io.StringIO(cfg.read_text(encoding="utf-8")))
    found = {msg[2] if isinstance(msg[2], str) else msg[2][0]
             for msg in extract_from_dir(str(ROOT / "web"), method_map, options_map,
                                         keywords={**DEFAULT_KEYWORDS, "_l": None})}
    assert len(found) > 150  # the extraction really read our modules and templates
    zh, en = _catalogue("zh"), _catalogue("en")
    ids = {m.id for m in zh if m.id}
    assert found <= ids, sorted(found - ids)
    assert {m.id for m in en if m.id} == ids
    assert not [m.id for m in zh if m.id and (not m.string or m.fuzzy)]


def test_the_report_frame_reads_back_what_was_imported(app, imported, files):
    from web.extensions import db
    from web.school import frames
    from web.school.tables import School

    with app.app_context():
        school = db.session.get(School, imported.school)
        frame = frames.results_frame(db.session, school, imported.year)
        assert frames.school_years(db.session, school) == [2025]
    sheet = pd.read_csv(files.small_csv, dtype=str).set_index("学籍号")
    assert sorted(frame["student_id"]) == sorted(sheet.index)
    assert {"score_bmi", "score_run_50m_s", "height_cm", "total_score", "grade",
            "screening_myopia", "scoliosis_screen_positive"} <= set(frame.columns)
    heights = frame.set_index("student_id")["height_cm"]
    assert (heights == sheet.loc[heights.index, "身高"].astype(float)).all()
    assert (frame["class_name"].isin(["四年级2班", "初一1班"])).all()
