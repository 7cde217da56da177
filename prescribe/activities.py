"""The activity catalogue: what a prescription may suggest, with its energy cost and the
features that an exclusion can forbid.

MET values are adult values from the 2024 Adult Compendium [COMP-2024] (domain.md §6.2),
traditional Chinese exercise from domain.md §6.1 (tai chi 3.3 MET, Baduanjin 2.9 MET
[BADUANJIN]); ``met=None`` where no source gives a number (other Health Qigong sets,
breathing and balance drills), with the band the source suggests. Youth values (METy,
smoothed, per age group 6–9/10–12/13–15/16–18) come from the Youth Compendium cross-walk in
domain.md §6.3 [YCOMP], [YCOMP-CODE]; METy are multiples of *basal* metabolic rate, so
they are shown, never used to classify a child's intensity (domain.md §6.3 gap note).

Flags name the features exclusions act on (``EXCLUSION_FLAGS``): an obese adult with knee
OA who is excluded from ``high_impact_jumping`` is never offered rope skipping.
"""

from __future__ import annotations

from dataclasses import dataclass

LEVELS = ("very_light", "light", "moderate", "vigorous", "near_maximal")
"""Intensity levels, least to most intense (domain.md §2.3)."""

MET_BANDS: tuple[tuple[str, float, float], ...] = (
    ("very_light", 0.0, 2.0),
    ("light", 2.0, 3.0),
    ("moderate", 3.0, 6.0),
    ("vigorous", 6.0, 8.8),
    ("near_maximal", 8.8, 99.0),
)
"""Absolute adult MET bands, lower bound inclusive (domain.md §2.3 [ACSM-INT])."""

FLAGS = ("high_impact", "spinal_flexion", "spinal_twisting", "heavy_lifting", "contact",
         "fall_risk", "aquatic", "outdoor", "supine", "scuba", "competitive_spine_mobilising",
         "seated", "deep_knee_flexion", "head_down")
"""Feature flags. ``fall_risk`` marks outdoor cycling and hiking (uneven ground, speed):
an engine choice for people excluded from high-fall-risk activities, who keep stationary
cycling [GEK]. ``high_impact`` marks running, jumping and jumping games."""


@dataclass(frozen=True)
class Activity:
    code: str
    name_zh: str
    name_en: str
    met: float | None            # adult MET; None = not quantified by any source
    band: str                    # intensity band (from met when given)
    serves: tuple[str, ...]      # component types it can fill
    flags: frozenset[str]
    source: str
    compendium_code: str = ""
    youth_mety: tuple[float, float, float, float] | None = None  # 6–9, 10–12, 13–15, 16–18 y


def band_of(met: float) -> str:
    """The absolute intensity band of an adult MET value (§2.3: 3.0 is moderate, 6.0 vigorous)."""
    for level, lo, hi in MET_BANDS:
        if lo <= met < hi:
            return level
    return "near_maximal"


_C = "2024 Adult Compendium [COMP-2024]; domain.md §6.2"
_T = "2024 Adult Compendium [COMP-2024]; domain.md §6.1"
_B = "Baduanjin intensity studies [BADUANJIN]; domain.md §6.1"
_G = "domain.md §6.1 (not quantified; assumed light [GEK])"
_Y = "; youth METy: Youth Compendium [YCOMP], domain.md §6.3"


def _a(code, zh, en, met, serves, flags="", comp="", youth=None, band=None, source=_C):
    return Activity(code, zh, en, met, band or band_of(met), tuple(serves.split()),
                    frozenset(flags.split()), source + (_Y if youth else ""), comp, youth)


AER, RES, FLX, BAL, BONE, OUT = ("aerobic", "resistance", "flexibility", "neuromotor_balance",
                                 "bone_strengthening", "outdoor_activity")

