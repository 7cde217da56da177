"""Derived facts: what rules read besides the raw inputs (ARCHITECTURE.md "Derived facts").

One implementation, vectorised over a :class:`FactFrame`, serves both paths: the single
record is a frame of one row. That is slower than scalar code by a millisecond, and it makes
"identical results" true by construction instead of by testing two copies of every formula.

Decisions a reviewer should know (also in docs/ARCHITECTURE.md "Engine notes"):

* ``conditions``, ``medications``, ``symptom_codes`` that were not given are empty (a form
  with no box ticked), not missing; a rule that must know uses ``review_if_missing``.
* ``bp_grade`` uses the Chinese adult grades and is left missing for under-18s; with one
  pressure missing it is known only when the other is already grade 3.
* ``regularly_active``, when not given, is inferred from moderate + 2 × vigorous minutes per
  week ≥ 90 (the ACSM definition of ≥ 30 min on ≥ 3 days); missing when neither is given.
* ``hr_valid_marker`` is false under 18, with a heart-rate-lowering drug, atrial
  fibrillation or a pacemaker; missing when age is missing.
* ``weakest_items``: up to three scored test items below a pass (student score < 60,
  physique points ≤ 2), lowest first.
* ``fitness_tier``: the model's tier when it gives one; else the standard grade (excellent 1,
  good 2, pass 3, fail 4); the source and the model's abstain reason are recorded.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from .. import codes, standards
from ..standards.lookup import tenths
from .columns import CatCol, FactFrame, NumCol, column_from_values, fact_series
from .grades import derive_grades
from .registry import AGE_GROUP_BOUNDS, AGE_GROUPS, BP_GRADES

ACTIVE_MINUTES = 90.0
GRADE_TIER = {"excellent": 1, "good": 2, "pass": 3, "fail": 4}
TIER_SOURCES = ("none", "model", "standard_grade")
SBP_CUTS = (120.0, 140.0, 160.0, 180.0)  # China grades (domain.md §1.6) [CN-HTN]
DBP_CUTS = (80.0, 90.0, 100.0, 110.0)
HR_INVALID_CONDITIONS = frozenset({"atrial_fibrillation", "pacemaker"})


def _bool_col(values: np.ndarray, known: np.ndarray | None = None) -> NumCol:
    out = values.astype(float)
    if known is not None:
        out = np.where(known, out, np.nan)
    return NumCol(out)


def _has_any(ff: FactFrame, name: str, groups: frozenset[str]) -> np.ndarray:
    """Rows whose list fact contains any of ``groups`` (missing list: false)."""
    col = ff.get(name)
    lut = np.array([bool(groups.intersection(lv)) for lv in col.levels] + [False], dtype=bool)
    return lut[col.codes]


def _nullable_bool(series: pd.Series) -> NumCol:
    arr = series.astype("boolean")
    return NumCol(np.where(arr.isna().to_numpy(), np.nan, arr.fillna(False).to_numpy(dtype=float)))


def derive_facts(ff: FactFrame, profile: str = "CN2025", model: Any = None, *,
                 student_scores: pd.DataFrame | None = None) -> FactFrame:
    """Add every derived fact to ``ff`` (in place) and return it.

    ``student_scores`` (batch callers only): the student standard's result for these rows,
    already computed by the caller, so the standard is not run twice — see
    ``grades.derive_grades`` for the exact contract. The facts are the same with or without.
    """
    n = ff.n
    for name in ("conditions", "medications", "risk_factors"):
        col = ff.get(name)
        if isinstance(col, CatCol) and (col.codes < 0).any():
            levels = [*col.levels, ()]
            ff.set(name, CatCol(np.where(col.codes < 0, len(levels) - 1, col.codes), levels))
    age = ff.num("age_years")
    chosen = ff.get("screening_profile") if "screening_profile" in ff else _none(n)
    levels = [p or profile for p in chosen.levels]  # a row's own profile, else the rule set's
    ff.set("screening_profile", CatCol.from_codes(np.where(chosen.codes < 0, len(levels), chosen.codes),
                                                  [*levels, profile]))
    _age_group(ff, age)
    _body(ff, age)
    _heart(ff, age)
    _symptoms(ff)
    _screening(ff)
    _activity(ff)
    _youth(ff, age)
    derive_grades(ff, student_scores)
    _fitness(ff, model)
    return ff


def _age_group(ff: FactFrame, age: np.ndarray) -> None:
    codes_ = np.full(len(age), -1, dtype=np.intp)
    for i, group in enumerate(AGE_GROUPS):
        lo, hi = AGE_GROUP_BOUNDS[group]
        codes_[(age >= lo) & (age < hi)] = i
    ff.set("age_group", CatCol(codes_, list(AGE_GROUPS)))


def _body(ff: FactFrame, age: np.ndarray) -> None:
    h, w = ff.num("height_cm"), ff.num("weight_kg")
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = w / (h / 100.0) ** 2
    bmi = tenths(raw) / 10.0  # half up to 0.1, as the standards report it
    ff.set("bmi", NumCol(bmi))
    bmi_s, age_s, sex_s = pd.Series(bmi), pd.Series(age), fact_series(ff, "sex")
    youth = standards.bmi_class_youth_frame(bmi_s, age_s, sex_s).to_numpy(dtype=object)
    adult = standards.bmi_class_adult_frame(bmi_s).to_numpy(dtype=object)
    is_adult = age >= 18.0
    is_youth = (age >= 6.0) & (age < 18.0)
    cls = np.where(is_adult, adult, np.where(is_youth, youth, None))
    ff.set("bmi_class", CatCol.from_values(cls))
    central = _nullable_bool(standards.central_obesity_frame(pd.Series(ff.num("waist_cm")), sex_s))
    ff.set("central_obesity", NumCol(np.where(is_adult, central.values, np.nan)))


def _grade(values: np.ndarray, cuts: tuple[float, ...]) -> np.ndarray:
    g = np.searchsorted(np.asarray(cuts), values, side="right").astype(float)
    return np.where(np.isnan(values), np.nan, g)


def _heart(ff: FactFrame, age: np.ndarray) -> None:
    gs, gd = _grade(ff.num("sbp_mmhg"), SBP_CUTS), _grade(ff.num("dbp_mmhg"), DBP_CUTS)
    top = len(BP_GRADES) - 1
    both = np.fmax(gs, gd)  # NaN only when both are missing
    known = (~np.isnan(gs) & ~np.isnan(gd)) | (both == top)
    grade = np.where(known & (age >= 18.0), both, np.nan)
    ff.set("bp_grade", CatCol(np.where(np.isnan(grade), -1, grade).astype(np.intp), list(BP_GRADES)))
    hr_max = 208.0 - 0.7 * age  # Tanaka 2001 (domain.md §2.1)
    ff.set("hr_max_bpm", NumCol(hr_max))
    ff.set("hrr_bpm", NumCol(hr_max - ff.num("resting_hr_bpm")))
    beta = _has_any(ff, "medications", frozenset({"beta_blocker"}))
    hr_drug = _has_any(ff, "medications", codes.HR_ALTERING_MEDICATION_GROUPS)
    rhythm = _has_any(ff, "conditions", HR_INVALID_CONDITIONS)
    valid = ~(hr_drug | rhythm | (age < 18.0))
    ff.set("hr_valid_marker", _bool_col(valid, ~np.isnan(age)))
    ff.set("beta_blocker", _bool_col(beta))
    ff.set("insulin_or_secretagogue", _bool_col(_has_any(ff, "medications", codes.SECRETAGOGUE_GROUPS)))


def _symptoms(ff: FactFrame) -> None:
    """ACSM codes from the symptom list and free text, once per distinct combination."""
    from .. import symptoms as mapper

    sym, text = ff.get("symptoms"), ff.get("symptoms_text")
    pair_codes = (sym.codes + 1) * (len(text.levels) + 1) + (text.codes + 1)
    keys, inverse = np.unique(pair_codes, return_inverse=True)
    found, unread = [], []
    for key in keys.tolist():
        s_code, t_code = divmod(key, len(text.levels) + 1)
        texts = list(sym.levels[s_code - 1]) if s_code else []
        if t_code:
            texts.append(text.levels[t_code - 1])
        reading = mapper.read_symptoms(texts) if texts else None
        found.append(reading.codes if reading else ())
        unread.append(reading.unmapped if reading and reading.unmapped else None)
    inverse = inverse.reshape(-1)
    ff.set("symptom_codes", CatCol.from_values([found[k] for k in range(len(keys))]).take(inverse)
           if len(keys) else column_from_values("list", []))
    ff.set("symptoms_unmapped", CatCol.from_values(unread).take(inverse)
           if len(keys) else column_from_values("list", []))
    has = np.array([bool(f) for f in found], dtype=bool)[inverse] if len(keys) else np.zeros(0, bool)
    ff.set("has_symptoms", _bool_col(has))


def _screening(ff: FactFrame) -> None:
    """ACSM 2015 disease, and disease under each row's screening profile (domain.md §1.3)."""
    acsm = _has_any(ff, "conditions", codes.ACSM_DISEASE_GROUPS)
    ff.set("known_cmr_disease", _bool_col(acsm))
    obese = ff.get("bmi_class")
    obese_adult = np.array([lv == "obese" for lv in obese.levels] + [False], dtype=bool)[obese.codes] \
        & (ff.num("age_years") >= 18.0)
    cn2025 = _has_any(ff, "conditions", codes.CN2025_DISEASE_GROUPS) | obese_adult
    profile = ff.get("screening_profile")
    is_acsm = np.array([lv == "ACSM2015" for lv in profile.levels] + [False], dtype=bool)[profile.codes]
    ff.set("screening_disease", _bool_col(np.where(is_acsm, acsm, cn2025)))


