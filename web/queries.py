"""Read-only queries the pages share (all scoped to one station)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, func, or_, select

from .tables import Assessment, Patient, Prescription


def patient_search(station_id: int, text: str) -> Select[tuple[Patient]]:
    """Patients of a station whose name, record number or phone contains ``text``."""
    query = select(Patient).where(Patient.station_id == station_id)
    text = text.strip()
    if text:
        like = f"%{text.replace('%', '').replace('_', '')}%"
        query = query.where(or_(Patient.name.like(like), Patient.record_no.like(like),
                                Patient.phone.like(like)))
    return query.order_by(Patient.name, Patient.id)


def last_assessment_dates(session: Any, patient_ids: list[int]) -> dict[int, dt.date]:
    if not patient_ids:
        return {}
    rows = session.execute(select(Assessment.patient_id, func.max(Assessment.assessed_on))
                           .where(Assessment.patient_id.in_(patient_ids))
                           .group_by(Assessment.patient_id))
    return {pid: day for pid, day in rows}


def prescriptions_of(session: Any, patient: Patient) -> list[Prescription]:
    return list(session.scalars(select(Prescription).where(
        Prescription.patient_id == patient.id).order_by(Prescription.created_at.desc(),
                                                        Prescription.id.desc())))


def progress_points(patient: Patient) -> list[dict[str, Any]]:
    """Scores over time, oldest first: ``{date, grade, total, scores: {item: score}}``.

    This is the shape the printed plan's progress chart takes (ARCHITECTURE "Printed plan").
    """
    points = []
    for item in sorted(patient.assessments, key=lambda a: (a.assessed_on, a.id)):
        result = (item.scores or {}).get("result") or {}
        if not result:
            continue
        scores = {k[len("score_"):]: v for k, v in result.items()
                  if k.startswith("score_") and v is not None}
        total = result.get("total_score", result.get("total_points"))
        points.append({"date": item.assessed_on.isoformat(), "grade": result.get("grade") or "",
                       "total": total, "scores": scores, "standard": item.standard})
    return points