CATALOGUE: tuple[Activity, ...] = (
    # walking and running
    _a("strolling", "散步(慢速)", "Strolling, < 3.2 km/h", 2.3, AER, "outdoor", "17151"),
    _a("walking_slow", "慢走", "Walking slowly, 3.2–3.9 km/h", 2.8, AER, "outdoor", "17152"),
    _a("walking_moderate", "中速步行", "Walking, 4.5–5.5 km/h", 3.8, f"{AER} {OUT}", "outdoor",
       "17190", (3.8, 4.1, 4.3, 4.5)),
    _a("walking_brisk", "快走", "Brisk walking, 5.6–6.3 km/h", 4.8, f"{AER} {OUT}", "outdoor",
       "17200", (4.6, 5.0, 5.3, 5.5)),
    _a("walking_very_brisk", "疾走", "Very brisk walking, 6.4–7.0 km/h", 5.5, AER, "outdoor",
       "17220"),
    _a("nordic_walking", "北欧式健走", "Nordic walking", 4.3, f"{AER} {OUT}", "outdoor", "17302"),
    _a("stair_climbing_slow", "慢速爬楼梯", "Stair climbing, slow", 4.5, f"{AER} {BONE}",
       "", "17133"),
    _a("hiking", "登山/远足", "Hiking, cross-country", 6.0, f"{AER} {OUT}", "outdoor fall_risk",
       "17080"),
    _a("jogging", "慢跑", "Jogging", 7.5, f"{AER} {BONE} {OUT}", "outdoor high_impact", "12020",
       (6.8, 7.4, 7.9, 8.4)),
    _a("running_10kmh", "跑步(约10 km/h)", "Running, 9.7–10.1 km/h", 9.3, f"{AER} {BONE} {OUT}",
       "outdoor high_impact", "12050", (8.2, 9.1, 9.8, 10.5)),
    # cycling and machines
    _a("cycling_leisure", "休闲骑行", "Cycling, leisure < 16 km/h", 4.0, f"{AER} {OUT}",
       "outdoor fall_risk", "01010", (4.7, 5.3, 5.8, 6.4)),
    _a("stationary_cycling_light", "功率自行车(轻)", "Stationary cycling, 50 W", 4.0, AER,
       "seated", "01214"),
    _a("stationary_cycling_moderate", "功率自行车(中高)", "Stationary cycling, 90–100 W", 6.0,
       AER, "seated", "01220"),
    _a("elliptical", "椭圆机", "Elliptical trainer, moderate", 5.0, AER, "", "02048"),
    # water
    _a("swimming_leisure", "休闲游泳", "Swimming, leisurely", 6.0, AER, "aquatic", "18310"),
    _a("swimming_breaststroke", "蛙泳(休闲)", "Swimming, breaststroke, recreational", 5.3, AER,
       "aquatic", "18265"),
    _a("water_aerobics", "水中有氧操", "Water aerobics", 5.3, f"{AER} {RES}", "aquatic", "02120"),
    # dance
    _a("square_dance_gentle", "广场舞(民族/芭蕾风格)", "Chinese square dance, ballet/Tibetan style",
       5.5, f"{AER} {BAL} {OUT}", "outdoor", "03028"),
    _a("square_dance_aerobic", "广场舞(健身操风格)", "Chinese square dance, aerobic style", 7.3,
       f"{AER} {OUT}", "outdoor high_impact", "03029"),
    _a("ballroom_dancing_slow", "交谊舞(慢)", "Ballroom dancing, slow", 3.0, f"{AER} {BAL}", "",
       "03040"),
    _a("aerobic_dance_youth", "儿童韵律操", "Aerobic dance (children)", None, f"{AER}", "",
       "", (3.6, 4.1, 4.5, 4.8), band="moderate", source="Youth Compendium [YCOMP]; domain.md §6.3"),
    # traditional Chinese exercise
    _a("tai_chi", "太极拳/气功", "Tai chi / qigong, general", 3.3, f"{AER} {BAL} {FLX}", "",
       "15670", source=_T),
    _a("tai_chi_seated", "坐式太极", "Tai chi, seated, light", 1.5, f"{BAL} {FLX}", "seated",
       "15672", source=_T),
    _a("tai_chi_yang_vigorous", "杨式太极拳(高强度演练)", "Tai chi chuan, Yang style, vigorous",
       6.0, f"{AER} {BAL}", "", "15674", source=_T),
    _a("baduanjin", "八段锦", "Baduanjin", 2.9, f"{AER} {BAL} {FLX}", "", source=_B),
    _a("baduanjin_seated", "坐式八段锦", "Baduanjin, seated", None, f"{FLX} {BAL}", "seated",
       band="light", source=_B + " (sitting < standing; not quantified)"),
    _a("yijinjing", "易筋经", "Yijinjing", None, f"{FLX} {BAL}", "", band="light", source=_G),
    _a("wuqinxi", "五禽戏", "Wuqinxi (Five Animals)", None, f"{BAL} {FLX}", "", band="light",
       source=_G),
    _a("liuzijue", "六字诀", "Liuzijue (six healing sounds)", None, "breathing", "",
       band="very_light", source=_G),
    # mind-body, flexibility
    _a("yoga_hatha", "哈他瑜伽", "Yoga, Hatha", 2.3, f"{FLX} {BAL}",
       "supine spinal_flexion head_down",
       "02150"),
    _a("pilates", "普拉提", "Pilates", 2.8, f"{FLX} {RES}", "supine spinal_flexion", "02105"),
    _a("stretching", "静态拉伸", "Stretching, mild", 2.3, FLX, "", "02101"),
    # strength
    _a("calisthenics_light", "徒手操(轻：卷腹、平板支撑)", "Calisthenics, light (curl-ups, plank)",
       2.8, RES, "spinal_flexion supine", "02024"),
    _a("calisthenics_moderate", "徒手操(中：俯卧撑、仰卧起坐、弓步)",
       "Calisthenics, moderate (push-ups, sit-ups, lunges)", 3.8, f"{RES} {BONE}",
       "spinal_flexion supine deep_knee_flexion", "02022", (4.0, 4.1, 4.1, 4.2)),
    _a("calisthenics_vigorous", "徒手操(高：波比跳、开合跳)",
       "Calisthenics, vigorous (burpees, jumping jacks)", 7.5, f"{AER} {BONE}", "high_impact",
       "02020"),
    _a("bodyweight_resistance", "自重抗阻训练", "Body-weight resistance exercise", 3.0, RES, "",
       "02056"),
    _a("resistance_training", "器械/弹力带抗阻训练(8–15次)",
       "Resistance training, machines/bands, 8–15 reps", 3.5, RES, "", "02054",
       (3.0, 3.0, 2.9, 2.9)),
    _a("sit_to_stand", "坐站练习", "Sit-to-stand exercise, 6–12/min", 2.8, f"{RES} {BAL}", "",
       "02340"),
    _a("sit_to_stand_fast", "快速坐站练习", "Sit-to-stand exercise, 18–24/min", 4.0,
       f"{RES} {BAL}", "", "02344"),
    _a("balance_training", "平衡训练(静态→动态)", "Balance exercises, static to dynamic", None,
       BAL, "", band="light", source="WHO 2020 [WHO-2020]; Too Fit To Fracture [TFTF]; domain.md §3.2, §4.13"),
    _a("back_extensor_exercise", "背伸肌/姿势训练", "Back-extensor and posture exercises", None,
       "posture_back_extensor", "", band="light", source="Too Fit To Fracture [TFTF]; domain.md §4.9"),
    _a("pursed_lip_breathing", "缩唇呼吸/腹式呼吸", "Pursed-lip and diaphragmatic breathing", None,
       "breathing", "", band="very_light", source="Pulmonary rehabilitation [PR-AACVPR]; domain.md §4.10"),
    _a("pelvic_floor_exercise", "盆底肌训练", "Pelvic-floor muscle training", None,
       "pelvic_floor", "", band="very_light", source="ACOG 2020 [ACOG-2020]; domain.md §4.14"),
    # games and sport
    _a("badminton_social", "羽毛球(娱乐)", "Badminton, social", 5.5, f"{AER} {OUT}", "", "15030"),
    _a("table_tennis", "乒乓球", "Table tennis", 4.0, AER, "", "15660", (4.2, 4.2, 4.2, 4.2)),
    _a("basketball", "篮球", "Basketball", 7.5, f"{AER} {BONE} {OUT}",
       "outdoor high_impact contact", "15055", (6.7, 7.0, 7.2, 7.5)),
    _a("soccer_casual", "足球(娱乐)", "Soccer, casual", 7.0, f"{AER} {BONE} {OUT}",
       "outdoor high_impact contact", "15610", (7.7, 8.1, 8.4, 8.7)),
    _a("walking_football", "健步足球", "Walking football", 3.5, f"{AER} {OUT}", "outdoor", "15615"),
    _a("volleyball", "排球(非竞技)", "Volleyball, non-competitive", 3.0, f"{AER} {BONE} {OUT}",
       "outdoor high_impact", "15720", (5.0, 5.1, 5.2, 5.3)),
    _a("rope_skipping_slow", "跳绳(慢，<100次/分)", "Rope skipping, slow (< 100/min)", 8.3,
       f"{AER} {BONE}", "high_impact", "15552", (6.9, 7.1, 7.2, 7.4)),
    _a("rope_skipping_moderate", "跳绳(中速，100–120次/分)", "Rope skipping, 100–120/min", 11.8,
       f"{AER} {BONE}", "high_impact", "15551"),
    _a("hiit_moderate", "高强度间歇训练", "High-intensity interval exercise", 7.0, AER,
       "high_impact", "02210"),
    _a("outdoor_play", "户外游戏/户外活动", "Outdoor play and games (daylight)", None,
       f"{OUT} {AER}", "outdoor", band="moderate",
       source="Myopia prevention guidance [MYOPIA-CONSENSUS]; domain.md §5.1"),
)