def _activity(ff: FactFrame) -> None:
    given = ff.num("regularly_active")
    mod, vig = ff.num("moderate_min_per_week"), ff.num("vigorous_min_per_week")
    any_minutes = ~np.isnan(mod) | ~np.isnan(vig)
    equivalent = np.nan_to_num(mod) + 2.0 * np.nan_to_num(vig)
    inferred = np.where(any_minutes, (equivalent >= ACTIVE_MINUTES).astype(float), np.nan)
    ff.set("regularly_active", NumCol(np.where(np.isnan(given), inferred, given)))


def _youth(ff: FactFrame, age: np.ndarray) -> None:
    s = lambda name: pd.Series(ff.num(name))  # noqa: E731 - a local shorthand
    ff.set("screening_myopia", _nullable_bool(standards.screening_myopia_frame(
        s("uncorrected_va_left"), s("uncorrected_va_right"), s("spherical_equivalent_d"), pd.Series(age))))
    ff.set("atr_band", CatCol.from_values(standards.atr_band_frame(s("atr_deg")).to_numpy()))
    atr, cobb = ff.num("atr_deg"), ff.num("cobb_deg")
    band = ff.get("atr_band")
    atr_pos = np.array([lv in ("observe", "positive", "refer") for lv in band.levels] + [False])[band.codes]
    positive = atr_pos | (cobb >= 10.0)
    known = positive | ~np.isnan(atr)  # negative ATR decides "no" unless a Cobb angle says yes
    ff.set("scoliosis_screen_positive", _bool_col(positive, known))


