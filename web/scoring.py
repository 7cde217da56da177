"""Scores, grades and screening flags for one assessment, computed by ``prescribe.standards``.

The web layer only gathers the record and keeps the result with the assessment so the
patient page and the progress chart show what the standard said on that day.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from prescribe.assessment import Assessment

from .clinic import optional_module
from .standard_items import StandardGroup, standard_group
from .tables import Patient


def core_record(patient: Patient, assessed_on: dt.date, values: dict[str, Any]) -> dict[str, Any]:
    """The mapping the core parses: the person's fixed details plus this visit's values."""
    record: dict[str, Any] = {"sex": patient.sex, "birth_date": patient.birth_date,
                              "test_date": assessed_on}
    if patient.grade_code:
        record["grade_code"] = patient.grade_code
    record.update(values)
    return record


def group_for(patient: Patient, assessed_on: dt.date) -> StandardGroup:
    return standard_group(patient.age_on(assessed_on), patient.sex, patient.grade_code)


def _clean(value: Any) -> Any:
    """JSON-safe plain values (NaN → None, numpy scalars → Python)."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def score(parsed: Assessment, group: StandardGroup) -> dict[str, Any]:
    """Score against the person's standard and add the screening flags.

    Returns ``{"group", "standard", "result", "flags"}``; ``result`` is ``None`` when no
    standard applies or the standards module is not installed.
    """
    standards = optional_module("prescribe.standards")
    out: dict[str, Any] = {"group": group.key, "standard": group.standard, "result": None,
                           "flags": {}}
    if standards is None:
        return out
    record = parsed.to_dict()
    if group.standard is not None:
        result = standards.score_record(record, group.standard)
        out["result"] = {k: _clean(v) for k, v in dict(result).items()}
    out["flags"] = _flags(standards, parsed)
    return out


def _flags(standards: Any, parsed: Assessment) -> dict[str, Any]:
    age, sex = parsed.get("age_years"), parsed.get("sex")
    height, weight = parsed.get("height_cm"), parsed.get("weight_kg")
    flags: dict[str, Any] = {}
    if height and weight:
        bmi = round(weight / (height / 100) ** 2, 1)
        flags["bmi"] = bmi
        if age is not None and age >= 18:
            flags["bmi_class"] = standards.bmi_class_adult(bmi)
        elif age is not None and sex:
            flags["bmi_class"] = standards.bmi_class_youth(bmi, age, sex)
    if parsed.get("waist_cm") is not None and sex and (age is None or age >= 18):
        flags["central_obesity"] = standards.central_obesity(parsed.get("waist_cm"), sex)
    va_l, va_r = parsed.get("uncorrected_va_left"), parsed.get("uncorrected_va_right")
    if va_l is not None or va_r is not None:
        flags["screening_myopia"] = standards.screening_myopia(
            va_l, va_r, parsed.get("spherical_equivalent_d"), age)
    if parsed.get("atr_deg") is not None:
        flags["atr_band"] = standards.atr_band(parsed.get("atr_deg"))
    return {k: _clean(v) for k, v in flags.items()}
