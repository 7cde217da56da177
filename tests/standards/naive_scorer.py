"""A deliberately naive third scorer, used only as a test oracle.

It reads the project's table files with the ``csv`` module and applies the written
conventions literally (linear scans, ``Decimal`` half-up rounding), sharing no code with
``prescribe.standards``. If the vectorised and the record scorer both drifted the same
way, this one would still disagree.
"""

from __future__ import annotations

import csv
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

TABLES = Path(__file__).resolve().parents[2] / "prescribe" / "standards" / "tables"


@cache
def rows(name: str) -> tuple[dict, ...]:
    with open(TABLES / name, encoding="utf-8") as fh:
        return tuple(csv.DictReader(fh))


def half_up(x: float, places: int = 1) -> Decimal:
    return Decimal(repr(x)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def ladder_score(levels: list[tuple[float, float]], higher: bool, value: float,
                 below: float | None) -> float | None:
    best = below
    for score, threshold in levels:
        if (value >= threshold) if higher else (value <= threshold):
            best = score if best is None else max(best, score)
    return best


def _levels(table: str, match: dict, item: str, score_col: str = "score"):
    return _levels_cached(table, tuple(sorted(match.items())), item, score_col)


@cache
def _levels_cached(table: str, match: tuple, item: str, score_col: str):
    got = [r for r in rows(table) if r["item"] == item and all(r[k] == v for k, v in match)]
    if not got:
        return None, None
    higher = got[0]["direction"] == "higher_better"
    inf = float("-inf") if higher else float("inf")
    return [(float(r[score_col]), float(r["threshold"]) if r["threshold"] else inf)
            for r in got], higher


def student(record: dict) -> dict:
    group = {r["grade_code"]: r["grade_group"] for r in rows("student-2014__grade_codes.csv")}[
        str(record["grade_code"])]
    sex = record["sex"]
    match = {"grade_group": group, "sex": sex}
    weights = {r["item"]: int(r["weight_pct"]) for r in rows("student-2014__weights.csv")
               if r["grade_group"] == group and r["sex"] == sex}
    out, total, missing = {}, Decimal(0), []
    h, w = record.get("height_cm"), record.get("weight_kg")
    if h is not None and w is not None:
        bmi = half_up(w / (h / 100) ** 2)
        for r in rows("student-2014__bmi_bands.csv"):
            if r["grade_group"] == group and r["sex"] == sex and \
                    (not r["bmi_min"] or bmi >= Decimal(r["bmi_min"])) and \
                    (not r["bmi_max"] or bmi <= Decimal(r["bmi_max"])):
                out["score_bmi"] = int(r["score"])
        total += out["score_bmi"] * weights["bmi"]
    else:
        out["score_bmi"] = None
        missing.append("bmi")
    items = sorted({r["item"] for r in rows("student-2014__item_scores.csv")})
    for item in items:
        levels, higher = _levels("student-2014__item_scores.csv", match, item)
        value = record.get(item)
        score = None if levels is None or value is None else ladder_score(levels, higher, value, 0)
        out[f"score_{item}"] = None if score is None else int(score)
        if item in weights:
            if score is None:
                missing.append(item)
            else:
                total += int(score) * weights[item]
    bonus = 0
    for item in {r["item"] for r in rows("student-2014__bonus.csv")}:
        levels, higher = _levels("student-2014__bonus.csv", match, item, "bonus_points")
        if levels and record.get(item) is not None:
            bonus += int(ladder_score(levels, higher, record[item], 0))
    out["bonus_points"] = min(bonus, 20)
    if missing:
        out["total_score"], out["grade"] = None, ""
    else:
        exact = total / 100 + out["bonus_points"]
        shown = exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        out["total_score"] = float(exact)
        out["grade"] = ("excellent" if shown >= 90 else "good" if shown >= 80 else
                        "pass" if shown >= 60 else "fail")
    out["missing_items"] = set(missing)
    return out


def _band(table: str, age: float) -> dict | None:
    for r in rows(table):
        if float(r["age_min"]) <= age < float(r["age_max"]):
            return r
    return None


def physique(record: dict) -> dict:
    age, sex = record["age_years"], record["sex"]
    band = _band("physique-2003__item_scores.csv", age)
    key = {"population": band["population"], "age_min": band["age_min"],
           "age_max": band["age_max"], "sex": sex}
    needed = [r["item"] for r in rows("physique-2003__items.csv")
              if all(r[k] == v for k, v in key.items())]
    out, total, missing, unscored = {}, 0, [], []
    for item in needed:
        if item == "height_weight":
            h, w = record.get("height_cm"), record.get("weight_kg")
            score = None if h is None or w is None else _height_weight(band["population"], age,
                                                                      sex, h, w)
            given = h is not None and w is not None
        else:
            levels, higher = _levels("physique-2003__item_scores.csv", key, item)
            value = record.get(item)
            given = value is not None
            score = None if not given else ladder_score(levels, higher, value, None)
        out[f"score_{item}"] = None if score is None else int(score)
        if not given:
            missing.append(item)
        elif score is None:
            unscored.append(item)
        else:
            total += int(score)
    complete = not missing and not unscored
    out["total_points"] = total if complete else None
    out["grade"] = ""
    if complete:
        for r in rows("physique-2003__grades.csv"):
            if r["population"] == band["population"] and float(r["age_min"]) <= age < \
                    float(r["age_max"]) and int(r["total_min"]) <= total <= int(r["total_max"]):
                out["grade"] = r["grade"]
    out["missing_items"], out["unscored_items"] = set(missing), set(unscored)
    return out


@cache
def _hw_rows(population: str, sex: str, height_cm: int) -> tuple[dict, ...]:
    return tuple(r for r in rows("physique-2003__height_weight.csv")
                 if r["population"] == population and r["sex"] == sex
                 and float(r["height_min_cm"]) == height_cm)


def _height_weight(population: str, age: float, sex: str, h: float, w: float) -> int | None:
    hr, wr = half_up(h), half_up(w)
    for r in _hw_rows(population, sex, int(hr)):
        if float(r["age_min"]) <= age < float(r["age_max"]) and \
                Decimal(r["height_min_cm"]) <= hr <= Decimal(r["height_max_cm"]) and \
                (not r["weight_min_kg"] or wr >= Decimal(r["weight_min_kg"])) and \
                (not r["weight_max_kg"] or wr <= Decimal(r["weight_max_kg"])):
            return int(r["score"])
    return None
