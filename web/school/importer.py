"""Store a checked school upload: all of it in the caller's one transaction, or nothing.

``planning.plan`` sorts the upload's rows by 学籍号 and school year. Here:

* ``new_student`` → patient (unless a bare record of the child exists), student,
  assessment;
* ``new_year`` → a new assessment for the same student, never a second student;
* ``corrected`` → the corrected values become a new assessment (the old one stays in the
  history; its open drafts are superseded);
* ``unchanged`` → nothing is written (re-importing is idempotent).

``import_school`` screens and drafts the rows that need it through the core's batch
path (``prescribe.school.run_pipeline`` → ``Assistant.prescribe_frame``) and writes the
rows with one multi-row INSERT per table. It flushes and never commits.
"""

from __future__ import annotations

import logging
import time
import uuid
from typing import Any

import pandas as pd
from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from prescribe.school import ImportPreview, run_pipeline

from ..operations import OperationError
from ..tables import (
    Assessment,
    AuditEvent,
    Patient,
    Prescription,
    User,
    dump_json,
    utcnow,
)
from . import rows
from .operations import audit, record_checks
from .planning import plan
from .tables import School, SchoolClass, SchoolImport, Student, StudentAssessment

logger = logging.getLogger(__name__)

DRAFT_SCOPES = ("all", "flagged", "none")


class ImportBlockedError(OperationError):
    """The upload cannot be stored; ``problems`` lists every reason, located."""

    def __init__(self, problems: list[dict[str, Any]]):
        super().__init__(f"{len(problems)} problem(s) block the import")
        self.problems = problems


def import_school(session: Session, actor: User, school: School, preview: ImportPreview,
                  files: list[dict[str, Any]], *, assistant: Any, scope: str) -> SchoolImport:
    """Store the upload (see module docstring); returns the import record with counts.

    :raise ImportBlockedError: the preview still has errors, or the station's records
        refuse a row (``record_checks``).
    """
    if scope not in DRAFT_SCOPES:
        raise OperationError(f"unknown draft scope {scope!r}", "draft_scope")
    if not preview.ok:
        raise ImportBlockedError(preview.errors)
    blocked = record_checks(session, actor.station_id, preview.frame)
    if blocked:
        raise ImportBlockedError(blocked)
    started = time.perf_counter()
    planned = plan(session, actor.station_id, preview)
    frame, inputs = planned.frame, planned.inputs
    work = frame[frame["kind"] != "unchanged"]
    batch = SchoolImport(
        station_id=actor.station_id, school_id=school.id, created_by_id=actor.id,
        test_date=min(frame["test_date"]), school_year=int(frame["school_year"].max()),
        files_json=dump_json(files), draft_scope=scope, n_rows=len(frame),
        n_new_students=int((frame["kind"] == "new_student").sum()),
        n_new_assessments=int(frame["kind"].isin(["new_student", "new_year"]).sum()),
        n_corrected=int((frame["kind"] == "corrected").sum()),
        n_unchanged=int((frame["kind"] == "unchanged").sum()), n_drafts=0)
    session.add(batch)
    session.flush()
    if len(work):
        screened = _screen(work[inputs], assistant, scope)
        _store(session, actor, school, batch, work, screened, preview.problems, assistant)
    audit(session, actor, "imported", "school_import", batch.id,
          f"school {school.id}; {batch.n_rows} rows; {batch.n_new_students} new students; "
          f"{batch.n_new_assessments} new results; {batch.n_corrected} corrected; "
          f"{batch.n_unchanged} unchanged; {batch.n_drafts} drafts")
    session.flush()
    logger.info("school import %s: %s rows in %.2f s", batch.id, batch.n_rows,
                time.perf_counter() - started)
    return batch


def _screen(inputs: pd.DataFrame, assistant: Any, scope: str) -> pd.DataFrame:
    """Score, screen and (for ``scope``) draft through the core's batch path."""
    prescribe_for = "none" if assistant is None else scope
    return run_pipeline(inputs, assistant, prescribe_for=prescribe_for,
                        prescriptions=prescribe_for != "none")


