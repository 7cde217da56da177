"""Read a school's stored results back as one pandas frame (vocabulary columns).

The report (``prescribe.school.school_report``), the official-template export
(``prescribe.school.to_official_template``) and the KPI dashboard all take frames; this
module is the one place that turns table rows into them: one SELECT for the rows, the
stored values and scores decoded column-wise, never a query per student.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from ..tables import Assessment, Patient, Prescription
from .tables import School, SchoolClass, Student, StudentAssessment

BASE_COLUMNS = ("result_pk", "student_pk", "patient_pk", "assessment_pk", "class_pk",
                "student_id", "name", "sex", "birth_date", "ethnicity_code", "address",
                "grade_code", "class_code", "class_name", "school_year", "test_date",
                "total_score", "grade", "bmi", "weight_status", "screening_myopia",
                "scoliosis_screen_positive", "atr_band", "flagged", "flag_reasons",
                "failing_items", "values_json", "scores_json")


def school_years(session: Session, school: School) -> list[int]:
    """School years with results, newest first."""
    return list(session.scalars(select(StudentAssessment.school_year).join(SchoolClass)
                                .where(SchoolClass.school_id == school.id)
                                .group_by(StudentAssessment.school_year)
                                .order_by(StudentAssessment.school_year.desc())))


def class_status(session: Session, school: School, year: int) -> dict[int, dict[str, int]]:
    """Per class of ``year``: students, flagged students, open drafts and signed plans."""
    base = (select(StudentAssessment.class_id, func.count(),
                   func.sum(case((StudentAssessment.flagged, 1), else_=0)))
            .join(SchoolClass).where(SchoolClass.school_id == school.id,
                                     StudentAssessment.school_year == year)
            .group_by(StudentAssessment.class_id))
    out = {cid: {"students": n, "flagged": int(f or 0), "draft": 0, "signed": 0}
           for cid, n, f in session.execute(base)}
    plans = (select(StudentAssessment.class_id, Prescription.status, func.count())
             .join(SchoolClass).join(Prescription,
                                     Prescription.assessment_id == StudentAssessment.assessment_id)
             .where(SchoolClass.school_id == school.id, StudentAssessment.school_year == year,
                    Prescription.status.in_(("draft", "signed")))
             .group_by(StudentAssessment.class_id, Prescription.status))
    for cid, status, n in session.execute(plans):
        out.setdefault(cid, {"students": 0, "flagged": 0, "draft": 0, "signed": 0})[status] = n
    return out


def _decode(texts: pd.Series, key: str | None = None) -> pd.DataFrame:
    """A JSON text column → one column per key (the ``key`` sub-object if given)."""
    def load(text: Any) -> dict[str, Any]:
        data = json.loads(text) if isinstance(text, str) and text else {}
        return (data.get(key) or {}) if key else data

    return pd.DataFrame.from_records(list(map(load, texts)), index=texts.index)


def results_frame(session: Session, school: School, year: int, *,
                  class_id: int | None = None) -> pd.DataFrame:
    """Every stored result of ``school`` in ``year`` (optionally one class), one row per
    student: identity and class, screening columns, item scores (``score_<item>``) and
    the measured values under vocabulary names."""
    query = (select(StudentAssessment.id, Student.id, Patient.id, Assessment.id,
                    SchoolClass.id, Student.student_no, Patient.name, Patient.sex,
                    Patient.birth_date, Student.ethnicity_code, Student.address,
                    SchoolClass.grade_code, SchoolClass.class_code, SchoolClass.class_name,
                    StudentAssessment.school_year, StudentAssessment.tested_on,
                    StudentAssessment.total_score, StudentAssessment.grade,
                    StudentAssessment.bmi, StudentAssessment.weight_status,
                    StudentAssessment.screening_myopia, StudentAssessment.scoliosis_positive,
                    StudentAssessment.atr_band, StudentAssessment.flagged,
                    StudentAssessment.flag_reasons, StudentAssessment.failing_items,
                    Assessment.values_json, Assessment.scores_json)
             .join(Student, StudentAssessment.student_id == Student.id)
             .join(Patient, Student.patient_id == Patient.id)
             .join(SchoolClass, StudentAssessment.class_id == SchoolClass.id)
             .join(Assessment, StudentAssessment.assessment_id == Assessment.id)
             .where(SchoolClass.school_id == school.id, StudentAssessment.school_year == year)
             .order_by(SchoolClass.grade_code, SchoolClass.class_code, Student.student_no))
    if class_id is not None:
        query = query.where(StudentAssessment.class_id == class_id)
    frame = pd.DataFrame(session.execute(query).all(), columns=list(BASE_COLUMNS))
    if frame.empty:
        return frame.drop(columns=["values_json", "scores_json"])
    values = _decode(frame["values_json"]).drop(columns=["grade_code"], errors="ignore")
    scores = _decode(frame["scores_json"], "result")
    scores = scores[[c for c in scores.columns if c.startswith("score_")
                     or c in ("bonus_points", "missing_items")]]
    frame = pd.concat([frame.drop(columns=["values_json", "scores_json"]), values, scores],
                      axis=1)
    for col in ("screening_myopia", "scoliosis_screen_positive"):
        frame[col] = frame[col].astype("boolean")
    for col in ("total_score", "bmi"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce")
    frame["grade"] = frame["grade"].astype("string").fillna("")
    frame["student_id"] = frame["student_id"].astype("string")
    return frame
