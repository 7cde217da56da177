"""Test data builders shared by the web tests (plain functions; fixtures wrap them)."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-42"


def compile_translations(dest: Path) -> str:
    """Compile web/translations and web/printing/translations into ``dest``.

    Returns the value for ``BABEL_TRANSLATION_DIRECTORIES`` (absolute paths).
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    dirs = []
    for source in sorted((ROOT / "web").glob("**/translations")):
        target = dest / source.relative_to(ROOT).as_posix().replace("/", "_")
        for po_path in source.glob("*/LC_MESSAGES/messages.po"):
            lang = po_path.parent.parent.name
            with po_path.open("rb") as fh:
                catalog = read_po(fh, locale=lang)
            out = target / lang / "LC_MESSAGES" / "messages.mo"
            out.parent.mkdir(parents=True, exist_ok=True)
            with out.open("wb") as fh:
                write_mo(fh, catalog, use_fuzzy=True)
        dirs.append(str(target))
    return ";".join(dirs)


@functools.cache
def password_hash() -> str:
    """One Argon2 hash per test run: hashing per user would cost ~50 ms each."""
    from web.passwords import configure, hash_password

    configure("CHEAPEST")
    return hash_password(PASSWORD)


@dataclass
class People:
    station_a: int
    station_b: int
    doctor: int
    prescriber: int
    admin: int
    other: int


def make_people() -> People:
    """Two stations; a clinician, a prescriber and an administrator at the first, and a
    clinician ("other") at the second, to prove station scoping. Call in an app context."""
    from web.extensions import db
    from web.tables import Station, User

    a = Station(name="朝阳社区卫生服务站", kind="community")
    b = Station(name="海淀学校卫生室", kind="school")
    db.session.add_all([a, b])
    db.session.flush()
    users = {}
    for username, name, role, station, lang in (
        ("doctor", "王医生", "clinician", a, "zh"),
        ("prescriber", "李运动处方师", "prescriber", a, "zh"),
        ("admin", "赵管理员", "admin", a, "zh"),
        ("other", "陈医生", "clinician", b, "zh"),
    ):
        user = User(username=username, display_name=name, role=role, station_id=station.id,
                    password_hash=password_hash(), language=lang)
        db.session.add(user)
        users[username] = user
    db.session.commit()
    return People(a.id, b.id, *(users[k].id for k in ("doctor", "prescriber", "admin",
                                                       "other")))


def make_patient(station_id: int, created_by: int, **overrides: Any) -> int:
    from web.extensions import db
    from web.tables import Patient

    data = {"record_no": f"R{uuid.uuid4().hex[:6]}", "name": "张建国", "sex": "M",
            "birth_date": dt.date(1969, 3, 14), "phone": "13800138000"}
    data.update(overrides)
    patient = Patient(station_id=station_id, created_by_id=created_by, **data)
    db.session.add(patient)
    db.session.commit()
    return patient.id


ADULT_VALUES = {"height_cm": 172.0, "weight_kg": 81.5, "waist_cm": 94.0,
                "resting_hr_bpm": 72, "sbp_mmhg": 168, "dbp_mmhg": 96,
                "vital_capacity_ml": 3100, "grip_strength_kg": 38.5, "sit_and_reach_cm": 4.5,
                "step_test_index": 52.0, "choice_reaction_time_s": 0.62,
                "one_leg_stand_eyes_closed_s": 9, "conditions": ["I10"],
                "regularly_active": False}


def make_assessment(patient_id: int, user_id: int, *, day: dt.date | None = None,
                    values: dict[str, Any] | None = None) -> int:
    """Record through the real operation (core validation and scoring)."""
    from web.extensions import db
    from web.operations.assessments import record_assessment
    from web.tables import Patient, User

    patient = db.session.get(Patient, patient_id)
    user = db.session.get(User, user_id)
    item = record_assessment(db.session, user, patient, day or dt.date(2026, 3, 2),
                             dict(ADULT_VALUES if values is None else values))
    db.session.commit()
    return item.id