def _store(session: Session, actor: User, school: School, batch: SchoolImport,
           work: pd.DataFrame, screened: pd.DataFrame, problems: list[dict[str, Any]],
           assistant: Any) -> None:
    work = work.assign(patient_pk=_patients(session, actor, school, work, screened))
    work = work.assign(student_pk=_students(session, actor, school, work))
    class_pk = _classes(session, actor, school, work)
    assessment_pk = _insert(session, Assessment, pd.DataFrame({
        "patient_id": work["patient_pk"], "station_id": actor.station_id,
        "assessed_on": work["test_date"], "standard": "student",
        "values_json": rows.assessment_values(work),
        "scores_json": rows.assessment_scores(screened),
        "warnings_json": rows.row_warnings(work, problems), "created_by_id": actor.id,
        "lock_version": 1}, index=work.index))
    results = pd.concat([pd.DataFrame({
        "station_id": actor.station_id, "student_id": work["student_pk"],
        "class_id": class_pk, "assessment_id": assessment_pk, "import_id": batch.id,
        "school_year": work["school_year"], "tested_on": work["test_date"],
        "values_hash": work["values_hash"], "extra_json": rows.extra_values(work)},
        index=work.index), rows.screening_columns(screened)], axis=1)
    fresh = work["kind"] != "corrected"
    _insert(session, StudentAssessment, results[fresh])
    corrected = work[~fresh]
    if len(corrected):
        changes = results[~fresh].drop(columns=["station_id", "student_id"]).assign(
            b_id=corrected["result_pk"].astype("int64"))
        session.execute(update(StudentAssessment.__table__).where(
            StudentAssessment.__table__.c.id == bindparam("b_id")), _records(changes))
        _supersede(session, actor, corrected["old_assessment"].astype("int64").tolist())
    batch.n_drafts = _drafts(session, actor, work, screened, assessment_pk, assistant)
    _audit_rows(session, actor, "assessment", assessment_pk, batch.id)


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts of plain Python values (None for missing) for executemany."""
    plain = frame.astype(object).where(frame.notna(), None)
    return [{k: (v.item() if hasattr(v, "item") else v) for k, v in rec.items()}
            for rec in plain.to_dict("records")]


def _insert(session: Session, table: Any, frame: pd.DataFrame) -> pd.Series:
    """One multi-row INSERT; the new ids, aligned with ``frame``'s index."""
    if frame.empty:
        return pd.Series([], dtype="int64", index=frame.index)
    result = session.execute(insert(table).returning(table.id, sort_by_parameter_order=True),
                             _records(frame))
    return pd.Series(result.scalars().all(), index=frame.index, dtype="int64")


def _patients(session: Session, actor: User, school: School, work: pd.DataFrame,
              screened: pd.DataFrame) -> pd.Series:
    """Patient ids per row: new patients inserted, current details of known ones updated."""
    details = pd.DataFrame({
        "name": rows.text_column(work, "name"), "sex": screened["sex"].astype(str),
        "birth_date": pd.to_datetime(work["birth_date"]).dt.date,
        "school_name": school.name, "class_name": rows.text_column(work, "class_name"),
        "grade_code": work["grade_code"].astype(str)}, index=work.index)
    pk = work["patient_pk"].copy()
    new = pk.isna()
    if new.any():
        created = _insert(session, Patient, details[new].assign(
            station_id=actor.station_id, record_no=work.loc[new, "student_id"],
            created_by_id=actor.id, lock_version=1))
        pk[new] = created
        _audit_rows(session, actor, "patient", created, None)
    known = ~new & work["is_current"]
    if known.any():
        changes = details[known].assign(b_id=pk[known].astype("int64"))
        table = Patient.__table__
        session.execute(update(table).where(table.c.id == bindparam("b_id")).values(
            lock_version=table.c.lock_version + 1, updated_at=utcnow()), _records(changes))
    return pk.astype("int64")


def _students(session: Session, actor: User, school: School, work: pd.DataFrame) -> pd.Series:
    fields = pd.DataFrame({"school_id": school.id,
                           "ethnicity_code": rows.text_column(work, "ethnicity_code"),
                           "address": rows.text_column(work, "address")}, index=work.index)
    pk = work["student_pk"].copy()
    new = pk.isna()
    if new.any():
        pk[new] = _insert(session, Student, fields[new].assign(
            station_id=actor.station_id, patient_id=work.loc[new, "patient_pk"],
            student_no=work.loc[new, "student_id"]))
    known = ~new & work["is_current"]
    if known.any():
        table = Student.__table__
        session.execute(update(table).where(table.c.id == bindparam("b_id")),
                        _records(fields[known].assign(b_id=pk[known].astype("int64"))))
    return pk.astype("int64")


