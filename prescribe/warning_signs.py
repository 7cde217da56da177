"""Stop-exercise warning signs printed on every plan (domain.md §1.8), plus the
condition-specific stops for the conditions and medicines the person has.

The general list reuses the ACSM indications for stopping an exercise test as patient stop
rules [ACSM-STOP]; the condition-specific ones carry their own source. The list is chosen
from the person's facts, not from which rules fired, so a sign cannot be lost because a
rule was disabled.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .codes import DIABETES_GROUPS, SECRETAGOGUE_GROUPS


def _sign(code: str, zh: str, en: str, source: str) -> dict[str, Any]:
    return {"code": code, "text": {"zh": zh, "en": en}, "source": source}


GENERAL: tuple[dict[str, Any], ...] = (
    _sign("angina_like_discomfort",
          "胸部、颈部、下颌或手臂出现压迫、疼痛或不适(心绞痛样)",
          "Chest, neck, jaw or arm pain, pressure or discomfort (angina-like)",
          "ACSM stop indications [ACSM-STOP]; domain.md §1.8"),
    _sign("marked_breathlessness",
          "明显气喘、喘鸣，或腿部抽筋、走路腿痛(跛行)",
          "Marked breathlessness or wheeze, leg cramps or calf pain on walking (claudication)",
          "ACSM stop indications [ACSM-STOP]; domain.md §1.8"),
    _sign("poor_perfusion",
          "头晕、眼前发黑、意识模糊、步态不稳、面色苍白或口唇发紫、恶心、皮肤湿冷",
          "Light-headedness, confusion, unsteadiness, pallor or blue lips, nausea, "
          "cold clammy skin",
          "ACSM stop indications [ACSM-STOP]; domain.md §1.8"),
    _sign("heart_rhythm",
          "心跳不随运动加快，或出现心慌、心跳明显不规律",
          "Heart rate not rising with effort, or palpitations / a noticeably irregular beat",
          "ACSM stop indications [ACSM-STOP]; domain.md §1.8"),
    _sign("severe_fatigue",
          "极度疲劳，或您自己想停下来",
          "Severe fatigue, or you want to stop",
          "ACSM stop indications [ACSM-STOP]; domain.md §1.8"),
)

_HYPO = _sign("hypoglycaemia",
              "出现低血糖症状(心慌、出汗、手抖、饥饿感、乏力)或血糖低于4.0 mmol/L：立即停止，"
              "吃15克快速吸收的糖，15分钟后复测；低血糖可在运动后24小时内发生",
              "Symptoms of hypoglycaemia (shaking, sweating, hunger, palpitations) or glucose "
              "below 4.0 mmol/L: stop, take 15 g fast carbohydrate, re-check after 15 min; "
              "lows can occur up to 24 h after exercise",
              "Turner 2019 [TURNER-2019]; domain.md §1.7–1.8")
_BP = _sign("training_blood_pressure",
            "运动中血压高于220/105 mmHg：停止或降低强度",
            "Blood pressure above 220/105 mmHg during training: stop or reduce the effort",
            "ACSM hypertension position stand 2004 [ACSM-HTN-2004]; domain.md §1.6")
_SPO2 = _sign("oxygen_saturation",
              "血氧饱和度降到88%以下，或伴有症状时下降10个百分点以上：停止并休息",
              "Oxygen saturation below 88 %, or a fall of 10 points with symptoms: stop and rest",
              "CPET stop criteria [CPET-TABLES]; 88 % pulmonary-rehab floor [GEK]; domain.md §1.8")
_PREG = _sign("pregnancy_warning",
              "阴道出血、规律而疼痛的宫缩、阴道流液、运动前就呼吸困难、头晕、头痛、胸痛、"
              "小腿疼痛或肿胀、影响平衡的肌无力：停止运动并就医",
              "Vaginal bleeding, regular painful contractions, fluid leaking, breathlessness "
              "before exertion, dizziness, headache, chest pain, calf pain or swelling, muscle "
              "weakness affecting balance: stop and seek care",
              "ACOG 2020 [ACOG-2020] (list GEK); domain.md §4.14")
_JOINT = _sign("joint_pain",
               "关节新出现肿胀，或运动后关节疼痛超过2小时不缓解：下次减少运动量",
               "New joint swelling, or joint pain lasting more than 2 h after exercise: reduce "
               "the load next time",
               "Osteoarthritis exercise guidance [GEK]; domain.md §1.8, §4.8")
_ANGINA = _sign("angina_return",
                "心绞痛再次出现：立即停止运动，按医嘱使用硝酸甘油，并尽快就医",
                "Angina comes back: stop at once, use nitroglycerin as prescribed, and see a "
                "doctor promptly",
                "ACSM stop indications [ACSM-STOP]; domain.md §4.7")
_ASTHMA = _sign("bronchospasm",
                "喘息、胸闷或咳嗽在使用急救吸入剂后仍不缓解：停止运动并就医",
                "Wheeze, chest tightness or cough not relieved by the reliever inhaler: stop "
                "and seek care",
                "ATS EIB guideline [EIB] [GEK]; domain.md §4.11")
_HYPOTENSION = _sign("post_exercise_hypotension",
                     "运动结束后头晕或站立时眼前发黑：延长整理活动，坐下休息",
                     "Dizziness or greying vision on standing after exercise: lengthen the "
                     "cool-down and sit down",
                     "ACSM hypertension position stand 2004 [ACSM-HTN-2004]; domain.md §2.6")

_BY_CONDITION: tuple[tuple[frozenset[str], dict[str, Any]], ...] = (
    (frozenset({"hypertension"}), _BP),
    (frozenset({"copd", "interstitial_lung_disease", "cystic_fibrosis"}), _SPO2),
    (frozenset({"pregnancy", "pregnancy_complicated"}), _PREG),
    (frozenset({"knee_osteoarthritis", "hip_osteoarthritis", "osteoarthritis"}), _JOINT),
    (frozenset({"coronary_heart_disease", "heart_failure"}), _ANGINA),
    (frozenset({"asthma", "exercise_induced_bronchoconstriction"}), _ASTHMA),
)
_VASODILATORS = frozenset({"alpha_blocker", "dhp_ccb", "nitrate"})


def warning_signs_for(facts: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The general stop list followed by the signs that apply to this person."""
    conditions = set(facts.get("conditions") or ())
    medications = set(facts.get("medications") or ())
    out = [dict(s) for s in GENERAL]
    if (conditions & DIABETES_GROUPS or medications & SECRETAGOGUE_GROUPS
            or facts.get("insulin_or_secretagogue")):
        out.append(dict(_HYPO))
    pregnant = facts.get("gestational_age_weeks") is not None
    for groups, sign in _BY_CONDITION:
        if conditions & groups or (sign is _PREG and pregnant):
            out.append(dict(sign))
    if medications & _VASODILATORS:
        out.append(dict(_HYPOTENSION))
    return out


__all__ = ["GENERAL", "warning_signs_for"]
