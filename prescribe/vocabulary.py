"""The closed vocabulary of assessment inputs.

One declared list serves validation, scoring, the rule loader (a rule may only name a
fact declared here or derived by the engine), the model's feature list and the web
forms' labels. Ranges: ``lo``/``hi`` are the impossible-value limits (an error; from
``domain.md`` §9.4 where it gives one), ``warn_lo``/``warn_hi`` mark values that are
possible but unusual (a warning). ``resolution`` is the recording precision the rule
linter uses to find gaps between numeric bands (BMI 17.85 between ≤17.8 and ≥17.9).
"""

from __future__ import annotations

from dataclasses import dataclass

# Kinds of variable. "count" is a non-negative integer; "list" holds codes.
KINDS = ("number", "count", "text", "date", "bool", "enum", "list")


@dataclass(frozen=True)
class Variable:
    name: str
    kind: str
    unit: str
    label_zh: str
    label_en: str
    group: str
    lo: float | None = None
    hi: float | None = None
    warn_lo: float | None = None
    warn_hi: float | None = None
    resolution: float | None = None
    choices: tuple[str, ...] = ()
    youth_only: bool = False
    derived: bool = False
    help_en: str = ""

    def label(self, lang: str = "zh") -> str:
        return self.label_zh if lang.startswith("zh") else self.label_en

    @property
    def allowed(self) -> str:
        """The allowed range in words, for error messages."""
        if self.choices:
            return " | ".join(self.choices)
        if self.lo is not None or self.hi is not None:
            lo = "" if self.lo is None else f"{self.lo:g}"
            hi = "" if self.hi is None else f"{self.hi:g}"
            return f"{lo}–{hi} {self.unit}".strip()
        return self.kind


def _n(name, unit, zh, en, group, lo, hi, warn_lo=None, warn_hi=None, res=0.1, **kw):
    return Variable(name, "number", unit, zh, en, group, lo, hi, warn_lo, warn_hi, res, **kw)


def _c(name, unit, zh, en, group, hi, warn_hi=None, **kw):
    return Variable(name, "count", unit, zh, en, group, 0, hi, None, warn_hi, 1, **kw)


ACSM_WARNING_SIGNS = (
    "chest_pain_ischaemic",
    "dyspnoea_rest_or_mild_exertion",
    "dizziness_or_syncope",
    "orthopnoea_or_pnd",
    "ankle_oedema",
    "palpitations_or_tachycardia",
    "intermittent_claudication",
    "known_heart_murmur",
    "unusual_fatigue_or_breathlessness",
)
"""The nine ACSM signs/symptoms (domain.md §1.2), in the order the guideline lists them."""

RISK_FACTORS = (
    "smoking",
    "family_history_cvd",
    "sedentary",
    "obesity",
    "hypertension",
    "dyslipidaemia",
    "prediabetes",
    "age",
)

SEXES = ("M", "F")

