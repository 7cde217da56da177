"""Scoring one record with plain Python: bisect on sorted ladders, integer arithmetic.

This is deliberately a second implementation of ``student.score_students`` and
``physique.score_physique`` (same compiled tables, different algorithm), used for single
assessments in the web app; property tests check the two agree on thousands of records.
The returned dict has the same keys as the frame's columns, with ``None`` for empty.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from typing import Any

from .lookup import tenths_one
from .physique import HW_SCORES, PhysiqueTables
from .student import BMI_CATEGORIES, StudentTables


def _get(values: dict[str, Any], name: str) -> float | None:
    value = values.get(name)
    return None if value is None else float(value)


def _count_lower(bounds: Any, value: float) -> int:
    """How many of the per-key lower bounds after the first (-inf) a value reaches."""
    return bisect_right(sorted(float(b) for b in bounds[1:]), value)


def _names(bits: int, names: tuple[str, ...]) -> str:
    return ";".join(n for j, n in enumerate(names) if bits >> j & 1)


def score_student_one(values: dict[str, Any], tables: StudentTables) -> dict[str, Any]:
    """Score one cleaned student record (see ``inputs.prepare_record``)."""
    key = tables.group_of_code[values["grade_code"]] * 2 + (values["sex"] == "F")
    weights = tables.weights[key]
    height, weight = _get(values, "height_cm"), _get(values, "weight_kg")
    out: dict[str, Any] = {"bmi": None, "bmi_category": None, "score_bmi": None}
    hundredths, missing = 0, 0
    if height is not None and weight is not None:
        metres = height / 100.0
        bmi_t = tenths_one(weight / (metres * metres))
        band = _count_lower(tables.bmi_lower[key], bmi_t)
        score = int(tables.bmi_scores[key, band])
        out.update(bmi=bmi_t / 10.0, bmi_category=BMI_CATEGORIES[band], score_bmi=score)
        hundredths += score * int(weights[0])
    elif weights[0]:
        missing |= 1
    for j, item in enumerate(tables.items, start=1):
        score = tables.levels[item].score_one(_get(values, item), key)
        out[f"score_{item}"] = None if score is None else int(score)
        if score is not None:
            hundredths += int(score) * int(weights[j])
        elif weights[j]:
            missing |= 1 << j
    bonus = 0
    for item, table in tables.bonus.items():
        got = table.score_one(_get(values, item), key)
        bonus += 0 if got is None else int(got)
    bonus = min(bonus, tables.bonus_cap)
    total = hundredths + 100 * bonus
    out["bonus_points"] = bonus
    if missing:
        out.update(total_score=None, grade="")
    else:
        grade = bisect_right(tables.grade_cuts, (total + 5) // 10)
        out.update(total_score=total / 100.0, grade=tables.grade_labels[grade])
    out["missing_items"] = _names(missing, ("bmi", *tables.items))
    out["standard_edition"] = tables.edition
    return out


def score_physique_one(values: dict[str, Any], tables: PhysiqueTables) -> dict[str, Any]:
    """Score one cleaned physique record (``age_years`` set by ``inputs.prepare_record``)."""
    age = float(values["age_years"])
    band = bisect_right(tables.band_starts.tolist(), age) - 1
    key = band * 2 + (values["sex"] == "F")
    required = tables.required[key]
    height, weight = _get(values, "height_cm"), _get(values, "weight_kg")
    out: dict[str, Any] = {"bmi": None, "age_band": tables.band_labels[band],
                           "score_height_weight": None}
    total, missing, unscored = 0, 0, 0
    if height is not None and weight is not None:
        metres = height / 100.0
        out["bmi"] = tenths_one(weight / (metres * metres)) / 10.0
        hw = _height_weight_one(tables, key, height, weight)
        if required[0]:
            out["score_height_weight"] = hw
            total += hw or 0
            unscored |= int(hw is None)
    elif required[0]:
        missing |= 1
    for j, item in enumerate(tables.items, start=1):
        value = _get(values, item)
        score = tables.levels[item].score_one(value, key) if required[j] else None
        out[f"score_{item}"] = None if score is None else int(score)
        if required[j] and value is None:
            missing |= 1 << j
        elif required[j] and score is None:
            unscored |= 1 << j
        total += 0 if score is None else int(score)
    complete = not missing and not unscored
    cuts = [int(c) for c in tables.grade_cuts[key]]
    out["total_points"] = total if complete else None
    out["grade"] = tables.grade_labels[bisect_right(cuts, total)] if complete else ""
    names = ("height_weight", *tables.items)
    out["missing_items"] = _names(missing, names)
    out["unscored_items"] = _names(unscored, names)
    out["standard_edition"] = tables.edition
    return out


def _height_weight_one(tables: PhysiqueTables, key: int, height: float,
                       weight: float) -> int | None:
    hwk = int(tables.hw_key[key])
    row = math.floor(tenths_one(height) / 10.0) - int(tables.hw_hmin[hwk])
    if not 0 <= row < int(tables.hw_rows[hwk]):
        return None
    bounds = tables.hw_lower[hwk * tables.max_rows + row]
    return HW_SCORES[_count_lower(bounds, tenths_one(weight))]
