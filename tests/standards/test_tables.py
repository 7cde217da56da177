"""The project's standard tables: integrity, the editions registry, adding an edition."""

from __future__ import annotations

import csv
import hashlib
import shutil

import pandas as pd
import pytest

import prescribe.standards as std
from prescribe.errors import StandardsError
from prescribe.standards import inputs, physique, screening, student, tables, weight

TABLES = tables.TABLES_DIR


def _clear_caches():
    for fn in (tables.editions, tables.load_table, student.compile_student,
               physique.compile_physique, weight._youth, weight._adult, screening._myopia,
               screening._atr):
        fn.cache_clear()


@pytest.fixture
def tables_copy(tmp_path, monkeypatch):
    """A writable copy of the tables folder, used instead of the packaged one."""
    folder = tmp_path / "tables"
    shutil.copytree(TABLES, folder)
    monkeypatch.setattr(tables, "TABLES_DIR", folder)
    _clear_caches()
    yield folder
    monkeypatch.undo()
    _clear_caches()


def test_every_table_matches_its_recorded_checksum():
    with open(TABLES / "checksums.csv", encoding="utf-8") as fh:
        recorded = {r["file"]: r["sha256"] for r in csv.DictReader(fh)}
    present = {p.name for p in TABLES.glob("*.csv")} - {"checksums.csv"}
    assert set(recorded) == present, "run tools/build_standard_tables.py --manifest-only"
    for name, digest in recorded.items():
        assert hashlib.sha256((TABLES / name).read_bytes()).hexdigest() == digest, name


def test_tables_are_tidy_csv_with_headers_domain_experts_can_read():
    for path in TABLES.glob("*.csv"):
        frame = pd.read_csv(path)
        assert len(frame) > 0, path.name
        assert all(c == c.strip() and c.islower() for c in frame.columns), path.name


def test_every_standard_has_one_default_edition_recorded_in_results():
    assert dict(std.EDITIONS) == {
        "student": "student-2014", "physique": "physique-2003", "youth_bmi": "wst586-2018",
        "adult_weight": "wst428-2013", "myopia": "myopia-2021", "scoliosis": "scoliosis-2014"}
    assert std.edition_title("student-2014") == "国家学生体质健康标准（2014年修订）"
    assert "2003" in std.edition_title("physique-2003", "en")


def test_unknown_standard_or_edition_is_a_clear_error():
    with pytest.raises(StandardsError, match="unknown standard 'adult'"):
        std.score_record({}, "adult")
    with pytest.raises(StandardsError, match="available: student-2014"):
        std.score_record({}, "student", edition="student-1990")


def test_compiled_student_tables_cover_all_sixteen_grade_codes():
    t = student.compile_student("student-2014")
    assert sorted(t.group_of_code) == ["11", "12", "13", "14", "15", "16", "21", "22", "23",
                                       "31", "32", "33", "41", "42", "43", "44"]
    assert t.groups[t.group_of_code["42"]] == "U12"
    assert t.groups[t.group_of_code["43"]] == "U34"
    assert t.required(t.group_of_code["21"] * 2) == [
        "bmi", "vital_capacity_ml", "run_50m_s", "sit_and_reach_cm", "standing_long_jump_cm",
        "pull_up_count", "run_1000m_s"]


def test_physique_items_per_age_band_follow_the_2003_standard():
    t = physique.compile_physique("physique-2003")
    names = ("height_weight", *t.items)

    def needed(age, sex):
        band = t.band_of(pd.Series([age]).to_numpy(float))[0]
        return {n for j, n in enumerate(names) if t.required[band * 2 + (sex == "F"), j]}

    assert len(needed(25, "M")) == 9
    assert "push_up_count" in needed(25, "M")
    assert "sit_up_1min_count" in needed(25, "F")
    assert "vertical_jump_cm" in needed(39.9, "F")
    assert len(needed(45, "M")) == 7
    assert "vertical_jump_cm" not in needed(45, "M")
    assert needed(62, "F") == {"height_weight", "vital_capacity_ml", "grip_strength_kg",
                               "sit_and_reach_cm", "choice_reaction_time_s",
                               "one_leg_stand_eyes_closed_s"}
    assert len(needed(4.2, "M")) == 8
    assert "height_cm" in needed(4.2, "M")


def test_a_new_edition_is_added_as_data_files_alone(tables_copy):
    for path in list(tables_copy.glob("student-2014__*.csv")):
        shutil.copy(path, tables_copy / path.name.replace("student-2014", "student-2030"))
    scores = pd.read_csv(tables_copy / "student-2030__item_scores.csv")
    top = (scores["grade_group"] == "G7") & (scores["sex"] == "M") & \
        (scores["item"] == "run_50m_s") & (scores["score"] == 100)
    scores.loc[top, "threshold"] = 7.0  # the new edition is stricter at the top
    scores.to_csv(tables_copy / "student-2030__item_scores.csv", index=False)
    with open(tables_copy / "editions.csv", "a", encoding="utf-8") as fh:
        fh.write("student-2030,student,国家学生体质健康标准（2030）,Student standard 2030,2030,no,"
                 "test\n")
    record = {"sex": "M", "grade_code": "21", "run_50m_s": 7.5}
    old = std.score_record(record, "student")
    new = std.score_record(record, "student", edition="student-2030")
    assert (old["score_run_50m_s"], old["standard_edition"]) == (100, "student-2014")
    assert (new["score_run_50m_s"], new["standard_edition"]) == (95, "student-2030")


def test_a_ladder_that_is_not_monotonic_is_refused_with_its_location(tables_copy):
    path = tables_copy / "student-2014__item_scores.csv"
    scores = pd.read_csv(path)
    cell = (scores["grade_group"] == "G3") & (scores["sex"] == "F") & \
        (scores["item"] == "vital_capacity_ml") & (scores["score"] == 90)
    scores.loc[cell, "threshold"] = 5000
    scores.to_csv(path, index=False)
    with pytest.raises(StandardsError, match=r"vital_capacity_ml.*\('G3', 'F'\)"):
        student.compile_student("student-2014")


def test_bmi_bands_with_a_gap_are_refused(tables_copy):
    path = tables_copy / "student-2014__bmi_bands.csv"
    bands = pd.read_csv(path)
    bands.loc[(bands["grade_group"] == "G2") & (bands["category"] == "obese"), "bmi_min"] += 0.2
    bands.to_csv(path, index=False)
    with pytest.raises(StandardsError, match="G2"):
        student.compile_student("student-2014")


def test_a_missing_table_names_the_file(tables_copy):
    (tables_copy / "physique-2003__grades.csv").unlink()
    with pytest.raises(StandardsError, match="physique-2003__grades.csv is missing"):
        physique.compile_physique("physique-2003")


def test_editions_registry_needs_exactly_one_default(tables_copy):
    with open(tables_copy / "editions.csv", "a", encoding="utf-8") as fh:
        fh.write("physique-2023,physique,国民体质测定标准（2023）,x,2023,yes,x\n")
    with pytest.raises(StandardsError, match="exactly one default"):
        tables.editions()


def test_numeric_inputs_name_what_each_standard_reads():
    assert inputs.numeric_inputs("student", "student-2014")[:2] == ["height_cm", "weight_kg"]
    assert "age_years" in inputs.numeric_inputs("physique", "physique-2003")
