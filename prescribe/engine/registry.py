"""The closed set of names a rule file may use: facts (vocabulary inputs plus the facts the
engine derives) and the enumerations of the effect vocabulary.

One registry serves the loader (every name is checked against it, with a suggestion for a
typo), the linter (fact ranges and recording resolution tile the bands) and the fact
derivation (the derived facts declared here are exactly the ones ``facts.py`` computes).
A custom registry is only for programmatic use (the benchmark declares its own workload
fields); the product always runs on :func:`default_registry`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .. import codes, vocabulary
from ..vocabulary import ACSM_WARNING_SIGNS, ITEM_CODES, RISK_FACTORS

INTENSITY_LEVELS = ("very_light", "light", "moderate", "vigorous", "near_maximal")
"""Ascending: a lower index is more conservative."""
LEVEL_RANK = {name: i for i, name in enumerate(INTENSITY_LEVELS)}

COMPONENT_TYPES = ("aerobic", "resistance", "flexibility", "neuromotor_balance",
                   "bone_strengthening", "outdoor_activity", "scoliosis_specific_exercise",
                   "posture_back_extensor", "breathing", "pelvic_floor")
REFERRAL_TARGETS = ("physician", "cardiology", "emergency", "endocrinology", "nephrology",
                    "respiratory", "pulmonary_rehabilitation", "rehabilitation_medicine",
                    "physiotherapy", "geriatrics", "falls_clinic", "obstetrics", "ophthalmology",
                    "optometry", "orthopaedics_spine")
URGENCIES = ("routine", "soon", "urgent", "emergency")
"""Ascending urgency."""
EXCLUSION_CODES = (
    "vigorous_intensity", "heavy_valsalva_lifting", "maximal_isometric_effort",
    "high_impact_jumping", "deep_loaded_knee_flexion", "loaded_spinal_flexion",
    "spinal_twisting_under_load", "contact_sports", "competitive_spine_mobilising_sports",
    "scuba_diving", "high_fall_risk_activities", "supine_after_first_trimester",
    "hot_environment_exercise", "high_altitude_exertion", "cold_air_endurance",
    "exercising_alone", "swimming_unsupervised", "fistula_arm_loading", "head_down_positions",
    "unsupervised_balance_challenge",
)
"""Modalities a rule may exclude (domain.md §4). ``prescribe.activities`` maps activities to
the exclusion codes that forbid them; a new code is added here first."""

AGE_GROUPS = ("preschool_3_6", "youth_6_17", "adult_18_64", "older_65_plus")
AGE_GROUP_BOUNDS = {"preschool_3_6": (3.0, 6.0), "youth_6_17": (6.0, 18.0),
                    "adult_18_64": (18.0, 65.0), "older_65_plus": (65.0, 200.0)}
"""Half-open [lo, hi) ages in years: the linter uses them to scope rules to age groups."""
GRADES = ("excellent", "good", "pass", "fail")
BP_GRADES = ("normal", "high_normal", "grade1", "grade2", "grade3")
ATR_BANDS = ("negative", "observe", "positive", "refer")
BMI_CLASSES = ("underweight", "normal", "overweight", "obese")


@dataclass(frozen=True)
class FactSpec:
    """What a rule may say about one fact.

    ``items`` lists the codes a list fact may contain (``None``: any code); ``aliases`` maps
    other spellings (an ICD-10 code, an ATC prefix) to an item. ``settable`` lists the
    values a rule's ``set`` effect may assign: only values that make the plan more
    conservative (``hr_valid_marker`` may be set to false, never to true).
    """

    name: str
    kind: str
    label_zh: str
    label_en: str
    lo: float | None = None
    hi: float | None = None
    resolution: float | None = None
    choices: tuple[str, ...] = ()
    items: tuple[str, ...] | None = None
    aliases: Mapping[str, str] = field(default_factory=dict)
    ordered: bool = False
    derived: bool = False
    settable: tuple = ()

    @property
    def numeric(self) -> bool:
        return self.kind in ("number", "count")

    def label(self) -> dict[str, str]:
        return {"zh": self.label_zh, "en": self.label_en}


@dataclass(frozen=True)
class Registry:
    facts: Mapping[str, FactSpec]
    component_types: tuple[str, ...] = COMPONENT_TYPES
    referral_targets: tuple[str, ...] = REFERRAL_TARGETS
    exclusion_codes: tuple[str, ...] = EXCLUSION_CODES
    activity_codes: tuple[str, ...] | None = None

    def with_facts(self, specs: Iterable[FactSpec], **enums) -> Registry:
        """A registry with extra or replaced facts (and optionally other enumerations)."""
        facts = dict(self.facts)
        facts.update({s.name: s for s in specs})
        return replace(self, facts=facts, **enums)


def _from_variable(v: vocabulary.Variable) -> FactSpec:
    items: tuple[str, ...] | None = None
    aliases: dict[str, str] = {}
    if v.kind == "list":
        if v.name == "conditions":
            items, aliases = _code_groups(codes.CONDITIONS)
        elif v.name == "medications":
            items, aliases = _code_groups(codes.MEDICATIONS)
        elif v.choices:
            items = tuple(v.choices)
    return FactSpec(v.name, v.kind, v.label_zh, v.label_en, v.lo, v.hi, v.resolution,
                    tuple(v.choices) if v.kind == "enum" else (), items, aliases)


def _code_groups(table) -> tuple[tuple[str, ...], dict[str, str]]:
    groups = tuple(dict.fromkeys(c.group for c in table))
    aliases = {c.code: c.group for c in table}
    return groups, aliases


def _d(name, kind, zh, en, **kw) -> FactSpec:
    return FactSpec(name, kind, zh, en, derived=True, **kw)


DERIVED: tuple[FactSpec, ...] = (
    _d("age_group", "enum", "年龄组", "Age group", choices=AGE_GROUPS, ordered=True),
    _d("bmi", "number", "体重指数", "BMI", lo=10, hi=80, resolution=0.1),
    _d("bmi_class", "enum", "体重分类", "Weight class", choices=BMI_CLASSES, ordered=True),
    _d("central_obesity", "bool", "中心型肥胖", "Central obesity"),
    _d("bp_grade", "enum", "血压分级", "Blood-pressure grade", choices=BP_GRADES, ordered=True),
    _d("hr_max_bpm", "number", "最大心率(估算)", "Estimated maximal heart rate",
       lo=120, hi=206, resolution=0.01),
    _d("hrr_bpm", "number", "心率储备", "Heart-rate reserve", lo=0, hi=176, resolution=0.01),
    _d("hr_valid_marker", "bool", "心率可作强度指标", "Heart rate is a valid intensity marker",
       settable=(False,)),
    _d("symptom_codes", "list", "症状编码", "Symptom codes", items=ACSM_WARNING_SIGNS),
    _d("has_symptoms", "bool", "有症状", "Has signs or symptoms"),
    _d("known_cmr_disease", "bool", "已知心血管/代谢/肾脏疾病",
       "Known cardiovascular, metabolic or renal disease"),
    _d("screening_disease", "bool", "筛查口径疾病", "Disease under the screening profile"),
    _d("screening_myopia", "bool", "筛查性近视", "Screening myopia"),
    _d("atr_band", "enum", "躯干旋转角分级", "ATR band", choices=ATR_BANDS, ordered=True),
    _d("scoliosis_screen_positive", "bool", "脊柱侧弯筛查阳性", "Scoliosis screen positive"),
    _d("student_grade", "enum", "学生体质等级", "Student fitness grade", choices=GRADES),
    _d("physique_grade", "enum", "国民体质等级", "Physique grade", choices=GRADES),
    _d("weakest_items", "list", "薄弱项目", "Weakest test items", items=ITEM_CODES),
    _d("fitness_tier", "count", "体能分层", "Fitness tier", lo=1, hi=4, resolution=1),
    _d("fitness_tier_source", "enum", "体能分层来源", "Fitness tier source",
       choices=("model", "standard_grade", "none")),
    _d("fitness_tier_probability", "number", "体能分层概率", "Fitness tier probability",
       lo=0, hi=1, resolution=0.001),
    _d("insulin_or_secretagogue", "bool", "胰岛素或促泌剂", "Insulin or secretagogue"),
    _d("beta_blocker", "bool", "β受体阻滞剂", "Beta blocker"),
    _d("symptoms_unmapped", "list", "未识别的症状描述", "Symptom text not understood"),
    _d("fitness_tier_items", "list", "体能分层所用项目", "Items the fitness tier used"),
    _d("fitness_tier_abstain_reason", "text", "体能分层未给出的原因", "Why no fitness tier"),
    _d("screening_profile", "enum", "筛查口径", "Screening profile", choices=("CN2025", "ACSM2015")),
)


@lru_cache(maxsize=1)
def default_registry() -> Registry:
    """The product's registry: the vocabulary plus the engine's derived facts."""
    facts = {v.name: _from_variable(v) for v in vocabulary.VARIABLES}
    # The list of risk factors is closed; symptoms accept the nine ACSM codes.
    facts["risk_factors"] = replace(facts["risk_factors"], items=RISK_FACTORS)
    for spec in DERIVED:
        facts[spec.name] = spec
    activity_codes = None
    try:
        from .. import activities  # written by the clinical-content area
    except ImportError:  # pragma: no cover - the module is part of the product
        activities = None
    if activities is not None:
        known = getattr(activities, "ACTIVITY_CODES", None) or getattr(activities, "ACTIVITIES", None)
        if known:
            activity_codes = tuple(known)
    return Registry(facts, activity_codes=activity_codes)
