"""Fixtures for the printed plan: a Babel-configured app and realistic prescriptions.

The prescriptions follow the JSON shape in docs/ARCHITECTURE.md with numbers from
domain.md (Karvonen targets by Tanaka HRmax, ACSM FITT for hypertension, WHO youth MVPA).
The catalogues are compiled into a temporary folder so the tests do not depend on
``make setup`` having compiled them in place.
"""

from __future__ import annotations

import copy
import io
import re
from datetime import date, datetime
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import ByteStringObject, ContentStream, TextStringObject

from web.printing import PlanContext
from web.printing.catalogue import compile_catalogues
from web.printing.sample import (
    GENERAL_WARNING_SIGNS,
    SAMPLE_PRESCRIPTION,
    SAMPLE_PROGRESS,
    activity,
    bilingual,
    component,
    phase,
    print_app,
)

t = bilingual

PROVENANCE = {
    "ruleset": {"name": "default", "version": "1.0.0", "hash": "3f9a1c"},
    "standards": ["student-2014"], "model_version": "fitness_tier-2026.1",
    "engine_version": "1.0.0", "generated_at": "2026-03-03T09:12:00+08:00",
}

HYPOGLYCAEMIA_SIGN = {
    "code": "hypoglycaemia", "source": "Turner 2019; domain.md §1.7–1.8",
    "text": t("出现低血糖症状（心慌、出汗、手抖、饥饿感）或血糖低于4.0 mmol/L：立即停止，吃15克快速吸收的糖",
              "Signs of low blood sugar (shaking, sweating, hunger, palpitations) or glucose "
              "below 4.0 mmol/L: stop and take 15 g fast carbohydrate"),
}


def _base(outcome: str = "prescription", **fields: Any) -> dict[str, Any]:
    """Every top-level key of docs/prescription.schema.json with empty defaults."""
    rx: dict[str, Any] = {
        "outcome": outcome, "screening_profile": "CN2025", "deferrals": [],
        "clearance": {"required": False, "before": None, "reasons": []}, "referrals": [],
        "intensity_cap": None, "components": [], "weekly_minutes": None,
        "weekly_minutes_range": None, "weekly_minutes_basis": None, "excluded": [],
        "precautions": [], "education": [], "warning_signs": list(GENERAL_WARNING_SIGNS),
        "retest_date": None, "needs_review": [],
        "fitness": {"tier": None, "probability": None, "source": "none", "items_used": [],
                    "model_version": None, "abstain_reason": None},
        "facts": {}, "fired": [], "trace": [], "provenance": PROVENANCE,
    }
    rx.update(fields)
    return rx


def _beta_blocker_rx() -> dict[str, Any]:
    """62-year-old woman, hypertension + type 2 diabetes on metoprolol: RPE only."""
    return _base(
        intensity_cap="moderate",
        components=[
            component("aerobic", t("有氧运动", "Aerobic exercise"), [3, 7], [20, 60],
                      ["moderate", "moderate"], rpe=[12, 13], rpe_scale="borg_6_20",
                      intensity_basis="rpe", weekly_minutes=[150, 300],
                      talk_test=t("能说完整的句子，但唱不了歌",
                                  "you can speak in full sentences but cannot sing"),
                      activities=[activity("walking_brisk", "快走", "Brisk walking", 4.3,
                                           "moderate"),
                                  activity("guangchangwu", "广场舞", "Square dancing", 4.5,
                                           "moderate")],
                      progression=[phase(1, 4, "每次20分钟起，每周增加5分钟。",
                                         "Start at 20 min; add 5 min a week.")],
                      note=t("餐后1小时左右运动，可减少血糖波动。",
                             "Exercise about an hour after a meal to smooth blood glucose.")),
            component("resistance", t("抗阻运动", "Resistance exercise"), [2, 3], [20, 30],
                      ["moderate", "moderate"],
                      sets_reps=t("8–10个动作，每个1–3组，每组10–15次。",
                                  "8–10 exercises, 1–3 sets of 10–15 repetitions."),
                      activities=[activity("elastic_band", "弹力带练习",
                                           "Elastic-band exercises", 3.5, "moderate")]),
            component("neuromotor_balance", t("平衡练习", "Balance"), [2, 3], [10, 20],
                      ["light", "light"],
                      activities=[activity("taiji", "太极拳", "Tai chi", 3.0, "moderate")]),
        ],
        weekly_minutes=150, weekly_minutes_range=[150, 300],
        weekly_minutes_basis="moderate_equivalent",
        excluded=[{"code": "heavy_valsalva_lifting", "rule_id": "htn-fitt",
                   "label": t("憋气用力和大重量举重", "breath-holding and heavy lifting"),
                   "reason": t("憋气用力会使血压骤升。", "Straining raises blood pressure.")}],
        precautions=[
            {"code": "beta_blocker_rpe", "rule_id": "bb-use-rpe",
             "text": t("β受体阻滞剂会掩盖低血糖时的心慌表现，运动前后请测血糖。",
                       "β-blockers can mask the racing heart of low blood sugar: check your "
                       "glucose before and after exercise.")},
            {"code": "carry_carbohydrate", "rule_id": "dm-carry-carbs",
             "text": t("随身携带糖果或含糖饮料。", "Carry sweets or a sugary drink.")},
        ],
        warning_signs=[*GENERAL_WARNING_SIGNS, HYPOGLYCAEMIA_SIGN],
        retest_date="2026-04-28",
        facts={"age_years": 62, "age_group": "adult_18_64", "hr_valid_marker": False,
               "beta_blocker": True},
    )