def _classes(session: Session, actor: User, school: School, work: pd.DataFrame) -> pd.Series:
    """Class id per row; classes new to this school year are created."""
    keys = pd.DataFrame({"school_year": work["school_year"].astype("int64"),
                         "grade_code": work["grade_code"].astype(str),
                         "class_code": work["class_code"].astype(str),
                         "class_name": rows.text_column(work, "class_name")}, index=work.index)
    existing = pd.DataFrame(session.execute(
        select(SchoolClass.id, SchoolClass.school_year, SchoolClass.grade_code,
               SchoolClass.class_code).where(SchoolClass.school_id == school.id)).all(),
        columns=["class_pk", "school_year", "grade_code", "class_code"])
    wanted = keys.drop_duplicates(["school_year", "grade_code", "class_code"])
    missing = wanted.merge(existing, how="left", on=["school_year", "grade_code",
                                                     "class_code"])
    missing = missing[missing["class_pk"].isna()].drop(columns="class_pk")
    if len(missing):
        ids = _insert(session, SchoolClass, missing.assign(school_id=school.id,
                                                           station_id=actor.station_id))
        existing = pd.concat([existing, missing.assign(class_pk=ids.to_numpy())[
            ["class_pk", "school_year", "grade_code", "class_code"]]], ignore_index=True)
    matched = keys.merge(existing, how="left", on=["school_year", "grade_code", "class_code"])
    return pd.Series(matched["class_pk"].astype("int64").to_numpy(), index=work.index)


def _supersede(session: Session, actor: User, assessment_ids: list[int]) -> None:
    """Open drafts made from results that a corrected file replaces can no longer be
    signed: they cite values the school has withdrawn."""
    drafts = session.scalars(select(Prescription.id).where(
        Prescription.assessment_id.in_(assessment_ids), Prescription.status == "draft")).all()
    if drafts:
        session.execute(update(Prescription).where(Prescription.id.in_(drafts)).values(
            status="superseded", updated_by_id=actor.id, updated_at=utcnow(),
            lock_version=Prescription.lock_version + 1).execution_options(
            synchronize_session=False))
        _audit_rows(session, actor, "prescription", pd.Series(drafts), None,
                    action="updated", detail="superseded by corrected school results")


def _drafts(session: Session, actor: User, work: pd.DataFrame, screened: pd.DataFrame,
            assessment_pk: pd.Series, assistant: Any) -> int:
    """Insert the batch path's prescriptions as drafts, as ``draft_prescription`` would."""
    if "rx_prescription" not in screened.columns:
        return 0
    chosen = screened["rx_prescription"].notna() & screened["rx_outcome"].ne("invalid_input")
    if not chosen.any():
        return 0
    ruleset = assistant.provenance["ruleset"]
    docs = screened.loc[chosen, "rx_prescription"].astype(str)
    n = int(chosen.sum())
    created = _insert(session, Prescription, pd.DataFrame({
        "patient_id": work.loc[chosen, "patient_pk"], "station_id": actor.station_id,
        "assessment_id": assessment_pk[chosen], "series": [uuid.uuid4().hex for _ in range(n)],
        "version_no": 1, "status": "draft",
        "outcome": screened.loc[chosen, "rx_outcome"].astype(str),
        "proposed_json": docs, "content_json": docs,
        "ruleset_name": str(ruleset["name"]), "ruleset_version": str(ruleset["version"]),
        "ruleset_hash": str(ruleset["hash"]),
        "model_version": assistant.provenance.get("model_version"),
        "created_by_id": actor.id, "lock_version": 1}, index=docs.index))
    _audit_rows(session, actor, "prescription", created, None, detail="version 1")
    return n


def _audit_rows(session: Session, actor: User, object_type: str, ids: pd.Series,
                batch_id: int | None, *, action: str = "created", detail: str = "") -> None:
    """One audit event per created record, as the single-record operations write them."""
    text = detail or (f"school import {batch_id}" if batch_id else "school import")
    events = [{"user_id": actor.id, "station_id": actor.station_id, "action": action,
               "object_type": object_type, "object_id": int(i), "detail": text}
              for i in ids.tolist()]
    if events:
        session.execute(insert(AuditEvent), events)
