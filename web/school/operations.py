"""Database writes of the school pages, one verb per function, actor and session passed in.

Like ``web.operations`` these flush but never commit: the view owns the transaction, so
an import or a class approval either happens completely or not at all. The import itself
lives in ``importer.py``; this module holds the audit vocabulary, schools, the checks an
upload must pass against the station's own records, and the class review queue.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session, contains_eager

from ..operations import OperationError, StaleEditError
from ..operations import prescriptions as rx_ops
from ..tables import AuditEvent, Patient, Prescription, User, load_json
from .tables import School, SchoolClass, Student, StudentAssessment

logger = logging.getLogger(__name__)

# Audit vocabulary of this area (AuditEvent columns are 20 characters wide).
ACTIONS = ("created", "imported", "approved", "printed", "exported", "viewed")
OBJECT_TYPES = ("school", "school_class", "school_import")
MAX_NAME = 100
MAX_STUDENT_NO = 40
MAX_CLASS_CODE = 20


def audit(session: Session, actor: User, action: str, object_type: str, object_id: int | None,
          detail: str = "") -> None:
    """Record one school event; ``detail`` holds counts and ids, never names or values."""
    if action not in ACTIONS or object_type not in OBJECT_TYPES:
        raise ValueError(f"unknown school audit event {action!r} on {object_type!r}")
    session.add(AuditEvent(user_id=actor.id, station_id=actor.station_id, action=action,
                           object_type=object_type, object_id=object_id, detail=detail[:200]))


def school_for(session: Session, actor: User, name: str) -> School:
    """The actor's station's school of this name, created on first use."""
    name = " ".join((name or "").split())
    if not name:
        raise OperationError("a school name is needed", "school_name")
    if len(name) > 120:
        raise OperationError("the school name is longer than 120 characters", "school_name")
    school = session.scalar(select(School).where(School.station_id == actor.station_id,
                                                 School.name == name))
    if school is None:
        school = School(station_id=actor.station_id, name=name, created_by_id=actor.id)
        session.add(school)
        session.flush()
        audit(session, actor, "created", "school", school.id)
    return school


def _problem(row: Any, file: str, field: str, header: str, value: Any, reason: str) -> dict:
    return {"file": file, "row": None if pd.isna(row) else int(row), "column": header,
            "field": field, "value": None if value is None or pd.isna(value) else str(value),
            "reason": reason, "allowed": None, "severity": "error"}


def record_checks(session: Session, station_id: int, frame: pd.DataFrame,
                  headers: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """What the station's records need beyond the template rules, every problem at once.

    A student's record needs a name and a class; a 学籍号 already used at this station by
    a patient who is not this student (another birth date or sex) is refused rather than
    merged into a stranger's record.
    """
    if frame.empty or "source_line" not in frame.columns:
        return []
    headers = {"name": "姓名", "class_code": "班级编号", "student_id": "学籍号",
               **(headers or {})}
    out: list[dict[str, Any]] = []
    lines, files = frame["source_line"], frame.get("source_file", pd.Series("", frame.index))
    for name, limit, what in (("name", MAX_NAME, "the student's name"),
                              ("class_code", MAX_CLASS_CODE, "the class code")):
        col = frame[name].astype("string").str.strip() if name in frame.columns else \
            pd.Series(pd.NA, index=frame.index, dtype="string")
        for i in frame.index[col.isna() | col.eq("")]:
            out.append(_problem(lines[i], files[i], name, headers[name], None,
                                f"missing: the station's records need {what}"))
        for i in frame.index[col.str.len().gt(limit).fillna(False)]:
            out.append(_problem(lines[i], files[i], name, headers[name], col[i],
                                f"longer than {limit} characters"))
    ids = frame["student_id"].astype("string")
    for i in frame.index[ids.str.len().gt(MAX_STUDENT_NO).fillna(False)]:
        out.append(_problem(lines[i], files[i], "student_id", headers["student_id"], ids[i],
                            f"longer than {MAX_STUDENT_NO} characters"))
    out += _clashes(session, station_id, frame, headers["student_id"])
    return sorted(out, key=lambda p: (p["file"], p["row"] or 0))


def _clashes(session: Session, station_id: int, frame: pd.DataFrame,
             header: str) -> list[dict[str, Any]]:
    ids = [i for i in frame["student_id"].dropna().astype(str).unique()]
    if not ids:
        return []
    students = set(session.scalars(select(Student.student_no).where(
        Student.station_id == station_id, Student.student_no.in_(ids))))
    rows = session.execute(select(Patient.record_no, Patient.sex, Patient.birth_date).where(
        Patient.station_id == station_id, Patient.record_no.in_(ids))).all()
    others = pd.DataFrame([r for r in rows if r[0] not in students],
                          columns=["student_id", "sex_known", "born_known"])
    if others.empty:
        return []
    both = frame.reset_index().merge(others, on="student_id")
    born = pd.to_datetime(both["birth_date"]).dt.date
    differs = both["sex"].astype(str).ne(both["sex_known"]) | born.ne(both["born_known"])
    return [_problem(r["source_line"], r.get("source_file", ""), "student_id", header,
                     r["student_id"], "this number is already the record number of another "
                     "patient at this station (different sex or birth date)")
            for _, r in both[differs].iterrows()]


# -- the class review queue -------------------------------------------------------------

ATTENTION = ("deferred", "clearance", "needs_review", "referral")


def attention_reasons(flag_reasons: Iterable[str], content: Mapping[str, Any]) -> list[str]:
    """Why a draft must be reviewed on its own: the student's screening flags (fail,
    overweight, obese, screening myopia, scoliosis) and anything the rules asked a
    clinician to look at. An empty list means a routine draft that may be approved with
    the rest of the class."""
    reasons = [r for r in flag_reasons if r]
    if content.get("outcome") == "defer":
        reasons.append("deferred")
    if (content.get("clearance") or {}).get("required"):
        reasons.append("clearance")
    if content.get("needs_review"):
        reasons.append("needs_review")
    if content.get("referrals"):
        reasons.append("referral")
    return reasons


@dataclass
class QueueRow:
    """One student of a class in the review queue."""

    result: StudentAssessment
    prescription: Prescription | None
    reasons: list[str] = field(default_factory=list)

    @property
    def routine_draft(self) -> bool:
        return (self.prescription is not None and self.prescription.status == "draft"
                and not self.reasons)


def class_queue(session: Session, school_class: SchoolClass) -> list[QueueRow]:
    """Every student of the class with this year's prescription (the open draft, else the
    signed version), ordered by name."""
    results = list(session.scalars(
        select(StudentAssessment).join(Student).join(Patient)
        .options(contains_eager(StudentAssessment.student).contains_eager(Student.patient))
        .where(StudentAssessment.class_id == school_class.id)
        .order_by(Patient.name, Student.student_no)))
    by_assessment: dict[int, Prescription] = {}
    ids = [r.assessment_id for r in results]
    if ids:
        for item in session.scalars(select(Prescription).where(
                Prescription.assessment_id.in_(ids),
                Prescription.status.in_(("draft", "signed"))).order_by(Prescription.id)):
            current = by_assessment.get(item.assessment_id)
            if current is None or current.status == "signed" or item.status == "draft":
                by_assessment[item.assessment_id] = item
    rows = []
    for result in results:
        item = by_assessment.get(result.assessment_id)
        content = load_json(item.content_json, {}) if item is not None else {}
        reasons = attention_reasons(result.reasons, content) if item is not None else []
        rows.append(QueueRow(result, item, reasons))
    return rows


def approve_routine(session: Session, actor: User, school_class: SchoolClass,
                    expected: Mapping[int, int]) -> list[Prescription]:
    """Sign every routine draft of the class at once, with the single-plan sign operation.

    ``expected`` maps prescription id → lock version as the doctor saw the queue. If the
    queue changed since (a draft edited, a new routine draft, one now needing attention),
    nothing is signed (``StaleEditError``); the caller rolls back.
    """
    routine = {r.prescription.id: r.prescription for r in class_queue(session, school_class)
               if r.routine_draft}
    if not routine:
        raise OperationError("this class has no routine drafts to approve")
    if set(routine) != set(expected):
        raise StaleEditError("the class queue changed after you opened it")
    signed = [rx_ops.sign_prescription(session, actor, item, expected[item.id], False)
              for item in routine.values()]
    audit(session, actor, "approved", "school_class", school_class.id,
          f"{len(signed)} routine draft(s) signed")
    logger.info("class %s: %s routine draft(s) signed by user %s", school_class.id,
                len(signed), actor.id)
    return signed