def _deferred_rx() -> dict[str, Any]:
    """Resting BP 212/118: no exercise may start today (domain.md §1.6, §9.1)."""
    return _base(
        "defer",
        deferrals=[{
            "rule_id": "bp-hard-stop",
            "reason": t("安静血压212/118 mmHg，高于200/110 mmHg，今天不能开始运动。",
                        "Resting blood pressure 212/118 mmHg is above 200/110 mmHg: no "
                        "exercise can start today."),
            "action": t("休息15分钟后复测；仍高于此值请当天就医。",
                        "Rest 15 minutes and measure again; if still this high, see a doctor "
                        "today."),
        }],
        referrals=[{"to": "physician", "urgency": "urgent", "rule_id": "bp-hard-stop",
                    "label": t("全科/家庭医生", "family doctor"),
                    "reason": t("血压明显升高，需调整降压治疗。",
                                "Blood pressure needs treatment review.")}],
        excluded=[{"code": "heavy_valsalva_lifting", "rule_id": "htn-fitt",
                   "label": t("憋气用力和大重量举重", "breath-holding and heavy lifting"),
                   "reason": t("憋气用力会使血压骤升。", "Straining raises blood pressure.")}],
        facts={"age_years": 56, "age_group": "adult_18_64"},
    )


def _youth_rx() -> dict[str, Any]:
    """10-year-old boy, screening myopia and obesity (WS/T 586): MVPA, outdoors, referral."""
    return _base(
        referrals=[{"to": "optometry", "urgency": "routine", "rule_id": "myopia-refer",
                    "label": t("视光门诊", "optometry"),
                    "reason": t("筛查性近视：请到视光门诊散瞳验光。",
                                "Screening myopia: cycloplegic refraction at an optometry "
                                "clinic.")}],
        components=[
            component("aerobic", t("有氧运动", "Aerobic exercise"), [7, 7], [60, 60],
                      ["moderate", "vigorous"], weekly_minutes=[420, 420],
                      intensity_basis="talk_test",
                      talk_test=t("说几个字就要换气", "only a few words between breaths"),
                      activities=[activity("rope_skipping", "跳绳", "Rope skipping", 7.2,
                                           "vigorous"),
                                  activity("football", "踢足球", "Football", 6.9, "vigorous")]),
            component("outdoor_activity", t("户外活动", "Outdoor activity"), [7, 7],
                      [120, 120], ["light", "moderate"], weekly_minutes=[840, 840],
                      note=t("白天户外活动每天累计2小时，可与课间、体育课合并计算。",
                             "Two hours outdoors in daylight each day; breaks and PE count.")),
            component("bone_strengthening", t("骨骼强化", "Bone strengthening"), [3, 3],
                      [15, 20], ["moderate", "vigorous"],
                      activities=[activity("jumping_games", "跳跃游戏", "Jumping games", 5.8,
                                           "vigorous")]),
        ],
        weekly_minutes=420, weekly_minutes_range=[420, None], weekly_minutes_basis="mvpa",
        education=[{"code": "screen_time", "rule_id": "myopia-screen",
                    "text": t("课余视屏时间每天不超过1小时，读写每30–40分钟远眺休息。",
                              "No more than 1 hour of leisure screen time a day; look into "
                              "the distance every 30–40 minutes of reading.")}],
        retest_date="2026-05-26",
        facts={"age_years": 10.4, "age_group": "youth_6_17", "hr_valid_marker": False},
    )


YOUTH_PROGRESS = [
    {"date": "2024-10-12", "grade": "pass", "total": 66.4,
     "scores": {"bmi": 60, "vital_capacity_ml": 72, "run_50m_s": 66, "sit_and_reach_cm": 78,
                "rope_skip_1min_count": 64, "sit_up_1min_count": 70}},
    {"date": "2025-10-09", "grade": "pass", "total": 71.2,
     "scores": {"bmi": 60, "vital_capacity_ml": 76, "run_50m_s": 70, "sit_and_reach_cm": 80,
                "rope_skip_1min_count": 74, "sit_up_1min_count": 74}},
]