def sample_prescription() -> dict[str, Any]:
    """A prescription in the contract's shape (docs/ARCHITECTURE.md "The prescription"):
    a 56-year-old man with untreated grade-2 hypertension, pending medical clearance."""
    return copy.deepcopy(_SAMPLE)


def insert_prescription(assessment_id: int, user_id: int,
                        content: dict[str, Any] | None = None) -> int:
    """Store a draft as the assistant would have produced it (no rule engine needed)."""
    from web.extensions import db
    from web.tables import Assessment, Prescription

    content = content or sample_prescription()
    assessment = db.session.get(Assessment, assessment_id)
    item = Prescription(
        patient_id=assessment.patient_id, station_id=assessment.station_id,
        assessment_id=assessment.id, series=uuid.uuid4().hex, version_no=1, status="draft",
        proposed_json=json.dumps(content, ensure_ascii=False), ruleset_name="default",
        ruleset_version="1.0.0", ruleset_hash="sha256:0f3a9c", model_version=None,
        created_by_id=user_id)
    item.content = content
    db.session.add(item)
    db.session.commit()
    return item.id


_REASON_CLEAR = {"zh": "血压2级：开始运动前需医学评估",
                 "en": "BP grade 2: medical clearance before starting"}
_SAMPLE: dict[str, Any] = {
    "outcome": "prescription_pending_clearance",
    "clearance": {"required": True, "before": "any",
                  "reasons": [{"rule_id": "bp-grade2-clearance", "reason": _REASON_CLEAR}]},
    "referrals": [{"to": "physician", "urgency": "soon", "rule_id": "bp-grade2-clearance",
                   "reason": {"zh": "血压2级需医生评估", "en": "Grade 2 BP needs a physician"}}],
    "intensity_cap": "moderate",
    "components": [
        {"type": "aerobic", "days_per_week": [5, 7], "minutes_per_session": [30, 60],
         "intensity": ["light", "moderate"], "hrr_percent": [40, 59],
         "target_hr_bpm": [115, 135], "rpe": [12, 13], "weekly_minutes": [150, 300],
         "activities": [{"code": "brisk_walking", "name_zh": "快走", "name_en": "Brisk walking",
                         "met": 4.3}],
         "progression": [{"weeks": [1, 4], "note": {"zh": "每次20–30分钟", "en": "20–30 min"}}],
         "rule_ids": ["adult-baseline-aerobic", "htn-aerobic"]},
        {"type": "resistance", "days_per_week": [2, 3], "minutes_per_session": [20, 30],
         "intensity": ["light", "moderate"], "hrr_percent": None, "target_hr_bpm": None,
         "rpe": [11, 13], "sets_reps": {"zh": "8–10个动作，每个2组×10–15次",
                                         "en": "8–10 exercises, 2 sets × 10–15"},
         "activities": [], "progression": [], "rule_ids": ["adult-baseline-resistance"]},
    ],
    "weekly_minutes": 150,
    "excluded": [{"code": "heavy_valsalva_lifting", "rule_id": "htn-no-valsalva",
                  "reason": {"zh": "避免憋气用力", "en": "Avoid breath-holding strain"}}],
    "precautions": [{"code": "bp_before_session", "rule_id": "htn-precautions",
                     "text": {"zh": "运动前测血压", "en": "Check BP before each session"}}],
    "education": [],
    "warning_signs": [{"code": "angina_like_discomfort", "source": "ACSM stop indications",
                       "text": {"zh": "胸部、颈部、下颌或手臂压迫、疼痛或不适",
                                "en": "Chest, neck, jaw or arm pain or discomfort"}}],
    "retest_date": "2026-06-01",
    "needs_review": [],
    "fitness": {"tier": 2, "probability": 0.71, "source": "model",
                "items_used": ["grip_strength_kg", "vital_capacity_ml"],
                "model_version": "fitness_tier-2026.11", "abstain_reason": None},
    "facts": {"age_years": 56.9, "age_group": "adult_18_64", "bp_grade": "grade2",
              "sbp_mmhg": 168, "resting_hr_bpm": 72, "hr_valid_marker": True,
              "hr_max_bpm": 168.17},
    "trace": [
        {"rule_id": "bp-grade2-clearance", "source": "ACSM 2004 hypertension stand",
         "title": {"zh": "血压2级：开始前需医学评估",
                   "en": "BP grade 2: medical clearance before starting"},
         "facts": {"sbp_mmhg": 168, "dbp_mmhg": 96},
         "effects": [{"require_clearance": {"before": "any"}},
                     {"cap_intensity": {"level": "moderate"}},
                     {"refer": {"to": "physician"}}], "overruled": []},
        {"rule_id": "htn-no-valsalva", "source": "ACSM hypertension 2015",
         "title": {"zh": "高血压：避免憋气", "en": "Hypertension: no breath-holding"},
         "facts": {"conditions": ["hypertension"]},
         "effects": [{"exclude": {"code": "heavy_valsalva_lifting"}}], "overruled": []},
        {"rule_id": "adult-baseline-aerobic", "source": "ACSM GETP 11th",
         "title": {"zh": "成人有氧基线", "en": "Adult aerobic baseline"},
         "facts": {"age_years": 56.9},
         "effects": [{"component": {"type": "aerobic"}}], "overruled": []},
    ],
    "provenance": {"ruleset": {"name": "default", "version": "1.0.0", "hash": "sha256:0f3a9c"},
                   "standards": ["physique-2003"], "model_version": None,
                   "engine_version": "0.1.0", "generated_at": "2026-11-29T08:00:00+08:00"},
}


