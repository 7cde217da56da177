# ruff: noqa: INP001  -- a maintainer script run as a file, not an importable package
"""Build the project's standard tables from the shared reference CSVs.

The reference copies in ``../shared/standards`` are transcriptions with their own column
names and cross-check notes; the project keeps its own tidy tables, one set of files per
edition (``<edition>__<table>.csv`` in ``prescribe/standards/tables/``), so a new edition
can be added as data files alone. This script is the only way those files are produced:
every decision taken while converting (which misprint resolution, which confidence flag)
is made here, in code that can be re-run and reviewed, and is described in
``prescribe/standards/tables/PROVENANCE.md``.

Usage::

    python tools/build_standard_tables.py [--shared ../shared/standards]
    python tools/build_standard_tables.py --manifest-only   # after editing a table by hand
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
TABLES = ROOT / "prescribe" / "standards" / "tables"
DEFAULT_SHARED = ROOT.parent / "shared" / "standards"

STUDENT = "student-2014"
PHYSIQUE = "physique-2003"

GRADE_CODES = [  # official 年级编号 → the reference table's grade group
    ("11", "G1", "小学", "一年级", "Primary 1"), ("12", "G2", "小学", "二年级", "Primary 2"),
    ("13", "G3", "小学", "三年级", "Primary 3"), ("14", "G4", "小学", "四年级", "Primary 4"),
    ("15", "G5", "小学", "五年级", "Primary 5"), ("16", "G6", "小学", "六年级", "Primary 6"),
    ("21", "G7", "初中", "初一", "Junior 1"), ("22", "G8", "初中", "初二", "Junior 2"),
    ("23", "G9", "初中", "初三", "Junior 3"), ("31", "G10", "高中", "高一", "Senior 1"),
    ("32", "G11", "高中", "高二", "Senior 2"), ("33", "G12", "高中", "高三", "Senior 3"),
    ("41", "U12", "大学", "大学一年级", "University 1"),
    ("42", "U12", "大学", "大学二年级", "University 2"),
    ("43", "U34", "大学", "大学三年级", "University 3"),
    ("44", "U34", "大学", "大学四年级", "University 4"),
]
GROUP_ORDER = ["G1", "G2", "G3", "G4", "G5", "G6", "G7", "G8", "G9", "G10", "G11", "G12",
               "U12", "U34"]
WEIGHT_GROUPS = {"G1-G2": GROUP_ORDER[0:2], "G3-G4": GROUP_ORDER[2:4],
                 "G5-G6": GROUP_ORDER[4:6], "G7-G9": GROUP_ORDER[6:9],
                 "G10-G12": GROUP_ORDER[9:12], "U12-U34": GROUP_ORDER[12:14]}
POPULATIONS = {"成年人": "adult", "老年人": "elderly", "幼儿": "child"}
GRADES_2003 = {"一级": "excellent", "二级": "good", "三级": "pass", "四级": "fail"}


def _band(text: str) -> tuple[float, float]:
    """'20-24' → (20, 25); '3.0-3.5' → (3.0, 3.5). Whole-year bands include their last year."""
    lo, hi = text.split("-")
    if "." in text:
        return float(lo), float(hi)
    return float(lo), float(hi) + 1


def _write(frame: pd.DataFrame, name: str) -> None:
    frame.to_csv(TABLES / name, index=False, lineterminator="\n", float_format="%g")
    print(f"wrote {name}: {len(frame)} rows")


def build_student(src: Path) -> None:
    codes = pd.DataFrame(GRADE_CODES, columns=["grade_code", "grade_group", "stage",
                                               "label_zh", "label_en"])
    _write(codes, f"{STUDENT}__grade_codes.csv")

    s = pd.read_csv(src / "student_scores.csv")
    # Middle school is single-sourced except its 100-point row (reference PROVENANCE §1).
    single = s["stage"].eq("初中") & s["score"].ne(100)
    s["confidence"] = single.map({True: "single_source", False: "high"})
    s = s.rename(columns={"grade_code": "grade_group", "item_cn": "item_zh"})
    s["grade_group"] = pd.Categorical(s["grade_group"], GROUP_ORDER, ordered=True)
    s = s.sort_values(["grade_group", "sex", "item", "score"], ascending=[True, True, True, False])
    _write(s[["grade_group", "sex", "item", "item_zh", "unit", "direction", "score", "threshold",
              "confidence"]], f"{STUDENT}__item_scores.csv")

    b = pd.read_csv(src / "student_bmi_grading.csv")
    b = b.rename(columns={"grade_code": "grade_group", "category": "category_zh",
                          "category_en": "category"})
    _write(b[["grade_group", "sex", "category", "category_zh", "score", "bmi_min", "bmi_max"]],
           f"{STUDENT}__bmi_bands.csv")

    w = pd.read_csv(src / "student_item_weights.csv")
    rows = []
    for rec in w.itertuples():
        for group in WEIGHT_GROUPS[rec.grades]:
            for sex in ("M", "F"):
                item = rec.item
                if "(M)/" in item:  # "pull_up_count(M)/sit_up_1min_count(F)"
                    male, female = item.split("/")
                    item = male.removesuffix("(M)") if sex == "M" else female.removesuffix("(F)")
                rows.append((group, sex, item, int(rec.weight_pct)))
    weights = pd.DataFrame(rows, columns=["grade_group", "sex", "item", "weight_pct"])
    bad = weights.groupby(["grade_group", "sex"])["weight_pct"].sum().ne(100)
    if bad.any():
        raise SystemExit(f"weights do not sum to 100: {list(bad[bad].index)}")
    _write(weights, f"{STUDENT}__weights.csv")

    bo = pd.read_csv(src / "student_bonus.csv")
    bo = bo.rename(columns={"grade_code": "grade_group", "absolute_threshold": "threshold"})
    _write(bo[["grade_group", "sex", "item", "unit", "direction", "bonus_points", "threshold",
               "margin_vs_100pt"]], f"{STUDENT}__bonus.csv")

    grades = pd.DataFrame([
        ("excellent", "优秀", 90.0), ("good", "良好", 80.0), ("pass", "及格", 60.0),
        ("fail", "不及格", None)], columns=["grade", "grade_zh", "total_min"])
    _write(grades, f"{STUDENT}__grades.csv")

    rules = pd.DataFrame([
        ("bonus_cap_total", 20, "bonus points counted in the total at most (学生体质健康标准 附加分)"),
        ("bmi_decimals", 1, "BMI rounded half up to this many decimals before matching bands"),
        ("grade_total_decimals", 1, "grade read from the total rounded half up to this many decimals"),
        ("score_below_lowest_level", 0, "an item result worse than the 10-point level scores 0"),
    ], columns=["rule", "value", "note"])
    _write(rules, f"{STUDENT}__rules.csv")


def _physique_scores(src: Path) -> pd.DataFrame:
    frames = [pd.read_csv(src / name) for name in
              ("physique_adult_scores.csv", "physique_elderly_scores.csv",
               "physique_child_scores.csv")]
    p = pd.concat(frames, ignore_index=True)
    p["population"] = p["population"].map(POPULATIONS)
    bands = p["age_band"].map(_band)
    p["age_min"] = bands.str[0]
    p["age_max"] = bands.str[1]
    p = p.rename(columns={"item_cn": "item_zh"})
    return p


def build_physique(src: Path) -> None:
    p = _physique_scores(src)
    cols = ["population", "age_min", "age_max", "sex", "item", "item_zh", "unit", "direction",
            "score", "threshold", "confidence", "note"]
    _write(p[cols], f"{PHYSIQUE}__item_scores.csv")

    hw = pd.read_csv(src / "physique_height_weight.csv")
    hw["population"] = hw["population"].map(POPULATIONS)
    bands = hw["age_band"].map(_band)
    hw["age_min"] = bands.str[0]
    hw["age_max"] = bands.str[1]
    _write(hw[["population", "age_min", "age_max", "sex", "height_min_cm", "height_max_cm",
               "score", "category", "category_cn", "weight_min_kg", "weight_max_kg",
               "confidence", "note"]].rename(columns={"category_cn": "category_zh"}),
           f"{PHYSIQUE}__height_weight.csv")

    items = (p[["population", "age_min", "age_max", "sex", "item"]].drop_duplicates()
             .reset_index(drop=True))
    hw_rows = items[["population", "age_min", "age_max", "sex"]].drop_duplicates().assign(
        item="height_weight")
    items = pd.concat([hw_rows, items]).sort_values(["age_min", "sex"], kind="stable")
    _write(items, f"{PHYSIQUE}__items.csv")

    g = pd.read_csv(src / "physique_overall_grades.csv")
    g["population"] = g["population"].map(POPULATIONS)
    bands = g["age_band"].map(_band)
    g["age_min"] = bands.str[0]
    g["age_max"] = bands.str[1]
    g["grade_zh"] = g["grade"] + "（" + g["grade_cn"] + "）"
    g["grade"] = g["grade"].map(GRADES_2003)
    _write(g[["population", "age_min", "age_max", "grade", "grade_zh", "total_min", "total_max",
              "max_total", "confidence"]], f"{PHYSIQUE}__grades.csv")


def build_weight_and_screening(src: Path) -> None:
    w = pd.read_csv(src / "wst586_bmi_cutoffs.csv")
    w = w.rename(columns={"age_years_from": "age_from", "overweight_bmi_min": "overweight_min",
                          "obesity_bmi_min": "obese_min"})
    w["note"] = ""
    girls13 = w["sex"].eq("F") & w["age_from"].eq(13)
    if not (w.loc[girls13, "overweight_min"].eq(22.2).all()
            and w.loc[girls13, "obese_min"].eq(25.0).all()):
        raise SystemExit("WS/T 586 girls 13.0 row is not 22.2/25.0 in the reference")
    w.loc[girls13, "note"] = ("one of three sources repeats the 13.5 row (22.6/25.6); "
                              "22.2/25.0 kept (domain.md §5.2)")
    _write(w[["sex", "age_from", "overweight_min", "obese_min", "note"]],
           "wst586-2018__bmi_cutoffs.csv")

    adult = pd.DataFrame([
        ("underweight", None, 18.5), ("normal", 18.5, 24.0), ("overweight", 24.0, 28.0),
        ("obese", 28.0, None)], columns=["class", "bmi_min", "bmi_below"])
    _write(adult, "wst428-2013__bmi_classes.csv")
    waist = pd.DataFrame([("M", 85, 90), ("F", 80, 85)],
                         columns=["sex", "pre_central_min_cm", "central_min_cm"])
    _write(waist, "wst428-2013__waist.csv")

    facts = pd.read_csv(src / "screening_facts.csv").set_index("fact_id")
    va = float(facts.loc["screening_myopia_va", "value"])
    se = float(facts.loc["screening_myopia_se", "value"])
    myopia = pd.DataFrame([
        ("min_age_years", ">=", 6.0, "y", "the definition applies from age 6"),
        ("va_below", "<", va, "5-point VA", "uncorrected VA below this in either eye"),
        ("se_at_or_below", "<=", se, "D",
         "issue #2 fixes 'at or below'; the 2019 reprint and the wupol code write '<'"),
    ], columns=["criterion", "operator", "value", "unit", "note"])
    _write(myopia, "myopia-2021__criteria.csv")

    bands = [("negative", None, float(facts.loc["atr_band_1", "value"]), "no", "正常"),
             ("observe", 5.0, 7.0, "yes", "建议随访 follow-up"),
             ("positive", 7.0, 10.0, "yes", "筛查阳性"),
             ("refer", float(facts.loc["atr_band_4", "value"]), None, "yes",
              "建议进一步检查 further examination")]
    if float(facts.loc["forward_bend_positive", "value"]) != 5.0:
        raise SystemExit("forward-bend positive threshold is no longer 5°")
    _write(pd.DataFrame(bands, columns=["band", "atr_min_deg", "atr_below_deg",
                                        "screen_positive", "meaning"]),
           "scoliosis-2014__atr_bands.csv")


EDITIONS = [
    (STUDENT, "student", "国家学生体质健康标准（2014年修订）",
     "National Student Physical Health Standard (2014 revision)", 2014, "yes",
     "grade codes 11-16, 21-23, 31-33, 41-44"),
    (PHYSIQUE, "physique", "国民体质测定标准（2003年版）",
     "National Physical Fitness Measurement Standard (2003 edition)", 2003, "yes",
     "ages 3-6 (half-year groups), 20-59 (5-year bands), 60-69"),
    ("wst586-2018", "youth_bmi", "WS/T 586-2018 学龄儿童青少年超重与肥胖筛查",
     "WS/T 586-2018 Screening for overweight and obesity among school-age children", 2018,
     "yes", "ages 6.0-18.x, half-year rows"),
    ("wst428-2013", "adult_weight", "WS/T 428-2013 成人体重判定",
     "WS/T 428-2013 Criteria of weight for adults", 2013, "yes", "adults"),
    ("myopia-2021", "myopia", "儿童青少年近视防控适宜技术指南（2019；更新版2021）",
     "Guideline on appropriate techniques for myopia prevention in children (2019, 2021 update)",
     2021, "yes", "ages 6 and over"),
    ("scoliosis-2014", "scoliosis", "GB/T 16133-2014 儿童青少年脊柱弯曲异常的筛查（筛查表用法）",
     "GB/T 16133-2014 Screening of spinal curvature abnormality (as used in screening forms)",
     2014, "yes", "school screening"),
]


def write_editions() -> None:
    _write(pd.DataFrame(EDITIONS, columns=["edition", "standard", "title_zh", "title_en",
                                           "year", "default", "scope"]), "editions.csv")


def write_manifest() -> None:
    rows = []
    for path in sorted(TABLES.glob("*.csv")):
        if path.name == "checksums.csv":
            continue
        rows.append((path.name, hashlib.sha256(path.read_bytes()).hexdigest()))
    pd.DataFrame(rows, columns=["file", "sha256"]).to_csv(
        TABLES / "checksums.csv", index=False, lineterminator="\n")
    print(f"wrote checksums.csv: {len(rows)} files")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--manifest-only", action="store_true")
    args = parser.parse_args(argv)
    if not args.manifest_only:
        if not args.shared.is_dir():
            print(f"no reference folder at {args.shared}", file=sys.stderr)
            return 2
        TABLES.mkdir(parents=True, exist_ok=True)
        build_student(args.shared)
        build_physique(args.shared)
        build_weight_and_screening(args.shared)
        write_editions()
    write_manifest()
    return 0


if __name__ == "__main__":
    sys.exit(main())
