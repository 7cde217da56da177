"""Recording and correcting assessments; the core validates and the standards score."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from prescribe.assessment import Assessment as ParsedAssessment
from prescribe.assessment import parse_assessment

from .. import scoring
from ..tables import Assessment, Patient, Prescription, User
from . import OperationError, StaleEditError, audit

logger = logging.getLogger(__name__)


def parse_for(patient: Patient, assessed_on: dt.date, values: dict[str, Any]) -> ParsedAssessment:
    """Validate with the core; raises ``AssessmentError`` listing every problem."""
    return parse_assessment(scoring.core_record(patient, assessed_on, values))


def _store(item: Assessment, patient: Patient, assessed_on: dt.date, values: dict[str, Any],
           notes: str | None) -> ParsedAssessment:
    parsed = parse_for(patient, assessed_on, values)
    group = scoring.group_for(patient, assessed_on)
    item.assessed_on = assessed_on
    item.values = values
    item.standard = group.standard
    item.scores = scoring.score(parsed, group)
    item.warnings = [{"field": w.field, "message": w.message} for w in parsed.warnings]
    item.notes = (notes or "").strip() or None
    return parsed


def record_assessment(session: Session, actor: User, patient: Patient, assessed_on: dt.date,
                      values: dict[str, Any], notes: str | None = None) -> Assessment:
    """Validate, score and save a new assessment of ``patient``."""
    item = Assessment(patient_id=patient.id, station_id=patient.station_id,
                      created_by_id=actor.id)
    _store(item, patient, assessed_on, values, notes)
    session.add(item)
    session.flush()
    audit.record(session, actor, "created", "assessment", item.id,
                 station_id=patient.station_id)
    logger.info("assessment %s recorded for patient %s", item.id, patient.id)
    return item


def has_prescription(session: Session, item: Assessment) -> bool:
    return session.scalar(select(Prescription.id).where(
        Prescription.assessment_id == item.id).limit(1)) is not None


def update_assessment(session: Session, actor: User, item: Assessment, assessed_on: dt.date,
                      values: dict[str, Any], notes: str | None,
                      expected_version: int) -> Assessment:
    """Correct an assessment; refused once a prescription was drafted from it (the draft
    cites these values), and refused when someone saved it since the form opened."""
    if item.lock_version != expected_version:
        raise StaleEditError("this assessment was changed by someone else")
    if has_prescription(session, item):
        raise OperationError("a prescription was drafted from this assessment; record a new "
                             "assessment instead")
    _store(item, item.patient, assessed_on, values, notes)
    session.flush()
    audit.record(session, actor, "updated", "assessment", item.id, station_id=item.station_id)
    return item