TINY_RULES = Path(__file__).resolve().parent / "data" / "rules_tiny"


def tiny_assistant() -> Any:
    """The real assistant on a tiny test rule set (skips while the engine is absent)."""
    import pytest

    assistant = pytest.importorskip("prescribe.assistant",
                                    reason="the rule engine (prescribe.assistant) is not built")
    return assistant.Assistant.from_paths(TINY_RULES)


@dataclass
class World:
    """Records at station A (a patient with an assessment, a signed prescription with a
    share link, and a draft) and one patient at station B."""

    people: People
    patient: int
    assessment: int
    signed: int
    draft: int
    link: int
    token: str
    patient_b: int


def make_world(people: People) -> World:
    from web.extensions import db
    from web.operations import prescriptions, sharing
    from web.tables import Prescription, User

    patient = make_patient(people.station_a, people.doctor)
    assessment = make_assessment(patient, people.doctor)
    signed_id = insert_prescription(assessment, people.doctor)
    doctor = db.session.get(User, people.doctor)
    signed = db.session.get(Prescription, signed_id)
    prescriptions.sign_prescription(db.session, doctor, signed, signed.lock_version, False)
    link = sharing.create_share_link(db.session, doctor, signed, days=90)
    db.session.commit()
    second = make_assessment(patient, people.doctor, day=dt.date(2026, 6, 1))
    draft = insert_prescription(second, people.doctor)
    patient_b = make_patient(people.station_b, people.other, name="孙丽娟", sex="F",
                             birth_date=dt.date(1980, 5, 2))
    return World(people, patient, assessment, signed_id, draft, link.id, link.token, patient_b)


def field_errors(html: str, field_id: str) -> list[str]:
    """The error messages shown under a form field (``<div id="<field>-msg">``)."""
    import re

    block = re.search(rf'<div id="{re.escape(field_id)}-msg">(.*?)</div>', html, re.S)
    if block is None:
        return []
    return re.findall(r'<p class="error">(.*?)</p>', block.group(1), re.S)
