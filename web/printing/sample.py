"""Write a sample printed plan: ``python -m web.printing.sample OUT.pdf --lang zh``.

For looking at the layout without the web app or a database: a 56-year-old man with
grade 1 hypertension (not on a β-blocker, so the plan has heart-rate targets), written
by hand in the shape of the prescription JSON (docs/ARCHITECTURE.md). The catalogues are
compiled into a temporary folder, so this works before ``make setup``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from flask import Flask
from flask_babel import Babel

from .catalogue import compile_catalogues
from .context import PlanContext
from .plan import render_plan_pdf


def bilingual(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


def activity(code: str, zh: str, en: str, met: float, band: str) -> dict[str, Any]:
    return {"code": code, "name_zh": zh, "name_en": en, "met": met, "met_kind": "MET",
            "band": band}


def phase(first: int, last: int | None, zh: str, en: str) -> dict[str, Any]:
    return {"weeks": [first, last], "note": bilingual(zh, en), "source": "domain.md §9.3 [GEK]"}


def component(kind: str, label: dict[str, str], days: list[int], minutes: list[int],
               intensity: list[str], **extra: Any) -> dict[str, Any]:
    """A component with every key of docs/prescription.schema.json, defaults filled in."""
    comp: dict[str, Any] = {
        "type": kind, "label": label, "days_per_week": days, "minutes_per_session": minutes,
        "intensity": intensity, "hrr_percent": None, "target_hr_bpm": None, "rpe": None,
        "rpe_scale": None, "intensity_basis": None, "talk_test": None, "weekly_minutes": None,
        "sets_reps": None, "activities": [], "activities_dropped": [], "note": None,
        "rule_ids": [], "progression": [phase(1, None, "保持", "Keep going")],
    }
    comp.update(extra)
    return comp


GENERAL_WARNING_SIGNS: list[dict[str, Any]] = [
    {"code": code, "text": bilingual(zh, en), "source": "ACSM stop indications; domain.md §1.8"}
    for code, zh, en in (
        ("angina_like_discomfort", "胸部、颈部、下颌或手臂出现压迫、疼痛或不适",
         "Chest, neck, jaw or arm pain, pressure or discomfort"),
        ("marked_breathlessness", "明显气喘、喘鸣，或走路时小腿疼痛",
         "Marked breathlessness or wheeze, or calf pain on walking"),
        ("poor_perfusion", "头晕、眼前发黑、意识模糊、步态不稳、面色苍白、恶心、皮肤湿冷",
         "Light-headedness, confusion, unsteadiness, pallor, nausea, cold clammy skin"),
        ("heart_rhythm", "心跳不随运动加快，或出现心慌、心跳明显不规律",
         "Heart rate not rising with effort, or palpitations / an irregular beat"),
        ("severe_fatigue", "极度疲劳，或您自己想停下来", "Severe fatigue, or you want to stop"),
    )
]

SAMPLE_PRESCRIPTION: dict[str, Any] = {
    "outcome": "prescription",
    "screening_profile": "CN2025",
    "deferrals": [],
    "clearance": {"required": False, "before": None, "reasons": []},
    "referrals": [
        {"to": "physician", "urgency": "routine", "rule_id": "bp-grade1-follow-up",
         "label": bilingual("全科/家庭医生", "family doctor"),
         "reason": bilingual("血压1级：请在家庭医生处定期复查血压并评估用药。",
                      "Grade 1 blood pressure: have it re-checked by your family doctor.")},
    ],
    "intensity_cap": "moderate",
    "components": [
        component(
            "aerobic", bilingual("有氧运动", "Aerobic exercise"), [5, 7], [30, 60],
            ["moderate", "moderate"], hrr_percent=[40, 59], target_hr_bpm=[111, 129],
            rpe=[12, 13], rpe_scale="borg_6_20", intensity_basis="heart_rate",
            talk_test=bilingual("能说完整的句子，但唱不了歌",
                         "you can speak in full sentences but cannot sing"),
            weekly_minutes=[150, 300], rule_ids=["baseline-adult", "htn-fitt"],
            activities=[activity("walking_brisk", "快走", "Brisk walking", 4.3, "moderate"),
                        activity("cycling_leisure", "骑自行车（休闲）", "Leisure cycling", 4.0,
                             "moderate"),
                        activity("taiji", "太极拳", "Tai chi", 3.0, "moderate")],
            progression=[
                phase(1, 2, "每次20–30分钟，低到中等强度，先养成习惯。",
                       "20–30 min a session at light to moderate effort."),
                phase(3, 6, "每1–2周每次增加5–10分钟，直至30–45分钟。",
                       "Add 5–10 min every 1–2 weeks up to 30–45 min."),
                phase(7, None, "保持时间，可把部分快走换成骑车或爬缓坡。",
                       "Keep the time; swap some walks for cycling."),
            ],
            note=bilingual("运动前热身5–10分钟，结束后放松5–10分钟，避免突然停止。",
                    "Warm up 5–10 min before and cool down 5–10 min after; do not stop "
                    "suddenly.")),
        component(
            "resistance", bilingual("抗阻运动", "Resistance exercise"), [2, 3], [20, 30],
            ["light", "moderate"], rule_ids=["htn-fitt"],
            sets_reps=bilingual("8–10个动作，每个2–3组，每组10–15次；用力时呼气，不要憋气。",
                         "8–10 exercises, 2–3 sets of 10–15 repetitions; breathe out as you "
                         "push, never hold your breath."),
            activities=[activity("bodyweight_squat", "徒手深蹲", "Body-weight squats", 3.5,
                             "moderate"),
                        activity("elastic_band", "弹力带练习", "Elastic-band exercises", 3.5,
                             "moderate")],
            progression=[phase(1, 4, "每个动作1–2组，学会动作。", "1–2 sets; learn the moves."),
                         phase(5, None, "逐步加到2–3组。", "Build up to 2–3 sets.")]),
        component(
            "flexibility", bilingual("柔韧性练习", "Flexibility"), [2, 3], [10, 15],
            ["light", "light"], rule_ids=["baseline-adult"],
            sets_reps=bilingual("每个动作拉伸到有紧绷感，保持10–30秒，重复2–4次。",
                         "Stretch to mild tightness, hold 10–30 s, repeat 2–4 times."),
            activities=[activity("stretching", "静态拉伸", "Static stretching", 2.3, "light")]),
    ],
    "weekly_minutes": 150,
    "weekly_minutes_range": [150, 300],
    "weekly_minutes_basis": "moderate_equivalent",
    "excluded": [
        {"code": "heavy_valsalva_lifting", "rule_id": "htn-fitt",
         "label": bilingual("憋气用力和大重量举重", "breath-holding and heavy lifting"),
         "reason": bilingual("憋气用力会使血压骤升。", "Holding your breath while straining raises "
                      "blood pressure sharply.")},
    ],
    "precautions": [
        {"code": "bp_before_exercise", "rule_id": "htn-bp-check",
         "text": bilingual("运动前测量血压；收缩压≥160或舒张压≥100 mmHg时当天不要运动，并联系医生。",
                    "Measure your blood pressure before exercise; if it is 160/100 mmHg or "
                    "higher, do not exercise that day and contact your doctor.")},
        {"code": "prolonged_cool_down", "rule_id": "htn-cool-down",
         "text": bilingual("降压药可能引起运动后低血压，放松阶段要充分。",
                    "Blood-pressure tablets can cause low blood pressure after exercise: "
                    "cool down gradually.")},
    ],
    "education": [
        {"code": "salt", "rule_id": "htn-lifestyle",
         "text": bilingual("少盐饮食（每天食盐<5克）与规律运动一起有助于控制血压。",
                    "Less salt (under 5 g a day) together with regular exercise helps "
                    "control blood pressure.")},
    ],
    "warning_signs": [
        *GENERAL_WARNING_SIGNS,
        {"code": "training_blood_pressure",
         "text": bilingual("运动中血压高于220/105 mmHg：停止或降低强度",
                    "Blood pressure above 220/105 mmHg during training: stop or reduce the "
                    "effort"),
         "source": "ACSM hypertension position stand 2004; domain.md §1.6"},
    ],
    "retest_date": "2026-04-28",
    "needs_review": [],
    "fitness": {"tier": 2, "probability": 0.71, "source": "model", "items_used": [],
                "model_version": "fitness_tier-2026.1", "abstain_reason": None},
    "facts": {"age_years": 56, "age_group": "adult_18_64", "hr_valid_marker": True,
              "beta_blocker": False, "bp_grade": "grade1", "resting_hr_bpm": 72},
    "fired": ["baseline-adult", "htn-fitt", "bp-grade1-follow-up"],
    "trace": [],
    "provenance": {"ruleset": {"name": "default", "version": "1.0.0", "hash": "3f9a1c"},
                   "standards": ["physique-2003"], "model_version": "fitness_tier-2026.1",
                   "engine_version": "1.0.0", "generated_at": "2026-03-03T09:12:00+08:00"},
}

SAMPLE_PROGRESS: list[dict[str, Any]] = [
    {"date": "2025-03-10", "grade": "pass", "total": 18,
     "scores": {"grip_strength_kg": 3, "sit_and_reach_cm": 2, "step_test_index": 3}},
    {"date": "2025-09-08", "grade": "pass", "total": 21,
     "scores": {"grip_strength_kg": 3, "sit_and_reach_cm": 3, "step_test_index": 4}},
    {"date": "2026-03-03", "grade": "good", "total": 24,
     "scores": {"grip_strength_kg": 4, "sit_and_reach_cm": 3, "step_test_index": 4}},
]


def sample_context(lang: str = "zh", *, signed: bool = True) -> PlanContext:
    return PlanContext(
        lang=lang,
        station_name="朝阳区东湖社区卫生服务站" if lang == "zh" else "Donghu Community Health Station",
        clinician_name="李静医生" if lang == "zh" else "Dr Li Jing",
        patient_name="王建国",
        patient_sex="M",
        patient_age_years=56,
        patient_ref="DH-2026-00417",
        issued_on=date(2026, 3, 3),
        signed_at=datetime(2026, 3, 3, 10, 25) if signed else None,
        prescription=SAMPLE_PRESCRIPTION,
        version=2,
        qr_url="https://plans.example-station.cn/p/kQ7vX2mN9sLw4RtY",
        progress=SAMPLE_PROGRESS,
        qr_expires_on=date(2026, 6, 1),
    )


def print_app(translations: Path) -> Flask:
    """A minimal Flask app whose Babel reads the printing catalogue from ``translations``."""
    app = Flask("web.printing.sample")
    app.config.update(BABEL_DEFAULT_LOCALE="zh", BABEL_TRANSLATION_DIRECTORIES=str(translations))
    Babel(app)
    return app


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m web.printing.sample", description=__doc__)
    parser.add_argument("out", type=Path, help="where to write the PDF")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    parser.add_argument("--draft", action="store_true", help="print as an unsigned draft")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        app = print_app(compile_catalogues(Path(tmp)))
        with app.app_context():
            pdf = render_plan_pdf(sample_context(args.lang, signed=not args.draft))
    args.out.write_bytes(pdf)
    print(f"wrote {args.out} ({len(pdf) / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