ACTIVITIES: dict[str, Activity] = {a.code: a for a in CATALOGUE}
ACTIVITY_CODES: frozenset[str] = frozenset(ACTIVITIES)

EXCLUSION_FLAGS: dict[str, frozenset[str]] = {
    "high_impact_jumping": frozenset({"high_impact"}),
    "loaded_spinal_flexion": frozenset({"spinal_flexion"}),
    "spinal_twisting_under_load": frozenset({"spinal_twisting"}),
    "heavy_valsalva_lifting": frozenset({"heavy_lifting"}),
    "contact_sports": frozenset({"contact"}),
    "high_fall_risk_activities": frozenset({"fall_risk"}),
    "scuba_diving": frozenset({"scuba"}),
    "supine_after_first_trimester": frozenset({"supine"}),
    "competitive_spine_mobilising_sports": frozenset({"competitive_spine_mobilising"}),
    "swimming_unsupervised": frozenset({"aquatic"}),
    "deep_loaded_knee_flexion": frozenset({"deep_knee_flexion"}),
    "head_down_positions": frozenset({"head_down"}),
}
"""Which activity flags each exclusion code forbids. ``vigorous_intensity`` is handled by
MET band instead (adult MET ≥ 6.0, §2.3)."""


def get(code: str) -> Activity:
    """The activity called ``code``; ``KeyError`` names the closest code."""
    try:
        return ACTIVITIES[code]
    except KeyError:
        from difflib import get_close_matches

        hint = get_close_matches(code, ACTIVITY_CODES, n=1)
        raise KeyError(f"unknown activity {code!r}"
                       + (f"; did you mean {hint[0]!r}?" if hint else "")) from None


