"""Creating and changing patient records."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..tables import Patient, User
from . import InvalidInputError, OperationError, StaleEditError, audit

logger = logging.getLogger(__name__)

GRADE_CODES = ("11", "12", "13", "14", "15", "16", "21", "22", "23", "31", "32", "33",
               "41", "42", "43", "44")
MIN_AGE_YEARS = 3    # the youngest standard (pre-school 3–6)
MAX_AGE_YEARS = 110  # the vocabulary's impossible-age limit


@dataclass
class PatientDetails:
    """What a clinician types about a person; validated by ``check_details``."""

    record_no: str
    name: str
    sex: str
    birth_date: dt.date
    phone: str | None = None
    school_name: str | None = None
    class_name: str | None = None
    grade_code: str | None = None


def check_details(details: PatientDetails, today: dt.date | None = None) -> list[OperationError]:
    """Every problem with the details at once, each naming its field."""
    today = today or dt.date.today()
    problems = []
    if not details.record_no.strip():
        problems.append(OperationError("a record number is needed", "record_no"))
    if not details.name.strip():
        problems.append(OperationError("a name is needed", "name"))
    if details.sex not in ("M", "F"):
        problems.append(OperationError("sex must be M or F", "sex"))
    if details.birth_date > today:
        problems.append(OperationError("the date of birth is in the future", "birth_date"))
    else:
        age = (today - details.birth_date).days / 365.2425
        if not MIN_AGE_YEARS <= age <= MAX_AGE_YEARS:
            problems.append(OperationError("age must be between 3 and 110 years", "birth_date"))
    if details.grade_code and details.grade_code not in GRADE_CODES:
        problems.append(OperationError("unknown grade code", "grade_code"))
    return problems


def _apply(patient: Patient, details: PatientDetails) -> None:
    patient.record_no = details.record_no.strip()
    patient.name = details.name.strip()
    patient.sex = details.sex
    patient.birth_date = details.birth_date
    patient.phone = (details.phone or "").strip() or None
    patient.school_name = (details.school_name or "").strip() or None
    patient.class_name = (details.class_name or "").strip() or None
    patient.grade_code = details.grade_code or None


def _check_unique(session: Session, station_id: int, record_no: str,
                  patient_id: int | None) -> None:
    clash = session.scalar(select(Patient.id).where(
        Patient.station_id == station_id, Patient.record_no == record_no.strip()))
    if clash is not None and clash != patient_id:
        raise OperationError("another patient at this station has this record number",
                             "record_no")


def create_patient(session: Session, actor: User, details: PatientDetails) -> Patient:
    """Register a patient at the actor's station."""
    problems = check_details(details)
    if problems:
        raise InvalidInputError(problems)
    _check_unique(session, actor.station_id, details.record_no, None)
    patient = Patient(station_id=actor.station_id, created_by_id=actor.id)
    _apply(patient, details)
    session.add(patient)
    session.flush()
    audit.record(session, actor, "created", "patient", patient.id)
    logger.info("patient %s created by user %s", patient.id, actor.id)
    return patient


def update_patient(session: Session, actor: User, patient: Patient, details: PatientDetails,
                   expected_version: int) -> Patient:
    """Change a patient's details unless someone else saved them since the form opened."""
    if patient.lock_version != expected_version:
        raise StaleEditError("this patient was changed by someone else")
    problems = check_details(details)
    if problems:
        raise InvalidInputError(problems)
    _check_unique(session, patient.station_id, details.record_no, patient.id)
    _apply(patient, details)
    session.flush()
    audit.record(session, actor, "updated", "patient", patient.id,
                 station_id=patient.station_id)
    return patient
