"""Words for a prescription (zh/en labels of levels, components, referrals, exclusions)
and the plain-text rendering the CLI prints.

Labels live in the core so that the JSON carries them (the printed plan and the web app
show the same words the CLI shows); the web layer only translates its own page chrome.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

LEVEL_LABELS = {
    "very_light": ("很轻", "very light"), "light": ("低强度", "light"),
    "moderate": ("中等强度", "moderate"), "vigorous": ("较大强度", "vigorous"),
    "near_maximal": ("接近最大强度", "near-maximal"),
}
COMPONENT_LABELS = {
    "aerobic": ("有氧运动", "Aerobic"), "resistance": ("抗阻(力量)训练", "Resistance"),
    "flexibility": ("柔韧性训练", "Flexibility"),
    "neuromotor_balance": ("平衡与神经肌肉训练", "Balance and neuromotor"),
    "bone_strengthening": ("骨骼强化活动", "Bone-strengthening"),
    "outdoor_activity": ("户外活动", "Outdoor activity"),
    "scoliosis_specific_exercise": ("脊柱侧弯特定运动疗法(PSSE)", "Scoliosis-specific exercise (PSSE)"),
    "posture_back_extensor": ("姿势与背伸肌训练", "Posture and back-extensor exercise"),
    "breathing": ("呼吸训练", "Breathing exercise"), "pelvic_floor": ("盆底肌训练", "Pelvic floor"),
}
REFERRAL_LABELS = {
    "physician": ("全科/专科医生", "physician"), "cardiology": ("心内科", "cardiology"),
    "emergency": ("急诊", "emergency department"), "endocrinology": ("内分泌科", "endocrinology"),
    "nephrology": ("肾内科", "nephrology"), "respiratory": ("呼吸科", "respiratory medicine"),
    "pulmonary_rehabilitation": ("肺康复", "pulmonary rehabilitation"),
    "rehabilitation_medicine": ("康复医学科", "rehabilitation medicine"),
    "physiotherapy": ("物理治疗师", "physiotherapy"), "geriatrics": ("老年医学科", "geriatrics"),
    "falls_clinic": ("跌倒评估门诊", "falls clinic"), "obstetrics": ("产科", "obstetrics"),
    "ophthalmology": ("眼科", "ophthalmology"), "optometry": ("视光门诊", "optometry"),
    "orthopaedics_spine": ("脊柱外科/骨科", "orthopaedics (spine)"),
}
URGENCY_LABELS = {"routine": ("常规", "routine"), "soon": ("尽快", "soon"),
                  "urgent": ("紧急", "urgent"), "emergency": ("立即急诊", "emergency")}
EXCLUSION_LABELS = {
    "vigorous_intensity": ("较大强度运动", "vigorous-intensity exercise"),
    "heavy_valsalva_lifting": ("憋气用力和大重量举重", "breath-holding and heavy lifting"),
    "maximal_isometric_effort": ("最大力量静力用力", "maximal isometric effort"),
    "high_impact_jumping": ("反复高冲击跳跃", "repetitive high-impact jumping"),
    "deep_loaded_knee_flexion": ("负重深蹲等深度屈膝", "deep loaded knee bending"),
    "loaded_spinal_flexion": ("负重或反复弯腰(仰卧起坐、卷腹、体前屈触脚)",
                              "loaded or repeated forward bending (sit-ups, crunches, toe-touches)"),
    "spinal_twisting_under_load": ("负重扭转脊柱", "twisting the spine under load"),
    "contact_sports": ("身体对抗性运动", "contact and collision sports"),
    "competitive_spine_mobilising_sports": ("大幅活动脊柱的竞技运动",
                                            "competitive sports that mobilise the spine heavily"),
    "scuba_diving": ("水肺潜水", "scuba diving"),
    "high_fall_risk_activities": ("易跌倒的活动", "activities with a high risk of falling"),
    "supine_after_first_trimester": ("孕早期后长时间仰卧", "lying on the back after the first trimester"),
    "hot_environment_exercise": ("高温环境运动(如高温瑜伽)", "exercise in heat (e.g. hot yoga)"),
    "high_altitude_exertion": ("未适应的高海拔运动", "exertion at altitude if not acclimatised"),
    "cold_air_endurance": ("寒冷干燥空气中的耐力运动", "endurance exercise in cold dry air"),
    "exercising_alone": ("独自运动", "exercising alone"),
    "swimming_unsupervised": ("无人看护的游泳或水中运动", "unsupervised swimming or water exercise"),
    "fistula_arm_loading": ("内瘘侧手臂负重", "loading the fistula arm"),
    "head_down_positions": ("头低位动作", "head-down positions"),
    "unsupervised_balance_challenge": ("无保护的高难度平衡练习", "unsupervised balance challenges"),
}
OUTCOME_LABELS = {
    "prescription": ("运动处方(待医生审核)", "Exercise prescription (for clinician review)"),
    "prescription_pending_clearance": ("运动处方：需先获得医学许可",
                                       "Prescription pending medical clearance"),
    "defer": ("暂缓运动", "Do not start exercise now"),
}


def label(table: Mapping[str, tuple[str, str]], code: str) -> dict[str, str]:
    """``{zh, en}`` for ``code``; an unknown code labels itself (never a KeyError on print)."""
    zh, en = table.get(code, (code, code.replace("_", " ")))
    return {"zh": zh, "en": en}


def _t(text: Any, lang: str) -> str:
    if isinstance(text, Mapping):
        return str(text.get(lang) or text.get("en") or text.get("zh") or "")
    return "" if text is None else str(text)


def _rng(pair: Any, unit: str = "") -> str:
    if not pair:
        return "—"
    lo, hi = pair
    text = f"{lo:g}" if lo == hi else f"{lo:g}–{hi:g}"
    return f"{text} {unit}".rstrip()


_HEAD = {
    "zh": {"clearance": "医学许可", "before_any": "开始任何运动前", "before_vigorous": "进行较大强度运动前",
           "referrals": "转诊", "cap": "强度上限", "components": "运动内容", "days": "天/周",
           "min": "分钟/次", "hr": "靶心率", "weekly": "每周(中等强度当量)", "mvpa": "每周中高强度活动",
           "excluded": "避免", "precautions": "注意事项", "education": "健康教育",
           "warning": "出现以下情况立即停止运动", "retest": "复测日期", "review": "需医生审核",
           "deferrals": "暂缓原因", "activities": "推荐活动", "progression": "进阶",
           "profile": "筛查口径", "rpe": "自觉疲劳(Borg 6–20)", "talk": "说话测试"},
    "en": {"clearance": "Medical clearance", "before_any": "before any exercise",
           "before_vigorous": "before vigorous exercise", "referrals": "Referrals",
           "cap": "Intensity cap", "components": "Programme", "days": "days/week",
           "min": "min/session", "hr": "Target HR", "weekly": "Weekly (moderate-equivalent)",
           "mvpa": "Weekly MVPA", "excluded": "Avoid", "precautions": "Precautions",
           "education": "Education", "warning": "Stop exercising at once if",
           "retest": "Re-test date", "review": "Needs clinician review", "deferrals": "Deferred because",
           "activities": "Suggested activities", "progression": "Progression",
           "profile": "Screening profile", "rpe": "RPE (Borg 6–20)", "talk": "Talk test"},
}


def render_text(prescription: Mapping[str, Any], lang: str = "zh") -> str:
    """A plain-text plan for the terminal, in Chinese (default) or English."""
    lang = "zh" if lang.startswith("zh") else "en"
    h = _HEAD[lang]
    i = 0 if lang == "zh" else 1
    out = [_t(label(OUTCOME_LABELS, prescription["outcome"]), lang)]
    if prescription.get("screening_profile"):
        out.append(f"{h['profile']}: {prescription['screening_profile']}")
    for d in prescription.get("deferrals", []):
        out.append(f"{h['deferrals']}: {_t(d.get('reason'), lang)} → {_t(d.get('action'), lang)}")
    clearance = prescription.get("clearance") or {}
    if clearance.get("required"):
        when = h["before_any"] if clearance.get("before") == "any" else h["before_vigorous"]
        out.append(f"{h['clearance']} ({when}):")
        out += [f"  - {_t(r.get('reason'), lang)}" for r in clearance.get("reasons", [])]
    if prescription.get("referrals"):
        out.append(f"{h['referrals']}:")
        for r in prescription["referrals"]:
            urg = URGENCY_LABELS.get(r.get("urgency"), (r.get("urgency"),) * 2)[i]
            out.append(f"  - {_t(label(REFERRAL_LABELS, r['to']), lang)} [{urg}]: "
                       f"{_t(r.get('reason'), lang)}")
    if prescription.get("intensity_cap"):
        out.append(f"{h['cap']}: {LEVEL_LABELS[prescription['intensity_cap']][i]}")
    if prescription.get("components"):
        out.append(f"{h['components']}:")
    for c in prescription.get("components", []):
        levels = "–".join(dict.fromkeys(LEVEL_LABELS[x][i] for x in c["intensity"]))
        line = (f"  * {_t(label(COMPONENT_LABELS, c['type']), lang)}: "
                f"{_rng(c.get('days_per_week'), h['days'])}, "
                f"{_rng(c.get('minutes_per_session'), h['min'])}, {levels}")
        out.append(line)
        if c.get("target_hr_bpm"):
            out.append(f"      {h['hr']}: {_rng(c['target_hr_bpm'], 'bpm')}")
        if c.get("rpe"):
            out.append(f"      {h['rpe']}: {_rng(c['rpe'])}")
        if c.get("talk_test"):
            out.append(f"      {h['talk']}: {_t(c['talk_test'], lang)}")
        if c.get("sets_reps"):
            out.append(f"      {_t(c['sets_reps'], lang)}")
        if c.get("activities"):
            names = ", ".join(a["name_zh" if lang == "zh" else "name_en"] for a in c["activities"])
            out.append(f"      {h['activities']}: {names}")
        if c.get("note"):
            out.append(f"      {_t(c['note'], lang)}")
        for p in c.get("progression", []):
            weeks = p["weeks"]
            span = f"{weeks[0]}–{weeks[1]}" if weeks[1] else f"{weeks[0]}+"
            out.append(f"      {h['progression']} [{span}]: {_t(p['note'], lang)}")
    if prescription.get("weekly_minutes") is not None:
        basis = h["mvpa"] if prescription.get("weekly_minutes_basis") == "mvpa" else h["weekly"]
        out.append(f"{basis}: {_rng(prescription.get('weekly_minutes_range'), 'min')}")
    for key in ("excluded", "precautions", "education"):
        items = prescription.get(key) or []
        if items:
            out.append(f"{h[key]}:")
            for e in items:
                text = e.get("label") if key == "excluded" else e.get("text")
                out.append(f"  - {_t(text, lang)}")
    out.append(f"{h['warning']}:")
    out += [f"  ! {_t(w['text'], lang)}" for w in prescription.get("warning_signs", [])]
    if prescription.get("retest_date"):
        out.append(f"{h['retest']}: {prescription['retest_date']}")
    if prescription.get("needs_review"):
        out.append(f"{h['review']}:")
        out += [f"  ? {_t(n.get('reason'), lang)}" for n in prescription["needs_review"]]
    return "\n".join(out) + "\n"


__all__ = ["COMPONENT_LABELS", "EXCLUSION_LABELS", "LEVEL_LABELS", "OUTCOME_LABELS",
           "REFERRAL_LABELS", "URGENCY_LABELS", "label", "render_text"]