def _fitness(ff: FactFrame, model: Any) -> None:
    n = ff.n
    tier = np.full(n, np.nan)
    prob = np.full(n, np.nan)
    items = abstain = None
    source = np.zeros(n, dtype=np.intp)  # index into TIER_SOURCES
    if model is not None:
        pred = model.predict_frame(model_input(ff))
        tier = pd.to_numeric(pred["fitness_tier"], errors="coerce").to_numpy(dtype=float)
        prob = pd.to_numeric(pred["fitness_tier_probability"], errors="coerce").to_numpy(dtype=float)
        items = CatCol.from_values([_as_tuple(v) for v in pred["fitness_tier_items"].tolist()])
        abstain = CatCol.from_values([v if isinstance(v, str) and v else None
                                      for v in pred["fitness_tier_abstain_reason"].tolist()])
        source = np.where(np.isnan(tier), 0, 1)
    # the student grade when there is one, else the physique grade
    student, physique = ff.get("student_grade"), ff.get("physique_grade")
    from_grade = np.where(student.codes >= 0, _tiers(student), _tiers(physique))
    use_grade = np.isnan(tier) & ~np.isnan(from_grade)
    tier = np.where(use_grade, from_grade, tier)
    source = np.where(use_grade, 2, source)
    ff.set("fitness_tier", NumCol(tier))
    ff.set("fitness_tier_probability", NumCol(np.where(use_grade, np.nan, prob)))
    ff.set("fitness_tier_source", CatCol.from_codes(source, TIER_SOURCES))
    ff.set("fitness_tier_items", _none(n) if items is None else items)
    ff.set("fitness_tier_abstain_reason", _none(n) if abstain is None else abstain)


def _tiers(grade: CatCol) -> np.ndarray:
    """Tier per row from a grade column (NaN where no grade), looked up once per level."""
    return np.array([GRADE_TIER.get(g, np.nan) for g in grade.levels] + [np.nan])[grade.codes]


def _none(n: int) -> CatCol:
    """A coded fact missing on every row."""
    return CatCol(np.full(n, -1, dtype=np.intp), [])


def _as_tuple(v: Any) -> tuple[str, ...] | None:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return None
    if isinstance(v, str):
        return tuple(x.strip() for x in v.replace(";", ",").split(",") if x.strip())
    return tuple(v)


def model_input(ff: FactFrame) -> pd.DataFrame:
    """The inputs a fitness model reads, as a DataFrame with vocabulary names."""
    from ..vocabulary import VARIABLES

    cols: Mapping[str, Any] = {v.name: fact_series(ff, v.name) for v in VARIABLES
                               if v.kind in ("number", "count", "enum") and v.name in ff}
    return pd.DataFrame(cols)
