"""Sort an upload's rows against what the station already holds (read-only).

Rows are keyed by 学籍号 (never by name) and school year:

* ``new_student``: a 学籍号 the station has never seen (or knows only as a bare patient
  record, which is then reused);
* ``new_year``: a known student without a result for this school year (the second year's
  file) → a new assessment for the same student, never a second student;
* ``corrected``: this year's result exists with other values;
* ``unchanged``: the same values again → nothing to write (re-importing is idempotent).

"The same values" is decided by a fingerprint (``rows.values_hash``). Vision and scoliosis
results often arrive on their own sheets, so an upload without those columns keeps what
this year's stored result has instead of erasing it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from prescribe.school import ImportPreview

from ..tables import Assessment, Patient, load_json
from . import rows
from .tables import Student, StudentAssessment

KINDS = ("new_student", "new_year", "corrected", "unchanged")
CHUNK = 500  # IN-list size for lookups (SQLite's parameter limit is far above)


@dataclass
class ImportPlan:
    """The upload's rows (clean, with ``school_year``, ``values_hash`` and ``kind``, and
    screening results the upload lacks filled from this year's stored result) and the
    columns to screen."""

    frame: pd.DataFrame
    inputs: list[str]

    def counts(self) -> dict[str, int]:
        got = self.frame["kind"].value_counts()
        return {k: int(got.get(k, 0)) for k in KINDS}


def _chunks(values: list[Any]) -> list[list[Any]]:
    return [values[i:i + CHUNK] for i in range(0, len(values), CHUNK)]


def _known(session: Session, station_id: int, ids: list[str]) -> pd.DataFrame:
    """Students and bare patients of the station holding these numbers, with their
    results per school year."""
    found = []
    for part in _chunks(ids):
        found += session.execute(
            select(Patient.record_no, Patient.id, Patient.lock_version, Student.id,
                   StudentAssessment.school_year, StudentAssessment.values_hash,
                   StudentAssessment.id, StudentAssessment.assessment_id)
            .outerjoin(Student, Student.patient_id == Patient.id)
            .outerjoin(StudentAssessment, StudentAssessment.student_id == Student.id)
            .where(Patient.station_id == station_id, Patient.record_no.in_(part))).all()
    return pd.DataFrame(found, columns=["student_id", "patient_pk", "patient_lock",
                                        "student_pk", "known_year", "known_hash", "result_pk",
                                        "old_assessment"])


def _stored(session: Session, assessment_ids: list[int]) -> pd.DataFrame:
    """Stored values and screening extras of these assessments, one row per id."""
    found = []
    for part in _chunks(assessment_ids):
        found += session.execute(
            select(Assessment.id, Assessment.values_json, StudentAssessment.extra_json)
            .join(StudentAssessment, StudentAssessment.assessment_id == Assessment.id)
            .where(Assessment.id.in_(part))).all()
    ids = [row[0] for row in found]
    values = pd.DataFrame.from_records(
        [{**load_json(v, {}), **load_json(e, {})} for _id, v, e in found], index=ids)
    return values


def plan(session: Session, station_id: int, preview: ImportPreview) -> ImportPlan:
    """Sort a clean preview's rows into ``KINDS`` (see module docstring).

    Vision and scoliosis results often come on their own sheets: an upload without those
    columns keeps what this year's stored result has, instead of erasing it.
    """
    frame = preview.frame.reset_index(drop=True).copy()
    frame["school_year"] = rows.school_years(frame["test_date"])
    known = _known(session, station_id, frame["student_id"].astype(str).unique().tolist())
    people = known.drop_duplicates("student_id")[["student_id", "patient_pk", "patient_lock",
                                                  "student_pk"]]
    frame = frame.merge(people, on="student_id", how="left")
    latest = known.groupby("student_id")["known_year"].max().rename("latest_year")
    frame = frame.merge(latest, left_on="student_id", right_index=True, how="left")
    results = known.dropna(subset=["known_year"]).astype({"known_year": "int64"})
    frame = frame.merge(results[["student_id", "known_year", "known_hash", "result_pk",
                                 "old_assessment"]],
                        left_on=["student_id", "school_year"],
                        right_on=["student_id", "known_year"], how="left")
    absent = [c for c in rows.SCREENING_FIELDS if c not in preview.frame.columns]
    inputs = list(preview.frame.columns)
    has_result = frame["old_assessment"].notna()
    if absent and has_result.any():
        stored = _stored(session, frame.loc[has_result, "old_assessment"].astype(int).tolist())
        keep = [c for c in absent if c in stored.columns]
        for col in keep:
            frame[col] = frame["old_assessment"].map(stored[col])
        inputs += keep
    frame["values_hash"] = rows.values_hash(frame)
    kind = np.select([frame["patient_pk"].isna() | frame["student_pk"].isna(),
                      frame["result_pk"].isna(),
                      frame["known_hash"].ne(frame["values_hash"])],
                     ["new_student", "new_year", "corrected"], "unchanged")
    frame["kind"] = kind
    # a student known only as a bare patient gets a student record but keeps the patient
    latest_year = frame["latest_year"]
    frame["is_current"] = latest_year.isna() | (frame["school_year"] >= latest_year.fillna(0))
    return ImportPlan(frame, inputs)