def met_for(activity: Activity, age_years: float | None) -> tuple[float | None, str]:
    """(value, kind) to show: youth METy for ages 6–18 when the Youth Compendium has it,
    else the adult MET (``kind`` is ``"METy"`` or ``"MET"``)."""
    if activity.youth_mety is not None and age_years is not None and 6 <= age_years < 19:
        index = 0 if age_years < 10 else 1 if age_years < 13 else 2 if age_years < 16 else 3
        return activity.youth_mety[index], "METy"
    return activity.met, "MET"


def forbidding_exclusion(activity: Activity, exclusions: set[str] | frozenset[str],
                         max_level: str | None) -> str | None:
    """The exclusion code (or ``intensity_cap``) that forbids ``activity``, or ``None``.

    ``max_level`` is the most intense level allowed for the component (its upper intensity,
    already clamped to the cap); an activity whose band is above it is dropped, so a person
    capped at moderate is never shown jogging.
    """
    for code in sorted(exclusions):
        if EXCLUSION_FLAGS.get(code, frozenset()) & activity.flags:
            return code
    if "vigorous_intensity" in exclusions and LEVELS.index(activity.band) >= LEVELS.index("vigorous"):
        return "vigorous_intensity"
    if max_level is not None and LEVELS.index(activity.band) > LEVELS.index(max_level):
        return "intensity_cap"
    return None


__all__ = ["ACTIVITIES", "ACTIVITY_CODES", "CATALOGUE", "EXCLUSION_FLAGS", "LEVELS",
           "MET_BANDS", "Activity", "band_of", "forbidding_exclusion", "get", "met_for"]