VARIABLES: tuple[Variable, ...] = (
    # --- person -----------------------------------------------------------------
    Variable("sex", "enum", "", "性别", "Sex", "person", choices=SEXES),
    Variable("birth_date", "date", "", "出生日期", "Date of birth", "person"),
    Variable("test_date", "date", "", "测试日期", "Test date", "person"),
    _n("age_years", "y", "年龄", "Age", "person", 3, 110, res=0.01),
    Variable("grade_code", "enum", "", "年级编号", "Grade code", "person",
             choices=tuple(str(c) for c in (11, 12, 13, 14, 15, 16, 21, 22, 23,
                                              31, 32, 33, 41, 42, 43, 44))),
    # --- anthropometry ------------------------------------------------------------
    _n("height_cm", "cm", "身高", "Height", "anthropometry", 50, 230, 90, 210),
    _n("weight_kg", "kg", "体重", "Weight", "anthropometry", 10, 300, 12, 180),
    _n("waist_cm", "cm", "腰围", "Waist circumference", "anthropometry", 30, 200, 45, 150),
    _n("body_fat_pct", "%", "体脂率", "Body fat", "anthropometry", 2, 70, 4, 55),
    # --- physique items (国民体质测定 / 学生体质健康标准) -----------------------------
    _c("vital_capacity_ml", "mL", "肺活量", "Vital capacity", "physique", 9000, 7000),
    _n("grip_strength_kg", "kg", "握力", "Grip strength", "physique", 0, 100, None, 80),
    _n("sit_and_reach_cm", "cm", "坐位体前屈", "Sit-and-reach", "physique", -30, 40),
    _n("one_leg_stand_eyes_closed_s", "s", "闭眼单脚站立", "One-leg stand, eyes closed",
       "physique", 0, 300, None, 200, res=1),
    _n("choice_reaction_time_s", "s", "选择反应时", "Choice reaction time", "physique",
       0.1, 5, 0.2, 1.5, res=0.01),
    _n("step_test_index", "", "台阶试验指数", "Step-test index", "physique", 0, 150, 20, 100),
    _c("push_up_count", "reps", "俯卧撑", "Push-ups", "physique", 200, 100),
    _c("sit_up_1min_count", "reps/min", "一分钟仰卧起坐", "Sit-ups (1 min)", "physique", 120, 80),
    _n("vertical_jump_cm", "cm", "纵跳", "Vertical jump", "physique", 0, 120, None, 90),
    _n("run_50m_s", "s", "50米跑", "50 m run", "physique", 4.5, 30, 5.5, 20),
    _c("rope_skip_1min_count", "skips/min", "一分钟跳绳", "Rope skipping (1 min)", "physique",
       350, 250),
    _n("shuttle_run_50mx8_s", "s", "50米×8往返跑", "50 m × 8 shuttle run", "physique",
       60, 300, 70, 200, res=1),
    _n("standing_long_jump_cm", "cm", "立定跳远", "Standing long jump", "physique", 20, 350,
       None, 300, res=1),
    _c("pull_up_count", "reps", "引体向上", "Pull-ups", "physique", 60, 40),
    _n("run_800m_s", "s", "800米跑", "800 m run", "physique", 100, 900, 140, 480, res=1),
    _n("run_1000m_s", "s", "1000米跑", "1000 m run", "physique", 120, 1000, 170, 540, res=1),
    _n("shuttle_run_10m_s", "s", "10米折返跑", "10 m shuttle run", "physique", 3, 40, 4, 20),
    _n("tennis_ball_throw_m", "m", "网球掷远", "Tennis-ball throw", "physique", 0, 40, None, 25),
    _n("double_leg_continuous_jump_s", "s", "双脚连续跳", "Two-foot continuous jump",
       "physique", 2, 60, 3, 30),
    _n("balance_beam_walk_s", "s", "走平衡木", "Balance-beam walk", "physique", 1, 120, 2, 60),
    _c("chair_stand_30s_count", "reps", "30秒坐站", "30-s chair stand", "physique", 60, 40),
    # --- vitals ------------------------------------------------------------------
    _n("resting_hr_bpm", "bpm", "安静心率", "Resting heart rate", "vitals", 30, 150, 40, 110,
       res=1),
    _n("sbp_mmhg", "mmHg", "收缩压", "Systolic blood pressure", "vitals", 60, 260, 80, 220,
       res=1),
    _n("dbp_mmhg", "mmHg", "舒张压", "Diastolic blood pressure", "vitals", 30, 160, 40, 125,
       res=1),
    _n("glucose_mmol_l", "mmol/L", "运动前血糖", "Pre-exercise glucose", "vitals", 1, 40,
       2.5, 25),
    Variable("ketones", "enum", "", "酮体", "Ketones", "vitals",
             choices=("negative", "positive")),
    _n("body_temperature_c", "°C", "体温", "Body temperature", "vitals", 33, 43, 35, 39.5),
    _c("spo2_rest_percent", "%", "静息血氧饱和度", "Resting SpO2", "vitals", 100),
    # --- youth screening ------------------------------------------------------------
    _n("uncorrected_va_left", "5-point", "左眼裸眼视力", "Uncorrected VA, left",
       "youth_screening", 3.0, 5.3, youth_only=True),
    _n("uncorrected_va_right", "5-point", "右眼裸眼视力", "Uncorrected VA, right",
       "youth_screening", 3.0, 5.3, youth_only=True),
    _n("spherical_equivalent_d", "D", "等效球镜", "Spherical equivalent", "youth_screening",
       -20, 10, -12, 6, res=0.25, youth_only=True),
    _n("atr_deg", "°", "躯干旋转角", "Angle of trunk rotation", "youth_screening", 0, 30,
       res=1, youth_only=True),
    _n("cobb_deg", "°", "Cobb角", "Cobb angle", "youth_screening", 0, 120, res=1,
       youth_only=True),
    _c("risser", "grade", "Risser分级", "Risser grade", "youth_screening", 5, youth_only=True),
    _n("brace_hours_per_day", "h/day", "支具佩戴时长", "Brace wear", "youth_screening", 0, 24,
       res=1, youth_only=True),
    _c("mvpa_min_per_day", "min/day", "每日中高强度活动", "MVPA per day", "activity", 900, 360,
       youth_only=True),
    _c("outdoor_min_per_day", "min/day", "每日户外活动", "Outdoor time per day", "activity",
       900, 600, youth_only=True),
    _c("screen_min_per_day", "min/day", "每日视屏时间", "Screen time per day", "activity", 1440,
       720, youth_only=True),
    # --- clinical context ------------------------------------------------------------
    Variable("symptoms", "list", "", "症状", "Symptoms", "clinical",
             choices=ACSM_WARNING_SIGNS,
             help_en="ACSM warning-sign codes and/or free text in Chinese or English"),
    Variable("symptoms_text", "text", "", "症状描述", "Symptoms (free text)", "clinical"),
    Variable("conditions", "list", "", "疾病/状况", "Conditions (ICD-10)", "clinical"),
    Variable("medications", "list", "", "用药", "Medications (ATC)", "clinical"),
    Variable("risk_factors", "list", "", "危险因素", "Risk factors", "clinical",
             choices=RISK_FACTORS),
    Variable("regularly_active", "bool", "", "规律运动", "Regularly active (ACSM)", "activity",
             help_en="≥30 min at ≥moderate intensity on ≥3 days/week for the last 3 months"),
    _c("moderate_min_per_week", "min/wk", "每周中等强度分钟", "Moderate minutes per week",
       "activity", 5000, 1500),
    _c("vigorous_min_per_week", "min/wk", "每周高强度分钟", "Vigorous minutes per week",
       "activity", 3000, 900),
    _c("falls_past_12_months", "falls", "近12个月跌倒次数", "Falls in the past 12 months",
       "clinical", 100, 10),
    Variable("injurious_fall", "bool", "", "跌倒致伤", "Injurious fall", "clinical"),
    _n("gestational_age_weeks", "weeks", "孕周", "Gestational age", "clinical", 0, 45, res=1),
    Variable("acute_illness", "bool", "", "急性疾病/发热", "Acute illness or fever", "clinical"),
    Variable("feeling_unwell", "bool", "", "自觉不适", "Feeling unwell today", "clinical"),
    Variable("severe_hypo_24h", "bool", "", "24小时内严重低血糖", "Severe hypoglycaemia in 24 h",
             "clinical"),
    Variable("vertebral_fracture", "bool", "", "椎体骨折", "Vertebral fracture", "clinical"),
    Variable("lbp_red_flags", "bool", "", "腰痛红旗征", "Low-back-pain red flags", "clinical"),
    Variable("pregnancy_complicated", "bool", "", "妊娠并发症", "Complicated pregnancy",
             "clinical"),
    Variable("on_dialysis", "bool", "", "透析", "On dialysis", "clinical"),
)

BY_NAME: dict[str, Variable] = {v.name: v for v in VARIABLES}

ITEM_CODES: tuple[str, ...] = tuple(v.name for v in VARIABLES if v.group == "physique")
"""Physique-test item codes, exactly as they appear in files and CSV columns."""

NUMERIC_KINDS = ("number", "count")


def get(name: str) -> Variable:
    """Return the variable called ``name``; ``KeyError`` names the closest match."""
    try:
        return BY_NAME[name]
    except KeyError:
        from difflib import get_close_matches

        hint = get_close_matches(name, BY_NAME, n=1)
        raise KeyError(f"unknown variable {name!r}" + (f"; did you mean {hint[0]!r}?" if hint else "")) from None


def numeric_names() -> list[str]:
    return [v.name for v in VARIABLES if v.kind in NUMERIC_KINDS]
