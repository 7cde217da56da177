"""Demo data: two stations, one user per role, ~30 realistic patients with assessments and
some prescriptions, for trying the app (`prescribe demo`, `prescribe serve --demo`).

Values are drawn from a fixed-seed generator around typical Chinese values for each age
group (kept inside the vocabulary's usual ranges), so every run makes the same people.
Prescriptions are drafted through the real assistant when a rule set is loaded.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from prescribe.errors import AssessmentError
from prescribe.vocabulary import BY_NAME

from .operations import accounts, assessments, prescriptions
from .operations.patients import PatientDetails, create_patient
from .tables import Patient, Station, User

logger = logging.getLogger(__name__)

DEMO_PASSWORD = "demo-pass-2026"
DEMO_ACCOUNTS = (("doctor", "王医生", "clinician", 0), ("prescriber", "李处方师", "prescriber", 0),
                 ("admin", "赵管理员", "admin", 0), ("other", "陈医生", "clinician", 1))
STATIONS = (("朝阳社区卫生服务站", "community"), ("海淀实验小学卫生室", "school"))

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ("建国", "秀英", "志强", "丽娟", "海涛", "桂兰", "文博", "雨萱", "子轩", "欣怡", "浩然",
         "梓涵", "国华", "淑珍", "晓明", "佳怡", "俊杰", "婷婷", "宇航", "思琪", "明辉", "春梅",
         "一诺", "沐宸", "红霞", "德福", "诗涵", "天佑", "秀兰", "博文", "若曦", "嘉豪")

# (mean, sd) per group; male and female differ where the standards do.
ADULT = {"height_cm": ((170, 6), (158, 5)), "bmi": ((24.5, 3), (23.5, 3)),
         "vital_capacity_ml": ((3600, 500), (2500, 400)), "grip_strength_kg": ((42, 7), (26, 5)),
         "sit_and_reach_cm": ((6, 7), (10, 6)), "step_test_index": ((55, 8), (56, 8)),
         "choice_reaction_time_s": ((0.55, 0.08), (0.58, 0.08)),
         "one_leg_stand_eyes_closed_s": ((18, 10), (16, 9)), "push_up_count": ((22, 8), (0, 0)),
         "sit_up_1min_count": ((0, 0), (24, 8)), "vertical_jump_cm": ((38, 7), (25, 5))}
OLDER = {"height_cm": ((166, 6), (154, 5)), "bmi": ((24.5, 3), (24.5, 3.5)),
         "vital_capacity_ml": ((2600, 500), (1800, 400)), "grip_strength_kg": ((33, 6), (22, 4)),
         "sit_and_reach_cm": ((1, 8), (6, 7)), "choice_reaction_time_s": ((0.68, 0.1),
                                                                        (0.72, 0.1)),
         "one_leg_stand_eyes_closed_s": ((6, 4), (5, 3)), "chair_stand_30s_count": ((13, 3),
                                                                                  (12, 3))}
CHILD = {"height_cm": ((112, 6), (111, 6)), "bmi": ((15.8, 1.3), (15.5, 1.3)),
         "shuttle_run_10m_s": ((7.6, 0.9), (7.9, 0.9)), "standing_long_jump_cm": ((98, 15),
                                                                                (92, 14)),
         "tennis_ball_throw_m": ((6.5, 1.8), (4.8, 1.3)),
         "double_leg_continuous_jump_s": ((6.5, 1.5), (6.8, 1.5)),
         "sit_and_reach_cm": ((10, 3), (12, 3)), "balance_beam_walk_s": ((9, 3), (9.5, 3))}
PRIMARY = {"height_cm": ((142, 8), (141, 8)), "bmi": ((18.5, 3), (17.8, 2.8)),
           "vital_capacity_ml": ((1900, 350), (1700, 300)), "run_50m_s": ((9.3, 0.8), (9.7, 0.8)),
           "sit_and_reach_cm": ((6, 5), (10, 5)), "rope_skip_1min_count": ((115, 25), (122, 25)),
           "sit_up_1min_count": ((33, 8), (32, 8)), "shuttle_run_50mx8_s": ((112, 10),
                                                                           (116, 10))}
SECONDARY = {"height_cm": ((168, 7), (158, 6)), "bmi": ((20.8, 3.3), (20.2, 3)),
             "vital_capacity_ml": ((3300, 550), (2400, 400)), "run_50m_s": ((7.8, 0.6),
                                                                             (9.2, 0.7)),
             "sit_and_reach_cm": ((7, 6), (12, 5)), "standing_long_jump_cm": ((215, 20),
                                                                             (165, 15)),
             "pull_up_count": ((5, 4), (0, 0)), "sit_up_1min_count": ((0, 0), (38, 8)),
             "run_1000m_s": ((255, 25), (0, 0)), "run_800m_s": ((0, 0), (245, 22))}

# (count, group, age range, conditions/medications pool)
PEOPLE = ((10, ADULT, (22, 59)), (8, OLDER, (60, 74)), (3, CHILD, (3.5, 6.5)),
          (6, PRIMARY, (7, 12)), (4, SECONDARY, (13, 17)))
ADULT_CONDITIONS = ((["I10"], []), (["I10"], ["C07"]), (["E11"], ["A10BA"]), (["E66"], []),
                    (["M17"], []), ([], []), ([], []), (["E78"], []))


def _draw(rng: random.Random, table: dict, sex: str) -> dict[str, Any]:
    """Draw one value per item, rounded to the vocabulary's resolution and clipped to its
    usual range; BMI becomes a weight."""
    values: dict[str, Any] = {}
    index = 0 if sex == "M" else 1
    for name, pair in table.items():
        mean, sd = pair[index]
        if mean == 0:
            continue  # not an item for this sex
        value = rng.gauss(mean, sd)
        if name == "bmi":
            continue
        var = BY_NAME[name]
        lo = var.warn_lo if var.warn_lo is not None else var.lo
        hi = var.warn_hi if var.warn_hi is not None else var.hi
        value = min(max(value, lo if lo is not None else value), hi if hi is not None else value)
        values[name] = int(round(value)) if var.kind == "count" else round(value, 1)
    bmi_mean, bmi_sd = table["bmi"][index]
    bmi = min(max(rng.gauss(bmi_mean, bmi_sd), bmi_mean - 2 * bmi_sd), bmi_mean + 2.5 * bmi_sd)
    values["weight_kg"] = round(bmi * (values["height_cm"] / 100) ** 2, 1)
    return values


def _adult_extras(rng: random.Random, age: float) -> dict[str, Any]:
    conditions, medications = rng.choice(ADULT_CONDITIONS)
    htn = "I10" in conditions
    values: dict[str, Any] = {
        "resting_hr_bpm": rng.randint(60, 84), "sbp_mmhg": rng.randint(142, 168) if htn
        else rng.randint(108, 136), "dbp_mmhg": rng.randint(88, 99) if htn else rng.randint(68, 86),
        "waist_cm": round(rng.gauss(86, 9), 1), "regularly_active": rng.random() < 0.4}
    if conditions:
        values["conditions"] = conditions
    if medications:
        values["medications"] = medications
    if age >= 60:
        values["falls_past_12_months"] = rng.choice((0, 0, 0, 1, 2))
    return values


def _youth_extras(rng: random.Random, age: float) -> dict[str, Any]:
    values: dict[str, Any] = {"resting_hr_bpm": rng.randint(72, 96),
                              "regularly_active": rng.random() < 0.5}
    if age >= 6:
        va = rng.choice((5.0, 4.9, 4.8, 4.7, 5.1))
        values.update(uncorrected_va_left=va, uncorrected_va_right=min(5.3, va + rng.choice(
            (0, 0.1, -0.1))), spherical_equivalent_d=rng.choice((0.5, 0.0, -0.75, -1.5)),
            atr_deg=rng.choice((1, 2, 3, 5, 7)), outdoor_min_per_day=rng.randint(30, 150),
            mvpa_min_per_day=rng.randint(20, 90), screen_min_per_day=rng.randint(60, 240))
    return values


def _grade_for(age: float) -> str:
    """Grade code by age: primary 11–16, junior middle 21–23, senior high 31–33."""
    if age < 12.5:
        return str(10 + max(1, min(6, int(age) - 6)))
    if age < 15.5:
        return str(20 + max(1, min(3, int(age) - 11)))
    return str(30 + max(1, min(3, int(age) - 14)))


def seed_demo(session: Session, assistant: Any | None, today: dt.date | None = None) -> dict:
    """Create the demo stations, users and ~30 patients; refuses when patients exist."""
    if session.scalar(select(func.count(Patient.id))):
        raise ValueError("the database already has patients; demo data is only for an empty one")
    users = demo_users(session)
    return add_patients(session, users, assistant, today=today)


def demo_users(session: Session) -> dict[str, User]:
    """The demo stations and one user per role (reused when they exist)."""
    stations = [session.scalar(select(Station).where(Station.name == name))
                or accounts.create_station(session, None, name, kind) for name, kind in STATIONS]
    users = {}
    for username, name, role, station_index in DEMO_ACCOUNTS:
        users[username] = session.scalar(select(User).where(User.username == username)) or \
            accounts.create_user(session, None, username=username, display_name=name,
                                 password=DEMO_PASSWORD, role=role,
                                 station=stations[station_index])
    return users


def add_patients(session: Session, users: dict[str, User], assistant: Any | None, *,
                 scale: float = 1.0, today: dt.date | None = None, seed: int = 20260301,
                 second_station_every: int = 6) -> dict[str, int]:
    """Add the demo mix of patients (``scale`` × about 31) with 1–3 assessments each and,
    with an assistant, drafted (some signed) prescriptions. Every ``second_station_every``
    th patient goes to the second station."""
    today = today or dt.date.today()
    rng = random.Random(seed)
    counts = {"patients": 0, "assessments": 0, "prescriptions": 0, "signed": 0}
    number = 0
    for count, table, (age_lo, age_hi) in PEOPLE:
        for _ in range(round(count * scale)):
            number += 1
            actor = users["other"] if second_station_every and number % second_station_every \
                == 0 else users["doctor"]
            patient = _add_patient(session, actor, rng, number, table, age_lo, age_hi, today)
            counts["patients"] += 1
            counts["assessments"] += _add_visits(session, actor, patient, rng, table, today)
            if assistant is not None and patient.assessments and rng.random() < 0.6:
                rx = prescriptions.draft_prescription(session, actor, patient.assessments[-1],
                                                      assistant)
                counts["prescriptions"] += 1
                if rng.random() < 0.6 and not rx.content.get("needs_review"):
                    prescriptions.sign_prescription(session, actor, rx, rx.lock_version, False)
                    counts["signed"] += 1
    session.flush()
    return counts


def _add_patient(session: Session, actor: User, rng: random.Random, number: int, table: dict,
                 age_lo: float, age_hi: float, today: dt.date) -> Patient:
    sex = "M" if number % 2 else "F"
    age = rng.uniform(age_lo, age_hi)
    student = table in (PRIMARY, SECONDARY)
    return create_patient(session, actor, PatientDetails(
        record_no=f"{'XS' if student else 'JM'}{number:04d}",
        name=rng.choice(SURNAMES) + GIVEN[number % len(GIVEN)], sex=sex,
        birth_date=today - dt.timedelta(days=int(age * 365.2425)),
        phone=None if student or table is CHILD else f"139{rng.randint(10000000, 99999999)}",
        school_name="海淀实验小学" if student else None,
        class_name=f"{rng.randint(1, 4)}班" if student else None,
        grade_code=_grade_for(age) if student else None))


def _add_visits(session: Session, actor: User, patient: Patient, rng: random.Random,
                table: dict, today: dt.date) -> int:
    """1–3 visits four months apart, each a little better than the last."""
    age = patient.age_on(today)
    visits = rng.choice((1, 2, 3))
    base = _draw(rng, table, patient.sex)
    extras = _adult_extras(rng, age) if table in (ADULT, OLDER) else _youth_extras(rng, age)
    recorded = 0
    for visit in range(visits):
        day = today - dt.timedelta(days=120 * (visits - 1 - visit) + rng.randint(0, 9))
        values = {**base, **extras}
        for key in table:
            if key in values and key not in ("height_cm", "bmi"):
                var = BY_NAME[key]
                better = -1 if key.endswith("_s") and "stand" not in key else 1
                step = values[key] * 0.08 * visit * better
                values[key] = int(round(values[key] + step)) if var.kind == "count" \
                    else round(values[key] + step, 1)
        try:
            assessments.record_assessment(session, actor, patient, day, values)
        except AssessmentError as exc:  # a drawn value the core refuses: skip it
            logger.warning("demo assessment skipped: %s problem(s)", len(exc.problems))
            continue
        recorded += 1
    return recorded