@pytest.fixture(scope="session")
def translations(tmp_path_factory: pytest.TempPathFactory):
    return compile_catalogues(tmp_path_factory.mktemp("printing-translations"))


@pytest.fixture
def app_ctx(translations):
    """An app context whose Flask-Babel reads the printing catalogue."""
    app = print_app(translations)
    with app.app_context():
        yield app


@pytest.fixture
def hypertensive_rx() -> dict[str, Any]:
    return copy.deepcopy(SAMPLE_PRESCRIPTION)


@pytest.fixture
def beta_blocker_rx() -> dict[str, Any]:
    return _beta_blocker_rx()


@pytest.fixture
def deferred_rx() -> dict[str, Any]:
    return _deferred_rx()


@pytest.fixture
def youth_rx() -> dict[str, Any]:
    return _youth_rx()


@pytest.fixture
def make_context():
    """Build a PlanContext for an adult at a station; keyword arguments override."""

    def build(prescription: dict[str, Any], **overrides: Any) -> PlanContext:
        fields: dict[str, Any] = {
            "lang": "zh", "station_name": "朝阳区东湖社区卫生服务站",
            "clinician_name": "李静医生", "patient_name": "王建国", "patient_sex": "M",
            "patient_age_years": 56, "patient_ref": "DH-2026-00417",
            "issued_on": date(2026, 3, 3), "signed_at": datetime(2026, 3, 3, 10, 25),
            "prescription": prescription, "version": 2,
            "qr_url": "https://plans.example-station.cn/p/kQ7vX2mN9sLw4RtY",
            "qr_expires_on": date(2026, 6, 1), "progress": copy.deepcopy(SAMPLE_PROGRESS),
        }
        fields.update(overrides)
        return PlanContext(**fields)

    return build


@pytest.fixture
def student_contexts(make_context, youth_rx):
    """Three students of one class, as the school package would hand them over."""
    students = [("李子轩", "M", 10.4, "G4-2-07"), ("张雨桐", "F", 10.1, "G4-2-15"),
                ("陈浩然", "M", 9.9, "G4-2-21")]
    return [
        make_context(youth_rx, patient_name=name, patient_sex=sex, patient_age_years=age,
                     patient_ref=ref, school_name="东湖小学", class_name="四年级2班",
                     clinician_name="周敏校医", progress=copy.deepcopy(YOUTH_PROGRESS))
        for name, sex, age, ref in students
    ]


# -- reading PDFs back -----------------------------------------------------------------
# pypdf's extract_text() mis-decodes two-byte (Identity-H) fonts written as literal
# strings, as fpdf2 writes them (pypdf 7.1 inserts NULs and garbles some runs), while
# poppler and PDF viewers read them correctly. The helper below still uses pypdf to parse
# the file, but maps each two-byte code through the font's own ToUnicode CMap, which is
# exactly what a viewer does for copy-paste and search.


def _to_unicode(font) -> dict[int, str]:
    data = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    mapping: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst).decode("utf-16-be")
    for block in re.findall(r"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(
            r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = chr(int(dst, 16) + offset)
    return mapping


def page_texts(pdf: bytes) -> list[str]:
    """The text of each page, one line per text object, decoded via ToUnicode."""
    reader = PdfReader(io.BytesIO(pdf))
    pages = []
    for page in reader.pages:
        fonts = page["/Resources"]["/Font"]
        maps = {name: _to_unicode(font.get_object()) for name, font in fonts.items()}
        current: dict[int, str] = {}
        parts: list[str] = []
        for operands, op in ContentStream(page.get_contents(), reader).operations:
            if op == b"Tf":
                current = maps[operands[0]]
            elif op in (b"Tj", b"TJ"):
                items = operands[0] if op == b"TJ" else [operands[0]]
                for item in items:
                    if isinstance(item, TextStringObject):
                        raw = item.original_bytes
                    elif isinstance(item, ByteStringObject):
                        raw = bytes(item)
                    else:
                        continue
                    parts.append("".join(current.get(int.from_bytes(raw[i:i + 2], "big"), "\ufffd")
                                         for i in range(0, len(raw), 2)))
            elif op == b"ET":
                parts.append("\n")
        pages.append("".join(parts))
    return pages


@pytest.fixture
def read_pages():
    """``read_pages(pdf_bytes) -> [page text]``, spaces kept, one line per text object."""
    return page_texts
