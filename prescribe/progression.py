"""Progression phases of one prescription component (the P of FITT-VP).

General defaults follow domain.md §3.1 and §9.3 [GEK]: people who are not regularly active
start light–moderate for 2–4 weeks in 10–20-minute bouts, then add 5–10 minutes per
session every 1–2 weeks until the target, and only then raise intensity; duration before
frequency before intensity. Resistance starts at 40–50 % 1RM for novices (§2.5
[ACSM-HTN-2015]); balance goes from static near a support to dynamic (§4.13 [TFTF]).
Condition notes come from the condition sections of domain.md §4 and are added for the
conditions the person has, so a disabled rule cannot remove them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .codes import DIABETES_GROUPS

_LV = {"very_light": ("很轻", "very light"), "light": ("低强度", "light"),
       "moderate": ("中等强度", "moderate"), "vigorous": ("较大强度", "vigorous"),
       "near_maximal": ("接近最大强度", "near-maximal")}


def _p(first: int, last: int | None, zh: str, en: str, source: str = "domain.md §9.3 [GEK]") -> dict:
    return {"weeks": [first, last], "note": {"zh": zh, "en": en}, "source": source}


def _aerobic(c: Mapping[str, Any], facts: Mapping[str, Any], youth: bool) -> list[dict]:
    lo, hi = c["intensity"][0], c["intensity"][-1]
    d0 = c["days_per_week"][0]
    m1 = c["minutes_per_session"][1]
    if youth:
        return [
            _p(1, 4, "如果每天60分钟一时做不到，从每天30–40分钟开始，每1–2周增加10分钟",
               "If 60 minutes a day is too much at first, start with 30–40 minutes and add "
               "10 minutes every 1–2 weeks", "WHO 2020 [WHO-2020]; domain.md §3.3, §4.5"),
            _p(5, None, "每天累计至少60分钟中高强度活动，每周至少3天包括较大强度活动和肌肉、骨骼强化",
               "At least 60 minutes of MVPA every day, with vigorous and muscle/bone-strengthening "
               "activity on at least 3 days a week", "WHO 2020 [WHO-2020]; domain.md §3.3"),
        ]
    if facts.get("regularly_active") is True:
        return [
            _p(1, 2, f"保持目前的规律运动，按处方调整到每次{m1}分钟以内",
               f"Keep up your regular exercise, adjusted to at most {m1} min per session"),
            _p(3, None, "需要进阶时：先延长时间，再增加次数，最后提高强度(不超过上限)",
               "To progress: lengthen sessions first, then add days, then raise intensity "
               "(never above the cap)", "ACSM progression, domain.md §3.1 [GEK]"),
        ]
    phases = [
        _p(1, 4, f"第1–4周：以{_LV[lo][0]}开始，每周{d0}天，每次10–20分钟(可分几段，每段至少10分钟)",
           f"Weeks 1–4: start at {_LV[lo][1]} intensity, {d0} days a week, 10–20 minutes a "
           "session (bouts of at least 10 minutes are fine)"),
        _p(5, 8, f"每1–2周每次增加5–10分钟，直到每次{m1}分钟",
           f"Add 5–10 minutes per session every 1–2 weeks until you reach {m1} minutes"),
    ]
    if hi != lo:
        phases.append(_p(9, None, f"时间达标后，再逐步提高到{_LV[hi][0]}(不超过强度上限)",
                         f"Once the time target is reached, raise the effort gradually towards "
                         f"{_LV[hi][1]} (never above the cap)"))
    else:
        phases.append(_p(9, None, "保持目标运动量，复测后由医生决定是否提高强度",
                         "Keep the target volume; the clinician decides on more intensity at "
                         "the re-test"))
    return phases


_RESISTANCE = [
    _p(1, 4, "1组×10–15次，轻负荷(新手和老年人约40–50% 1RM)，先学好动作，呼气用力、不憋气",
       "1 set of 10–15 reps at a light load (novices and older adults about 40–50 % 1RM); "
       "learn the technique, breathe out on effort, never hold your breath",
       "ACSM FITT [ACSM-HTN-2015]; domain.md §2.5"),
    _p(5, None, "逐步增加到2–3组×8–12次；能轻松完成12次时再加一点负荷",
       "Build up to 2–3 sets of 8–12 reps; add a little load when 12 reps feel easy",
       "ACSM FITT [ACSM-HTN-2015]; domain.md §2.5, §3.1"),
]
_BALANCE = [
    _p(1, 4, "从静态平衡练习开始，身旁放椅背或台面以便扶持",
       "Start with static balance exercises next to a chair back or counter for support",
       "Too Fit To Fracture [TFTF]; domain.md §4.13"),
    _p(5, None, "逐步过渡到动态平衡(行走、转身、重心转移)，减少扶持；平衡训练至少坚持12周",
       "Progress to dynamic balance (walking, turning, weight shifts) with less support; keep "
       "it up for at least 12 weeks", "World Falls Guidelines [WFG-2022]; domain.md §4.13"),
]
_FLEX = [_p(1, None, "每个拉伸动作保持10–30秒，累计约60秒，不弹振",
            "Hold each stretch 10–30 s, about 60 s in total per stretch, no bouncing",
            "ACSM 2011 [GARBER-2011]; domain.md §3.1")]
_STEADY = [_p(1, None, "按处方坚持，复测时调整", "Keep to the plan; adjusted at the re-test")]

_CONDITION_NOTES: tuple[tuple[frozenset[str], str, dict], ...] = (
    (frozenset({"coronary_heart_disease", "heart_failure"}), "aerobic",
     _p(1, None, "先延长时间，再提高强度；强度调整由心脏康复团队根据运动试验决定",
        "Lengthen sessions before raising intensity; intensity changes are decided by the "
        "cardiac-rehabilitation team from an exercise test", "AACVPR 2018 [AACVPR-2018]; domain.md §4.7")),
    (frozenset({"knee_osteoarthritis", "hip_osteoarthritis", "osteoarthritis"}), "aerobic",
     _p(1, None, "运动中疼痛不超过5/10且24小时内缓解可以接受；关节肿胀或疼痛超过2小时则下次减量",
        "Pain up to 5/10 that settles within 24 h is acceptable; swelling or pain lasting over "
        "2 h means less load next time", "domain.md §4.8 [GEK]")),
    (frozenset({"osteoporosis", "vertebral_fracture"}), "resistance",
     _p(1, None, "久坐、骨折风险高或初练力量者从较低强度开始；椎体骨折者使用器械前先咨询物理治疗师",
        "Start lower if sedentary, at high fracture risk or new to strength training; with a "
        "spine fracture see a physiotherapist before using weights", "Too Fit To Fracture [TFTF]; domain.md §4.9")),
    (frozenset({"copd"}), "aerobic",
     _p(1, None, "可先用间歇方式(运动与休息交替)，逐步达到连续约30分钟；以呼吸困难Borg CR-10 3–4分为度",
        "Start with intervals (work and rest) and build to about 30 minutes continuous; aim "
        "for breathlessness 3–4 on the Borg CR-10", "Pulmonary rehabilitation [PR-TABLES]; domain.md §4.10")),
    (frozenset({"obesity"}), "aerobic",
     _p(1, None, "先达到每周150分钟，再逐步增加到每周250–300分钟",
        "Reach 150 minutes a week first, then build up to 250–300 minutes a week",
        "Donnelly 2009 [DONNELLY-2009]; CN-CLIN-2025; domain.md §4.4")),
    (frozenset({"pregnancy"}), "aerobic",
     _p(1, None, "孕前不常运动者不进阶到较大强度；随孕周和身体感觉调整",
        "If not active before pregnancy, do not progress to vigorous; adjust with gestation "
        "and how you feel", "ACOG 2020 [ACOG-2020]; domain.md §4.14")),
    (DIABETES_GROUPS, "aerobic",
     _p(1, None, "连续不运动不超过2天；每次运动前后测血糖",
        "Never more than 2 days in a row without activity; check glucose before and after",
        "ADA 2016 [ADA-2016]; domain.md §4.2")),
)


def progression_for(component: Mapping[str, Any], facts: Mapping[str, Any]) -> list[dict]:
    """Phases for one (already assembled) component, plus notes for the person's conditions."""
    youth = facts.get("age_group") in ("preschool_3_6", "youth_6_17") or (
        facts.get("age_years") is not None and facts["age_years"] < 18)
    kind = component["type"]
    if kind == "aerobic":
        phases = _aerobic(component, facts, youth)
    elif kind == "resistance" and not youth:
        phases = [dict(p) for p in _RESISTANCE]
    elif kind == "neuromotor_balance":
        phases = [dict(p) for p in _BALANCE]
    elif kind == "flexibility":
        phases = [dict(p) for p in _FLEX]
    else:
        phases = [dict(p) for p in _STEADY]
    conditions = set(facts.get("conditions") or ())
    if facts.get("bmi_class") == "obese" and not youth:
        conditions.add("obesity")
    if facts.get("gestational_age_weeks") is not None:
        conditions.add("pregnancy")
    for groups, target, note in _CONDITION_NOTES:
        if target == kind and conditions & groups:
            phases.append(dict(note))
    return phases


__all__ = ["progression_for"]
